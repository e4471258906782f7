//! ## What it does
//! Reports a LiteLLM image (`ghcr.io/berriai/litellm*`, `docker.litellm.ai/berriai/litellm*`,
//! `litellm/litellm*`) used without a release tag: no tag at all (which means `latest`), or a
//! rolling tag such as `main-latest`, `main-stable`, `latest`, `stable`, `nightly`. Compose
//! services, Dockerfile `FROM`, Helm `image.tag`, and CI service containers and `docker run`
//! are checked. A digest (`@sha256:...`), a tag given through a variable, and an empty Helm tag
//! (the chart's `appVersion`) count as pinned.
//!
//! ## Why is this bad?
//! The version decides how streaming fallbacks, retries and config keys behave (see LL101 and
//! LL403), and a rolling tag changes under you: `main-stable` once moved from v1.79 back to
//! v1.77 (BerriAI/litellm#16871), advertised stable tags did not exist (#14314), Docker Hub
//! `latest` was stale for months (#8314). The linter cannot tell which version runs, so it
//! judges the config against every version.
//!
//! ## Example
//! ```yaml
//! services:
//!   litellm:
//!     image: ghcr.io/berriai/litellm:main-latest
//! ```
//!
//! ## Fix
//! Pin a release tag (`main-v1.95.0-stable`, `v1.95.0`) or a digest, and the same one in
//! compose, CI and Helm.

use crate::diagnostic::{Diagnostic, Severity};
use crate::env::EnvContext;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL404",
        name: "image-unpinned",
        severity: Severity::Warning,
        summary: "a LiteLLM image without a release tag (`main-latest`, `main-stable`, `latest`, none)",
        source: include_str!("ll404_image_unpinned.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    // Versions other environments pin, for the help.
    let mut pinned: Vec<String> = ctx
        .envs
        .iter()
        .filter_map(|e| e.version.as_ref()?.version.map(|v| v.to_string()))
        .collect();
    pinned.sort();
    pinned.dedup();
    for e in ctx.envs.iter().filter(|e| e.in_scope) {
        for img in &e.images {
            if !img.is_unpinned() || seen.contains(&img.span) {
                continue;
            }
            seen.push(img.span);
            let what = match &img.tag {
                None => format!("`{}` has no tag, so it pulls `latest`", img.repository),
                Some(t) => format!("`{}:{t}` is a rolling tag", img.repository),
            };
            let mut help =
                "pin a release tag (such as `main-v1.95.0-stable` or `v1.95.0`) or a digest (`@sha256:...`)"
                    .to_string();
            if !pinned.is_empty() {
                help.push_str(&format!(
                    "; other environments here run {}",
                    pinned.join(", ")
                ));
            }
            out.push(
                Diagnostic::new(
                    &RULE.meta,
                    img.span,
                    format!(
                        "{what}: the LiteLLM version of {} changes without a change here, and its behavior with it",
                        e.name
                    ),
                )
                .help(help),
            );
        }
    }
}
