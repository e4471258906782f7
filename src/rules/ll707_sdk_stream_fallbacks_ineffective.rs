//! ## What it does
//! Reports `litellm.completion(...)` / `litellm.acompletion(...)` calls made directly to a
//! provider with `stream=True` and `fallbacks=[...]`, when the model's provider opens its
//! streams lazily (Gemini, Vertex AI, ...).
//!
//! ## Why is this bad?
//! The SDK's own fallback loop (`litellm_core_utils/fallback_utils.py`, not the Router) tries
//! the next model only when the call itself raises. It never reads the first chunk, so a 429
//! from a lazily opened stream surfaces later, while iterating, and no fallback runs — in every
//! release up to 1.109.1 (litellm-reference §2.2).
//!
//! ## Example
//! ```python
//! resp = await litellm.acompletion(model="gemini/gemini-3-flash-preview", messages=m,
//!                                  stream=True, fallbacks=["openai/gpt-5.2"])
//! ```
//!
//! ## Fix
//! Use a `litellm.Router` (whose streaming path handles first-chunk errors on recent
//! releases), or a proxy, or catch the error while iterating and retry on the fallback model.

use super::{PyContext, Rule, RuleMeta};
use crate::config::build::split_provider;
use crate::diagnostic::{Diagnostic, Severity};
use crate::python::Framework;
use crate::streaming;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL707",
        name: "sdk-stream-fallbacks-ineffective",
        severity: Severity::Warning,
        summary: "litellm SDK `fallbacks=` with `stream=True` on a lazy-stream provider never falls back",
        source: include_str!("ll707_sdk_stream_fallbacks_ineffective.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(ctx: &PyContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.py.calls {
        if c.framework != Framework::LitellmSdk || !c.direct_sdk {
            continue;
        }
        let (Some(stream), Some((_, fb_span)), Some(model)) =
            (c.stream, &c.request_fallbacks, &c.model)
        else {
            continue;
        };
        let (provider, provider_model) = split_provider(&model.value, None);
        let lazy = match ctx.version.version {
            Some(v) => {
                streaming::laziness(&provider, &provider_model, v) == streaming::Laziness::Lazy
            }
            None => streaming::lazy_range(&provider, &provider_model).is_some(),
        };
        if !lazy {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE.meta,
                *fb_span,
                format!(
                    "these fallbacks never run for this stream: `{}` opens its stream lazily, so its errors (a 429 included) arrive while iterating, after the SDK's fallback loop has returned",
                    model.value
                ),
            )
            .label(stream, "streams")
            .label(model.span, "a lazily opened stream")
            .help("use a litellm Router or the proxy for fallbacks on streams, or catch the error while iterating"),
        );
    }
}
