//! ## What it does
//! Reports keys that LiteLLM does not read where they stand: an unknown top-level section, an
//! unknown `router_settings`, `litellm_settings` or `general_settings` key, an unknown
//! `retry_policy` or `allowed_fails_policy` field, or a key the LiteLLM version in use does not
//! read yet. It suggests the closest known key. The known keys of every section, including all
//! of `general_settings` (every key the proxy and enterprise code read from it), come from
//! reading the released source of LiteLLM 1.74.14, 1.83.9 and 1.109.1; below 1.74.14 no key is
//! claimed absent. A key the project's own Python code names (a script that reads its own
//! section) and an empty value are not reported.
//!
//! ## Why is this bad?
//! The proxy hardly validates its config. An unknown top-level key is silently ignored; an
//! unknown `litellm_settings` key is set as a `litellm.<key>` attribute that no code reads; an
//! unknown `router_settings` key is dropped with one log line at startup; an unknown retry or
//! allowed-fails field is dropped by pydantic. The setting you meant keeps its default, and you
//! find out in production.
//!
//! ## Example
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! router_setting:          # ignored: the section is `router_settings`
//!   num_retry: 3
//! ```
//!
//! ## Fix
//! Rename the key to the one LiteLLM reads (the fix does it when there is a close match; it is
//! marked unsafe because the setting then takes effect).

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::structure::{Placement, Section, known_keys, placed_keys};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL501",
        name: "unknown-key",
        severity: Severity::Warning,
        summary: "a key LiteLLM ignores or drops (with a \"did you mean\")",
        source: include_str!("ll501_unknown_key.rs"),
        fixable: true,
    },
    check: Some(check),
};

const CHECKED: &str = "known keys are read from the sources of LiteLLM 1.74.14, 1.83.9 and 1.109.1";

fn effect(section: Section) -> &'static str {
    match section {
        Section::TopLevel => "the proxy silently ignores unknown top-level keys",
        Section::Router => {
            "the proxy drops it with a warning: it is not a `Router.__init__` parameter"
        }
        Section::Litellm => {
            "the proxy sets it as a `litellm.<key>` attribute that no LiteLLM code reads"
        }
        Section::General => "`general_settings` never reads it",
        Section::RetryPolicy | Section::AllowedFailsPolicy => {
            "pydantic drops unknown fields without a word, so the default applies"
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let keys = known_keys();
    let version = ctx.version.version;
    for p in placed_keys(&ctx.config.root) {
        let Some(key) = p.entry.key.as_str() else {
            continue;
        };
        let (place, under) = if p.path.is_empty() {
            ("top-level key", String::new())
        } else {
            ("key", format!(" in `{}`", p.path))
        };
        // An empty value sets nothing, read or not. A top-level section nested in another
        // is LL502's.
        if p.entry.value.is_null()
            || (p.section != Section::TopLevel
                && crate::structure::is_top_level_section(key, &p.entry.value))
        {
            continue;
        }
        let d = match keys.placement(p.section, key, version) {
            // A key the project's own code names is the project's to read (a script that
            // reads its own section of the file).
            Placement::Unknown { .. } if ctx.project_names.contains(key) => continue,
            Placement::Unknown { suggestion } => {
                // The suggested key is already there. A setting: this one is an extra of its
                // own, not a typo. A section (`router_setting` beside `router_settings`): a
                // typo whose keys belong in the other, merged by hand (a rename would repeat
                // the key).
                let present = suggestion.as_deref().is_some_and(|k| {
                    p.path
                        .split('.')
                        .filter(|s| !s.is_empty())
                        .try_fold(&ctx.config.root, |n, s| n.get(s))
                        .and_then(|n| n.get(k))
                        .is_some()
                });
                let d = Diagnostic::new(
                    &RULE.meta,
                    p.entry.key.span,
                    format!("unknown {place} `{key}`{under}: {}", effect(p.section)),
                )
                .note(CHECKED);
                match suggestion {
                    Some(s) if present && p.section == Section::TopLevel => d.help(format!(
                        "did you mean `{s}`? It is already there: move these keys into it"
                    )),
                    Some(s) if !present => d.help(format!("did you mean `{s}`?")).fix(
                        Applicability::Unsafe,
                        format!("rename to `{s}`"),
                        vec![Edit {
                            span: p.entry.key.span,
                            content: super::scalar_replacement(ctx.sources, p.entry.key.span, &s),
                        }],
                    ),
                    _ => d,
                }
            }
            Placement::NotYet(since) => {
                let v = version.expect("a version");
                Diagnostic::new(
                    &RULE.meta,
                    p.entry.key.span,
                    format!(
                        "LiteLLM {v} does not read {place} `{key}`{under}: it first appears in {since}{}; {}",
                        crate::structure::examined_before(since)
                            .map(|b| format!(" (absent in {b}, the release examined before it)"))
                            .unwrap_or_default(),
                        effect(p.section)
                    ),
                )
                .help(format!("upgrade LiteLLM to {since} or later, or remove the key"))
            }
            Placement::Removed(until) => Diagnostic::new(
                &RULE.meta,
                p.entry.key.span,
                format!(
                    "LiteLLM {} no longer reads {place} `{key}`{under}: no release examined from {until} on reads it{}",
                    version.expect("a version"),
                    crate::structure::examined_before(until)
                        .map(|b| format!(" ({b} did)"))
                        .unwrap_or_default()
                ),
            )
            .help("remove the key"),
            Placement::Fine | Placement::Misplaced { .. } => continue,
        };
        out.push(d);
    }
}
