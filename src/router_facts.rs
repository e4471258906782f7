//! How LiteLLM's Router treats cooldowns, fallback walks and rate limits, by release, as data:
//! `rules/router/behavior.toml`. Every fact cites the released source it was read from and
//! says which releases were examined; outside them, a fact decides nothing.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::version::{Range, Version};

#[derive(Debug, Deserialize)]
pub struct Fact {
    pub id: String,
    pub what: String,
    pub versions: Range,
    pub evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Facts {
    pub examined_from: Version,
    pub examined_to: Version,
    pub fact: Vec<Fact>,
}

pub fn facts() -> &'static Facts {
    static F: OnceLock<Facts> = OnceLock::new();
    F.get_or_init(|| {
        toml::from_str(include_str!("../rules/router/behavior.toml"))
            .expect("rules/router/behavior.toml parses")
    })
}

pub fn fact(id: &str) -> &'static Fact {
    facts()
        .fact
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("rules/router/behavior.toml has no fact `{id}`"))
}

/// Whether the fact holds at `v`: `None` below the releases examined (nothing was read there).
/// Above them the newest examined release's answer is given; callers say so in a note.
pub fn holds(id: &str, v: Version) -> Option<bool> {
    let f = facts();
    if v < f.examined_from {
        return None;
    }
    Some(fact(id).versions.contains(v.min(f.examined_to)))
}

/// The first release from which the fact holds, when it holds from some release on.
pub fn since(id: &str) -> Option<Version> {
    fact(id).versions.min
}

/// A note citing where the fact was read: the first evidence from a release on the same side
/// of the fact as `v` (one where it holds, if it holds at `v`), by release and file.
pub fn cite(id: &str, v: Version) -> String {
    let f = fact(id);
    let side = f.versions.contains(v.min(facts().examined_to));
    let release = |e: &str| {
        e.strip_prefix("wheel: litellm==")
            .and_then(|r| r.split_whitespace().next())
            .and_then(Version::parse)
    };
    let e = f
        .evidence
        .iter()
        .find(|e| release(e).is_some_and(|r| f.versions.contains(r) == side))
        .or(f.evidence.first());
    let at = e
        .and_then(|e| e.strip_prefix("wheel: "))
        .map(|e| e.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("from reading LiteLLM's released source (not measured): {at}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_parses_and_cites_a_release() {
        for f in &facts().fact {
            assert!(!f.evidence.is_empty(), "{} cites nothing", f.id);
            assert!(
                f.evidence.iter().all(|e| e.starts_with("wheel: litellm==")),
                "{} cites something a user cannot check",
                f.id
            );
        }
    }

    #[test]
    fn facts_answer_by_release() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(
            holds("lone_deployment_spared_by_allowed_fails", v("1.108.0")),
            Some(false)
        );
        assert_eq!(
            holds("lone_deployment_spared_by_allowed_fails", v("1.108.1")),
            Some(true)
        );
        assert_eq!(
            holds("fallback_walk_skips_attempted_groups", v("1.96.2")),
            Some(false)
        );
        assert_eq!(
            holds("fallback_walk_skips_attempted_groups", v("1.97.0")),
            Some(true)
        );
        assert_eq!(
            holds("pre_call_checks_enforce_rpm", v("1.81.16")),
            Some(true)
        );
        assert_eq!(
            holds("pre_call_checks_enforce_rpm", v("1.109.1")),
            Some(false)
        );
        assert_eq!(
            holds("fallback_walk_skips_attempted_groups", v("1.60.0")),
            None
        );
    }
}
