//! ## What it does
//! Reports a file that is not valid YAML, at the place where the parser gave up. Only what
//! PyYAML (the proxy's loader) itself rejects is reported: for example a TAB character outside a
//! quoted string or comment, a bad indentation, an unclosed bracket, or several documents in
//! one file.
//!
//! ## Why is this bad?
//! The proxy loads its config with `yaml.safe_load`; a syntax error stops it at startup, and
//! nothing else in the file can be checked.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!    litellm_params:
//!       model: openai/gpt-4o
//! ```
//!
//! ## Fix
//! Correct the YAML at the reported line and column.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL001",
        name: "yaml-syntax-error",
        severity: Severity::Error,
        summary: "the file is not valid YAML",
        source: include_str!("ll001_yaml_syntax_error.rs"),
        fixable: false,
    },
    check: None,
};
