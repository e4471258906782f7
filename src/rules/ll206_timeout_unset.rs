//! ## What it does
//! Reports configs that bound streaming requests (`stream_timeout`) but not the others: neither
//! `router_settings.timeout`, `litellm_settings.request_timeout` nor a deployment's `timeout`
//! is set. (A config with no timeout at all is LL209, which is opt-in.)
//!
//! ## Why is this bad?
//! The Router's timeout chain ends at `litellm.request_timeout`, 6000 seconds. A provider that
//! accepts the connection and then hangs keeps the request, its worker slot and the client
//! waiting for up to 100 minutes, and no retry or fallback starts until then (#7001).
//! `stream_timeout` only applies to streaming requests.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   stream_timeout: 30
//! ```
//!
//! ## Fix
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   stream_timeout: 30
//!   timeout: 120
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL206",
        name: "timeout-unset",
        severity: Severity::Warning,
        summary: "stream_timeout without timeout: non-streaming requests wait up to 6000 s",
        source: include_str!("ll206_timeout_unset.rs"),
        fixable: false,
    },
    check: Some(check),
};

/// When non-streaming requests have no timeout: the `model_list` key, and where a
/// `stream_timeout` is set (if any).
pub fn unbounded(ctx: &Context) -> Option<(Span, Option<Span>)> {
    let cfg = ctx.config;
    if !cfg.timeout.is_default() || cfg.deployments.is_empty() {
        return None;
    }
    let per_deployment = |k: &str| cfg.deployments.iter().any(|d| d.param(k).is_some());
    if per_deployment("timeout") || per_deployment("request_timeout") {
        // Some deployments bound their calls; those without a timeout are left to the user's
        // judgement (a local model may legitimately be slow).
        return None;
    }
    let model_list = cfg.root.entry("model_list")?;
    let stream_timeout = cfg
        .stream_timeout
        .as_ref()
        .and_then(|s| s.span)
        .or_else(|| {
            cfg.deployments
                .iter()
                .find_map(|d| d.param_entry("stream_timeout").map(|e| e.key.span))
        });
    Some((model_list.key.span, stream_timeout))
}

pub const HELP: &str = "set `router_settings.timeout` (seconds), or `timeout` on each deployment";

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if let Some((_, Some(span))) = unbounded(ctx) {
        out.push(
            Diagnostic::new(
                &RULE.meta,
                span,
                "only streaming requests have a timeout: a non-streaming request to a hung provider waits up to 6000 s (`litellm.request_timeout`) before any retry or fallback",
            )
            .help(HELP),
        );
    }
}
