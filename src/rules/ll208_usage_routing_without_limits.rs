//! ## What it does
//! Reports `routing_strategy: usage-based-routing` or `usage-based-routing-v2` when deployments
//! of a multi-deployment group declare neither `rpm` nor `tpm`.
//!
//! ## Why is this bad?
//! Usage-based routing picks the deployment with the most room under its `tpm`/`rpm` limits,
//! and skips deployments that would go over them. A deployment without limits has unlimited
//! room as far as the Router knows: it keeps receiving traffic until the provider answers 429,
//! which is what the strategy was chosen to avoid (#7395, #16060). The usage counters are also
//! per process unless `router_settings` points at Redis, so with several workers or replicas
//! each one sees only its own share of the traffic (#6602).
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o, tpm: 100000}
//!   - model_name: gpt-4o
//!     litellm_params: {model: azure/gpt-4o}
//! router_settings:
//!   routing_strategy: usage-based-routing-v2
//! ```
//!
//! ## Fix
//! Give every deployment of the group its provider limits:
//! ```yaml
//! model_list:
//!   - model_name: gpt-4o
//!     litellm_params: {model: openai/gpt-4o, tpm: 100000, rpm: 500}
//!   - model_name: gpt-4o
//!     litellm_params: {model: azure/gpt-4o, tpm: 80000, rpm: 480}
//! router_settings:
//!   routing_strategy: usage-based-routing-v2
//! ```

use super::resilience_common::{name_list, named_groups};
use super::{Context, Rule, RuleMeta};
use crate::config::Deployment;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL208",
        name: "usage-routing-without-limits",
        severity: Severity::Warning,
        summary: "usage-based routing with deployments that declare no rpm/tpm",
        source: include_str!("ll208_usage_routing_without_limits.rs"),
        fixable: false,
    },
    check: Some(check),
};

/// Where the Router looks for limits: the deployment, its `litellm_params`, its `model_info`
/// (litellm 1.109.1 · `router_strategy/lowest_tpm_rpm.py`).
fn has_limits(ctx: &Context, d: &Deployment) -> bool {
    let item = ctx
        .config
        .root
        .get("model_list")
        .and_then(|l| l.as_seq())
        .and_then(|items| items.iter().find(|i| i.span == d.item_span));
    let at = |k: &str| {
        item.and_then(|i| i.get(k)).is_some()
            || d.param(k).is_some()
            || d.model_info.as_ref().and_then(|m| m.get(k)).is_some()
    };
    at("rpm") || at("tpm")
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let strategy = &cfg.routing_strategy;
    let Some(span) = strategy.span else {
        return;
    };
    if strategy.value != "usage-based-routing" && strategy.value != "usage-based-routing-v2" {
        return;
    }
    let mut unlimited: Vec<&Deployment> = vec![];
    let mut groups: Vec<&str> = vec![];
    for g in named_groups(cfg).filter(|g| g.deployments.len() > 1) {
        let missing: Vec<&Deployment> = cfg
            .group_deployments(g)
            .filter(|d| !has_limits(ctx, d))
            .collect();
        if !missing.is_empty() {
            groups.push(&g.name);
            unlimited.extend(missing);
        }
    }
    if unlimited.is_empty() {
        return;
    }
    let mut d = Diagnostic::new(
        &RULE.meta,
        span,
        format!(
            "`{}` balances on rpm/tpm limits, but {} deployment(s) of {} declare none: the Router sees unlimited room and keeps sending them traffic until the provider answers 429",
            strategy.value,
            unlimited.len(),
            name_list(groups.iter().copied(), 4)
        ),
    );
    for dep in unlimited.iter().take(4) {
        d = d.label(dep.anchor_span(), "no rpm or tpm");
    }
    let router = cfg.root.get("router_settings");
    if !["redis_host", "redis_url"]
        .iter()
        .any(|k| router.and_then(|r| r.get(k)).is_some())
    {
        d = d.note("no `redis_host`/`redis_url` in router_settings: usage is counted per process, so several workers or replicas each see only part of the traffic");
    }
    out.push(
        d.help("set `rpm` and `tpm` in the `litellm_params` of every deployment of these groups"),
    );
}
