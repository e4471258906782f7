//! ## What it does
//! Reports a file that could not be checked: it cannot be read (permissions, a broken link, a
//! folder loop), it is not UTF-8 text, it looks binary, or it is larger than the linter reads.
//!
//! ## Why is this bad?
//! A file that cannot be read cannot be checked, so a clean run would be a false promise. The
//! run exits with code 2.
//!
//! ## Example
//! A `config.yaml` saved in UTF-16, or a 50 MB file named as a config.
//!
//! ## Fix
//! Make the file readable UTF-8 YAML, or exclude it from the run.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL003",
        name: "file-unreadable",
        severity: Severity::Error,
        summary: "a file could not be read or is not UTF-8 text",
        source: include_str!("ll003_file_unreadable.rs"),
        fixable: false,
    },
    check: None,
};
