//! ## What it does
//! Reports a key written twice in one mapping.
//!
//! ## Why is this bad?
//! PyYAML silently keeps the last value. The first one looks like it is in effect but is not:
//! a `num_retries: 3` above a later `num_retries: 0` is simply gone.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   num_retries: 3
//!   timeout: 30
//!   num_retries: 0
//! ```
//!
//! ## Fix
//! Keep one of the two entries. The fix removes nothing for you: decide which value you meant.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL002",
        name: "duplicate-key",
        severity: Severity::Warning,
        summary: "a key repeated in one mapping: PyYAML keeps the last one",
        source: include_str!("ll002_duplicate_key.rs"),
        fixable: false,
    },
    check: None,
};
