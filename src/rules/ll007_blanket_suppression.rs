//! ## What it does
//! Reports a suppression without codes, `# litellm-lint: ignore` or
//! `# litellm-lint: ignore-file`, that hides findings. It names the rules it hides now, and the
//! fix writes them into the comment. (A blanket suppression that hides nothing is LL006.)
//!
//! This rule is `info`: it never fails a run. Turn it off with `ignore = ["LL007"]` when
//! blanket suppressions are your policy.
//!
//! ## Why is this bad?
//! A blanket suppression hides every rule on its line, including the ones that do not exist
//! yet: a new check that would catch a real outage on that line stays silent. Naming the code
//! keeps the suppression to the problem it was written for (like ruff's PGH004).
//!
//! ## Example
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   fallbacks: [{gpt-4o: [claude-next]}]  # litellm-lint: ignore (added by the deploy overlay)
//! ```
//!
//! ## Fix
//! Name the codes: the fix inserts the codes the suppression hides today, `ignore[LL104]`. It
//! is safe: the same findings stay hidden.
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   fallbacks: [{gpt-4o: [claude-next]}]  # litellm-lint: ignore[LL104] added by the deploy overlay
//! ```

use super::{Rule, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL007",
        name: "blanket-suppression",
        severity: Severity::Info,
        summary: "a `# litellm-lint: ignore` without codes: it hides every rule on its line",
        source: include_str!("ll007_blanket_suppression.rs"),
        fixable: true,
    },
    // Emitted by `crate::suppress` once every other rule has run.
    check: None,
};
