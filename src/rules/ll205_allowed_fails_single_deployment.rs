//! ## What it does
//! Reports an explicit `allowed_fails` or `allowed_fails_policy` in `router_settings` when some
//! model group has a single deployment.
//!
//! ## Why is this bad?
//! By default the Router cools a deployment down after a 429 only when its group has other
//! deployments to take the traffic. Setting `allowed_fails` (to anything but the module's
//! `litellm.allowed_fails`) or `allowed_fails_policy` switches to the older mode that counts
//! failures per minute for every deployment, single ones included (PR #8668): once the count
//! is passed, a group with one deployment answers "No deployments available for selected
//! model" for the whole `cooldown_time`, even after the provider has recovered.
//!
//! From 1.108.1 the Router spares a *lone* deployment (the only one of a group that has no
//! fallback) from that count, except for the error types `allowed_fails_policy` names
//! (`rules/router/behavior.toml`, read in the released source). So on those releases only
//! `allowed_fails_policy` is reported, and only for lone deployments. Below 1.74.14, the oldest
//! release examined, the rule makes no claim; an unpinned version is judged at the newest
//! release examined.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.81.16
//! model_list:
//!   - model_name: claude
//!     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! router_settings:
//!   allowed_fails: 1
//! ```
//! checked with `--litellm-version 1.81.16` (or a pin of that version).
//!
//! ## Fix
//! Remove `allowed_fails` (the default mode spares single deployments), give the group a second
//! deployment, or turn cooldowns off with `disable_cooldowns: true`.
//! ```yaml
//! model_list:
//!   - model_name: claude
//!     litellm_params: {model: anthropic/claude-sonnet-4-5}
//! router_settings:
//!   num_retries: 2
//! ```

use super::resilience_common::{name_list, named_groups};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL205",
        name: "allowed-fails-single-deployment",
        severity: Severity::Warning,
        summary: "explicit allowed_fails cools down a group's only deployment: \"No deployments available\"",
        source: include_str!("ll205_allowed_fails_single_deployment.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let Some(router) = cfg.root.get("router_settings") else {
        return;
    };
    if router
        .get("disable_cooldowns")
        .is_some_and(|n| n.as_bool() == Some(true))
    {
        return;
    }
    // `allowed_fails` equal to `litellm.allowed_fails` counts as not set.
    let module_allowed = cfg
        .root
        .get("litellm_settings")
        .and_then(|l| l.get("allowed_fails"))
        .and_then(Node::as_i64)
        .unwrap_or(3);
    let trigger = router
        .entry("allowed_fails_policy")
        .filter(|e| e.value.as_map().is_some_and(|m| !m.is_empty()))
        .map(|e| (e.key.span, "`allowed_fails_policy`".to_string(), true))
        .or_else(|| {
            router
                .entry("allowed_fails")
                .and_then(|e| Some((e, e.value.as_i64()?)))
                .filter(|(_, n)| *n != module_allowed)
                .map(|(e, n)| (e.value.span, format!("`allowed_fails: {n}`"), false))
        });
    let Some((span, what, policy)) = trigger else {
        return;
    };
    // From 1.108.1 a lone deployment (single, and no fallback for its group) is spared unless
    // `allowed_fails_policy` names the error's type; below the releases examined, no claim.
    let (v, assumed) = crate::version::judged(
        ctx.version.version,
        crate::router_facts::facts().examined_to,
    );
    let Some(spared) = crate::router_facts::holds(LONE, v) else {
        return;
    };
    if spared && !policy {
        return;
    }
    let single: Vec<_> = named_groups(cfg)
        .filter(|g| g.deployments.len() == 1)
        .filter(|g| !spared || cfg.general_fallback_for(&g.name).is_none())
        .collect();
    if single.is_empty() {
        return;
    }
    let mut d = Diagnostic::new(
        &RULE.meta,
        span,
        format!(
            "{what} also cools down single-deployment groups ({}): after too many failures in a minute they answer \"No deployments available\" for {} s",
            name_list(single.iter().map(|g| g.name.as_str()), 4),
            cfg.cooldown_time.value
        ),
    );
    for g in single.iter().take(4) {
        d = d.label(
            cfg.deployments[g.deployments[0]].model_name_span,
            format!("the only deployment of `{}`", g.name),
        );
    }
    d = if spared {
        d.note(format!("since {}, the Router spares a group's only deployment when the group has no fallback, except for the error types `allowed_fails_policy` names", crate::router_facts::since(LONE).expect("a lower bound")))
    } else {
        d.note("without an explicit allowed_fails, the Router cools down a deployment on a 429 only when its group has other deployments")
    };
    d = d.note(crate::router_facts::cite(LONE, v));
    if let Some(n) = assumed {
        d = d.note(n);
    }
    out.push(d.help(if spared {
        "remove `allowed_fails_policy`, give these groups a second deployment or a fallback, or set `disable_cooldowns: true`"
    } else {
        "remove it, give these groups a second deployment, or set `disable_cooldowns: true`"
    }));
}

const LONE: &str = "lone_deployment_spared_by_allowed_fails";
