//! ## What it does
//! Reports deployments whose model has a `deprecation_date` in LiteLLM's model map that has
//! passed (warning) or falls within the next 90 days (info). The dates come from the cost map
//! shipped with the LiteLLM release in `rules/models/catalog.tsv`
//! (refresh with `python3 scripts/gen_model_catalog.py`).
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
//!       model: openai/gpt-4o
//! ```

use super::resilience_common::catalog_lookup;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::models::{Lookup, catalog};

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
    let cat = catalog();
    for d in &ctx.config.deployments {
        let Some((model, span, Lookup::Found(entry))) = catalog_lookup(d) else {
            continue;
        };
        let Some(date) = entry.deprecation_date else {
            continue;
        };
        let left = date.days() - ctx.today.days();
        let diag = if left < 0 {
            Diagnostic::new(
                &RULE.meta,
                span,
                format!(
                    "`{model}` was deprecated on {date}: the provider may retire it at any time, and every request to `{}` then fails",
                    d.model_name
                ),
            )
        } else if left <= SOON_DAYS {
            Diagnostic::new(
                &RULE.meta,
                span,
                format!("`{model}` is deprecated on {date}, in {left} days: requests to `{}` may fail after that", d.model_name),
            )
            .severity(Severity::Info)
        } else {
            continue;
        };
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
