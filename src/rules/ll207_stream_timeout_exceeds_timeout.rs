//! ## What it does
//! Reports a `stream_timeout` larger than the `timeout` that applies to the same deployment.
//!
//! ## Why is this bad?
//! `stream_timeout` becomes the HTTP timeout of a streaming call: how long the proxy waits to
//! connect, for the first byte and between chunks. `timeout` bounds a whole non-streaming
//! call. A stream that may sit silent longer than an entire non-streaming answer is allowed to
//! take is rarely intended; it is usually the two values swapped, and a stalled stream is then
//! noticed late (the client often gives up first, before the proxy's retry or fallback).
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   timeout: 30
//!   stream_timeout: 600
//! ```
//!
//! ## Fix
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   timeout: 600
//!   stream_timeout: 30
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL207",
        name: "stream-timeout-exceeds-timeout",
        severity: Severity::Info,
        summary: "stream_timeout larger than timeout: a silent stream outlives a whole call",
        source: include_str!("ll207_stream_timeout_exceeds_timeout.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn num(n: &Node) -> Option<f64> {
    n.as_f64().or_else(|| n.as_i64().map(|i| i as f64))
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let mut seen: Vec<Span> = vec![];
    let router_timeout = cfg.timeout.span.map(|s| (cfg.timeout.value, s));
    let router_stream = cfg
        .stream_timeout
        .as_ref()
        .and_then(|s| s.span.map(|sp| (s.value, sp)));
    let mut pairs: Vec<((f64, Span), (f64, Span))> = vec![];
    if let (Some(t), Some(st)) = (router_timeout, router_stream) {
        pairs.push((t, st));
    }
    // Only chat deployments stream: an embedding deployment's stream_timeout never applies.
    for d in cfg
        .deployments
        .iter()
        .filter(|d| super::streaming_common::is_chat_deployment(d))
    {
        let t = d
            .param("timeout")
            .or_else(|| d.param("request_timeout"))
            .and_then(|n| Some((num(n)?, n.span)))
            .or(router_timeout);
        let st = d
            .param("stream_timeout")
            .and_then(|n| Some((num(n)?, n.span)))
            .or(router_stream);
        if let (Some(t), Some(st)) = (t, st) {
            pairs.push((t, st));
        }
    }
    // The smallest timeout first, so each stream_timeout is reported once, against it.
    pairs.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
    for ((t, ts), (st, sts)) in pairs {
        if st <= t || seen.contains(&sts) {
            continue;
        }
        seen.push(sts);
        out.push(
            Diagnostic::new(
                &RULE.meta,
                sts,
                format!("`stream_timeout: {st}` is longer than the `timeout: {t}` of the same deployment: a stream may stay silent longer than a whole non-streaming call may take"),
            )
            .label(ts, "the non-streaming timeout")
            .note("stream_timeout is not the stream's total duration: it bounds the wait to connect, for the first byte and between chunks, so a long answer does not need a larger one")
            .help("keep stream_timeout at or below timeout (were the two swapped?)"),
        );
    }
}
