//! ## What it does
//! Reports `cooldown_time: 0` in `router_settings`.
//!
//! ## Why is this bad?
//! It reads like "no cooldown", but the Router uses `cooldown_time or
//! DEFAULT_COOLDOWN_TIME_SECONDS`, and 0 is falsy: a failing deployment is still taken out of
//! rotation for 5 seconds (litellm 1.83.9 and 1.109.1). The way to turn cooldowns off is
//! `disable_cooldowns: true`.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   cooldown_time: 0
//! ```
//!
//! ## Fix
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o}
//! router_settings:
//!   disable_cooldowns: true
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL204",
        name: "cooldown-time-zero",
        severity: Severity::Warning,
        summary: "`cooldown_time: 0` does not disable cooldowns: it becomes 5 s",
        source: include_str!("ll204_cooldown_time_zero.rs"),
        fixable: true,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(router) = ctx.config.root.get("router_settings") else {
        return;
    };
    let Some(entry) = router.entry("cooldown_time") else {
        return;
    };
    let zero = entry.value.as_i64() == Some(0) || entry.value.as_f64() == Some(0.0);
    if !zero
        || router
            .get("disable_cooldowns")
            .is_some_and(|n| n.as_bool() == Some(true))
    {
        return;
    }
    let mut d = Diagnostic::new(
        &RULE.meta,
        entry.value.span,
        "`cooldown_time: 0` does not turn cooldowns off: LiteLLM uses `cooldown_time or 5`, so a failing deployment is still cooled down for 5 s",
    )
    .help("to turn cooldowns off, set `disable_cooldowns: true`");
    if router.get("disable_cooldowns").is_none() {
        d = d.fix(
            Applicability::Unsafe,
            "replace with `disable_cooldowns: true`",
            vec![
                Edit {
                    span: entry.key.span,
                    content: "disable_cooldowns".into(),
                },
                Edit {
                    span: entry.value.span,
                    content: "true".into(),
                },
            ],
        );
    }
    out.push(d);
}
