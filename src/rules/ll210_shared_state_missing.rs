//! ## What it does
//! Reports an environment that runs several proxy processes — Helm `replicaCount` (or an
//! autoscaler's `maxReplicas`), compose `deploy.replicas`, `litellm --num_workers N` — with a
//! config whose Router keeps per-process state and has no Redis in `router_settings`.
//!
//! ## Why is this bad?
//! Without `router_settings.redis_host`/`redis_url` every process keeps its own cooldowns,
//! usage counters and rpm/tpm accounting (litellm-reference §3.3, §7.3). With N processes a
//! deployment that one process cooled down keeps receiving traffic from the others,
//! usage-based routing balances on a fraction of the traffic, and each process allows the
//! whole `rpm`/`tpm`, so the real limit is N times the configured one and the provider's 429s
//! come back. Limits count only where the Router enforces them: the usage-, latency- and
//! cost-based strategies, `optional_pre_call_checks: [enforce_model_rate_limits]`, and
//! `enable_pre_call_checks` before 1.109.0; with `simple-shuffle` or `least-busy` they are
//! weights or ignored.
//!
//! ## Example
//! ```yaml
//! # file: values.yaml
//! replicaCount: 3
//! proxy_config:
//!   model_list:
//!     - model_name: gpt-4o
//!       litellm_params: {model: openai/gpt-4o, rpm: 500}
//!     - model_name: gpt-4o
//!       litellm_params: {model: azure/gpt-4o, rpm: 480}
//!   router_settings:
//!     routing_strategy: usage-based-routing-v2
//! ```
//!
//! ## Fix
//! ```yaml
//! # file: values.yaml
//! replicaCount: 3
//! proxy_config:
//!   model_list:
//!     - model_name: gpt-4o
//!       litellm_params: {model: openai/gpt-4o, rpm: 500}
//!     - model_name: gpt-4o
//!       litellm_params: {model: azure/gpt-4o, rpm: 480}
//!   router_settings:
//!     routing_strategy: usage-based-routing-v2
//!     redis_host: os.environ/REDIS_HOST
//!     redis_port: os.environ/REDIS_PORT
//!     redis_password: os.environ/REDIS_PASSWORD
//! ```

use super::{Rule, RuleMeta};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::env::EnvContext;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL210",
        name: "shared-state-missing",
        severity: Severity::Warning,
        summary: "several proxy replicas or workers without Redis: cooldowns and limits are per process",
        source: include_str!("ll210_shared_state_missing.rs"),
        fixable: false,
    },
    check: None,
};

/// Whether the Router enforces deployments' rpm/tpm at `v` (refuses or routes away over the
/// limit) rather than using them as weights: the usage-, latency- and cost-based strategies,
/// `optional_pre_call_checks: [enforce_model_rate_limits]`, and `enable_pre_call_checks` on
/// releases whose pre-call checks still count rpm (`rules/router/behavior.toml`).
fn limits_enforced(cfg: &Config, v: crate::version::Version) -> bool {
    let strategy = cfg.routing_strategy.value.as_str();
    let router = cfg.section("router_settings");
    strategy.starts_with("usage-based")
        || matches!(strategy, "latency-based-routing" | "cost-based-routing")
        || router
            .and_then(|r| r.get("optional_pre_call_checks"))
            .and_then(|n| n.as_seq())
            .is_some_and(|s| {
                s.iter()
                    .any(|c| c.as_str() == Some("enforce_model_rate_limits"))
            })
        || (router
            .and_then(|r| r.get("enable_pre_call_checks"))
            .is_some_and(|n| n.as_bool() == Some(true))
            && crate::router_facts::holds("pre_call_checks_enforce_rpm", v) != Some(false))
}

/// What the Router keeps per process in this config.
fn per_process_state(cfg: &Config, v: crate::version::Version) -> Vec<&'static str> {
    let mut out = vec![];
    if cfg.routing_strategy.value.starts_with("usage-based") {
        out.push("usage-based routing counts");
    }
    if cfg.groups.iter().any(|g| g.deployments.len() > 1) {
        out.push("cooldowns");
    }
    let limits = cfg.deployments.iter().any(|d| {
        ["rpm", "tpm"]
            .iter()
            .any(|k| d.param(k).is_some() || d.model_info.as_ref().and_then(|m| m.get(k)).is_some())
    });
    // Limits that only weigh the choice (simple-shuffle) are not per-process state that
    // matters; the per-deployment concurrency cap they also set is per process even with Redis.
    if limits && limits_enforced(cfg, v) {
        out.push("rpm/tpm limits");
    }
    out
}

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    for e in ctx.envs.iter().filter(|e| e.in_scope) {
        let Some((n, span, how)) = &e.replicas else {
            continue;
        };
        for u in &e.configs {
            let Some(cfg) = u.file.and_then(|f| ctx.config(f)) else {
                continue;
            };
            let router = cfg.root.get("router_settings");
            if ["redis_host", "redis_url"]
                .iter()
                .any(|k| router.and_then(|r| r.get(k)).is_some())
            {
                continue;
            }
            let v = e
                .version
                .as_ref()
                .and_then(|p| p.version)
                .unwrap_or(crate::router_facts::facts().examined_to);
            let state = per_process_state(cfg, v);
            if state.is_empty() {
                continue;
            }
            let mut d = Diagnostic::new(
                &RULE.meta,
                *span,
                format!(
                    "{} runs {n} proxy processes ({how}), but the config has no Redis in `router_settings`: each process keeps its own {}",
                    e.name,
                    state.join(", ")
                ),
            );
            d = match cfg.root.entry("router_settings") {
                Some(r) => d.label(r.key.span, "no `redis_host` or `redis_url` here"),
                None => d.label(u.span, "this config"),
            };
            if state.contains(&"rpm/tpm limits") {
                d = d.note(format!(
                    "with {n} processes each allowing the full rpm/tpm, the effective limit is {n} times the configured one"
                ));
            }
            out.push(d.help(
                "set `redis_host`, `redis_port` and `redis_password` (or `redis_url`) in `router_settings`, from `os.environ/...`",
            ));
        }
    }
}
