//! ## What it does
//! Reports OpenAI and Azure deployments that set `litellm_params.max_retries`, and shows the
//! worst-case number of upstream calls one client request can cause. (Only the openai SDK
//! client, which LiteLLM uses for these providers, retries `max_retries` times.)
//!
//! ## Why is this bad?
//! Retries happen in layers, and each layer retries the whole layer below it: the client SDK
//! (the openai SDK retries twice by default), the proxy Router (`num_retries`, default 2), and
//! the provider SDK inside one Router attempt (`litellm_params.max_retries`, which the Router
//! sets to 0 unless the deployment overrides it). Their product is how many times one request
//! can hit the provider: a rate-limited provider gets hammered, and the client waits through
//! every attempt before it sees the error.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params:
//!       model: openai/gpt-4o
//!       max_retries: 3
//! ```
//!
//! ## Fix
//! Retry in one layer: drop `max_retries` from the deployment and tune `num_retries` (and the
//! client's `max_retries`) instead.
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params:
//!       model: openai/gpt-4o
//! router_settings:
//!   num_retries: 2
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL203",
        name: "retries-multiplied",
        severity: Severity::Warning,
        summary: "retries in several layers multiply: deployment max_retries × num_retries × client retries",
        source: include_str!("ll203_retries_multiplied.rs"),
        fixable: false,
    },
    check: Some(check),
};

/// Providers whose calls go through the openai SDK client, which is what retries
/// `max_retries` times (litellm 1.109.1 · `litellm/llms/openai/openai.py`,
/// `litellm/llms/azure/azure.py`). Other handlers do not read `max_retries`.
const OPENAI_SDK_PROVIDERS: &[&str] = &["openai", "azure", "text-completion-openai", "azure_text"];

/// The openai SDK's `DEFAULT_MAX_RETRIES`.
pub const CLIENT_DEFAULT_RETRIES: i64 = 2;

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for d in &cfg.deployments {
        if !OPENAI_SDK_PROVIDERS.contains(&d.provider.as_str()) {
            continue;
        }
        let Some(entry) = d.param_entry("max_retries") else {
            continue;
        };
        let Some(max_retries) = entry.value.as_i64().filter(|n| *n > 0) else {
            continue;
        };
        let router = d
            .param("num_retries")
            .and_then(Node::as_i64)
            .unwrap_or(cfg.num_retries.value)
            .max(0);
        let total = (CLIENT_DEFAULT_RETRIES + 1) * (router + 1) * (max_retries + 1);
        let mut diag = Diagnostic::new(
            &RULE.meta,
            entry.value.span,
            format!(
                "`max_retries: {max_retries}` retries inside every Router attempt: one client request can reach the provider up to {} × {} × {} = {total} times",
                CLIENT_DEFAULT_RETRIES + 1,
                router + 1,
                max_retries + 1
            ),
        )
        .note(format!(
            "layers: the client SDK ({CLIENT_DEFAULT_RETRIES} retries, the openai SDK default) × the Router ({router} retries, {}) × this deployment ({max_retries} retries; the Router's default is 0)",
            if cfg.num_retries.is_default() { "the default".to_string() } else { format!("`{}`", cfg.num_retries.source) }
        ));
        if let Some(s) = cfg.num_retries.span {
            diag = diag.label(s, "the Router's retries");
        }
        out.push(diag.help("retry in one layer: remove `max_retries` here and tune `num_retries`"));
    }
}
