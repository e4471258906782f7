//! ## What it does
//! Reports a pin of a LiteLLM release nobody should run (`rules/versions/advisories.toml`):
//! the malicious 1.82.7 and 1.82.8, published to PyPI with stolen credentials and carrying a
//! credential stealer (PYSEC-2026-2), and 1.107.0, which is not on PyPI. Every pin the version
//! detection finds counts: requirements and lock files, `pyproject.toml`, `pip install` lines in
//! Dockerfiles and CI steps, image tags in any spelling (`v1.82.7`, `main-v1.82.7-stable`), Helm
//! `image.tag`, compose.
//!
//! ## Why is this bad?
//! Installing 1.82.7 or 1.82.8 ran a credential stealer (1.82.8 at every Python start, through
//! `litellm_init.pth`); no official image was published for them, so an image with such a tag is
//! not LiteLLM's. A pin of a release PyPI does not have fails to install, so the build or the
//! deploy breaks the next time it runs without a cache.
//!
//! ## Example
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt
//! #~     litellm_params:
//! #~       model: openai/gpt-4o-mini
//! #~       api_key: os.environ/OPENAI_API_KEY
//! #~ # file: requirements.txt
//! #~ litellm[proxy]==1.82.8
//! ```
//!
//! ## Fix
//! Pin the nearest release the help names. If a machine ever installed 1.82.7 or 1.82.8, treat
//! every credential it held as exposed (LiteLLM's security update lists what to rotate).
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt
//! #~     litellm_params:
//! #~       model: openai/gpt-4o-mini
//! #~       api_key: os.environ/OPENAI_API_KEY
//! #~ # file: requirements.txt
//! #~ litellm[proxy]==1.83.0
//! ```

use crate::detect::Pin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::releases::{AdvisoryKind, advisory_for, releases};
use crate::rules::{Rule, RuleMeta};
use crate::source::{FileId, SourceMap};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL602",
        name: "litellm-release-unsafe",
        severity: Severity::Error,
        summary: "a pin of a LiteLLM release nobody should run: malicious (1.82.7, 1.82.8) or pulled from PyPI (1.107.0)",
        source: include_str!("ll602_litellm_release_unsafe.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(pins: &[(FileId, Pin)], sources: &SourceMap, out: &mut Vec<Diagnostic>) {
    for (file, pin) in pins {
        let Some(v) = pin.version else { continue };
        let Some(a) = advisory_for(v) else { continue };
        let span = super::pin_version_span(sources, *file, pin);
        let what = match a.kind {
            AdvisoryKind::Malicious => "a malicious release",
            AdvisoryKind::Pulled => "a pulled release",
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            span,
            format!(
                "`{}` pins LiteLLM {v}, {what}: {} ({})",
                pin.raw, a.summary, a.id
            ),
        );
        if let Some(detail) = &a.detail {
            d.notes.push(detail.clone());
        }
        let (below, above) = releases().neighbours(v, |r| advisory_for(r).is_some());
        let near: Vec<String> = [below, above]
            .into_iter()
            .flatten()
            .map(|r| r.to_string())
            .collect();
        let mut help = format!("pin {}, the nearest releases on PyPI", near.join(" or "));
        if a.kind == AdvisoryKind::Malicious {
            help.push_str(&format!(
                "; if {v} was ever installed, treat every credential that machine held as exposed"
            ));
        }
        d.help = Some(help);
        if super::pin_is_image(pin) && a.kind == AdvisoryKind::Malicious {
            d.notes.push(format!(
                "no official LiteLLM image was published for {v}, so an image with this tag is not LiteLLM's"
            ));
        }
        d.notes.push(format!("see {}", a.link));
        out.push(d);
    }
}
