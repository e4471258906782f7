//! ## What it does
//! Reports keys that LiteLLM knows, but in another section: Router settings under
//! `litellm_settings` (`retry_policy`, `cooldown_time`, `routing_strategy`, ...), health-check
//! settings under `router_settings`, proxy settings under `router_settings`, a section's key
//! written at the top level, or the request parameter `stream` in a deployment's
//! `litellm_params`. The message says where the key belongs.
//!
//! ## Why is this bad?
//! Each section is read by a different part of the proxy. `litellm_settings` is applied with
//! `setattr(litellm, key, value)`, and the Router never looks at `litellm.retry_policy`, so the
//! policy has no effect. `router_settings` keys become `Router(...)` arguments: a key the Router
//! does not take is dropped, and `health_check_interval` there stops the proxy at startup with
//! "is NOT a valid router_settings parameter".
//!
//! ## Example
//! ```yaml
//! litellm_settings:
//!   cooldown_time: 30        # no effect here
//! router_settings:
//!   health_check_interval: 300   # the proxy refuses to start
//! ```
//!
//! ## Fix
//! Move the key to the section named in the message:
//! ```yaml
//! router_settings:
//!   cooldown_time: 30
//! general_settings:
//!   health_check_interval: 300
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::structure::{Placement, known_keys, placed_keys};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL502",
        name: "misplaced-key",
        severity: Severity::Warning,
        summary: "a key in a section where it has no effect or breaks startup",
        source: include_str!("ll502_misplaced_key.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // `stream` is a request parameter: the Router builds the call as
    // `{**litellm_params, ..., **request_kwargs}` (litellm 1.109.1 · `Router._acompletion`).
    for d in &ctx.config.deployments {
        let Some(e) = d.param_entry("stream") else {
            continue;
        };
        let effect = if e.value.as_bool() == Some(true) {
            "the request's own `stream` wins, and a request that omits it is sent upstream as a stream although the client did not ask for one"
        } else {
            "the request's own `stream` wins, so this never stops a streaming request (and non-streaming is already the default)"
        };
        out.push(
            Diagnostic::new(
                &RULE.meta,
                e.key.span,
                format!("`stream` does not belong in `litellm_params`: {effect}"),
            )
            .note("the Router merges a deployment's litellm_params under the request's parameters")
            .help("remove it; whether to stream is the client's choice (`stream=True` in the request)"),
        );
    }
    let keys = known_keys();
    for p in placed_keys(&ctx.config.root) {
        let Some(key) = p.entry.key.as_str() else {
            continue;
        };
        // An empty value sets nothing where it is or where it belongs.
        if p.entry.value.is_null() {
            continue;
        }
        let Placement::Misplaced {
            belongs,
            startup_error,
            effect,
        } = keys.placement(p.section, key, ctx.version.version)
        else {
            continue;
        };
        let here = if p.path.is_empty() {
            "at the top level".to_string()
        } else {
            format!("under `{}`", p.path)
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            p.entry.key.span,
            format!("`{key}` does not belong {here}: {effect}"),
        );
        d = if belongs.starts_with("nowhere") {
            d.help(format!("remove `{key}` from `{}`", p.path))
        } else {
            d.help(format!("move `{key}` to `{belongs}`"))
        };
        if startup_error {
            d = d.severity(Severity::Error);
        }
        out.push(d);
    }
}
