//! ## What it does
//! For a config with `include:` that an environment runs in a container, checks that the
//! packaging puts every included file next to the config inside the container: a compose or
//! `docker run` volume (the file or a folder above it), a compose `configs:` entry, a
//! Dockerfile `COPY`/`ADD`. The Helm chart renders only `proxy_config` into its ConfigMap, so an
//! `include:` there is never shipped (unless the values add a `volumeMounts` over the path).
//!
//! ## Why is this bad?
//! The proxy resolves `include:` paths next to the config file and stops at startup with
//! `FileNotFoundError` when one is missing. The files exist in the repository, so the config
//! works with `litellm --config` on a laptop and fails only in the container.
//!
//! ## Example
//! ```yaml
//! # file: docker-compose.yml
//! services:
//!   litellm:
//!     image: ghcr.io/berriai/litellm:main-v1.95.0-stable
//!     volumes: ["./config.yaml:/app/config.yaml"]   # models.yaml is not mounted
//!     command: ["--config", "/app/config.yaml"]
//! # file: config.yaml
//! include: [models.yaml]
//! #~ router_settings:
//! #~   num_retries: 2
//! #~ # file: models.yaml
//! #~ model_list:
//! #~   - model_name: chat
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! ```
//!
//! ## Fix
//! Mount (or `COPY`) the folder that holds the config and its includes, for example
//! `./proxy:/app/proxy` with `--config /app/proxy/config.yaml`; with Helm, inline the
//! included sections into `proxy_config`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::env::EnvContext;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL405",
        name: "include-not-shipped",
        severity: Severity::Error,
        summary: "an `include:`d file the packaging (Helm ConfigMap, COPY, volume) does not put into the container",
        source: include_str!("ll405_include_not_shipped.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    for e in ctx.envs.iter().filter(|e| e.container) {
        for cu in &e.configs {
            let Some(cfg) = cu.file.and_then(|f| ctx.config(f)) else {
                continue;
            };
            if cfg.includes.is_empty() || !(e.in_scope || ctx.is_checked(cfg.file)) {
                continue;
            }
            let Some(cpath) = &cu.container_path else {
                continue;
            };
            let config_abs = e.container_abs(cpath);
            let base = config_abs
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            let shipping = e
                .mounts
                .iter()
                .rev()
                .find(|m| {
                    let t = crate::env::normalize(std::path::Path::new(&m.target));
                    t == config_abs || (m.dir && config_abs.starts_with(&t))
                })
                .map_or(cu.span, |m| m.span);
            for inc in &cfg.includes {
                let target = crate::env::normalize(&base.join(&inc.path));
                // The chart's ConfigMap holds only `proxy_config`, whatever mounts say.
                let shipped = if e.inline_config {
                    e.mounts.iter().filter(|m| m.how != "ConfigMap").any(|m| {
                        let t = crate::env::normalize(std::path::Path::new(&m.target));
                        t == target || (m.dir && target.starts_with(&t))
                    })
                } else {
                    e.ships(&target)
                };
                if shipped {
                    continue;
                }
                let how = if e.inline_config {
                    "the chart renders only `proxy_config` into its ConfigMap".to_string()
                } else {
                    format!(
                        "{} puts only what its mounts and copies name into the container",
                        e.name
                    )
                };
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        inc.span,
                        format!(
                            "`{}` is not shipped with the config in {}: the proxy looks for `{}` and stops with FileNotFoundError",
                            inc.path,
                            e.name,
                            target.display()
                        ),
                    )
                    .label(shipping, format!("{how}: the config is shipped here"))
                    .help(if e.inline_config {
                        "inline the included sections into `proxy_config`, or mount the file with `volumes`/`volumeMounts`".to_string()
                    } else {
                        format!(
                            "mount or copy the folder that holds the config and `{}`, not the config file alone",
                            inc.path
                        )
                    }),
                );
            }
        }
    }
}
