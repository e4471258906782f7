//! ## What it does
//! Reports values written as shell or template references to an environment variable,
//! `${NAME}`, `${NAME:-default}`, `$NAME` or `env("NAME")`, in a LiteLLM config.
//!
//! ## Why is this bad?
//! The proxy resolves only `os.environ/NAME` (`get_secret`, litellm 1.81.16 and 1.109.1 ·
//! `litellm/secret_managers/main.py`; no `os.path.expandvars` anywhere in the package): every
//! other spelling reaches LiteLLM as the text itself. An `api_key: ${OPENAI_API_KEY}` is sent
//! to the provider as that text, so every request fails with 401; a
//! `master_key: ${LITELLM_MASTER_KEY}` makes the master key the public text `${LITELLM_MASTER_KEY}`,
//! which anyone who reads the file can use.
//!
//! Quiet where the file is rendered before the proxy reads it: a template by its name
//! (`*.tmpl`, `*.template.yaml`), or a project whose scripts, Dockerfiles, compose files or
//! workflows run `envsubst`.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: chat
//!     litellm_params:
//!       model: openai/gpt-4o
//!       api_key: ${OPENAI_API_KEY}
//! general_settings:
//!   master_key: ${LITELLM_MASTER_KEY}
//! ```
//!
//! ## Fix
//! Write `os.environ/NAME` (the fix does it where the reference has no default).
//! ```yaml
//! model_list:
//!   - model_name: chat
//!     litellm_params:
//!       model: openai/gpt-4o
//!       api_key: os.environ/OPENAI_API_KEY
//! general_settings:
//!   master_key: os.environ/LITELLM_MASTER_KEY
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL506",
        name: "env-ref-unresolved",
        severity: Severity::Warning,
        summary: "`${NAME}`, `$NAME` or `env(\"NAME\")` in a config: the proxy uses the text itself",
        source: include_str!("ll506_env_ref_unresolved.rs"),
        fixable: true,
    },
    check: Some(check),
};

/// Every string value with the key it stands under, up to a budget of nodes (aliases are
/// shared, so an alias bomb would be walked forever).
fn walk<'a>(key: &'a str, n: &'a Node, budget: &mut usize, out: &mut Vec<(&'a str, &'a Node)>) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    if let Some(m) = n.as_map() {
        for e in m {
            walk(e.key.as_str().unwrap_or(key), &e.value, budget, out);
        }
    } else if let Some(items) = n.as_seq() {
        for i in items {
            walk(key, i, budget, out);
        }
    } else if n.as_str().is_some() {
        out.push((key, n));
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if ctx.rendered {
        return;
    }
    let mut values = Vec::new();
    let mut budget = crate::yaml::WALK_BUDGET;
    walk("", &ctx.config.root, &mut budget, &mut values);
    // The master key the proxy uses (elsewhere `master_key` is LL502's: it has no effect).
    let master = ctx
        .config
        .root
        .get("general_settings")
        .and_then(|g| g.get("master_key"))
        .map(|n| n.span);
    for (key, node) in values {
        let Some(text) = node.as_str() else { continue };
        let Some((name, default)) = crate::structure::shell_env_reference(text) else {
            continue;
        };
        let lower = key.to_ascii_lowercase();
        let (severity, effect) = if Some(node.span) == master {
            (
                Severity::Error,
                "the master key is this text itself: anyone who reads the file can use it as the proxy's admin key".to_string(),
            )
        } else if lower.contains("key")
            || lower.contains("token")
            || lower.contains("secret")
            || lower.contains("password")
        {
            (
                Severity::Warning,
                format!(
                    "`{key}` is this text itself: whatever uses it (a provider, a database) rejects it"
                ),
            )
        } else {
            (
                Severity::Warning,
                format!("`{key}` gets this text itself, not the variable's value"),
            )
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            node.span,
            format!("`{text}` is not resolved: LiteLLM reads environment variables only as `os.environ/NAME`, so {effect}"),
        )
        .severity(severity)
        .note("from reading LiteLLM's released source (not measured): `get_secret` resolves only the `os.environ/` prefix, and no LiteLLM code expands `${...}` (litellm==1.109.1 · litellm/secret_managers/main.py:367)");
        if default {
            d = d.help(format!("write `os.environ/{name}` and set `{name}` where the proxy runs (the default after `:-` has no LiteLLM spelling)"));
        } else {
            let new = format!("os.environ/{name}");
            d = d.help(format!("write `{new}`")).fix(
                Applicability::Safe,
                format!("use `{new}`"),
                vec![Edit {
                    span: node.span,
                    content: super::scalar_replacement(ctx.sources, node.span, &new),
                }],
            );
        }
        out.push(d);
    }
}
