//! ## What it does
//! Reports a model group whose only protection against rate limits is retries (`num_retries`
//! or a `retry_policy` set explicitly, and no fallback), when its deployment opens its stream
//! lazily and the LiteLLM version in use does not retry such streams.
//!
//! ## Why is this bad?
//! Before 1.97.0 the error of a lazily opened stream surfaces after the retry loop has
//! returned: a streaming request is never retried, whatever `num_retries` or
//! `RateLimitErrorRetries` say. Our oracle saw a Gemini group with `num_retries: 2` whose first
//! call got a 429: non-streaming requests retried and succeeded, streaming requests failed
//! after one upstream call.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.95.0
//! model_list:
//!   - model_name: chat
//!     litellm_params: {model: gemini/gemini-2.5-flash}
//! router_settings:
//!   num_retries: 2
//! ```
//! checked with `--litellm-version 1.95.0` (or a pin of that version).
//!
//! ## Fix
//! Add a fallback for the group (fallbacks do run for streams on 1.82.1+), or upgrade to
//! 1.97.0 or later.

use super::streaming_common::{first_good, pick};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;
use crate::streaming::{self, Laziness, RetryRow};
use crate::version::Version;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL110",
        name: "stream-retries-not-applied",
        severity: Severity::Warning,
        summary: "retries relied on for a lazily opened stream on a version that does not retry streams",
        source: include_str!("ll110_stream_retries_not_applied.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn row_at(v: Version) -> Option<&'static RetryRow> {
    streaming::behavior()
        .retry
        .iter()
        .find(|r| r.shape == "pre_body_429" && r.provider == "lazy" && r.versions.contains(v))
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let Some((v, assumed)) = super::streaming_common::judged_version(ctx) else {
        return;
    };
    let Some(row) = row_at(v) else { return };
    if row.stream_retries {
        return;
    }
    for g in &cfg.groups {
        if cfg.general_fallback_for(&g.name).is_some()
            || !super::streaming_common::is_chat_group(cfg, g)
        {
            continue;
        }
        let Some((dep, true)) = pick(cfg, g, Some(v)) else {
            continue;
        };
        if streaming::laziness(&dep.provider, &dep.provider_model, v) != Laziness::Lazy {
            continue;
        }
        let relied: Option<(Span, String)> = dep
            .param_entry("num_retries")
            .filter(|e| e.value.as_i64().unwrap_or(0) > 0)
            .map(|e| (e.value.span, "litellm_params.num_retries".to_string()))
            .or_else(|| {
                (!cfg.num_retries.is_default() && cfg.num_retries.value > 0).then(|| {
                    (
                        cfg.num_retries.span.expect("set"),
                        cfg.num_retries.source.clone(),
                    )
                })
            })
            .or_else(|| {
                cfg.section("router_settings")
                    .and_then(|r| r.get("retry_policy"))
                    .and_then(|p| p.entry("RateLimitErrorRetries"))
                    .filter(|e| e.value.as_i64().unwrap_or(0) > 0)
                    .map(|e| {
                        (
                            e.value.span,
                            "router_settings.retry_policy.RateLimitErrorRetries".to_string(),
                        )
                    })
            });
        let Some((span, source)) = relied else {
            continue;
        };
        let model = dep.model.as_deref().unwrap_or("?");
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            format!("with LiteLLM {v}, `{source}` does not retry streaming requests to `{}` (`{model}`): a 429 on the first call fails the stream, and `{}` has no fallback", g.name, g.name),
        )
        .label(dep.anchor_span(), "a lazily opened stream");
        d = d.note(super::streaming_common::cite(&row.evidence));
        if let Some(n) = &assumed {
            d = d.note(n.clone());
        }
        let good = first_good(v, |c| row_at(c).is_some_and(|r| r.stream_retries));
        let d = d.help(match good {
            Some(c) => format!("give `{}` a fallback (fallbacks do run for streams), or upgrade LiteLLM to {c} or later", g.name),
            None => format!("give `{}` a fallback", g.name),
        });
        out.extend(super::streaming_common::by_clients(ctx, &g.name, d));
    }
}
