//! ## What it does
//! Reports rate-limit backoff that does not happen the way the config suggests:
//! - a group whose deployments all share one rate-limit pool (same provider, model and
//!   credentials): a retry after a 429 goes at once to another deployment of the group, which
//!   answers 429 again;
//! - `retry_after` above 8 seconds, which LiteLLM caps at `MAX_RETRY_DELAY` (8 s);
//! - `retry_after` set while every group has several deployments, where it only applies once
//!   all other deployments are cooling down (info).
//!
//! ## Why is this bad?
//! Between retries the Router sleeps only when the group has no other healthy deployment
//! (`Router._time_to_sleep_before_retry`): otherwise the retry goes to another deployment
//! immediately. When that deployment uses the same key and model, it draws on the same
//! per-minute quota, so the retries are spent in milliseconds on the same 429. When it does
//! sleep, the delay is the provider's `retry-after` header (if 0–60 s) or
//! `min(max(0.5 s × 2^attempt, retry_after), 8 s)` plus jitter (`litellm.calculate_retry_after`,
//! litellm 1.83.9 and 1.109.1).
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
//! router_settings:
//!   retry_after: 30
//! ```
//!
//! ## Fix
//! Give the deployments of a group separate quotas (another key, project, region or
//! provider), or keep one deployment so the Router backs off between retries; keep
//! `retry_after` at 8 s or less.
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
//!   - model_name: gpt-4o
//!     litellm_params: {model: azure/gpt-4o, api_key: os.environ/AZURE_API_KEY, api_base: os.environ/AZURE_API_BASE}
//!   - model_name: claude
//!     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! router_settings:
//!   retry_after: 5
//! ```

use super::resilience_common::{LOCAL_SERVERS, name_list, named_groups, quota_key};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL202",
        name: "rate-limit-backoff-missing",
        severity: Severity::Warning,
        summary: "no backoff for rate limits where the group needs it",
        source: include_str!("ll202_rate_limit_backoff_missing.rs"),
        fixable: false,
    },
    check: Some(check),
};

/// `MAX_RETRY_DELAY` in `litellm/constants.py` (1.83.9, 1.109.1).
const MAX_RETRY_DELAY: f64 = 8.0;

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for g in named_groups(cfg) {
        if g.deployments.len() < 2 {
            continue;
        }
        let deps: Vec<_> = cfg.group_deployments(g).collect();
        let first = quota_key(deps[0]);
        if deps.iter().skip(1).any(|d| quota_key(d) != first)
            || deps[0].model.is_none()
            || LOCAL_SERVERS.contains(&deps[0].provider.as_str())
        {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE.meta,
            deps[1].anchor_span(),
            format!(
                "the {} deployments of `{}` share one rate-limit pool (same model and credentials): after a 429 the retry goes at once to another of them and gets the same 429",
                deps.len(),
                g.name
            ),
        )
        .label(deps[0].anchor_span(), "same model and credentials");
        d = d.note(
            "LiteLLM sleeps between retries only when the group has no other healthy deployment",
        );
        out.push(d.help(
            "give each deployment its own quota (another key, project, region or provider), or keep a single deployment so retries back off",
        ));
    }

    let Some(entry) = cfg
        .root
        .get("router_settings")
        .and_then(|r| r.entry("retry_after"))
    else {
        return;
    };
    let Some(secs) = entry
        .value
        .as_f64()
        .or_else(|| entry.value.as_i64().map(|i| i as f64))
    else {
        return;
    };
    if secs > MAX_RETRY_DELAY {
        out.push(
            Diagnostic::new(
                &RULE.meta,
                entry.value.span,
                format!(
                    "`retry_after: {}` is capped: LiteLLM sleeps at most {MAX_RETRY_DELAY} s between retries (MAX_RETRY_DELAY)",
                    Node::key_string(&entry.value)
                ),
            )
            .note("the sleep is min(max(0.5 s × 2^attempt, retry_after), 8 s) plus up to 0.75 s of jitter, unless the provider sends a retry-after header of 0–60 s")
            .help("to wait out a per-minute quota, add a fallback, or raise the MAX_RETRY_DELAY environment variable of the proxy"),
        );
    }
    let groups: Vec<_> = named_groups(cfg).collect();
    if secs > 0.0 && !groups.is_empty() && groups.iter().all(|g| g.deployments.len() > 1) {
        out.push(
            Diagnostic::new(
                &RULE.meta,
                entry.key.span,
                format!(
                    "`retry_after` rarely applies here: every group ({}) has several deployments, and a retry goes at once to another healthy one",
                    name_list(groups.iter().map(|g| g.name.as_str()), 3)
                ),
            )
            .severity(Severity::Info)
            .note("the Router sleeps (and uses retry_after) only when no other deployment of the group is healthy"),
        );
    }
}
