//! ## What it does
//! Reports a fallback whose target group is served by the same model with the same credentials
//! as the group it backs up, so both draw on one provider quota.
//!
//! ## Why is this bad?
//! Fallbacks usually run because the primary answered 429. When the fallback calls the same
//! model on the same account (a second group name for the same deployment, or a copy with
//! other parameters), the provider's rate limit is the same one that just refused the
//! request: the fallback fails the same way, after the extra latency.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: fast
//!     litellm_params: {model: gemini/gemini-2.5-flash, api_key: os.environ/GEMINI_API_KEY}
//!   - model_name: fast-backup
//!     litellm_params: {model: gemini/gemini-2.5-flash, api_key: os.environ/GEMINI_API_KEY, temperature: 0.2}
//! router_settings:
//!   fallbacks:
//!     - fast: [fast-backup]
//! ```
//!
//! ## Fix
//! Fall back to another model, another account or project, or another provider:
//! ```yaml
//! model_list:
//!   - model_name: fast
//!     litellm_params: {model: gemini/gemini-2.5-flash, api_key: os.environ/GEMINI_API_KEY}
//!   - model_name: fast-backup
//!     litellm_params: {model: openai/gpt-4o-mini, api_key: os.environ/OPENAI_API_KEY}
//! router_settings:
//!   fallbacks:
//!     - fast: [fast-backup]
//! ```

use super::resilience_common::{LOCAL_SERVERS, quota_key};
use super::{Context, Rule, RuleMeta};
use crate::config::FallbackKind;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL302",
        name: "fallback-shares-quota",
        severity: Severity::Warning,
        summary: "a fallback to the same model on the same credentials: the 429 repeats",
        source: include_str!("ll302_fallback_shares_quota.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for list in cfg.effective(FallbackKind::General) {
        for e in &list.entries {
            let Some(primary) = cfg.group(&e.group) else {
                continue;
            };
            let primary_keys: Vec<_> = cfg
                .group_deployments(primary)
                .filter(|d| d.model.is_some())
                .map(quota_key)
                .collect();
            if primary_keys.is_empty() {
                continue;
            }
            // A group that falls back to itself is LL107's.
            for t in e.targets.iter().filter(|t| t.name != e.group) {
                let Some(target) = cfg.group(&t.name) else {
                    continue;
                };
                let target_deps: Vec<_> = cfg.group_deployments(target).collect();
                let target_keys: Vec<_> = target_deps.iter().map(|d| quota_key(d)).collect();
                // Both groups draw on exactly the same pools, and those are provider quotas.
                if target_deps.is_empty()
                    || target_deps.iter().any(|d| d.model.is_none())
                    || !target_keys.iter().all(|k| primary_keys.contains(k))
                    || !primary_keys.iter().all(|k| target_keys.contains(k))
                    || target_deps
                        .iter()
                        .any(|d| LOCAL_SERVERS.contains(&d.provider.as_str()))
                    // A self-hosted server (an `api_base` that is no provider's) has no
                    // provider quota to share; its own overload is what a fallback to it
                    // with other parameters (another mode, another timeout) is for.
                    || target_deps
                        .iter()
                        .any(|d| super::resilience_common::not_served_by_provider(d))
                {
                    continue;
                }
                let model = target_deps[0].model.as_deref().unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        t.span,
                        format!(
                            "fallback `{}` calls the same model (`{model}`) with the same credentials and endpoint as `{}`: the 429 or outage that triggers the fallback hits it too",
                            t.name, e.group
                        ),
                    )
                    .label(e.group_span, "the group it backs up")
                    .label(target_deps[0].anchor_span(), "same model and credentials")
                    .help("fall back to another model, account, project or provider"),
                );
            }
        }
    }
}
