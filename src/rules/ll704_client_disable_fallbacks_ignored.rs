//! ## What it does
//! Reports streaming requests that send `disable_fallbacks: true` to a proxy older than
//! LiteLLM 1.104.0.
//!
//! ## Why is this bad?
//! Before 1.104.0 the mid-stream fallback path hard-coded `disable_fallbacks=False` (#19077):
//! an error inside the stream still switches to the fallback model and continues the answer
//! from there, which is what the request asked not to happen (a test of one model, a strict
//! model pin for compliance).
//!
//! ## Example
//! ```python
//! # litellm-version: 1.95.0
//! #~ # file: config.yaml
//! #~ model_list:
//! #~   - model_name: fast
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! #~ router_settings:
//! #~   fallbacks: [{fast: [backup]}]
//! #~ # file: app.py
//! #~ from openai import OpenAI
//! #~ client = OpenAI(base_url="http://litellm:4000/v1")
//! #~ m = []
//! client.chat.completions.create(model="fast", stream=True, messages=m,
//!     extra_body={"disable_fallbacks": True})   # proxy on 1.95
//! ```
//!
//! ## Fix
//! Upgrade the proxy to 1.104.0 or later, or call a group that has no fallbacks.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::version::Version;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL704",
        name: "client-disable-fallbacks-ignored",
        severity: Severity::Warning,
        summary: "`disable_fallbacks` on a stream is ignored mid-stream before LiteLLM 1.104.0",
        source: include_str!("ll704_client_disable_fallbacks_ignored.rs"),
        fixable: false,
    },
    check: Some(check),
};

const FIXED: Version = Version(1, 104, 0);

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let v = ctx.version.version;
    if v.is_some_and(|v| v >= FIXED) {
        return;
    }
    for l in ctx.clients {
        let (Some(span), Some(_)) = (l.call.disable_fallbacks, l.call.stream) else {
            continue;
        };
        let group_has_fallbacks = l
            .call
            .model
            .as_ref()
            .is_some_and(|m| ctx.config.general_fallback_for(&m.value).is_some());
        if !group_has_fallbacks {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            match v {
                Some(v) => format!("LiteLLM {v} ignores `disable_fallbacks` once the stream has started: a mid-stream error still continues on the fallback model"),
                None => "before LiteLLM 1.104.0 the proxy ignores `disable_fallbacks` once the stream has started: a mid-stream error still continues on the fallback model".to_string(),
            },
        )
        .note(l.reason.clone())
        .help("upgrade the proxy to LiteLLM 1.104.0 or later");
        if v.is_none() {
            d = d.severity(Severity::Info);
        }
        out.push(d);
    }
}
