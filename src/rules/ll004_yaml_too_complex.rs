//! ## What it does
//! Reports YAML that nests deeper than 256 levels, or whose aliases expand past what the linter
//! walks (an "alias bomb").
//!
//! ## Why is this bad?
//! PyYAML's recursive loader fails on such input, or the proxy spends its memory expanding it.
//! No real LiteLLM config needs either.
//!
//! ## Example
//! ```yaml
//! a: &a [x, x, x, x, x, x, x, x, x]
//! b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
//! c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
//! # ... repeated
//! ```
//!
//! ## Fix
//! Flatten the structure; write repeated values out or anchor smaller pieces.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL004",
        name: "yaml-too-complex",
        severity: Severity::Error,
        summary: "nesting or alias expansion past the limits of a sane config",
        source: include_str!("ll004_yaml_too_complex.rs"),
        fixable: false,
    },
    check: None,
};
