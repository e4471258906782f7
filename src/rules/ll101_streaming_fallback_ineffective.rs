//! ## What it does
//! For each model group with a fallback (`router_settings.fallbacks`,
//! `litellm_settings.fallbacks`, `default_fallbacks` or a `"*"` entry), checks whether a
//! **streaming** request that fails before any token is sent really falls back, at the LiteLLM
//! version in use (`--litellm-version` or a detected pin). Failure shapes judged: an HTTP 429
//! before any body, an HTTP 5xx before any body, and an in-band error event before the first
//! token. The answer comes from `rules/streaming/behavior.toml`, checked against the real proxy.
//!
//! With no known version (no pin, or a rolling image tag, which runs the newest release), the
//! group is judged at the newest release the data examined, with a note saying so, and the
//! finding is a warning unless client code streams from the group. Groups that serve no chat
//! (embedding, image models) and groups no client of this proxy streams from are not reported;
//! groups with the same failure are reported once, each labelled. What else fails later in
//! those streams (LL102's cases: an error or a cut after some tokens) is said in the same
//! finding, not in a second one. Below 1.55.0, the oldest release whose streaming code was
//! examined, the streaming rules make no claim.
//!
//! ## Why is this bad?
//! Providers that open their stream lazily (`gemini/`, `vertex_ai/`, Bedrock invoke, ...)
//! raise their error after the router has handed the stream to the proxy. From 1.80.12 up to
//! 1.82.0 a 429 raised there skips the fallback machinery: non-streaming requests fall back,
//! every streaming request fails with 429 (BerriAI/litellm#20870). Before 1.87.0 an in-band
//! error from Gemini is not even recognized: the stream ends with HTTP 200 and no text.
//! Users get no answer exactly when the primary is overloaded.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.81.16
//! model_list:
//!   - model_name: advanced-model-base
//!     litellm_params: {model: gemini/gemini-3-flash-preview}
//!   - model_name: advanced-fallback-1
//!     litellm_params: {model: openai/gpt-5.2}
//! litellm_settings:
//!   fallbacks:
//!     - advanced-model-base: ["advanced-fallback-1"]
//! ```
//! checked with `--litellm-version 1.81.16` (or a pin of that version).
//!
//! ## Fix
//! Upgrade LiteLLM to the first release where the fallback runs for streams (the message
//! names it; 1.82.1 for a pre-body 429, 1.87.0 for an in-band error before the first token).

use super::streaming_common::{
    by_clients, evidence_note, finish, inside_fixed, inside_stream_failures, inside_text,
    is_chat_group, judged_version, merge_into, pick, pre_token_failures, pre_token_fixed,
};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::streaming::{self, Laziness};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL101",
        name: "streaming-fallback-ineffective",
        severity: Severity::Error,
        summary: "a group's fallbacks will not run for a streaming request that fails before any token (BerriAI/litellm#20870)",
        source: include_str!("ll101_streaming_fallback_ineffective.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let Some((v, assumed)) = judged_version(ctx) else {
        return;
    };
    let mut merged = Vec::new();
    for g in &cfg.groups {
        let Some((list, entry)) = cfg.general_fallback_for(&g.name) else {
            continue;
        };
        if !is_chat_group(cfg, g) {
            continue;
        }
        let Some((dep, _)) = pick(cfg, g, Some(v)) else {
            continue;
        };
        let lz = streaming::laziness(&dep.provider, &dep.provider_model, v);
        if lz == Laziness::Unknown {
            continue;
        }
        let failing = pre_token_failures(lz, "config", v, false);
        if failing.is_empty() {
            continue;
        }
        let targets: Vec<&str> = entry.targets.iter().map(|t| t.name.as_str()).collect();
        let declared = format!(
            "fallback declared here ({}.{}): {}",
            list.section.as_str(),
            list.kind.key(),
            targets.join(", ")
        );
        let model = dep.model.as_deref().unwrap_or("?");
        let what: Vec<String> = failing
            .iter()
            .map(|r| {
                let pyd = super::streaming_common::pydantic_suffix(r);
                let outcome = match (r.stream.as_str(), r.status) {
                    ("failed", Some(s)) => format!("fails with HTTP {s} instead of falling back"),
                    (o, _) => streaming::outcome_text(o).to_string(),
                };
                format!(
                    "on {} the client {outcome}{pyd}",
                    streaming::shape_text(&r.shape, None)
                )
            })
            .collect();
        let what = what.join("; ");
        // What fails later inside the stream (LL102's cases) has the same cause and the same
        // remedy: said here, not in a second finding.
        let inside: Vec<_> = inside_stream_failures(lz, "config", v, true)
            .into_iter()
            .filter(|(_, sev, _)| *sev >= Severity::Warning)
            .collect();
        let later: Vec<String> = inside
            .iter()
            .map(|(r, _, cause)| inside_text(r, *cause))
            .collect();
        let later = if later.is_empty() {
            String::new()
        } else {
            format!(". Later in the stream, {}", later.join("; "))
        };
        let who = format!("`{}` (`{model}`)", g.name);
        let mut d = Diagnostic::new(
            &RULE.meta,
            dep.anchor_span(),
            format!("with LiteLLM {v}, streaming requests to {who} do not fall back: {what}. Non-streaming requests do fall back{later}"),
        )
        .label(entry.group_span, declared);
        if let Some(n) = &assumed {
            d = d.note(n.clone()).severity(Severity::Warning);
        }
        for r in failing
            .iter()
            .copied()
            .chain(inside.iter().map(|(r, _, _)| *r))
        {
            let n = evidence_note(r);
            if !d.notes.contains(&n) {
                d = d.note(n);
            }
        }
        // Fixed where both are (each stays fixed once fixed, in the data).
        let inside_fixed = inside_fixed(v, &inside, lz, "config");
        let good = match (
            pre_token_fixed(v, &failing, lz, "config", false),
            inside.is_empty(),
        ) {
            (Some(a), true) => Some(a),
            (Some(a), false) => inside_fixed.map(|b| a.max(b)),
            (None, _) => None,
        };
        d = d.help(match good {
            Some(c) if inside.is_empty() => format!("upgrade LiteLLM to {c} or later, where these streaming failures fall back"),
            Some(c) => format!("upgrade LiteLLM to {c} or later, where these failures before the first token fall back and those after it are no longer silent"),
            None => "no LiteLLM release in the data fixes this; keep streaming clients off this group or handle the error client-side".into(),
        });
        let Some(d) = by_clients(ctx, &g.name, d) else {
            continue;
        };
        let key = format!("{:?}{what}", d.severity);
        merge_into(&mut merged, key, who, dep.anchor_span(), d);
    }
    finish(merged, out);
}
