//! The LiteLLM releases litellm-lint knows (`rules/versions/releases.toml`, generated from
//! PyPI by `scripts/refresh-litellm-data --release-list`) and the releases nobody should run
//! (`rules/versions/advisories.toml`, each entry citing its evidence).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::version::Version;

const RELEASES_TEXT: &str = include_str!("../rules/versions/releases.toml");
const ADVISORIES_TEXT: &str = include_str!("../rules/versions/advisories.toml");

#[derive(Deserialize)]
struct ReleasesFile {
    newest: Version,
    docker_only: Vec<Version>,
    pypi: Vec<String>,
}

pub struct Releases {
    pub newest: Version,
    pypi: HashSet<Version>,
    docker_only: HashSet<Version>,
    sorted: Vec<Version>,
}

pub fn releases() -> &'static Releases {
    static R: OnceLock<Releases> = OnceLock::new();
    R.get_or_init(|| {
        let f: ReleasesFile =
            toml::from_str(RELEASES_TEXT).expect("rules/versions/releases.toml is valid");
        let pypi: HashSet<Version> = f.pypi.iter().filter_map(|v| Version::parse(v)).collect();
        let mut sorted: Vec<Version> = pypi.iter().copied().collect();
        sorted.sort();
        Releases {
            newest: f.newest,
            pypi,
            docker_only: f.docker_only.into_iter().collect(),
            sorted,
        }
    })
}

/// What the release list says of a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// On PyPI.
    Released,
    /// Published as images only: a pip pin of it fails, an image tag of it exists.
    DockerOnly,
    /// Inside the known history but never published.
    NeverReleased,
    /// Newer than every release the list knows.
    NewerThanList,
}

impl Releases {
    pub fn known(&self, v: Version) -> Known {
        if self.pypi.contains(&v) {
            Known::Released
        } else if self.docker_only.contains(&v) {
            Known::DockerOnly
        } else if v > self.newest {
            Known::NewerThanList
        } else {
            Known::NeverReleased
        }
    }
    /// The closest releases on PyPI below and above `v`, skipping `bad` ones.
    pub fn neighbours(
        &self,
        v: Version,
        bad: impl Fn(Version) -> bool,
    ) -> (Option<Version>, Option<Version>) {
        let below = self
            .sorted
            .iter()
            .rev()
            .find(|r| **r < v && !bad(**r))
            .copied();
        let above = self.sorted.iter().find(|r| **r > v && !bad(**r)).copied();
        (below, above)
    }
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AdvisoryKind {
    Malicious,
    Pulled,
}

#[derive(Deserialize, Debug)]
pub struct Advisory {
    pub id: String,
    pub kind: AdvisoryKind,
    pub versions: Vec<Version>,
    pub summary: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub pulled: Option<String>,
    pub link: String,
    pub evidence: Vec<String>,
}

#[derive(Deserialize)]
struct AdvisoriesFile {
    advisory: Vec<Advisory>,
}

pub fn advisories() -> &'static [Advisory] {
    static A: OnceLock<Vec<Advisory>> = OnceLock::new();
    A.get_or_init(|| {
        toml::from_str::<AdvisoriesFile>(ADVISORIES_TEXT)
            .expect("rules/versions/advisories.toml is valid")
            .advisory
    })
}

/// The advisory that names this exact release.
pub fn advisory_for(v: Version) -> Option<&'static Advisory> {
    advisories().iter().find(|a| a.versions.contains(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_loads_and_agrees() {
        let r = releases();
        assert_eq!(r.known(Version(1, 82, 6)), Known::Released);
        assert_eq!(r.known(Version(1, 97, 1)), Known::DockerOnly);
        assert_eq!(r.known(Version(1, 95, 77)), Known::NeverReleased);
        assert_eq!(r.known(Version(1, 200, 0)), Known::NewerThanList);
        // Every release an advisory names is absent from PyPI (they were all pulled).
        for a in advisories() {
            for v in &a.versions {
                assert_eq!(r.known(*v), Known::NeverReleased, "{} {v}", a.id);
            }
        }
        let bad = |v: Version| advisory_for(v).is_some();
        assert_eq!(
            r.neighbours(Version(1, 82, 7), bad),
            (Some(Version(1, 82, 6)), Some(Version(1, 83, 0)))
        );
    }
}
