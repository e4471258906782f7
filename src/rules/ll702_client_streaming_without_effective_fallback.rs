//! ## What it does
//! Reports a streaming call site (`stream=True`, pydantic-ai `run_stream`/`iter`/an
//! `event_stream_handler`, langchain `.stream`) whose model group's fallbacks will not run for
//! streams at the LiteLLM version in use: the #20870 failure seen from the application. The
//! primary span is the call; a label points at the fallback in the proxy config. Fallbacks the
//! client sends itself (`extra_body={"fallbacks": [...]}`) are judged with their own data: the
//! proxy ignored them on the mid-stream path in many versions where the config spelling works.
//!
//! ## Why is this bad?
//! The non-streaming path falls back, so tests pass; under load the provider answers 429 to the
//! streamed requests and the user sees an error or an empty answer instead of the backup
//! model's. The verdict per version comes from `rules/streaming/behavior.toml`, measured
//! against the real proxy (`tests/data/oracle`).
//!
//! ## Example
//! ```python
//! # litellm-version: 1.81.16
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
//! #~ from pydantic_ai.models.openai import OpenAIChatModel
//! #~ from pydantic_ai.providers.openai import OpenAIProvider
//! #~ PROXY = "http://litellm:4000/v1"
//! agent = Agent(OpenAIChatModel("fast", provider=OpenAIProvider(base_url=PROXY)))
//! async def answer(prompt):
//!     async with agent.run_stream(prompt) as result:   # LiteLLM 1.81: no fallback for streams
//!         ...
//! ```
//!
//! ## Fix
//! Upgrade the proxy to the version named in the help, or do not stream from this group.

use super::streaming_common::{
    ByVersion, PRE_TOKEN_CASES, by_version, evidence_note, pick, pre_token_failures,
    pre_token_fixed, stream_fails,
};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::python::Framework;
use crate::streaming::{self, Laziness};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL702",
        name: "client-streaming-without-effective-fallback",
        severity: Severity::Error,
        summary: "a streaming call site whose target group's fallbacks do not work for streams",
        source: include_str!("ll702_client_streaming_without_effective_fallback.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let v = ctx.version.version;
    for l in ctx.clients {
        let c = &l.call;
        let (Some(stream_span), Some(model)) = (c.stream, &c.model) else {
            continue;
        };
        let Some(g) = cfg.group(&model.value) else {
            continue;
        };
        let Some((dep, _)) = pick(cfg, g, v) else {
            continue;
        };
        // Request fallbacks replace the config's for this request.
        let (fallback_kind, label) = match (&c.request_fallbacks, cfg.general_fallback_for(&g.name))
        {
            (Some((_, span)), _) => (
                "request",
                (*span, "fallbacks sent in the request body".to_string()),
            ),
            (None, Some((_, e))) => (
                "config",
                (
                    e.group_span,
                    format!(
                        "fallback for `{}` declared here: {}",
                        g.name,
                        e.targets
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            ),
            (None, None) => continue,
        };
        let pydantic = c.framework == Framework::PydanticAi;
        let model_str = dep.model.as_deref().unwrap_or("?");
        let d = match v {
            Some(v) => {
                let lz = streaming::laziness(&dep.provider, &dep.provider_model, v);
                if lz == Laziness::Unknown {
                    continue;
                }
                let failing = pre_token_failures(lz, fallback_kind, v, pydantic);
                if failing.is_empty() {
                    continue;
                }
                let what: Vec<String> = failing
                    .iter()
                    .map(|r| {
                        let o = if pydantic {
                            r.stream_pydantic.as_deref().unwrap_or(&r.stream)
                        } else {
                            r.stream.as_str()
                        };
                        format!(
                            "on {} the stream {}",
                            streaming::shape_text(&r.shape, None),
                            streaming::outcome_text(o)
                        )
                    })
                    .collect();
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    c.span,
                    format!(
                        "this {} call streams from `{}` (`{model_str}`), whose fallbacks do not run for streams with LiteLLM {v}: {}",
                        c.framework.as_str(),
                        g.name,
                        what.join("; ")
                    ),
                );
                for r in &failing {
                    d = d.note(evidence_note(r));
                }
                let good = pre_token_fixed(v, &failing, lz, fallback_kind, pydantic);
                d.help(match good {
                    Some(x) => format!("upgrade the proxy to LiteLLM {x} or later, where these errors fall back for streams too"),
                    None => "no LiteLLM release in the data fixes this: do not stream from this group, or handle the error in the client".into(),
                })
            }
            None => {
                let Some(lazy) = streaming::lazy_range(&dep.provider, &dep.provider_model) else {
                    continue;
                };
                let ByVersion { parts, notes, .. } = by_version(
                    &PRE_TOKEN_CASES,
                    fallback_kind,
                    lazy,
                    |r| stream_fails(r, pydantic),
                    |shape, ranges| format!("{shape} fails the stream with LiteLLM {ranges}"),
                );
                if parts.is_empty() {
                    continue;
                }
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    c.span,
                    format!(
                        "this {} call streams from `{}` (`{model_str}`), whose fallbacks may not run for streams, depending on the LiteLLM version: {}",
                        c.framework.as_str(),
                        g.name,
                        parts.join("; ")
                    ),
                )
                .severity(Severity::Warning);
                for n in notes {
                    d = d.note(n);
                }
                d.help("pin the proxy's LiteLLM version (requirements, image tag, or `--litellm-version`) so this can be judged exactly")
            }
        };
        out.push(
            d.label(stream_span, "streams")
                .label(label.0, label.1)
                .note(l.reason.clone()),
        );
    }
}
