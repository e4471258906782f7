//! ## What it does
//! Reports a non-streaming `timeout` under 60 seconds on a deployment of a model that always
//! reasons before it answers (OpenAI o-series and gpt-5, DeepSeek R1, Gemini 2.5 Pro), or whose
//! `litellm_params` turn reasoning on (`reasoning_effort`, `thinking`). The model list and the
//! threshold, with their evidence, are data in `rules/models/reasoning.toml`.
//!
//! ## Why is this bad?
//! A reasoning model produces nothing until it has finished thinking, and a non-streaming call
//! returns only when the whole answer is done: 30 to 120 seconds is common for a hard question
//! (open-webui#6125: 84 s for o1-mini; discourse-ai#1106 raised its timeout from 1 to 6
//! minutes). A shorter timeout cuts off answers that were on their way; the Router then retries
//! or falls back, the provider still bills the abandoned tokens, and the request fails anyway.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: reasoner
//!     litellm_params:
//!       model: openai/o3
//!       timeout: 30
//! ```
//!
//! ## Fix
//! Give reasoning deployments a timeout of several minutes (and bound streams with
//! `stream_timeout` instead):
//! ```yaml
//! model_list:
//!   - model_name: reasoner
//!     litellm_params:
//!       model: openai/o3
//!       timeout: 600
//!       stream_timeout: 120
//! ```

use std::sync::OnceLock;

use serde::Deserialize;

use super::resilience_common::catalog_lookup;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::models::Lookup;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL211",
        name: "timeout-short-for-reasoning",
        severity: Severity::Warning,
        summary: "a timeout under a minute on a reasoning model: answers are cut off, billed and retried",
        source: include_str!("ll211_timeout_short_for_reasoning.rs"),
        fixable: false,
    },
    check: Some(check),
};

#[derive(Deserialize)]
struct Pattern {
    pattern: String,
}

#[derive(Deserialize)]
struct Data {
    always: Vec<Pattern>,
    min_timeout_seconds: f64,
}

struct Compiled {
    always: Vec<regex::Regex>,
    min: f64,
}

fn data() -> &'static Compiled {
    static D: OnceLock<Compiled> = OnceLock::new();
    D.get_or_init(|| {
        let d: Data = toml::from_str(include_str!("../../rules/models/reasoning.toml"))
            .expect("rules/models/reasoning.toml is valid");
        Compiled {
            always: d
                .always
                .iter()
                .map(|p| {
                    regex::RegexBuilder::new(&p.pattern)
                        .case_insensitive(true)
                        .build()
                        .expect("valid pattern")
                })
                .collect(),
            min: d.min_timeout_seconds,
        }
    })
}

fn seconds(n: &Node) -> Option<f64> {
    n.as_f64().or_else(|| n.as_i64().map(|i| i as f64))
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let d = data();
    for dep in &cfg.deployments {
        // Reasoning turned on in the deployment, or a model that always reasons.
        let effort_on = dep
            .param("reasoning_effort")
            .and_then(Node::as_str)
            .is_some_and(|e| !matches!(e, "none" | "minimal" | "disable"))
            || dep.param("thinking").is_some_and(|t| !t.is_null());
        let always = d.always.iter().any(|r| r.is_match(&dep.provider_model))
            && matches!(
                catalog_lookup(dep),
                Some((_, _, Lookup::Found(e))) if e.supports_reasoning == Some(true)
            );
        if !(effort_on || always) {
            continue;
        }
        let (secs, span, own) = match dep
            .param("timeout")
            .or_else(|| dep.param("request_timeout"))
            .and_then(|n| Some((seconds(n)?, n.span)))
        {
            Some((s, span)) => (s, span, true),
            None => match cfg.timeout.span {
                Some(span) => (cfg.timeout.value, span, false),
                None => continue,
            },
        };
        if secs >= d.min {
            continue;
        }
        let model = dep.model.as_deref().unwrap_or("?");
        let mut diag = Diagnostic::new(
            &RULE.meta,
            span,
            format!(
                "a {secs} s timeout for `{}` (`{model}`), a model that reasons before answering: non-streaming answers that take longer are cut off, retried and billed",
                dep.model_name
            ),
        )
        .note("reasoning models often take 30 to 120 s on hard questions (open-webui#6125, discourse-ai#1106)")
        .help(format!(
            "give this deployment a timeout of at least {} s (several minutes is common), and bound streams with `stream_timeout`",
            d.min
        ));
        if !own {
            diag = diag.label(
                dep.anchor_span(),
                "a reasoning model that uses this timeout",
            );
        }
        out.push(diag);
    }
}
