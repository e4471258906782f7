//! ## What it does
//! Reports model groups whose rate-limit errors are not retried (`num_retries: 0`, or a retry
//! policy with `RateLimitErrorRetries: 0`) while the group has a single deployment and no
//! fallback.
//!
//! ## Why is this bad?
//! With no retry, no second deployment and no fallback, the first 429 from the provider is the
//! answer the client gets. The Router resolves the count in this order: a matching
//! `model_group_retry_policy` or `retry_policy` entry, the deployment's `num_retries`, then
//! `router_settings.num_retries`, then `litellm_settings.num_retries`; when none is set the
//! default is 2 retries, so only an explicit 0 is reported.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gemini-flash
//!     litellm_params:
//!       model: gemini/gemini-2.5-flash
//! router_settings:
//!   num_retries: 0
//! ```
//!
//! ## Fix
//! Keep a few retries (LiteLLM backs off between them when the group has one deployment), or
//! give the group a fallback or a second deployment:
//! ```yaml
//! model_list:
//!   - model_name: gemini-flash
//!     litellm_params:
//!       model: gemini/gemini-2.5-flash
//! router_settings:
//!   num_retries: 2
//! ```

use super::resilience_common::{has_fallback, name_list, named_groups};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL201",
        name: "retries-disabled",
        severity: Severity::Warning,
        summary: "no retries and no fallback for a group: one 429 fails the request",
        source: include_str!("ll201_retries_disabled.rs"),
        fixable: false,
    },
    check: Some(check),
};

/// `RateLimitErrorRetries` of a retry policy mapping, with its value span.
fn rate_limit_retries(policy: Option<&Node>) -> Option<(i64, Span)> {
    let e = policy?.entry("RateLimitErrorRetries")?;
    Some((e.value.as_i64()?, e.value.span))
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let router = cfg.root.get("router_settings");
    // Span of the setting that turned retries off → the groups it leaves without a retry.
    type Affected<'a> = Vec<(&'a str, Span)>;
    let mut by_setting: Vec<(Span, String, Affected)> = vec![];
    for g in named_groups(cfg) {
        if g.deployments.len() != 1 || has_fallback(cfg, &g.name) {
            continue;
        }
        let d = &cfg.deployments[g.deployments[0]];
        let group_policy = router
            .and_then(|r| r.get("model_group_retry_policy"))
            .and_then(|p| p.get(&g.name));
        let (retries, span, what) = if let Some((n, s)) = rate_limit_retries(group_policy) {
            (
                n,
                s,
                format!(
                    "`model_group_retry_policy.{}.RateLimitErrorRetries: {n}`",
                    g.name
                ),
            )
        } else if let Some((n, s)) = rate_limit_retries(router.and_then(|r| r.get("retry_policy")))
        {
            (n, s, format!("`retry_policy.RateLimitErrorRetries: {n}`"))
        } else if let Some(n) = d.param("num_retries").and_then(Node::as_i64) {
            let s = d.param("num_retries").expect("checked").span;
            (n, s, format!("the deployment's `num_retries: {n}`"))
        } else if let Some(span) = cfg.num_retries.span {
            let n = cfg.num_retries.value;
            (n, span, format!("`{}: {n}`", cfg.num_retries.source))
        } else {
            continue;
        };
        if retries != 0 {
            continue;
        }
        match by_setting.iter_mut().find(|(s, _, _)| *s == span) {
            Some((_, _, groups)) => groups.push((&g.name, d.model_name_span)),
            None => by_setting.push((span, what, vec![(&g.name, d.model_name_span)])),
        }
    }
    for (span, what, groups) in by_setting {
        let names = name_list(groups.iter().map(|(n, _)| *n), 5);
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            format!(
                "{what} leaves {names} without a retry, a second deployment or a fallback: one 429 fails the request"
            ),
        );
        for (name, s) in groups.iter().take(5) {
            d = d.label(*s, format!("`{name}`: one deployment, no fallback"));
        }
        out.push(d.help(
            "keep a few retries (the default is 2; with one deployment LiteLLM backs off between them), or add a fallback or a second deployment",
        ));
    }
}
