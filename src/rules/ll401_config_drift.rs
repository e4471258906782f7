//! ## What it does
//! Compares the configs that different kinds of environments load: the one used locally
//! (docker compose), in CI (a workflow job that starts the proxy) and in a deployment (Helm
//! values, a production compose file, an image built from a Dockerfile). When two of them
//! differ in what decides how requests are served (model groups, the model each deployment
//! calls, fallbacks, retries, timeouts, cooldowns, routing), the finding shows that difference
//! as a diff of the two configs' normalized settings.
//!
//! Only environments of one project are compared (one's folder contains the other's: the
//! repository root of a workflow, the folder of a compose file or of Helm values), and only
//! configs that share at least one model group: two configs with nothing in common serve
//! different purposes.
//!
//! ## Why is this bad?
//! Tests in CI then exercise a proxy that is not the one users get: a fallback that exists
//! locally but not in CI (or the reverse) never gets tested, a timeout tuned in one place is
//! the default in the other. "Works locally, fails in CI" is the usual symptom. Differences in
//! other sections (logging, UI, database) are not reported.
//!
//! ## Example
//! Local compose loads `config.yaml`; CI starts the proxy with `ci-config.yaml`, which lacks the
//! fallback:
//! ```yaml
//! # file: docker-compose.yml
//! services:
//!   litellm:
//!     image: ghcr.io/berriai/litellm:main-v1.95.0-stable
//!     volumes: ["./config.yaml:/app/config.yaml"]
//!     command: ["--config", "/app/config.yaml"]
//! # file: .github/workflows/ci.yml
//! jobs:
//!   test:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - run: pip install "litellm[proxy]==1.95.0"
//!       - run: litellm --config ci-config.yaml &
//! #~ # file: config.yaml
//! #~ model_list:
//! #~   - model_name: chat
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! #~ router_settings:
//! #~   fallbacks: [{chat: [backup]}]
//! #~ # file: ci-config.yaml
//! #~ model_list:
//! #~   - model_name: chat
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! ```
//!
//! ## Fix
//! Load one config everywhere, and put what must differ (keys, endpoints) in environment
//! variables (`os.environ/NAME`); or share the common part through `include:`. Suppress the
//! finding where the difference is intended (a CI config with mock models).

use crate::config::{Config, FallbackKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::env::{ConfigUse, EnvContext, Environment};
use crate::rules::{Rule, RuleMeta};
use crate::yaml::{Node, Value};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL401",
        name: "config-drift",
        severity: Severity::Warning,
        summary: "the config used locally and the one used in CI/deploy differ in what matters",
        source: include_str!("ll401_config_drift.rs"),
        fixable: false,
    },
    check: None,
};

/// A node as one line, mapping keys sorted.
pub fn compact(n: &Node) -> String {
    match &n.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|e| format!("{}: {}", e.key.key_string(), compact(&e.value)))
                .collect();
            parts.sort();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Str(s) => s.clone(),
        _ => n.key_string(),
    }
}

fn setting<T: std::fmt::Display>(s: &crate::config::Setting<T>) -> String {
    if s.is_default() {
        format!("{} (default)", s.value)
    } else {
        s.value.to_string()
    }
}

/// What matters in a config, one normalized line per fact, each starting with its category.
pub fn what_matters(cfg: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut deps: Vec<String> = cfg
        .deployments
        .iter()
        .map(|d| {
            let mut extra: Vec<String> = Vec::new();
            for k in [
                "timeout",
                "stream_timeout",
                "max_retries",
                "num_retries",
                "rpm",
                "tpm",
                "order",
            ] {
                if let Some(v) = d.param(k) {
                    extra.push(format!("{k} {}", compact(v)));
                }
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            format!(
                "deployment {} -> {}{extra}",
                d.model_name,
                d.model.as_deref().unwrap_or("?")
            )
        })
        .collect();
    deps.sort();
    out.extend(deps);
    for kind in FallbackKind::ALL {
        let mut lines: Vec<String> = cfg
            .effective(kind)
            .flat_map(|l| l.entries.iter())
            .map(|e| {
                format!(
                    "{} {} -> {}",
                    kind.key(),
                    e.group,
                    e.targets
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        lines.sort();
        out.extend(lines);
    }
    out.push(format!("num_retries: {}", setting(&cfg.num_retries)));
    out.push(format!("max_fallbacks: {}", setting(&cfg.max_fallbacks)));
    out.push(format!("timeout: {}", setting(&cfg.timeout)));
    out.push(format!(
        "stream_timeout: {}",
        cfg.stream_timeout
            .as_ref()
            .map_or_else(|| "unset".to_string(), setting)
    ));
    out.push(format!("allowed_fails: {}", setting(&cfg.allowed_fails)));
    out.push(format!("cooldown_time: {}", setting(&cfg.cooldown_time)));
    out.push(format!(
        "routing_strategy: {}",
        setting(&cfg.routing_strategy)
    ));
    let rs = cfg.section("router_settings");
    for k in [
        "retry_policy",
        "allowed_fails_policy",
        "retry_after",
        "disable_cooldowns",
        "model_group_alias",
    ] {
        if let Some(v) = rs.and_then(|r| r.get(k)) {
            out.push(format!("{k}: {}", compact(v)));
        }
    }
    out
}

fn category(line: &str) -> &'static str {
    let l = line.trim_start_matches(['-', '+', ' ']);
    if l.starts_with("deployment ") {
        "deployments"
    } else if l.contains("fallbacks") {
        "fallbacks"
    } else if l.starts_with("num_retries") || l.starts_with("retry_") {
        "retries"
    } else if l.contains("timeout") {
        "timeouts"
    } else if l.starts_with("allowed_fails") || l.contains("cooldown") {
        "cooldowns"
    } else {
        "routing"
    }
}

/// The unified diff of two configs' normalized settings (no `@@` hunks headers).
pub fn diff(a: &[String], b: &[String], a_name: &str, b_name: &str) -> (String, Vec<&'static str>) {
    let at = a.join("\n") + "\n";
    let bt = b.join("\n") + "\n";
    let d = similar::TextDiff::from_lines(&at, &bt);
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    let mut cats: Vec<&'static str> = Vec::new();
    for op in d.ops() {
        for change in d.iter_changes(op) {
            let sign = match change.tag() {
                similar::ChangeTag::Equal => continue,
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
            };
            let line = change.value().trim_end();
            out.push_str(&format!("{sign}{line}\n"));
            let c = category(line);
            if !cats.contains(&c) {
                cats.push(c);
            }
        }
    }
    (out.trim_end().to_string(), cats)
}

fn single_config<'a>(
    ctx: &'a EnvContext,
    e: &'a Environment,
) -> Option<(&'a ConfigUse, &'a Config)> {
    let [cu] = e.configs.as_slice() else {
        return None;
    };
    Some((cu, ctx.config(cu.file?)?))
}

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    let envs: Vec<(&Environment, &ConfigUse, &Config)> = ctx
        .envs
        .iter()
        .filter_map(|e| single_config(ctx, e).map(|(cu, c)| (e, cu, c)))
        .collect();
    let mut seen: Vec<(crate::source::FileId, crate::source::FileId, String, String)> = Vec::new();
    for (i, (ea, ua, ca)) in envs.iter().enumerate() {
        for (eb, ub, cb) in &envs[i + 1..] {
            if ea.kind == eb.kind || ca.file == cb.file || !ea.related(eb) {
                continue;
            }
            // Configs without a model group in common serve different purposes (a stack next
            // to another, a CI config with mock models): not drift.
            let shared = ca.groups.iter().any(|g| cb.group(&g.name).is_some())
                || (ca.groups.is_empty() && cb.groups.is_empty());
            if !shared {
                continue;
            }
            if !(ea.in_scope || eb.in_scope || ctx.is_checked(ca.file) || ctx.is_checked(cb.file)) {
                continue;
            }
            let key = (ca.file, cb.file, ea.id.clone(), eb.id.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let (la, lb) = (what_matters(ca), what_matters(cb));
            if la == lb {
                continue;
            }
            let (pa, pb) = (ctx.path(ca.file), ctx.path(cb.file));
            let (text, cats) = diff(
                &la,
                &lb,
                &format!("{pa} ({}, {})", ea.name, ea.kind.as_str()),
                &format!("{pb} ({}, {})", eb.name, eb.kind.as_str()),
            );
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    ub.span,
                    format!(
                        "{} ({}) loads `{pb}`, which differs from `{pa}` loaded by {} ({}) in {}",
                        eb.name,
                        eb.kind.as_str(),
                        ea.name,
                        ea.kind.as_str(),
                        cats.join(", ")
                    ),
                )
                .label(ua.span, format!("{} loads `{pa}`", ea.name))
                .note(format!("what differs (normalized settings, defaults filled in):\n{text}"))
                .help("load one config in every environment and keep what must differ in environment variables (`os.environ/NAME`), or share the common part through `include:`"),
            );
        }
    }
}
