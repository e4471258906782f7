//! ## What it does
//! Reports pydantic-ai `LiteLLMProvider()` built without `api_base`, and `OpenAIProvider()`
//! built without `base_url` for a model name that is a group of the proxy config.
//!
//! ## Why is this bad?
//! Both providers wrap an `AsyncOpenAI` client; without a base URL it uses `OPENAI_BASE_URL`
//! from the environment, or the public OpenAI endpoint. Locally that variable often points at
//! the proxy; in CI or production it does not, and the requests go to api.openai.com, where
//! the proxy's group names do not exist (or, worse, do and are billed to another account).
//!
//! ## Example
//! ```python
//! model = OpenAIChatModel("smart", provider=LiteLLMProvider(api_key=KEY))
//! ```
//!
//! ## Fix
//! ```python
//! model = OpenAIChatModel("smart", provider=LiteLLMProvider(api_base=PROXY_URL, api_key=KEY))
//! ```

use super::{PyContext, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL706",
        name: "provider-without-base-url",
        severity: Severity::Warning,
        summary: "LiteLLMProvider()/OpenAIProvider() without a base URL: requests go to api.openai.com",
        source: include_str!("ll706_provider_without_base_url.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(ctx: &PyContext, out: &mut Vec<Diagnostic>) {
    for (span, name, model) in &ctx.py.providers_without_base {
        let proxy_group = model
            .as_ref()
            .is_some_and(|m| ctx.configs.iter().any(|c| c.group(&m.value).is_some()));
        if name == "OpenAIProvider" && !proxy_group {
            continue;
        }
        let key = if name == "LiteLLMProvider" {
            "api_base"
        } else {
            "base_url"
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            *span,
            format!(
                "`{name}()` without `{key}`: requests go to `OPENAI_BASE_URL` if set, else to the public OpenAI endpoint, not to the proxy"
            ),
        )
        .help(format!("pass `{key}=` with the proxy's URL"));
        if let Some(m) = model.as_ref().filter(|_| proxy_group) {
            d = d.label(m.span, "a model group of the proxy");
        }
        out.push(d);
    }
}
