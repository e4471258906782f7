//! ## What it does
//! Reports fallbacks sent by client code (`extra_body={"fallbacks": [...]}`) that name model
//! groups the proxy config does not define.
//!
//! ## Why is this bad?
//! Request-body fallbacks replace the config's list for that request. A name that is not a
//! group fails only when the fallback is needed, with a "no model_name" error that hides the
//! original one (litellm-reference §2.8): the safety net is missing exactly when it matters.
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
//! #~ client = OpenAI(base_url="http://litellm:4000/v1")
//! #~ m = []
//! client.chat.completions.create(model="fast", messages=m,
//!     extra_body={"fallbacks": ["gpt-4o-backup"]})   # no such group
//! ```
//!
//! ## Fix
//! Name groups from the config's `model_list`, or move the fallback into the config.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity, did_you_mean};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL703",
        name: "client-fallback-unknown",
        severity: Severity::Warning,
        summary: "request-body fallbacks name a model group the proxy does not have",
        source: include_str!("ll703_client_fallback_unknown.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    for l in ctx.clients {
        let Some((targets, _)) = &l.call.request_fallbacks else {
            continue;
        };
        if l.call.expected_or_guarded {
            continue;
        }
        for t in targets.iter().filter(|t| !cfg.resolves(&t.value)) {
            let names = cfg
                .groups
                .iter()
                .filter(|g| !g.wildcard)
                .map(|g| g.name.as_str());
            let mut d = Diagnostic::new(
                &RULE.meta,
                t.span,
                format!(
                    "fallback `{}` is not a model group of the proxy: when the fallback is needed, the request fails with a \"no model_name\" error instead",
                    t.value
                ),
            )
            .note(l.reason.clone());
            if let Some(s) = did_you_mean(&t.value, names) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
}
