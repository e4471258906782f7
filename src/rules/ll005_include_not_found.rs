//! ## What it does
//! Reports an `include:` that is not a list, an included file that does not exist or cannot be
//! loaded, and an included file that is not a mapping.
//!
//! ## Why is this bad?
//! The proxy resolves `include` paths relative to the config file and raises
//! `FileNotFoundError` (or `ValueError` when `include` is not a list) at startup.
//!
//! ## Example
//! ```yaml
//! include:
//!   - models/gemini.yaml   # no such file next to the config
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! ```
//!
//! ## Fix
//! Correct the path (relative to the config file's folder) or ship the file with the config.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL005",
        name: "include-not-found",
        severity: Severity::Error,
        summary: "an included file is missing or not a YAML mapping",
        source: include_str!("ll005_include_not_found.rs"),
        fixable: false,
    },
    check: None,
};
