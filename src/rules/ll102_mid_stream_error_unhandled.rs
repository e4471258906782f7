//! ## What it does
//! For each model group that may be streamed, tells what a streaming client gets at the LiteLLM
//! version in use when the upstream fails *inside* the stream: an error event or a cut
//! connection after some tokens were sent, or an error event before the first token. Reported
//! when the client gets HTTP 200 with silently truncated or empty text (no error, no fallback),
//! or a failed stream although a fallback is configured. A fallback that concatenates the
//! primary's partial text with the fallback's full answer is reported as information.
//!
//! ## Why is this bad?
//! Once the proxy has sent HTTP 200, an error can only arrive inside the stream. Before 1.87.0
//! an in-band Gemini error is not recognized and before 1.94.0 a cut connection is swallowed:
//! the stream just ends, and the application shows a half answer as if it were complete.
//! From 1.97.0 an error after content is re-raised (no fallback) unless
//! `enable_mid_stream_fallback_continuation` (1.109.0+) is on.
//!
//! A group whose streams do not fall back at all (LL101) is reported there, with what fails
//! later in its streams: one root cause, one finding.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.90.0
//! model_list:
//!   - model_name: chat
//!     litellm_params: {model: gemini/gemini-2.5-flash}
//!   - model_name: backup
//!     litellm_params: {model: openai/gpt-4o-mini}
//! router_settings:
//!   fallbacks: [{chat: [backup]}]
//! ```
//! checked with `--litellm-version 1.90.0` (or a pin of that version).
//!
//! ## Fix
//! Upgrade to a release that detects the failure (the message names it); on 1.109.0 and later
//! with a prefill-capable fallback, set `router_settings.enable_mid_stream_fallback_continuation:
//! true`; make streaming clients treat an answer without a finish reason as failed.

use super::streaming_common::{
    by_clients, evidence_note, finish, inside_fixed, inside_stream_failures, inside_text,
    is_chat_group, judged_version, merge_into, pick, pre_token_failures,
};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::streaming::{self, Laziness};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL102",
        name: "mid-stream-error-unhandled",
        severity: Severity::Warning,
        summary: "an error inside a stream is not covered: the client gets a cut, empty or failed stream",
        source: include_str!("ll102_mid_stream_error_unhandled.rs"),
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
        if !is_chat_group(cfg, g) {
            continue;
        }
        let fb = cfg.general_fallback_for(&g.name);
        let fallback = if fb.is_some() { "config" } else { "none" };
        let Some((dep, _)) = pick(cfg, g, Some(v)) else {
            continue;
        };
        let model = dep.model.as_deref().unwrap_or("?");
        let lz = streaming::laziness(&dep.provider, &dep.provider_model, v);
        if lz == Laziness::Unknown {
            continue;
        }
        // A group whose streams LL101 reports (its fallback does not run for them) is LL101's
        // finding, which also says what fails inside its streams: one root cause, one finding.
        if fb.is_some() && !pre_token_failures(lz, "config", v, false).is_empty() {
            continue;
        }
        let found = inside_stream_failures(lz, fallback, v, false);
        if found.is_empty() {
            continue;
        }
        let sev = found.iter().map(|f| f.1).max().unwrap_or(Severity::Info);
        let what: Vec<String> = found
            .iter()
            .map(|(r, _, cause)| inside_text(r, *cause))
            .collect();
        let what = what.join("; ");
        let who = format!("`{}` (`{model}`)", g.name);
        let mut d = Diagnostic::new(&RULE.meta, dep.anchor_span(), format!("with LiteLLM {v}, a streaming request to {who} that fails inside the stream is not recovered: {what}")).severity(sev);
        if let Some(n) = &assumed {
            d = d.note(n.clone());
        }
        if let Some((list, entry)) = fb {
            d = d.label(
                entry.group_span,
                format!(
                    "fallback declared here ({}.{})",
                    list.section.as_str(),
                    list.kind.key()
                ),
            );
        }
        for (r, _, _) in &found {
            d = d.note(evidence_note(r));
        }
        let good = inside_fixed(v, &found, lz, fallback);
        let mut help = match good {
            Some(c) => format!("upgrade LiteLLM to {c} or later, where these failures are no longer silent"),
            None if sev == Severity::Info => "streaming clients that render text as it arrives should expect the answer to restart on the fallback".to_string(),
            None => "make streaming clients treat a stream that ends without a finish reason as failed".to_string(),
        };
        if fb.is_some() && v >= crate::version::Version(1, 109, 0) {
            help.push_str("; to continue on the fallback after text was sent, set `router_settings.enable_mid_stream_fallback_continuation: true` (plain-text answers, fallbacks that support assistant prefill)");
        }
        let Some(d) = by_clients(ctx, &g.name, d.help(help)) else {
            continue;
        };
        let key = format!("{:?}{fallback}{what}", d.severity);
        merge_into(&mut merged, key, who, dep.anchor_span(), d);
    }
    finish(merged, out);
}
