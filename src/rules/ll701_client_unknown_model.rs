//! ## What it does
//! Reports client code that asks the proxy for a model group its config does not define: the
//! `model=` of `client.chat.completions.create(...)`, a pydantic-ai `OpenAIChatModel('name',
//! ...)` or `'litellm:name'`, a `litellm_proxy/name` model, a langchain `ChatOpenAI(model=...)`.
//! The call is matched to the proxy config by its base URL, or because the repository has one
//! proxy config (the note says which and why). A call inside `with pytest.raises(...)` or
//! `self.assertRaises(...)`, or one whose function first checks that the model is listed
//! (`if model not in models: return`), makes no failing request and is not reported.
//!
//! ## Why is this bad?
//! The proxy answers 400 "Invalid model name" (or routes to a wildcard you did not mean) for
//! every such request: a typo or a renamed group breaks the feature in production, and no test
//! against a mock client catches it.
//!
//! ## Example
//! ```python
//! #~ # file: config.yaml
//! #~ model_list:
//! #~   - model_name: fast
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! #~   - model_name: gpt-4o
//! #~     litellm_params: {model: openai/gpt-4o}
//! #~ # file: app.py
//! #~ from openai import OpenAI
//! #~ client = OpenAI(base_url="http://litellm:4000/v1")
//! client.chat.completions.create(model="gpt4o", messages=[])  # config has `gpt-4o`
//! ```
//!
//! ## Fix
//! Use a `model_name` from the config's `model_list` (or add the group).

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity, did_you_mean};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL701",
        name: "client-unknown-model",
        severity: Severity::Error,
        summary: "client code asks the proxy for a model group that does not exist",
        source: include_str!("ll701_client_unknown_model.rs"),
        fixable: true,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for l in ctx.clients {
        let Some(model) = &l.call.model else { continue };
        // A call the code expects to fail, or makes only once it saw the model listed.
        if l.call.expected_or_guarded || model.value.is_empty() || cfg.resolves(&model.value) {
            continue;
        }
        let names = cfg
            .groups
            .iter()
            .filter(|g| !g.wildcard)
            .map(|g| g.name.as_str())
            .chain(cfg.aliases.iter().map(|a| a.alias.as_str()));
        let suggestion = did_you_mean(&model.value, names);
        let mut d = Diagnostic::new(
            &RULE.meta,
            model.span,
            if l.call.router.is_some() {
                format!(
                    "the Router has no model group `{}`: every request from this call fails",
                    model.value
                )
            } else {
                format!(
                    "the proxy has no model group `{}`: every request from this call fails with \"Invalid model name\"",
                    model.value
                )
            },
        )
        .note(l.reason.clone());
        if let Some(model_list) = cfg.root.entry("model_list") {
            d = d.label(model_list.key.span, "the model groups it knows");
        }
        if let Some(s) = suggestion {
            d = d.help(format!("did you mean `{s}`?")).fix(
                Applicability::Unsafe,
                format!("use `{s}`"),
                vec![Edit {
                    span: model.span,
                    content: python_string_like(ctx, model.span, s),
                }],
            );
        }
        out.push(d);
    }
}

/// A Python string literal with the same quotes as the one at `span`.
fn python_string_like(ctx: &Context, span: crate::source::Span, new: &str) -> String {
    let old = ctx.sources.get(span.file).slice(span);
    let q = if old.ends_with('\'') { '\'' } else { '"' };
    let prefix: String = old
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    format!(
        "{prefix}{q}{}{q}",
        new.replace('\\', "\\\\").replace(q, &format!("\\{q}"))
    )
}
