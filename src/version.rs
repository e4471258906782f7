//! LiteLLM versions: parsing, image tags, ranges.

use std::fmt;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u32, pub u32, pub u32);

/// The releases one body of data under `rules/` was examined over (read or measured).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Examined {
    pub from: Version,
    pub to: Version,
    /// What was examined, for messages: "streaming behavior", "the keys the proxy reads".
    pub what: &'static str,
}

/// How a claim stands against the data's examined range at the version in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Inside the examined releases: the claim is the data's.
    Within,
    /// Below them: no claim can be made.
    Below,
    /// Newer than every examined release (a pin above `to`, or no pin while newer releases
    /// exist): the claim is the newest examined release's, unverified for this one.
    Beyond(String),
}

impl Examined {
    /// Where `v` (`None`: not pinned, so the newest release, `newest`) stands.
    pub fn edge(&self, v: Option<Version>, newest: Version) -> Edge {
        match v {
            Some(v) if v < self.from => Edge::Below,
            Some(v) if v > self.to => Edge::Beyond(format!(
                "{} was examined up to LiteLLM {}; {v} is newer, so this is unverified for it",
                self.what, self.to
            )),
            Some(_) => Edge::Within,
            None if newest > self.to => Edge::Beyond(format!(
                "the version is not pinned, so the newest release runs ({newest}); {} was examined up to LiteLLM {}, so this is unverified for newer releases",
                self.what, self.to
            )),
            None => Edge::Within,
        }
    }
}

/// The version a version-dependent rule judges at: the one in use, else (a rolling tag or an unpinned install runs the newest release) the
/// newest examined, with the note a finding then carries.
pub fn judged(v: Option<Version>, newest_examined: Version) -> (Version, Option<String>) {
    match v {
        Some(v) => (v, None),
        None => (
            newest_examined,
            Some(format!(
                "the LiteLLM version is not pinned (a rolling image tag or an unpinned install runs the newest release): judged at {newest_examined}, the newest release examined"
            )),
        ),
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

impl Version {
    /// Parses `1.81.1`, `1.81` (patch 0), with an optional leading `v`.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let mut parts = s.split('.');
        let a = parts.next()?.parse().ok()?;
        let b = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let c = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version(a, b, c))
    }

    /// Maps a LiteLLM image tag to a version: drops `main-`, `v`, and suffixes such as
    /// `-stable`, `-nightly`, `.patch.N`, `-rc.N`. Rolling tags (`main-latest`, `main-stable`,
    /// `latest`) give `None`.
    pub fn from_tag(tag: &str) -> Option<Version> {
        let mut t = tag.trim();
        t = t.strip_prefix("main-").unwrap_or(t);
        t = t.strip_prefix('v').unwrap_or(t);
        if let Some(i) = t.find(".patch") {
            t = &t[..i];
        }
        let end = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let core = t[..end].trim_end_matches('.');
        if core.matches('.').count() < 1 {
            return None;
        }
        Version::parse(core)
    }
}

/// A set of versions written as `>=1.80.12,<1.82.1` (lower bound inclusive, upper exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub min: Option<Version>,
    pub max: Option<Version>,
}

impl Range {
    pub fn parse(s: &str) -> Option<Range> {
        let mut r = Range {
            min: None,
            max: None,
        };
        for part in s.split(',') {
            let p = part.trim();
            if let Some(v) = p.strip_prefix(">=") {
                r.min = Some(Version::parse(v)?);
            } else if let Some(v) = p.strip_prefix('<') {
                r.max = Some(Version::parse(v)?);
            } else if p.is_empty() {
            } else {
                return None;
            }
        }
        Some(r)
    }
    pub fn contains(&self, v: Version) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v < m)
    }
}

/// Versions are written as strings in the rule data (`examined_from = "1.55.0"`).
impl<'de> serde::Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Version::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad version `{s}`")))
    }
}

/// Ranges are written as strings in the rule data (`versions = ">=1.80.12,<1.82.1"`).
impl<'de> serde::Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Range::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad version range `{s}`")))
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (Some(a), Some(b)) => write!(f, "{a} up to (not including) {b}"),
            (Some(a), None) => write!(f, "{a} and later"),
            (None, Some(b)) => write!(f, "versions before {b}"),
            (None, None) => write!(f, "every version"),
        }
    }
}

/// Where the version used for judging came from.
#[derive(Clone, Debug, Default)]
pub struct VersionContext {
    pub version: Option<Version>,
    /// `--litellm-version`, `requirements.txt:3`, ...
    pub source: Option<String>,
    pub span: Option<Span>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(
            Version::from_tag("main-v1.81.1-stable"),
            Some(Version(1, 81, 1))
        );
        assert_eq!(
            Version::from_tag("v1.80.11-stable.patch.2"),
            Some(Version(1, 80, 11))
        );
        assert_eq!(Version::from_tag("1.83.9-nightly"), Some(Version(1, 83, 9)));
        assert_eq!(Version::from_tag("v1.82.0-rc.1"), Some(Version(1, 82, 0)));
        assert_eq!(Version::from_tag("main-latest"), None);
        assert_eq!(Version::from_tag("main-stable"), None);
        assert_eq!(Version::from_tag("latest"), None);
    }

    #[test]
    fn ranges() {
        let r = Range::parse(">=1.80.12,<1.82.1").unwrap();
        assert!(r.contains(Version(1, 81, 16)));
        assert!(!r.contains(Version(1, 82, 1)));
        assert!(r.contains(Version(1, 80, 12)));
        assert!(Range::parse(">=0.0.0").unwrap().contains(Version(1, 0, 0)));
    }
}
