//! ## What it does
//! Checks the shape of fallback lists the way `Router.validate_fallbacks` does at startup: a
//! list whose every item is a mapping with exactly one key (a model group) whose value is a list
//! of model groups. `default_fallbacks` must be a plain list of group names.
//!
//! ## Why is this bad?
//! For `fallbacks` and `content_policy_fallbacks` a malformed item stops the proxy at startup
//! with a `ValueError`. Other malformed values (a target that is a string instead of a list, a
//! `context_window_fallbacks` item with two keys) pass startup and misbehave per request.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   fallbacks:
//!     - gpt-4o: [claude]
//!       gemini: [gpt-4o]     # two keys in one item
//!     - claude               # not a mapping
//! ```
//!
//! ## Fix
//! One `group: [targets]` mapping per list item:
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! #~   - model_name: claude
//! #~     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! #~   - model_name: gemini
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! router_settings:
//!   fallbacks:
//!     - gpt-4o: [claude]
//!     - gemini: [gpt-4o]
//! ```

use super::{Context, Rule, RuleMeta};
use crate::config::FallbackKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Value;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL106",
        name: "fallback-invalid-shape",
        severity: Severity::Error,
        summary: "a fallback list the proxy refuses at startup",
        source: include_str!("ll106_fallback_invalid_shape.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for l in ctx
        .config
        .fallbacks
        .iter()
        .filter(|l| l.effective && l.value.is_truthy())
    {
        let validated = matches!(l.kind, FallbackKind::General | FallbackKind::ContentPolicy);
        let (sev, consequence) = if validated {
            (
                Severity::Error,
                "the proxy stops at startup (`Router.validate_fallbacks` raises ValueError)",
            )
        } else {
            (
                Severity::Warning,
                "LiteLLM does not validate it and the entry will not work",
            )
        };
        let place = format!("{}.{}", l.section.as_str(), l.kind.key());
        if l.kind == FallbackKind::Default {
            match &l.value.value {
                Value::Seq(items) => {
                    for it in items.iter().filter(|i| i.as_str().is_none()) {
                        out.push(
                            Diagnostic::new(
                                &RULE.meta,
                                it.span,
                                format!(
                                    "`{place}` items must be model group names, found a {}",
                                    it.type_name()
                                ),
                            )
                            .severity(Severity::Warning)
                            .help("write `default_fallbacks: [group-a, group-b]`"),
                        );
                    }
                }
                _ => out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        l.value.span,
                        format!(
                            "`{place}` must be a list of model group names, found a {}",
                            l.value.type_name()
                        ),
                    )
                    .severity(Severity::Warning)
                    .help("write `default_fallbacks: [group-a, group-b]`"),
                ),
            }
            continue;
        }
        let Some(items) = l.value.as_seq() else {
            out.push(
                Diagnostic::new(&RULE.meta, l.value.span, format!("`{place}` must be a list of `group: [targets]` mappings, found a {}: {consequence}", l.value.type_name()))
                    .severity(sev)
                    .help("write each entry as a list item: `- group: [fallback-a, fallback-b]`"),
            );
            continue;
        };
        for item in items.iter() {
            match item.as_map() {
                None => out.push(
                    Diagnostic::new(&RULE.meta, item.span, format!("a `{place}` item must be a `group: [targets]` mapping, found a {}: {consequence}", item.type_name()))
                        .severity(sev)
                        .help("write `- group: [fallback-a, fallback-b]`"),
                ),
                Some(m) if m.len() != 1 => {
                    // Keys that are no model group (`model:`, `context_window:`): another
                    // schema, which splitting would not fix.
                    let keys: Vec<String> = m.iter().map(|e| e.key.key_string()).collect();
                    let help = if keys.iter().any(|k| ctx.config.group(k).is_some()) {
                        "split it into one list item per model group".to_string()
                    } else {
                        format!(
                            "none of {} is a model group: write one `group: [targets]` mapping per item, keyed by the model group that falls back",
                            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        )
                    };
                    let mut d = Diagnostic::new(&RULE.meta, item.span, format!("a `{place}` item must have exactly one key, found {}: {consequence}", m.len()))
                        .severity(sev)
                        .help(help);
                    for e in m.iter().skip(1) {
                        d = d.label(e.key.span, "another key in the same item");
                    }
                    out.push(d);
                }
                Some(m) => {
                    let v = &m[0].value;
                    if v.as_seq().is_none() {
                        out.push(
                            Diagnostic::new(&RULE.meta, v.span, format!("the fallbacks of `{}` must be a list, found a {}", m[0].key.key_string(), v.type_name()))
                                .severity(Severity::Warning)
                                .label(m[0].key.span, "for this model group")
                                .help(format!("write `{}: [{}]`", m[0].key.key_string(), v.as_str().unwrap_or("fallback-group"))),
                        );
                    }
                }
            }
        }
    }
}
