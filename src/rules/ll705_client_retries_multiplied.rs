//! ## What it does
//! Reports a client that sets `max_retries` above 0 while the proxy it calls retries too
//! (`num_retries`, default 2), with the worst-case number of upstream calls. An openai-SDK
//! client without `max_retries` (it retries twice by default) is reported as info.
//!
//! ## Why is this bad?
//! The openai SDK (and the langchain and pydantic-ai clients built on it) retries 429 and 5xx
//! answers from the proxy, and the proxy has already retried the provider `num_retries` times
//! for each of them. The counts multiply: a rate-limited provider receives
//! (client retries + 1) × (proxy retries + 1) calls per user request, and the user waits for
//! all of them.
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
//! #~ from openai import OpenAI
//! client = OpenAI(base_url="http://litellm:4000/v1", max_retries=5)
//! client.chat.completions.create(model="fast", messages=[])
//! ```
//!
//! ## Fix
//! Retry in one place: `max_retries=0` on clients of the proxy, and tune `num_retries` in the
//! proxy config.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL705",
        name: "client-retries-multiplied",
        severity: Severity::Warning,
        summary: "client retries multiplied with the proxy's retries",
        source: include_str!("ll705_client_retries_multiplied.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let proxy = cfg.num_retries.value.max(0);
    if proxy == 0 {
        return;
    }
    let mut seen = vec![];
    for l in ctx.clients {
        // An explicit `max_retries`, else the openai SDK's default of 2 (info).
        let (n, span, implicit) = match (l.call.max_retries, l.call.sdk_client) {
            (Some((n, span)), _) => (n, span, false),
            (None, Some(ctor)) => (2, ctor, true),
            (None, None) => continue,
        };
        if n <= 0 || seen.contains(&span) {
            continue;
        }
        seen.push(span);
        let what = if implicit {
            "this client retries twice by default (the openai SDK's `max_retries`)".to_string()
        } else {
            format!("`max_retries={n}` on a client of the proxy")
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            format!(
                "{what}, and the proxy retries {proxy} times itself: one request can reach the provider up to {} × {} = {} times",
                n + 1,
                proxy + 1,
                (n + 1) * (proxy + 1)
            ),
        )
        .note(l.reason.clone());
        if implicit {
            d = d.severity(Severity::Info);
        }
        if let Some(s) = cfg.num_retries.span {
            d = d.label(s, "the proxy's retries");
        } else {
            d = d.note("the proxy's `num_retries` defaults to 2");
        }
        out.push(d.help("set `max_retries=0` on the client and let the proxy retry"));
    }
}
