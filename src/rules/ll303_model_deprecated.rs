//! ## What it does
//! Reports deployments whose model has a `deprecation_date` in LiteLLM's model map that has
//! passed (warning) or falls within the next 90 days (info). The dates come from the cost map
//! shipped with the LiteLLM release: that of the release in use where its map was examined
//! (`rules/models/catalog-1.81.16.tsv`, `catalog-1.110.2.tsv`), else 1.109.1's
//! (`rules/models/catalog.tsv`); the note names the release (refresh with
//! `python3 scripts/gen_model_catalog.py VERSION [OUT]`). One finding per group and model: the
//! group's other deployments of the same model are labels.
//!
//! Deployments that send no request to that provider are skipped: a `mock_response`, a
//! placeholder `api_key` (a chart's or a test's dummy), or an `api_base` that is not the
//! provider's own API (a self-hosted server, a fake upstream, another gateway), where the
//! provider's retirement schedule does not apply. So is a model the map only knows under
//! another provider (`github/gpt-4.1-mini` matches OpenAI's `gpt-4.1-mini` row). A `gemini/`
//! model whose `api_base` is Vertex AI (`aiplatform.googleapis.com`) is judged by its
//! `vertex_ai/` row, Vertex AI's schedule.
//!
//! ## Why is this bad?
//! After its deprecation date a provider may retire the model at any time; requests then fail
//! with 404 or "model not found", for every request to that deployment. Providers announce
//! these dates months ahead, which is the time to move.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: search
//!     litellm_params:
//!       model: openai/gpt-4o-search-preview-2025-03-11
//! ```
//!
//! ## Fix
//! Move the group to the provider's successor model, and keep the old one as a fallback only
//! until the date.
//! ```yaml
//! model_list:
//!   - model_name: search
//!     litellm_params:
//!       model: openai/gpt-5-search-api
//! ```

use super::resilience_common::{catalog_lookup_in, not_served_by_provider};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::models::Lookup;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL303",
        name: "model-deprecated",
        severity: Severity::Warning,
        summary: "a model past (or within 90 days of) its deprecation date",
        source: include_str!("ll303_model_deprecated.rs"),
        fixable: false,
    },
    check: Some(check),
};

const SOON_DAYS: i64 = 90;

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cat = crate::models::catalog_at(ctx.version.version);
    for g in &ctx.config.groups {
        let deps: Vec<&crate::config::Deployment> = ctx.config.group_deployments(g).collect();
        // One finding per group and model entry; the group's other deployments of it are labels.
        let mut seen: Vec<&str> = Vec::new();
        for d in &deps {
            if not_served_by_provider(d) {
                continue;
            }
            let Some((model, span, Lookup::Found(entry))) = catalog_lookup_in(cat, d) else {
                continue;
            };
            // A row of another provider (LiteLLM falls back to `gpt-4.1-mini`'s row for
            // `github/gpt-4.1-mini`): that provider's schedule, not this one's.
            if !d.provider.is_empty() && !entry.provider.starts_with(d.provider.as_str()) {
                continue;
            }
            // A `gemini/` model sent to Vertex AI (`api_base` on aiplatform.googleapis.com)
            // follows Vertex AI's schedule: its `vertex_ai/` row, not the Gemini API's.
            let vertex = d.provider == "gemini"
                && d.param("api_base")
                    .and_then(|n| n.as_str())
                    .is_some_and(|b| b.contains("aiplatform.googleapis.com"));
            let entry = if vertex {
                match cat.lookup(&format!("vertex_ai/{}", d.provider_model)) {
                    Lookup::Found(e) => e,
                    _ => continue,
                }
            } else {
                entry
            };
            let Some(date) = entry.deprecation_date else {
                continue;
            };
            if seen.contains(&entry.key) {
                continue;
            }
            seen.push(entry.key);
            let left = date.days() - ctx.today.days();
            if left > SOON_DAYS {
                continue;
            }
            let same: Vec<&&crate::config::Deployment> = deps
                .iter()
                .filter(|o| {
                    o.index != d.index
                        && matches!(catalog_lookup_in(cat, o), Some((_, _, Lookup::Found(e))) if e.key == entry.key)
                })
                .collect();
            // Whether the group has anything else to turn to when this model is retired.
            let others = deps.len() > 1 + same.len();
            let fallback = ctx.config.general_fallback_for(&g.name).is_some();
            let consequence = if others || fallback {
                format!(
                    "requests that `{}` routes to it fail, and only {} can answer",
                    g.name,
                    if others {
                        "its other deployments"
                    } else {
                        "its fallbacks"
                    }
                )
            } else {
                format!("every request to `{}` fails", g.name)
            };
            let mut diag = if left < 0 {
                Diagnostic::new(
                    &RULE.meta,
                    span,
                    format!(
                        "`{model}` reached its deprecation date on {date}: the provider may retire it at any time (or already has), and {consequence}"
                    ),
                )
            } else {
                Diagnostic::new(
                    &RULE.meta,
                    span,
                    format!(
                        "`{model}` is deprecated on {date}, in {left} days: after that, {consequence}"
                    ),
                )
                .severity(Severity::Info)
            };
            for o in same {
                diag = diag.label(o.anchor_span(), "the same model in this group");
            }
            out.push(
                diag.note(format!(
                    "`deprecation_date` of `{}` in the model map of LiteLLM {}",
                    entry.key,
                    cat.version()
                ))
                .help("move the group to the provider's successor model"),
            );
        }
    }
}
