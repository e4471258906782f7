//! ## What it does
//! Reports a client-side fallback wrapper — pydantic-ai `FallbackModel`, langchain
//! `.with_fallbacks([...])` — used for a streaming call. Info: the wrapper works, but only
//! until the first event.
//!
//! ## Why is this bad?
//! pydantic-ai's `FallbackModel` falls back only on errors raised while the stream is being
//! opened (1.x), or before its first event (2.x); an error after tokens have flowed propagates
//! (litellm-reference §5.2; pydantic-ai PR #4953). In 1.x an in-band error event from the proxy
//! is not a `ModelAPIError` at all, so it is not caught. langchain's `with_fallbacks` catches
//! errors only before the first chunk is yielded (langchain PR #16055). Code that relies on the
//! wrapper for mid-stream failures shows users a cut answer.
//!
//! ## Example
//! ```python
//! #~ # file: config.yaml
//! #~ model_list:
//! #~   - model_name: fast
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! #~ router_settings:
//! #~   fallbacks: [{fast: [backup]}]
//! #~ # file: app.py
//! #~ from pydantic_ai import Agent
//! #~ from pydantic_ai.models.fallback import FallbackModel
//! #~ from pydantic_ai.models.openai import OpenAIChatModel
//! #~ from pydantic_ai.providers.openai import OpenAIProvider
//! #~ proxy = OpenAIProvider(base_url="http://litellm:4000/v1")
//! #~ primary = OpenAIChatModel("fast", provider=proxy)
//! #~ backup = OpenAIChatModel("backup", provider=proxy)
//! agent = Agent(FallbackModel(primary, backup))
//! async def answer(prompt):
//!     async with agent.run_stream(prompt) as result: ...
//! ```
//!
//! ## Fix
//! Handle errors while consuming the stream (retry the whole request on the backup), or rely on
//! the proxy's mid-stream fallback on a release that has it.

use super::{PyContext, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL708",
        name: "client-fallback-mid-stream",
        severity: Severity::Info,
        summary: "a client-side fallback wrapper on a stream covers only errors before the first event",
        source: include_str!("ll708_client_fallback_mid_stream.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(ctx: &PyContext, out: &mut Vec<Diagnostic>) {
    let mut seen = vec![];
    for c in &ctx.py.calls {
        let (Some(fb), Some(stream)) = (c.client_fallback, c.stream) else {
            continue;
        };
        if seen.contains(&(fb, stream)) {
            continue;
        }
        seen.push((fb, stream));
        out.push(
            Diagnostic::new(
                &RULE.meta,
                fb,
                format!(
                    "this {} fallback covers the stream only until its first event: an error after tokens have flowed reaches the caller",
                    c.framework.as_str()
                ),
            )
            .label(stream, "streams")
            .help("catch errors while consuming the stream and retry on the backup, or rely on the proxy's mid-stream fallback"),
        );
    }
}
