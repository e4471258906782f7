//! ## What it does
//! Reports fallbacks under `litellm_settings` that LiteLLM ignores because `router_settings`
//! sets the same kind (`fallbacks`, `context_window_fallbacks`, `content_policy_fallbacks`,
//! `default_fallbacks`).
//!
//! ## Why is this bad?
//! The Router uses `router_settings.fallbacks or litellm.fallbacks`: when both are set, the
//! `litellm_settings` list is silently dropped, whole. Entries that exist only there never run.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   fallbacks: [{gpt-4o: [claude]}]
//! litellm_settings:
//!   fallbacks: [{gemini-pro: [gpt-4o]}]   # ignored
//! ```
//!
//! ## Fix
//! Move every entry into `router_settings` and delete the `litellm_settings` list.

use super::{Context, Rule, RuleMeta};
use crate::config::Section;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL105",
        name: "fallbacks-shadowed",
        severity: Severity::Warning,
        summary: "fallbacks under `litellm_settings` ignored because `router_settings` sets them",
        source: include_str!("ll105_fallbacks_shadowed.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for l in cfg
        .fallbacks
        .iter()
        .filter(|l| l.section == Section::LitellmSettings && !l.effective && l.value.is_truthy())
    {
        let Some(router) = cfg
            .fallbacks
            .iter()
            .find(|r| r.kind == l.kind && r.section == Section::RouterSettings)
        else {
            continue;
        };
        let lost: Vec<&str> = l
            .entries
            .iter()
            .filter(|e| !router.entries.iter().any(|r| r.group == e.group))
            .map(|e| e.group.as_str())
            .collect();
        let mut d = Diagnostic::new(
            &RULE.meta,
            l.key_span,
            format!(
                "`litellm_settings.{}` is ignored: `router_settings.{}` is set and wins",
                l.kind.key(),
                l.kind.key()
            ),
        )
        .label(router.key_span, "this list is the one LiteLLM uses");
        if !lost.is_empty() {
            d = d.note(format!(
                "entries that exist only here never run: {}",
                lost.join(", ")
            ));
        }
        out.push(d.help(format!(
            "move the entries into `router_settings.{}` and delete this list",
            l.kind.key()
        )));
    }
}
