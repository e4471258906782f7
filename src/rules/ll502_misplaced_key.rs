//! ## What it does
//! Reports keys that LiteLLM knows, but in another section: Router settings under
//! `litellm_settings` (`retry_policy`, `cooldown_time`, `routing_strategy`, ...), health-check
//! settings under `router_settings`, proxy settings under `router_settings`, a section's key
//! written at the top level, or the request parameter `stream` in a deployment's
//! `litellm_params`. The message says where the key belongs. Also a whole top-level section
//! nested where nothing reads it: `litellm_settings:` or `mcp_servers:` inside a `model_list`
//! entry, `general_settings:` under `router_settings` (an indentation slip).
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
use crate::structure::{Placement, Section, is_top_level_section, known_keys, placed_keys};

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
    nested_in_deployments(ctx, out);
    let keys = known_keys();
    for p in placed_keys(&ctx.config.root) {
        let Some(key) = p.entry.key.as_str() else {
            continue;
        };
        // An empty value sets nothing where it is or where it belongs.
        if p.entry.value.is_null() {
            continue;
        }
        // A top-level section nested in another (an indentation slip).
        if p.section != Section::TopLevel
            && is_top_level_section(key, &p.entry.value)
            && !matches!(
                keys.placement(p.section, key, ctx.version.version),
                Placement::Fine
            )
        {
            out.push(nested(p.entry, &format!("nested under `{}`", p.path)));
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
        } else if let Some((name, _)) = p
            .entry
            .value
            .as_str()
            .and_then(crate::structure::shell_env_reference)
        {
            // Moved as written, the reference would still be text (LL506).
            d.help(format!(
                "move `{key}` to `{belongs}`, written `os.environ/{name}` (LiteLLM does not expand `{}`)",
                p.entry.value.as_str().unwrap_or_default()
            ))
        } else {
            d.help(format!("move `{key}` to `{belongs}`"))
        };
        if startup_error {
            d = d.severity(Severity::Error);
        }
        out.push(d);
    }
}

/// A top-level section nested where nothing reads it.
fn nested(e: &crate::yaml::Entry, here: &str) -> Diagnostic {
    let key = e.key.as_str().unwrap_or_default();
    Diagnostic::new(
        &RULE.meta,
        e.key.span,
        format!("`{key}` is a top-level section: {here}, nothing reads it, so none of its settings apply"),
    )
    .help(format!("move `{key}` to the top level of the file (unindent it)"))
}

/// Top-level sections inside a `model_list` entry: the Router keeps a deployment's extra keys
/// (`Deployment` allows extra fields, litellm==1.109.1 · litellm/types/router.py:909) but no
/// code reads a section name there.
fn nested_in_deployments(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(items) = ctx.config.root.get("model_list").and_then(|m| m.as_seq()) else {
        return;
    };
    for item in items {
        for e in item.as_map().into_iter().flatten() {
            if let Some(key) = e.key.as_str()
                && is_top_level_section(key, &e.value)
            {
                out.push(nested(e, "inside a `model_list` entry"));
            }
        }
    }
}
