//! Helpers shared by the streaming rules (LL101–LL103, LL109, LL110).

use crate::config::{Config, Deployment, Group};
use crate::diagnostic::{Diagnostic, Severity};
use crate::streaming::{self, Laziness, Row};
use crate::version::{Range, Version};

/// The version a streaming rule judges at: the one in use, else the newest release examined
/// (what a rolling tag or an unpinned install runs), with a note that says so. `None` below the
/// oldest release whose streaming code was examined (`streaming::examined_from`): no claim there.
pub fn judged_version(ctx: &super::Context) -> Option<(Version, Option<String>)> {
    let judged = crate::version::judged(ctx.version.version, streaming::examined_to());
    (judged.0 >= streaming::examined_from()).then_some(judged)
}

/// Whether a group serves chat completions, the only requests that stream: not a group whose
/// deployments are embedding, image, audio, rerank or moderation models (`is_chat_deployment`).
pub fn is_chat_group(cfg: &Config, g: &Group) -> bool {
    cfg.group_deployments(g).all(is_chat_deployment)
}

/// Whether a deployment serves chat completions: by its `model_info.mode`, else its mode in the
/// model map, else (a model the map does not know, such as a local `ollama/` one) its name: a
/// model named as an embedding, rerank, speech or image model is not a chat model.
pub fn is_chat_deployment(d: &Deployment) -> bool {
    let declared = d
        .model_info
        .as_ref()
        .and_then(|m| m.get("mode"))
        .and_then(|m| m.as_str().map(str::to_string));
    let mode = declared.or_else(|| match super::resilience_common::catalog_lookup(d) {
        Some((_, _, crate::models::Lookup::Found(e))) => e.mode.map(str::to_string),
        _ => None,
    });
    match mode {
        Some(m) => matches!(m.as_str(), "chat" | "completion" | "responses"),
        None => {
            let model = d.model.as_deref().unwrap_or("").to_ascii_lowercase();
            let name = model.rsplit('/').next().unwrap_or("");
            !["embed", "rerank", "whisper", "tts", "dall-e", "moderation"]
                .iter()
                .any(|w| name.contains(w))
        }
    }
}

/// One finding for many groups: findings of a rule that differ only in the group they name
/// are merged into the first, which lists every group and labels the others' deployments.
pub struct Merged {
    key: String,
    first: Diagnostic,
    /// How each group is named in the message (`` `chat` (`gemini/gemini-2.5-flash`) ``).
    who: Vec<String>,
}

/// Adds `d`, whose message names its group as `who`, under `key` (its text without `who`).
pub fn merge_into(
    merged: &mut Vec<Merged>,
    key: String,
    who: String,
    anchor: crate::source::Span,
    d: Diagnostic,
) {
    match merged.iter_mut().find(|m| m.key == key) {
        Some(m) => {
            m.first = m.first.clone().label(anchor, format!("{who}: the same"));
            m.who.push(who);
        }
        None => merged.push(Merged {
            key,
            first: d,
            who: vec![who],
        }),
    }
}

/// The merged findings, each naming all its groups.
pub fn finish(merged: Vec<Merged>, out: &mut Vec<Diagnostic>) {
    for m in merged {
        let mut d = m.first;
        if m.who.len() > 1 {
            let all = format!("{} groups, {}", m.who.len(), m.who.join(", "));
            d.message = d.message.replacen(&m.who[0], &all, 1);
        }
        out.push(d);
    }
}

/// ` (pydantic-ai: …)` when pydantic-ai's client saw another outcome than the openai SDK's.
pub fn pydantic_suffix(r: &Row) -> String {
    r.stream_pydantic
        .as_deref()
        .filter(|p| *p != r.stream)
        .map(|p| format!(" (pydantic-ai: {})", streaming::outcome_text(p)))
        .unwrap_or_default()
}

/// Candidate upgrade targets: every lower bound in the data above `v`, ascending.
pub fn later_boundaries(v: Version) -> Vec<Version> {
    let b = streaming::behavior();
    let mut out: Vec<Version> = b
        .row
        .iter()
        .filter_map(|r| r.versions.min)
        .chain(b.retry.iter().filter_map(|r| r.versions.min))
        .chain(b.timeout.iter().filter_map(|r| r.versions.min))
        .filter(|m| *m > v)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The first version above `v` at which `ok` holds.
pub fn first_good(v: Version, ok: impl Fn(Version) -> bool) -> Option<Version> {
    later_boundaries(v).into_iter().find(|c| ok(*c))
}

/// Deployments of a group that name a model.
pub fn deployments<'a>(cfg: &'a Config, g: &'a Group) -> impl Iterator<Item = &'a Deployment> + 'a {
    cfg.group_deployments(g).filter(|d| d.model.is_some())
}

pub fn lazy_at(d: &Deployment, v: Version) -> Laziness {
    streaming::laziness(&d.provider, &d.provider_model, v)
}

/// The deployment of a group to judge: the first lazy one at `v` (or, with no version, the
/// first one lazy in some version), else the first one.
pub fn pick<'a>(
    cfg: &'a Config,
    g: &'a Group,
    v: Option<Version>,
) -> Option<(&'a Deployment, bool)> {
    let mut first = None;
    for d in deployments(cfg, g) {
        first.get_or_insert(d);
        let lazy = match v {
            Some(v) => lazy_at(d, v) == Laziness::Lazy,
            None => streaming::lazy_range(&d.provider, &d.provider_model).is_some(),
        };
        if lazy {
            return Some((d, true));
        }
    }
    first.map(|d| (d, false))
}

/// The intersection of a row's range with the versions where the deployment is lazy.
pub fn intersect(a: &Range, b: &Range) -> Option<Range> {
    let min = match (a.min, b.min) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    };
    let max = match (a.max, b.max) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    };
    match (min, max) {
        (Some(lo), Some(hi)) if lo >= hi => None,
        _ => Some(Range { min, max }),
    }
}

/// Rows of a combination whose outcome satisfies `bad`, restricted to the lazy range.
pub fn bad_ranges(
    shape: &'static str,
    fallback: &'static str,
    cause: Option<&'static str>,
    lazy_range: &Range,
    bad: impl Fn(&Row) -> bool,
) -> Vec<(Range, &'static Row)> {
    streaming::rows(shape, Laziness::Lazy, fallback, cause)
        .into_iter()
        .filter(|r| bad(r))
        .filter_map(|r| intersect(&r.versions, lazy_range).map(|x| (x, r)))
        .collect()
}

/// The rows of [`PRE_TOKEN_CASES`] at `v` where the stream does not fall back although the
/// same request without streaming does.
pub fn pre_token_failures(
    lz: Laziness,
    fallback: &'static str,
    v: Version,
    pydantic: bool,
) -> Vec<&'static Row> {
    PRE_TOKEN_CASES
        .iter()
        .filter_map(|(s, cause)| streaming::row_at(s, lz, fallback, *cause, v))
        .filter(|r| stream_fails(r, pydantic))
        .collect()
}

/// The failures inside a stream (LL102's cases): an in-band error before the first token, and
/// an in-band error or a cut connection after some tokens.
const INSIDE_CASES: [(&str, Option<&str>); 3] = [
    ("inband_before_token", None),
    ("after_tokens", Some("inband_error")),
    ("after_tokens", Some("cut_connection")),
];

fn silent(o: &str) -> bool {
    matches!(o, "truncated_silently" | "empty_answer")
}

/// Severity of an outcome inside a stream, or None when it is what the config promises.
pub fn judge_inside(r: &Row, fallback: &str) -> Option<Severity> {
    let outs = [Some(r.stream.as_str()), r.stream_pydantic.as_deref()];
    let mut worst = None;
    for o in outs.into_iter().flatten() {
        let uncovered = fallback == "config"
            && r.shape == "after_tokens"
            && matches!(o, "failed" | "failed_after_partial");
        let s = if silent(o) || uncovered {
            Some(Severity::Warning)
        } else if o == "fell_back_after_partial" {
            Some(Severity::Info)
        } else {
            None
        };
        worst = worst.max(s);
    }
    worst
}

/// What goes wrong inside a stream at `v`: each row with its severity and the cause it is
/// limited to (`None` when both causes after tokens behave the same, said once).
/// `after_tokens_only` leaves out the in-band error before the first token.
pub fn inside_stream_failures(
    lz: Laziness,
    fallback: &'static str,
    v: Version,
    after_tokens_only: bool,
) -> Vec<(&'static Row, Severity, Option<&'static str>)> {
    let mut found: Vec<(&Row, Severity, Option<&str>)> = Vec::new();
    for (shape, cause) in INSIDE_CASES {
        if after_tokens_only && shape != "after_tokens" {
            continue;
        }
        if let Some(r) = streaming::row_at(shape, lz, fallback, cause, v)
            && let Some(sev) = judge_inside(r, fallback)
        {
            if let Some(prev) = found.iter_mut().find(|(x, _, _)| std::ptr::eq(*x, r)) {
                prev.2 = None;
            } else {
                found.push((r, sev, cause));
            }
        }
    }
    found
}

/// One inside-stream failure as a message part: `on <shape> the client <outcome>`.
pub fn inside_text(r: &Row, cause: Option<&str>) -> String {
    format!(
        "on {} the client {}{}",
        streaming::shape_text(&r.shape, cause),
        streaming::outcome_text(&r.stream),
        pydantic_suffix(r)
    )
}

/// The first release after `v` where none of the inside-stream failures `found` is a warning
/// any more.
pub fn inside_fixed(
    v: Version,
    found: &[(&'static Row, Severity, Option<&'static str>)],
    lz: Laziness,
    fallback: &'static str,
) -> Option<Version> {
    first_good(v, |c| {
        found.iter().all(|(r, _, cause)| {
            streaming::row_at(&r.shape, lz, fallback, *cause, c)
                .is_none_or(|x| judge_inside(x, fallback).is_none_or(|s| s < Severity::Warning))
        })
    })
}

/// The first release after `v` where none of `failing` fails any more.
pub fn pre_token_fixed(
    v: Version,
    failing: &[&Row],
    lz: Laziness,
    fallback: &'static str,
    pydantic: bool,
) -> Option<Version> {
    first_good(v, |x| {
        failing.iter().all(|r| {
            streaming::row_at(&r.shape, lz, fallback, None, x)
                .is_some_and(|y| !stream_fails(y, pydantic))
        })
    })
}

/// What the version-free form of a streaming finding says: for each (shape, cause) where
/// `bad` holds in some lazy range, a part written by `describe(shape text, ranges text)`, one
/// evidence note, and the release from which every such range is over (`None` when one of
/// them is open-ended).
pub struct ByVersion {
    pub parts: Vec<String>,
    pub notes: Vec<String>,
    pub fixed_from: Option<Version>,
}

pub fn by_version(
    cases: &[(&'static str, Option<&'static str>)],
    fallback: &'static str,
    lazy_range: &Range,
    bad: impl Fn(&Row) -> bool,
    describe: impl Fn(&str, &str) -> String,
) -> ByVersion {
    let mut out = ByVersion {
        parts: vec![],
        notes: vec![],
        fixed_from: Some(Version(0, 0, 0)),
    };
    for &(shape, cause) in cases {
        let rs = bad_ranges(shape, fallback, cause, lazy_range, &bad);
        if rs.is_empty() {
            continue;
        }
        out.parts.push(describe(
            streaming::shape_text(shape, cause),
            &ranges_text(&rs),
        ));
        for (r, _) in &rs {
            out.fixed_from = match (out.fixed_from, r.max) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        out.notes.push(evidence_note(rs[0].1));
    }
    out
}

/// The ranges, adjacent ones merged (`<1.80.12` and `1.80.12..1.87.0` read as `<1.87.0`).
pub fn ranges_text(rs: &[(Range, &Row)]) -> String {
    let mut ranges: Vec<Range> = rs.iter().map(|(r, _)| r.clone()).collect();
    ranges.sort_by_key(|r| r.min);
    let mut merged: Vec<Range> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if last.max.is_some() && last.max == r.min => last.max = r.max,
            _ => merged.push(r),
        }
    }
    merged
        .iter()
        .map(streaming::range_text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a user can check behind a row: for a measured row, the releases whose real proxy was
/// run against a local fake upstream failing this way; else the LiteLLM issues and pull
/// requests its reading of the source names. Never our internal documents.
pub fn evidence_note(r: &Row) -> String {
    cite(&r.evidence)
}

/// [`evidence_note`] for any list of evidence strings of the streaming data.
pub fn cite(evidence: &[String]) -> String {
    let measured: Vec<&str> = evidence
        .iter()
        .filter_map(|e| e.strip_prefix("oracle: "))
        .filter_map(|e| e.split_once(" @ ").map(|(_, rest)| rest))
        .map(|rest| rest.split(':').next().unwrap_or(rest).trim())
        .collect();
    if let Some(versions) = measured.first() {
        return format!(
            "measured: the real LiteLLM proxy ({versions}) was run against a local fake upstream that fails this way, with the openai SDK and pydantic-ai as clients; this is what the streaming client got"
        );
    }
    let mut refs: Vec<String> = Vec::new();
    for e in evidence {
        for w in e.split(|c: char| !(c.is_ascii_alphanumeric() || c == '#')) {
            if w.len() > 1 && w.starts_with('#') && w[1..].chars().all(|c| c.is_ascii_digit()) {
                let link = format!("BerriAI/litellm{w}");
                if !refs.contains(&link) {
                    refs.push(link);
                }
            }
        }
    }
    if refs.is_empty() {
        "from reading LiteLLM's released source (not measured)".to_string()
    } else {
        format!(
            "from reading LiteLLM's released source (not measured); see {}",
            refs.join(", ")
        )
    }
}

/// Adjusts a streaming finding on `group` by what the client code shows: when a call site
/// streams from the group it is an error, with a label on the call; when client code of this
/// proxy was found but none of it streams from the group, there is no finding.
pub fn by_clients(ctx: &super::Context, group: &str, d: Diagnostic) -> Option<Diagnostic> {
    // A `litellm.Router(...)` built in Python: the outcomes were measured through the proxy.
    let in_code = ctx
        .sources
        .get(ctx.config.file)
        .path
        .extension()
        .is_some_and(|e| e == "py");
    let d = if in_code {
        d.note("measured through the proxy; a Router built in code runs the same fallback logic, and the error or the cut stream reaches the code that iterates instead of an HTTP client")
    } else {
        d
    };
    if ctx.clients.is_empty() {
        // No client linked to this config: a Router built in code, or a config no environment
        // runs, is used by this project's own code; when that code never streams, the finding
        // is about requests nobody makes.
        if (in_code || !ctx.served) && ctx.project_streams == Some(false) {
            return None;
        }
        return Some(d);
    }
    let streaming = ctx.clients.iter().find(|l| {
        l.call.stream.is_some() && l.call.model.as_ref().is_some_and(|m| m.value == group)
    });
    // Client code of this proxy was found and none of it streams from the group: the finding
    // would be about requests nobody makes.
    streaming.map(|l| {
        d.severity(Severity::Error).label(
            l.call.span,
            format!("streamed by this {} call", l.call.framework.as_str()),
        )
    })
}

/// Error shapes that happen before the first token, as the cases of [`by_version`].
pub const PRE_TOKEN_CASES: [(&str, Option<&str>); 3] = [
    ("pre_body_429", None),
    ("pre_body_5xx", None),
    ("inband_before_token", None),
];

/// The stream does not fall back where the same request without streaming does (as the
/// openai SDK sees it, or pydantic-ai when `pydantic`).
pub fn stream_fails(r: &Row, pydantic: bool) -> bool {
    let stream = if pydantic {
        r.stream_pydantic.as_deref().unwrap_or(&r.stream)
    } else {
        r.stream.as_str()
    };
    r.nonstream == "fell_back"
        && !matches!(stream, "fell_back" | "fell_back_after_partial" | "unknown")
}
