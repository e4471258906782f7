//! ## What it does
//! Reports a `# litellm-lint: ignore[...]` comment, or one code in it, that hides nothing: no
//! finding of that rule starts on the line it covers (its own line, or the next line for a
//! comment on a line of its own), or, for `ignore-file[...]`, anywhere in the file. Also
//! reports codes that name no rule, and `litellm-lint:` comments that are not a valid
//! suppression and so hide nothing (such as `ignore LL101`, without brackets).
//!
//! A suppression of a rule that is not selected for the file (`--select`, `select`, `ignore`,
//! `per-file-ignores`) is never reported: without the rule's findings there is no telling.
//!
//! ## Why is this bad?
//! A suppression outlives the problem it was written for: the config is fixed, the key moves,
//! the rule changes. Left behind, it silently hides the next real finding on that line, and it
//! tells readers about a problem that is not there.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   num_retries: 2  # litellm-lint: ignore[LL501] kept for the old proxy
//! ```
//! `num_retries` is a known key: LL501 has nothing to report here.
//!
//! ## Fix
//! Delete the comment, or the unused codes from its list. The fix does that and is safe: the
//! output of the linter does not change.

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL006",
        name: "unused-suppression",
        severity: Severity::Warning,
        summary: "a `# litellm-lint: ignore[...]` comment, or a code in it, that hides nothing",
        source: include_str!("ll006_unused_suppression.rs"),
        fixable: true,
    },
    // Emitted by `crate::suppress` once every other rule has run.
    check: None,
};
