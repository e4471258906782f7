//! ## What it does
//! Reports a model group with no fallback whose deployment opens its stream lazily (`gemini/`,
//! `vertex_ai/`, ...), on LiteLLM versions where a streaming error in such a group leaks
//! LiteLLM's internal `MidStreamFallbackError` to the client, and where (1.82.1 up to 1.91.0) a
//! mid-stream 429 was reported to spin the proxy at 100 % CPU (BerriAI/litellm#26015).
//!
//! Severity is `info`: the leaked error name was observed by our oracle on 1.80.11, 1.82.1 and
//! 1.83.9, but the CPU spin was **not** reproduced (1.83.9, 1.95.0, 1.109.1, several failure
//! shapes). It is reported, not measured.
//!
//! ## Why is this bad?
//! Clients that classify errors by type (retry on rate limit, show a message on overload) see
//! an internal exception name, and on 1.80.x a 503 instead of the real 429. If the reported
//! spin happens, one failed stream takes a proxy worker down.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.83.9
//! model_list:
//!   - model_name: gemini-pro
//!     litellm_params: {model: vertex_ai/gemini-2.5-pro}
//! router_settings:
//!   num_retries: 0
//! ```
//! checked with `--litellm-version 1.83.9` (or a pin of that version).
//!
//! ## Fix
//! Upgrade to 1.91.0 or later (PR #31298 raises the provider's own error), or give the group a
//! fallback.

use super::streaming_common::pick;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::streaming::{self, Laziness};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL103",
        name: "streaming-error-no-fallback-hang",
        severity: Severity::Info,
        summary: "no fallback and a lazy-stream provider on a version that leaks an internal error (#26015)",
        source: include_str!("ll103_streaming_error_no_fallback_hang.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    // Below the releases examined, no claim; unpinned, no claim either (no examined release
    // from the newest back leaks the error, so judging at the newest would say nothing).
    let v = ctx
        .version
        .version
        .filter(|v| *v >= streaming::examined_from());
    let mut merged = Vec::new();
    for g in &cfg.groups {
        if cfg.general_fallback_for(&g.name).is_some()
            || !super::streaming_common::is_chat_group(cfg, g)
        {
            continue;
        }
        let Some((dep, true)) = pick(cfg, g, v) else {
            continue;
        };
        let model = dep.model.as_deref().unwrap_or("?");
        for row in &streaming::behavior().no_fallback_leak {
            let range = &row.versions;
            let applies = match v {
                Some(v) => {
                    range.contains(v)
                        && streaming::laziness(&dep.provider, &dep.provider_model, v)
                            == Laziness::Lazy
                }
                None => false,
            };
            if !applies {
                continue;
            }
            let v = v.expect("checked");
            let status = row
                .client_status
                .map(|s| format!(" with HTTP {s}"))
                .unwrap_or_default();
            let who = format!("`{}` (`{model}`, no fallback)", g.name);
            let mut msg = format!(
                "with LiteLLM {v}, a failed stream from {who} reaches the client as `{}`{status}",
                row.leaked_error
            );
            if row.cpu_spin_reported {
                msg.push_str("; a mid-stream 429 on this version was reported to spin the proxy at 100 % CPU (#26015)");
            }
            let mut d = Diagnostic::new(&RULE.meta, dep.anchor_span(), msg);
            if row.cpu_spin_reported && !row.reproduced {
                d = d.note("the CPU spin was reported upstream but not reproduced by our oracle (1.83.9, 1.95.0, 1.109.1; pre-body 429, in-band 429 before and after text)");
            }
            d = d.note(super::streaming_common::cite(&row.evidence));
            let fixed = range
                .max
                .map(|m| format!("upgrade to {m} or later, or "))
                .unwrap_or_default();
            let d = d.help(format!("{fixed}give the group a fallback"));
            let key = d.message.replacen(&who, "", 1);
            super::streaming_common::merge_into(&mut merged, key, who, dep.anchor_span(), d);
        }
    }
    super::streaming_common::finish(merged, out);
}
