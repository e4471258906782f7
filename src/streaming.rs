//! LiteLLM's streaming behavior, as data: `rules/streaming/behavior.toml` (what a streaming
//! client observes per failure shape, provider laziness, fallback source and version) and
//! `rules/streaming/lazy-providers.toml` (which providers open their stream lazily). Every row
//! cites its evidence; `tests/oracle.rs` checks the rows against the oracle's measurements.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::version::{Range, Version};

#[derive(Debug, Deserialize)]
pub struct Row {
    pub shape: String,
    pub provider: String,
    pub fallback: String,
    #[serde(default)]
    pub cause: Option<String>,
    pub versions: Range,
    pub stream: String,
    #[serde(default)]
    pub stream_pydantic: Option<String>,
    pub nonstream: String,
    #[serde(default)]
    pub status: Option<u16>,
    pub confidence: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct RetryRow {
    pub shape: String,
    pub provider: String,
    pub versions: Range,
    pub stream_retries: bool,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct TimeoutRow {
    pub provider: String,
    #[serde(default)]
    pub verified_for: Vec<String>,
    pub versions: Range,
    pub stream_timeout_enforced_before_first_byte: bool,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct LeakRow {
    pub versions: Range,
    #[serde(default)]
    pub reproduced: bool,
    #[serde(default)]
    pub leaked_error: String,
    #[serde(default)]
    pub client_status: Option<u16>,
    #[serde(default)]
    pub cpu_spin_reported: bool,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Behavior {
    pub row: Vec<Row>,
    pub retry: Vec<RetryRow>,
    pub timeout: Vec<TimeoutRow>,
    pub no_fallback_leak: Vec<LeakRow>,
}

#[derive(Debug, Deserialize)]
pub struct ProviderRow {
    pub prefix: String,
    #[serde(default)]
    pub model_prefix: String,
    pub lazy: Range,
    #[serde(default)]
    pub status: Option<String>,
    /// The oldest release whose source was read for this row.
    #[serde(default)]
    pub examined_from: Option<Version>,
    /// The newest release read or measured for this row.
    #[serde(default)]
    pub examined_to: Option<Version>,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Providers {
    pub provider: Vec<ProviderRow>,
}

pub fn behavior() -> &'static Behavior {
    static B: OnceLock<Behavior> = OnceLock::new();
    B.get_or_init(|| {
        toml::from_str(include_str!("../rules/streaming/behavior.toml"))
            .expect("rules/streaming/behavior.toml parses")
    })
}

pub fn providers() -> &'static Providers {
    static P: OnceLock<Providers> = OnceLock::new();
    P.get_or_init(|| {
        toml::from_str(include_str!("../rules/streaming/lazy-providers.toml"))
            .expect("rules/streaming/lazy-providers.toml parses")
    })
}

/// The oldest release whose streaming code was examined (the oldest `examined_from` of
/// `lazy-providers.toml`): below it, how a provider opens its stream and what a failed stream
/// does were never read, so the streaming rules make no claim.
pub fn examined_from() -> Version {
    static V: OnceLock<Version> = OnceLock::new();
    *V.get_or_init(|| {
        providers()
            .provider
            .iter()
            .filter_map(|r| r.examined_from)
            .min()
            .expect("lazy-providers.toml names the releases it examined")
    })
}

/// The newest release whose streaming behavior was examined (the newest `examined_to` of
/// `lazy-providers.toml`): above it the data's answer is the newest examined one, unverified.
pub fn examined_to() -> Version {
    static V: OnceLock<Version> = OnceLock::new();
    *V.get_or_init(|| {
        providers()
            .provider
            .iter()
            .filter_map(|r| r.examined_to)
            .max()
            .expect("lazy-providers.toml names the releases it examined")
    })
}

/// How a deployment opens its stream at some version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Laziness {
    Lazy,
    Eager,
    Unknown,
}

impl Laziness {
    pub fn key(self) -> &'static str {
        match self {
            Laziness::Lazy => "lazy",
            _ => "eager",
        }
    }
}

/// The newest release examined for the provider of `model` (`gemini/gemini-2.5-flash`): its
/// row's `examined_to`, else (no row, or a row that names none) the oldest `examined_to` of
/// any row, the release every row was examined up to.
pub fn examined_to_for(model: &str) -> Version {
    let oldest = providers()
        .provider
        .iter()
        .filter_map(|r| r.examined_to)
        .min()
        .unwrap_or_else(examined_to);
    let Some((provider, rest)) = model.trim().split_once('/') else {
        return oldest;
    };
    provider_row(provider, rest)
        .and_then(|r| r.examined_to)
        .unwrap_or(oldest)
}

/// The provider row that decides laziness: same prefix, longest matching `model_prefix`.
pub fn provider_row(provider: &str, provider_model: &str) -> Option<&'static ProviderRow> {
    providers()
        .provider
        .iter()
        .filter(|r| r.prefix == provider && provider_model.starts_with(r.model_prefix.as_str()))
        .max_by_key(|r| r.model_prefix.len())
}

pub fn laziness(provider: &str, provider_model: &str, version: Version) -> Laziness {
    match provider_row(provider, provider_model) {
        None => Laziness::Eager,
        Some(r) if !r.lazy.contains(version) => Laziness::Eager,
        Some(r) if r.status.as_deref() == Some("unknown") => Laziness::Unknown,
        Some(_) => Laziness::Lazy,
    }
}

/// The versions at which a deployment is lazy (for judging an unknown version).
pub fn lazy_range(provider: &str, provider_model: &str) -> Option<&'static Range> {
    provider_row(provider, provider_model)
        .filter(|r| r.status.as_deref() != Some("unknown"))
        .map(|r| &r.lazy)
}

/// The row for a combination at a version.
pub fn row_at(
    shape: &str,
    lazy: Laziness,
    fallback: &str,
    cause: Option<&str>,
    v: Version,
) -> Option<&'static Row> {
    rows(shape, lazy, fallback, cause)
        .into_iter()
        .find(|r| r.versions.contains(v))
}

pub fn rows(shape: &str, lazy: Laziness, fallback: &str, cause: Option<&str>) -> Vec<&'static Row> {
    behavior()
        .row
        .iter()
        .filter(|r| {
            r.shape == shape
                && r.provider == lazy.key()
                && r.fallback == fallback
                && (r.cause.is_none() || cause.is_none() || r.cause.as_deref() == cause)
        })
        .collect()
}

pub fn shape_text(shape: &str, cause: Option<&str>) -> &'static str {
    match (shape, cause) {
        ("pre_body_429", _) => "an HTTP 429 (rate limit) before any token",
        ("pre_body_5xx", _) => "an HTTP 5xx before any token",
        ("inband_before_token", _) => "an in-band error event before the first token",
        ("after_tokens", Some("cut_connection")) => "a connection cut after some tokens were sent",
        ("after_tokens", Some("inband_error")) => {
            "an in-band error event after some tokens were sent"
        }
        ("after_tokens", _) => {
            "an in-band error event or a connection cut after some tokens were sent"
        }
        ("slow_first_byte", _) => "no first byte within the timeout",
        _ => "a failure",
    }
}

pub fn outcome_text(o: &str) -> &'static str {
    match o {
        "fell_back" => "falls back",
        "fell_back_after_partial" => {
            "gets the primary's partial text followed by the fallback's full answer (concatenated)"
        }
        "failed" => "fails with the error, no fallback",
        "failed_after_partial" => "gets partial text, then a failed stream",
        "truncated_silently" => "gets HTTP 200 with silently truncated text: no error, no fallback",
        "empty_answer" => "gets HTTP 200 with an empty answer: no error, no fallback",
        "primary_ok" => "waits for the primary's answer",
        _ => "behaves in a way nobody measured",
    }
}

/// Human text of a version range, compact: `1.80.12–1.82.0` style where the upper bound is a
/// `.0`/known release is not known; we say "before X".
pub fn range_text(r: &Range) -> String {
    match (r.min, r.max) {
        (Some(Version(0, 0, 0)), Some(b)) => format!("before {b}"),
        (Some(a), Some(b)) => format!("{a} up to {b} (exclusive)"),
        (Some(Version(0, 0, 0)), None) => "every version".into(),
        (Some(a), None) => format!("{a} and later"),
        (None, Some(b)) => format!("before {b}"),
        (None, None) => "every version".into(),
    }
}
