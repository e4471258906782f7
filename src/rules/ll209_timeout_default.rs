//! ## What it does
//! Reports configs with no request timeout at all: neither `timeout`/`stream_timeout` in
//! `router_settings`, `request_timeout` in `litellm_settings`, nor a deployment `timeout`.
//! This rule is opt-in: enable it with `--extend-select LL209` (most configs rely on the
//! default, and it is a deliberate choice for slow local models).
//!
//! ## Why is this bad?
//! The Router's timeout chain ends at `litellm.request_timeout`, 6000 seconds. A provider that
//! accepts the connection and then hangs keeps the request, its worker slot and the client
//! waiting for up to 100 minutes, and no retry or fallback starts until then (#7001).
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! ```
//!
//! ## Fix
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   timeout: 120
//!   stream_timeout: 30
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL209",
        name: "timeout-default",
        severity: Severity::Info,
        summary: "no request timeout at all: LiteLLM waits up to 6000 s (opt-in)",
        source: include_str!("ll209_timeout_default.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if let Some((span, None)) = super::ll206_timeout_unset::unbounded(ctx) {
        out.push(
            Diagnostic::new(
                &RULE.meta,
                span,
                "no request timeout is set: a request to a hung provider waits up to 6000 s (`litellm.request_timeout`) before any retry or fallback",
            )
            .help(super::ll206_timeout_unset::HELP),
        );
    }
}
