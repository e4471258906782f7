//! ## What it does
//! When environments that load the same config pin different LiteLLM versions (image tags,
//! `pip install litellm==X`, Helm `image.tag`), runs the config rules at each version and
//! reports when the outcomes differ: a streaming fallback that works at one version and not at
//! the other (the LL1xx rules and `rules/streaming/behavior.toml`), a key one version reads and
//! the other ignores. The notes list what differs.
//!
//! ## Why is this bad?
//! The streaming behavior of the proxy changed release by release (§4.3 of the reference: a 429
//! skipped the fallback from 1.80.12 to 1.82.0, a missing fallback leaked an internal error
//! until 1.91.0, lazy streams became eager in 1.97.0). A test that passes in CI on one version
//! says nothing about the version deployed: the config behaves differently there.
//!
//! ## Example
//! Compose runs 1.95.0 and CI installs 1.81.0, for a config whose `gemini/` group has a fallback
//! (it runs for streams at 1.95.0, not at 1.81.0):
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
//!       - run: pip install "litellm[proxy]==1.81.0"
//!       - run: litellm --config config.yaml &
//! #~ # file: config.yaml
//! #~ model_list:
//! #~   - model_name: chat
//! #~     litellm_params: {model: gemini/gemini-2.5-flash}
//! #~   - model_name: backup
//! #~     litellm_params: {model: openai/gpt-4o-mini}
//! #~ router_settings:
//! #~   fallbacks: [{chat: [backup]}]
//! ```
//!
//! ## Fix
//! Pin the same LiteLLM version in every environment: the image tag in compose and Helm, the
//! pip pin in CI.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::env::{EnvContext, Environment, Pin};
use crate::rules::{Rule, RuleMeta};
use crate::source::FileId;
use crate::version::Version;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL403",
        name: "litellm-version-drift",
        severity: Severity::Warning,
        summary: "environments run LiteLLM versions with different behavior for this config",
        source: include_str!("ll403_litellm_version_drift.rs"),
        fixable: false,
    },
    check: None,
};

type Key = (&'static str, FileId, usize, usize);

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    // Config files, in a stable order.
    let mut files: Vec<FileId> = ctx
        .envs
        .iter()
        .flat_map(|e| e.configs.iter().filter_map(|c| c.file))
        .collect();
    files.sort();
    files.dedup();
    for file in files {
        let Some(cfg) = ctx.config(file) else {
            continue;
        };
        let users: Vec<(&Environment, &Pin, Version)> = ctx
            .envs
            .iter()
            .filter(|e| e.configs.iter().any(|c| c.file == Some(file)))
            .filter_map(|e| {
                let p = e.version.as_ref()?;
                Some((e, p, p.version?))
            })
            .collect();
        let mut versions: Vec<Version> = users.iter().map(|u| u.2).collect();
        versions.sort();
        versions.dedup();
        if versions.len() < 2 {
            continue;
        }
        let findings: Vec<(Version, Vec<(Key, String)>)> = versions
            .iter()
            .map(|v| {
                let mut f: Vec<(Key, String)> = ctx
                    .findings_at(cfg, *v)
                    .into_iter()
                    .map(|d| {
                        (
                            (d.code, d.span.file, d.span.start, d.span.end),
                            format!("{} {}: {}", d.code, d.name, d.message),
                        )
                    })
                    .collect();
                f.sort();
                f.dedup_by(|a, b| a.0 == b.0);
                (*v, f)
            })
            .collect();
        // The first environment (in kind order) at each version, one in scope if there is one.
        let first_at = |v: Version| {
            users
                .iter()
                .find(|u| u.2 == v && u.0.in_scope)
                .or_else(|| users.iter().find(|u| u.2 == v))
                .expect("a user per version")
        };
        for i in 0..findings.len() {
            for j in i + 1..findings.len() {
                let (va, fa) = &findings[i];
                let (vb, fb) = &findings[j];
                let ka: BTreeSet<Key> = fa.iter().map(|x| x.0).collect();
                let kb: BTreeSet<Key> = fb.iter().map(|x| x.0).collect();
                if ka == kb {
                    continue;
                }
                let (ea, pa, _) = first_at(*va);
                let (eb, pb, _) = first_at(*vb);
                if !(ea.in_scope || eb.in_scope || ctx.is_checked(file)) {
                    continue;
                }
                // Primary on the later environment in kind order.
                let ((e1, p1, v1), (e2, p2, v2)) = if ea.kind <= eb.kind {
                    ((ea, pa, va), (eb, pb, vb))
                } else {
                    ((eb, pb, vb), (ea, pa, va))
                };
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    p2.span,
                    format!(
                        "{} runs LiteLLM {v2} and {} runs {v1}: `{}` behaves differently at these versions",
                        e2.name,
                        e1.name,
                        ctx.path(file)
                    ),
                )
                .label(p1.span, format!("{} runs {v1} (`{}`)", e1.name, p1.raw));
                let only = |own: &[(Key, String)], other: &BTreeSet<Key>, v: &Version| {
                    own.iter()
                        .filter(|x| !other.contains(&x.0))
                        .map(|x| {
                            let first = x.1.split(". ").next().unwrap_or(&x.1);
                            format!("only at {v}: {first}")
                        })
                        .collect::<Vec<_>>()
                };
                let (f1, k1, f2, k2) = if v1 == va {
                    (fa, &ka, fb, &kb)
                } else {
                    (fb, &kb, fa, &ka)
                };
                let mut notes = only(f1, k2, v1);
                notes.extend(only(f2, k1, v2));
                notes.truncate(8);
                for n in notes {
                    d = d.note(n);
                }
                d = d.help(format!(
                    "pin one LiteLLM version in every environment (the image tag and the pip pin); `{}` was found for {}",
                    p2.raw, e2.name
                ));
                out.push(d);
            }
        }
    }
}
