//! ## What it does
//! Checks that every key and every target of `fallbacks`, `context_window_fallbacks`,
//! `content_policy_fallbacks` and `default_fallbacks`, and every `model_group_alias` target, is
//! a `model_name` of the merged `model_list`, an alias, or matched by a wildcard deployment
//! (`openai/*`, `*`). Near misses get a "did you mean".
//!
//! ## Why is this bad?
//! The proxy never checks fallback names at startup. At request time a target that is not a
//! model group raises "There is no 'model_name' with this string"; when it is the last target,
//! the client receives that error instead of the real failure (say, the 429 that triggered the
//! fallback), and no fallback ran. A fallback key that is not a group never matches a request.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//!   - model_name: claude-sonnet
//!     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! router_settings:
//!   fallbacks:
//!     - gpt-4o: ["claude-sonet"]
//! ```
//!
//! ## Fix
//! Name an existing model group. The suggested rename is unsafe: it changes where traffic goes.
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! #~   - model_name: claude-sonnet
//! #~     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! router_settings:
//!   fallbacks:
//!     - gpt-4o: ["claude-sonnet"]
//! ```

use super::{Context, Rule, RuleMeta};
use crate::config::FallbackKind;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity, did_you_mean};
use crate::rules::scalar_replacement;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL104",
        name: "fallback-target-unknown",
        severity: Severity::Error,
        summary: "a fallback key or target is not a model group (with a \"did you mean\")",
        source: include_str!("ll104_fallback_target_unknown.rs"),
        fixable: true,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let names: Vec<&str> = cfg
        .groups
        .iter()
        .filter(|g| !g.wildcard)
        .map(|g| g.name.as_str())
        .chain(cfg.aliases.iter().map(|a| a.alias.as_str()))
        .collect();
    let unknown = |name: &str,
                   span,
                   what: String,
                   out: &mut Vec<Diagnostic>,
                   label: Option<(crate::source::Span, String)>| {
        let mut d = Diagnostic::new(&RULE.meta, span, what);
        if let Some((s, m)) = label {
            d = d.label(s, m);
        }
        match did_you_mean(name, names.iter().copied()) {
            Some(s) => {
                let content = scalar_replacement(ctx.sources, span, s);
                d = d.help(format!("did you mean `{s}`?")).fix(
                    Applicability::Unsafe,
                    format!("Replace with `{s}`"),
                    vec![Edit { span, content }],
                );
            }
            None => {
                let mut list: Vec<&str> = names.clone();
                list.truncate(8);
                d = d.help(format!(
                    "model groups in this config: {}",
                    if list.is_empty() {
                        "(none)".to_string()
                    } else {
                        list.join(", ")
                    }
                ));
            }
        }
        out.push(d);
    };
    for list in cfg.fallbacks.iter().filter(|l| l.effective) {
        for entry in &list.entries {
            if list.kind != FallbackKind::Default
                && entry.group != "*"
                && !cfg.resolves(&entry.group)
                && !cfg.has_wildcard()
            {
                unknown(
                    &entry.group,
                    entry.group_span,
                    format!(
                        "`{}` has {} but is not a model group, so they never apply",
                        entry.group,
                        list.kind.key()
                    ),
                    out,
                    None,
                );
            }
            for t in &entry.targets {
                if !cfg.resolves(&t.name) {
                    let label = (
                        entry.group_span,
                        format!("{} of `{}` declared here", list.kind.key(), entry.group),
                    );
                    unknown(
                        &t.name,
                        t.span,
                        format!(
                            "fallback target `{}` is not a model group: a request that falls back to it fails with \"no 'model_name' with this string\"",
                            t.name
                        ),
                        out,
                        (list.kind != FallbackKind::Default).then_some(label),
                    );
                }
            }
        }
    }
    for a in &cfg.aliases {
        if cfg.group(&a.target).is_none()
            && !cfg
                .groups
                .iter()
                .any(|g| g.wildcard && crate::config::wildcard_match(&g.name, &a.target))
        {
            unknown(
                &a.target,
                a.target_span,
                format!(
                    "model_group_alias `{}` points to `{}`, which is not a model group",
                    a.alias, a.target
                ),
                out,
                None,
            );
        }
    }
}
