//! ## What it does
//! Reports a top-level section (such as `router_settings`) that is set both in the main config
//! and in a file it `include:`s.
//!
//! ## Why is this bad?
//! The proxy merges included files shallowly: lists are appended (that is how `model_list` can
//! be split across files), but any other value from the included file replaces the main file's
//! value whole. An included `router_settings:` with only `fallbacks` silently drops the main
//! file's `num_retries`, `timeout` and everything else in that section.
//!
//! ## Example
//! ```yaml
//! # file: config.yaml
//! include: [fallbacks.yaml]
//! router_settings:
//!   num_retries: 3            # lost
//! # file: fallbacks.yaml
//! router_settings:
//!   fallbacks: [{gpt-4o: [claude]}]
//! ```
//!
//! ## Fix
//! Keep each section in one file: move the keys into the included section, or the fallbacks
//! into the main one.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL504",
        name: "include-replaces-section",
        severity: Severity::Warning,
        summary: "a section set in the main config and in an included file: the include replaces it whole",
        source: include_str!("ll504_include_replaces_section.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for o in &ctx.config.overrides {
        let inc = ctx
            .config
            .includes
            .iter()
            .find(|i| i.file == Some(o.include_span.file))
            .map(|i| i.path.clone())
            .unwrap_or_else(|| {
                ctx.sources
                    .get(o.include_span.file)
                    .path
                    .display()
                    .to_string()
            });
        let mut d = Diagnostic::new(
            &RULE.meta,
            o.main_span,
            format!(
                "`{}` is replaced whole by the one in `{inc}`: includes merge shallowly",
                o.key
            ),
        )
        .label(o.include_span, "this value wins");
        if !o.lost.is_empty() {
            d = d.note(format!(
                "lost from this file: {}",
                o.lost
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(d.help(format!(
            "keep `{}` in one file: move its keys into `{inc}` or remove it there",
            o.key
        )));
    }
}
