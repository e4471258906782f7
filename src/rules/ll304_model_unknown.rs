//! ## What it does
//! Reports a deployment model that LiteLLM's model map does not know although the provider's
//! model names are fixed (Anthropic, Gemini, Mistral, Bedrock, ...): usually a typo, or a
//! model that was retired. With a close match (same version numbers, different spelling) it
//! is a warning with a suggestion; without, it is info (the model may have been retired, or be
//! newer than the map). A bare name that LiteLLM cannot route to any provider is a warning. Providers whose names you choose
//! (Azure deployments, Ollama, vLLM, `openai/` with an `api_base`) are never reported. The
//! classification is data in `rules/models/providers.toml`.
//!
//! ## Why is this bad?
//! The proxy starts and routes the name to the provider, which answers 404 for every request;
//! cost tracking, context-window checks and capability flags (`supports_*`) silently use
//! nothing for a model the map does not know.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: claude
//!     litellm_params:
//!       model: anthropic/claude-sonet-4-5
//! ```
//!
//! ## Fix
//! ```yaml
//! model_list:
//!   - model_name: claude
//!     litellm_params:
//!       model: anthropic/claude-sonnet-4-5
//! ```

use super::resilience_common::catalog_lookup_in;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity, did_you_mean, levenshtein};
use crate::models::Lookup;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL304",
        name: "model-unknown",
        severity: Severity::Warning,
        summary: "a model name LiteLLM's model map does not know (\"did you mean\")",
        source: include_str!("ll304_model_unknown.rs"),
        fixable: true,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cat = crate::models::catalog_at(ctx.version.version);
    // One finding per group and model: the group's other deployments of it are labels.
    let mut first: Vec<(&str, String, usize)> = Vec::new();
    for d in &ctx.config.deployments {
        let Some((model, span, Lookup::Unknown { provider })) = catalog_lookup_in(cat, d) else {
            continue;
        };
        if let Some((_, _, i)) = first
            .iter()
            .find(|(g, m, _)| *g == d.model_name && *m == model)
        {
            let i = *i;
            out[i] = out[i]
                .clone()
                .label(span, "the same model, in another deployment of the group");
            continue;
        }
        first.push((d.model_name.as_str(), model.to_string(), out.len()));
        let Some(provider) = provider else {
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    span,
                    format!("LiteLLM {} cannot tell which provider serves `{model}` (no provider prefix, and not in its model map): requests to `{}` fail with \"LLM Provider NOT provided\"", cat.version(), d.model_name),
                )
                .help("prefix the model with its provider, e.g. `openai/…`, `anthropic/…`, `gemini/…`"),
            );
            continue;
        };
        // Names of the same provider, without their prefix, to compare with.
        let prefix = format!("{provider}/");
        let (written_prefix, bare) = match model.split_once('/') {
            Some((p, rest)) if cat.is_provider(p) => (format!("{p}/"), rest),
            _ => (String::new(), model),
        };
        let names: Vec<&str> = cat
            .entries()
            .iter()
            .filter(|e| e.provider == provider || e.key.starts_with(&prefix))
            .map(|e| e.key.strip_prefix(&prefix).unwrap_or(e.key))
            .filter(|k| !k.contains('/'))
            .collect();
        // Model names differ by version numbers: `gemini-1.5-pro` is not a typo of
        // `gemini-2.5-pro`. Only a spelling difference with the same numbers is a suggestion.
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let suggestion = did_you_mean(
            bare,
            names.iter().copied().filter(|n| digits(n) == digits(bare)),
        )
        .filter(|s| levenshtein(&s.to_lowercase(), &bare.to_lowercase()) <= 2);
        let mut diag = Diagnostic::new(
            &RULE.meta,
            span,
            format!(
                "`{model}` is not in the model map of LiteLLM {}{}",
                cat.version(),
                if suggestion.is_some() {
                    ": if misspelt, every request to the group fails at the provider"
                } else {
                    ": retired, misspelt, or newer than that release"
                }
            ),
        );
        match suggestion {
            Some(s) => {
                let new = format!("{written_prefix}{s}");
                diag = diag.help(format!("did you mean `{new}`?")).fix(
                    Applicability::Unsafe,
                    format!("use `{new}`"),
                    vec![Edit {
                        span,
                        content: super::scalar_replacement(ctx.sources, span, &new),
                    }],
                );
            }
            None => diag = diag.severity(Severity::Info),
        }
        out.push(diag);
    }
}
