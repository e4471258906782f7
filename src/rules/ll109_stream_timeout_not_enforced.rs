//! ## What it does
//! Reports a `timeout` or `stream_timeout` (on the deployment, in `router_settings`, or
//! `litellm_settings.request_timeout`) that a lazily opened stream does not honour before its
//! first byte at the LiteLLM version in use.
//!
//! ## Why is this bad?
//! The timeout looks like a bound on a slow upstream, and a trigger for fallbacks. For a Gemini
//! stream before 1.108.0 it is not applied to the first byte: our oracle's streaming requests
//! waited the full 12 s for a deployment with `timeout: 3` / `stream_timeout: 3` and never fell
//! back, while non-streaming requests timed out at 3 s and fell back.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.95.0
//! model_list:
//!   - model_name: chat
//!     litellm_params: {model: gemini/gemini-2.5-flash, stream_timeout: 3}
//! ```
//! checked with `--litellm-version 1.95.0` (or a pin of that version).
//!
//! ## Fix
//! Upgrade to 1.108.0 or later, or bound the wait in the client (its own read timeout).

use super::streaming_common::{first_good, pick};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;
use crate::streaming::{self, Laziness, TimeoutRow};
use crate::version::Version;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL109",
        name: "stream-timeout-not-enforced",
        severity: Severity::Warning,
        summary: "a timeout that a lazily opened stream ignores before its first byte",
        source: include_str!("ll109_stream_timeout_not_enforced.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn row_at(provider: &str, v: Version) -> Option<&'static TimeoutRow> {
    streaming::behavior().timeout.iter().find(|r| {
        r.versions.contains(v)
            && (r.verified_for.is_empty() || r.verified_for.iter().any(|p| p == provider))
    })
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let Some((v, assumed)) = super::streaming_common::judged_version(ctx) else {
        return;
    };
    for g in &cfg.groups {
        if !super::streaming_common::is_chat_group(cfg, g) {
            continue;
        }
        let Some((dep, true)) = pick(cfg, g, Some(v)) else {
            continue;
        };
        if streaming::laziness(&dep.provider, &dep.provider_model, v) != Laziness::Lazy {
            continue;
        }
        let Some(row) = row_at(&dep.provider, v) else {
            continue;
        };
        if row.stream_timeout_enforced_before_first_byte {
            continue;
        }
        // The timeout the user relies on: deployment first, then router.
        let set: Option<(Span, String)> = ["stream_timeout", "timeout"]
            .iter()
            .find_map(|k| {
                dep.param_entry(k)
                    .map(|e| (e.value.span, format!("litellm_params.{k}")))
            })
            .or_else(|| {
                cfg.stream_timeout
                    .as_ref()
                    .and_then(|s| s.span.map(|sp| (sp, s.source.clone())))
            })
            .or_else(|| cfg.timeout.span.map(|sp| (sp, cfg.timeout.source.clone())));
        let Some((span, source)) = set else { continue };
        let model = dep.model.as_deref().unwrap_or("?");
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            format!("with LiteLLM {v}, `{source}` is not enforced before the first byte of a `{model}` stream: a streaming request to `{}` waits for a slow upstream instead of timing out, and no fallback runs", g.name),
        )
        .label(dep.anchor_span(), "a lazily opened stream");
        d = d.note(super::streaming_common::cite(&row.evidence));
        if let Some(n) = &assumed {
            d = d.note(n.clone());
        }
        let good = first_good(v, |c| {
            row_at(&dep.provider, c).is_some_and(|r| r.stream_timeout_enforced_before_first_byte)
        });
        let d = d.help(match good {
            Some(c) => format!("upgrade LiteLLM to {c} or later, or bound the wait in the client with its own read timeout"),
            None => "bound the wait in the client with its own read timeout".into(),
        });
        out.extend(super::streaming_common::by_clients(ctx, &g.name, d));
    }
}
