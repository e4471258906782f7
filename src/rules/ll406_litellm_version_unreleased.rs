//! ## What it does
//! Reports a pinned LiteLLM version that cannot be installed: a pip, lock-file or
//! `pyproject.toml` pin of a version PyPI does not have (`rules/versions/releases.toml`,
//! generated from PyPI's release history: never released, deleted since, or published as
//! images only, like 1.97.1, 1.97.2, 1.99.1). Any pin, image tags too, of a version newer than
//! every release the list knows is reported at info severity: it may have been released since,
//! or be a typo. Image tags of older versions are not judged (the image registry keeps tags
//! PyPI lost). Releases nobody should run (1.82.7, 1.82.8, 1.107.0) are LL602's.
//!
//! ## Why is this bad?
//! `pip install litellm==1.95.77` fails, so the image or the CI job breaks the next time it
//! builds without a cache. A typo in a version (`1.8.1` for `1.81.0`) also makes litellm-lint
//! judge the config at the wrong release.
//!
//! ## Example
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt
//! #~     litellm_params:
//! #~       model: openai/gpt-4o-mini
//! #~       api_key: os.environ/OPENAI_API_KEY
//! #~ # file: requirements.txt
//! #~ litellm[proxy]==1.95.77
//! ```
//!
//! ## Fix
//! Pin a release that exists.
//! ```yaml
//! #~ model_list:
//! #~   - model_name: gpt
//! #~     litellm_params:
//! #~       model: openai/gpt-4o-mini
//! #~       api_key: os.environ/OPENAI_API_KEY
//! #~ # file: requirements.txt
//! #~ litellm[proxy]==1.95.1
//! ```

use crate::detect::Pin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::releases::{Known, advisory_for, releases};
use crate::rules::{Rule, RuleMeta};
use crate::source::{FileId, SourceMap};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL406",
        name: "litellm-version-unreleased",
        severity: Severity::Error,
        summary: "a pinned LiteLLM version that cannot be installed (not on PyPI) or is newer than every known release",
        source: include_str!("ll406_litellm_version_unreleased.rs"),
        fixable: false,
    },
    check: None,
};

pub fn check(pins: &[(FileId, Pin)], sources: &SourceMap, out: &mut Vec<Diagnostic>) {
    let r = releases();
    for (file, pin) in pins {
        let Some(v) = pin.version else { continue };
        if advisory_for(v).is_some() {
            continue;
        }
        let image = super::pin_is_image(pin);
        let (severity, message) = match r.known(v) {
            Known::Released => continue,
            Known::DockerOnly | Known::NeverReleased if image => continue,
            Known::DockerOnly => (
                Severity::Error,
                format!(
                    "`{}` pins LiteLLM {v}, which was published as images only: PyPI has no {v}, so the install fails",
                    pin.raw
                ),
            ),
            Known::NeverReleased => (
                Severity::Error,
                format!(
                    "`{}` pins LiteLLM {v}, which PyPI does not have (never released, or deleted since), so the install fails",
                    pin.raw
                ),
            ),
            Known::NewerThanList => (
                Severity::Info,
                format!(
                    "`{}` pins LiteLLM {v}, newer than every release litellm-lint knows (up to {}): if it was released since, update litellm-lint; otherwise it does not exist",
                    pin.raw, r.newest
                ),
            ),
        };
        let span = super::pin_version_span(sources, *file, pin);
        let mut d = Diagnostic::new(&RULE.meta, span, message);
        d.severity = severity;
        let (below, above) = r.neighbours(v, |x| advisory_for(x).is_some());
        let near: Vec<String> = [below, above]
            .into_iter()
            .flatten()
            .map(|x| x.to_string())
            .collect();
        if !near.is_empty() {
            d.help = Some(match near.as_slice() {
                [one] => format!("pin a release that exists: the nearest is {one}"),
                _ => format!(
                    "pin a release that exists: the nearest are {}",
                    near.join(" and ")
                ),
            });
        }
        out.push(d);
    }
}
