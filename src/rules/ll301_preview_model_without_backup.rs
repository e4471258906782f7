//! ## What it does
//! Reports model groups served only by preview, experimental or beta models
//! (`gemini-3-flash-preview`, `gemini-2.0-flash-exp`, `gpt-4o-search-preview`, ...) or by a
//! `-latest` alias its provider says is not for production (OpenAI's `gpt-5-chat-latest`,
//! `chatgpt-4o-latest`), that have neither a stable deployment nor a fallback to a group with a
//! stable model. Aliases providers recommend (`mistral-large-latest`, `codestral-latest`,
//! `omni-moderation-latest`) are not reported, nor a model the map no longer has (LL304's
//! finding).
//!
//! ## Why is this bad?
//! Preview models get low quotas that change without notice, answer 429 under load (the
//! #20870 outage started with a Gemini preview model), and are retired on short notice;
//! `-latest` aliases move to another model without any change to your config. With no stable
//! backup, each of these becomes an outage for every request to the group. The name is the
//! only signal: LiteLLM's model map has no "preview" field. The patterns are data in
//! `rules/models/unstable.toml`.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: smart
//!     litellm_params:
//!       model: gemini/gemini-3-flash-preview
//! ```
//!
//! ## Fix
//! Add a fallback to a group with a stable model (from another provider, ideally), or a
//! stable second deployment:
//! ```yaml
//! model_list:
//!   - model_name: smart
//!     litellm_params:
//!       model: gemini/gemini-3-flash-preview
//!   - model_name: smart-stable
//!     litellm_params:
//!       model: anthropic/claude-sonnet-4-5
//! router_settings:
//!   fallbacks:
//!     - smart: [smart-stable]
//! ```

use super::resilience_common::named_groups;
use super::{Context, Rule, RuleMeta};
use crate::config::{Config, Group};
use crate::diagnostic::{Diagnostic, Severity};
use crate::models::{UnstableKind, unstable_marker};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL301",
        name: "preview-model-without-backup",
        severity: Severity::Warning,
        summary: "a preview/experimental model group with no stable fallback or second deployment",
        source: include_str!("ll301_preview_model_without_backup.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn kind_text(k: UnstableKind) -> &'static str {
    match k {
        UnstableKind::Preview => "a preview model",
        UnstableKind::Experimental => "an experimental model",
        UnstableKind::LatestAlias => "a moving `-latest` alias",
        UnstableKind::Beta => "a beta model",
    }
}

/// The group has a deployment whose model is not marked unstable.
pub fn has_stable_deployment(cfg: &Config, g: &Group) -> bool {
    cfg.group_deployments(g).any(|d| {
        d.model
            .as_deref()
            .is_some_and(|m| needs_backup(m).is_none())
    })
}

/// The unstable kind of a model that needs a backup: previews, experimental and beta models,
/// and of the moving `-latest` aliases only those the provider says are not for production
/// (OpenAI's `chat-latest` family and `chatgpt-*-latest`). Other `-latest` aliases
/// (`mistral-large-latest`, `omni-moderation-latest`) are what providers recommend using.
fn needs_backup(model: &str) -> Option<UnstableKind> {
    let (kind, _) = unstable_marker(model)?;
    if kind == UnstableKind::LatestAlias {
        let name = model
            .rsplit('/')
            .next()
            .unwrap_or(model)
            .to_ascii_lowercase();
        if !(name.contains("chat-latest") || name.starts_with("chatgpt-")) {
            return None;
        }
    }
    Some(kind)
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for g in named_groups(cfg) {
        let deps: Vec<_> = cfg.group_deployments(g).collect();
        let Some(first) = deps.first() else { continue };
        let Some(model) = first.model.as_deref() else {
            continue;
        };
        let Some(kind) = needs_backup(model) else {
            continue;
        };
        // A self-hosted or fake server behind the provider's API has no provider quota.
        if super::resilience_common::not_served_by_provider(first) {
            continue;
        }
        // A model the map no longer has is LL304's finding (it is retired, or misspelt).
        if matches!(
            super::resilience_common::catalog_lookup(first),
            Some((_, _, crate::models::Lookup::Unknown { .. }))
        ) {
            continue;
        }
        if has_stable_deployment(cfg, g) {
            continue;
        }
        let fallback = cfg.general_fallback_for(&g.name);
        let targets: Vec<&Group> = fallback
            .map(|(_, e)| {
                e.targets
                    .iter()
                    .filter_map(|t| cfg.group(&t.name))
                    .collect()
            })
            .unwrap_or_default();
        if targets.iter().any(|t| has_stable_deployment(cfg, t)) {
            continue;
        }
        // A fallback to a name that is not a group (wildcards, aliases) is judged elsewhere.
        if let Some((_, e)) = fallback
            && e.targets.iter().any(|t| cfg.group(&t.name).is_none())
        {
            continue;
        }
        let what = if deps.len() == 1 {
            format!(
                "`{}` is served only by {} (`{model}`)",
                g.name,
                kind_text(kind)
            )
        } else {
            format!(
                "every deployment of `{}` is a preview, experimental or `-latest` model",
                g.name
            )
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            first.anchor_span(),
            if targets.is_empty() {
                format!("{what}, with no fallback: its 429s and its retirement fail every request to the group")
            } else {
                format!("{what}, and its fallbacks are unstable too: a quota or retirement problem has no stable way out")
            },
        )
        .label(first.model_name_span, "the group");
        if let Some((_, e)) = fallback {
            for t in &e.targets {
                d = d.label(t.span, "also unstable");
            }
        }
        out.push(d.help(
            "add a fallback to a group with a stable model (ideally another provider), or a stable second deployment",
        ));
    }
}
