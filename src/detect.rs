//! Finds the LiteLLM version a deployment runs: pins in requirements/pyproject/lock files and
//! image tags in Dockerfiles, compose files, Helm values and CI workflows (`design.md`, "The
//! LiteLLM version"). Version detection reads files, never the linting machine's environment.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::version::Version;

/// One place that names a LiteLLM version (or a rolling tag, `version: None`).
#[derive(Clone, Debug)]
pub struct Pin {
    pub version: Option<Version>,
    pub raw: String,
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
}

pub fn is_pin_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let in_workflows = path
        .parent()
        .is_some_and(|p| p.ends_with(".github/workflows"));
    (lower.starts_with("requirements") && lower.ends_with(".txt"))
        || matches!(
            lower.as_str(),
            "pyproject.toml" | "uv.lock" | "poetry.lock" | "pipfile.lock" | ".gitlab-ci.yml"
        )
        || lower.starts_with("dockerfile")
        || lower.ends_with(".dockerfile")
        || crate::source::is_compose_name(path)
        || (in_workflows && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || (lower.starts_with("values") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

/// `litellm==X`, `litellm[proxy]==X` (pip, uv, pipx, requirements), and poetry's and uv's
/// `litellm@X` / `litellm@==X` (`poetry add`, `uvx`); not ranges such as `litellm@^1.81`.
fn pip_pin() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"(?i)(?:^|[\s"'=,\[(])litellm(?:\[[^\]]*\])?(?:\s*===?|@(?:===?)?)\s*v?(\d+\.\d+(?:\.\d+)?)"#,
    )
}
fn poetry_pin() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"^\s*litellm\s*=\s*(?:\{[^}]*version\s*=\s*)?["'](?:==)?(\d+\.\d+\.\d+)["']"#,
    )
}
fn image() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)(?:ghcr\.io/berriai/litellm[\w-]*|(?:docker\.io/)?(?:litellm|berriai)/litellm[\w-]*)(?::([\w.-]+))?",
    )
}
fn helm_tag() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r#"^\s*tag:\s*["']?([\w.-]+)["']?\s*(?:#.*)?$"#)
}

/// Pins named in one file's text.
pub fn pins_in(path: &Path, text: &str) -> Vec<Pin> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut push = |version: Option<Version>, raw: &str, line: usize| {
        out.push(Pin {
            version,
            raw: raw.trim().to_string(),
            file: path.to_path_buf(),
            line: line + 1,
        })
    };
    if name == "uv.lock" || name == "poetry.lock" {
        for (i, l) in lines.iter().enumerate() {
            if l.trim() == "name = \"litellm\""
                && let Some((j, v)) =
                    lines
                        .iter()
                        .enumerate()
                        .skip(i + 1)
                        .take(3)
                        .find_map(|(j, l)| {
                            l.trim()
                                .strip_prefix("version = \"")
                                .map(|v| (j, v.trim_end_matches('"')))
                        })
            {
                push(Version::parse(v), lines[j], j);
            }
        }
        return out;
    }
    if name == "pipfile.lock" {
        for (i, l) in lines.iter().enumerate() {
            if l.trim_start().starts_with("\"litellm\": {")
                && let Some((j, v)) =
                    lines
                        .iter()
                        .enumerate()
                        .skip(i + 1)
                        .take(12)
                        .find_map(|(j, l)| {
                            l.trim()
                                .strip_prefix("\"version\": \"==")
                                .map(|v| (j, v.trim_end_matches([',', '"'])))
                        })
            {
                push(Version::parse(v), lines[j], j);
            }
        }
        return out;
    }
    for (i, l) in lines.iter().enumerate() {
        let code = l.split(" #").next().unwrap_or(l);
        if code.trim_start().starts_with('#') {
            continue;
        }
        if let Some(c) = pip_pin().captures(code) {
            push(Version::parse(&c[1]), l, i);
            continue;
        }
        if name == "pyproject.toml" {
            if let Some(c) = poetry_pin().captures(code) {
                push(Version::parse(&c[1]), l, i);
            }
            continue;
        }
        if let Some(c) = image().captures(code) {
            // Skip prose mentions of the project (e.g. a URL to the repository).
            if code.contains("github.com/") {
                continue;
            }
            match c.get(1) {
                Some(tag) => push(Version::from_tag(tag.as_str()), l, i),
                None => {
                    // Helm values: `repository: ghcr.io/berriai/litellm` with `tag:` nearby.
                    let near = lines
                        .iter()
                        .enumerate()
                        .skip(i.saturating_sub(4))
                        .take(9)
                        .find_map(|(j, t)| helm_tag().captures(t).map(|c| (j, c[1].to_string())));
                    match near {
                        Some((j, tag)) => push(Version::from_tag(&tag), lines[j], j),
                        None => push(None, l, i),
                    }
                }
            }
        }
    }
    out
}

/// Pin files next to (and above, up to the repository root) the files named explicitly.
/// Pin files under checked folders come from the same walk that finds the configs.
pub fn pin_files_near(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in files {
        let mut dir = p.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            let d = if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d
            };
            for sub in [d.clone(), d.join(".github").join("workflows")] {
                if let Ok(rd) = std::fs::read_dir(&sub) {
                    out.extend(
                        rd.flatten()
                            .map(|e| e.path())
                            .filter(|f| f.is_file() && is_pin_file(f)),
                    );
                }
            }
            if d.join(".git").exists() {
                break;
            }
            dir = d
                .canonicalize()
                .ok()
                .and_then(|c| c.parent().map(Path::to_path_buf));
            if dir.as_ref().is_some_and(|x| x == Path::new("/")) {
                break;
            }
        }
    }
    out
}

/// The pins named in these files (sorted and deduplicated first).
pub fn detect(mut files: Vec<PathBuf>) -> Vec<Pin> {
    files.sort();
    files.dedup();
    let mut pins = Vec::new();
    for f in files {
        let Ok(meta) = std::fs::metadata(&f) else {
            continue;
        };
        if meta.len() > 4 * 1024 * 1024 {
            continue;
        }
        if let Ok(text) = crate::source::read_bounded(&f) {
            pins.extend(pins_in(&f, &text));
        }
    }
    pins
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(path: &str, text: &str) -> Vec<Option<Version>> {
        pins_in(Path::new(path), text)
            .into_iter()
            .map(|p| p.version)
            .collect()
    }

    #[test]
    fn pins_of_every_kind() {
        assert_eq!(
            v("requirements.txt", "openai==1.0\nlitellm[proxy]==1.81.1\n"),
            vec![Some(Version(1, 81, 1))]
        );
        assert_eq!(v("requirements-dev.txt", "litellm>=1.80\n"), vec![]);
        assert_eq!(
            v("pyproject.toml", "dependencies = [\"litellm==1.83.9\"]\n"),
            vec![Some(Version(1, 83, 9))]
        );
        assert_eq!(
            v(
                "pyproject.toml",
                "[tool.poetry.dependencies]\nlitellm = \"1.80.17\"\n"
            ),
            vec![Some(Version(1, 80, 17))]
        );
        assert_eq!(
            v(
                "uv.lock",
                "[[package]]\nname = \"litellm\"\nversion = \"1.95.0\"\n"
            ),
            vec![Some(Version(1, 95, 0))]
        );
        assert_eq!(
            v(
                "Pipfile.lock",
                "  \"litellm\": {\n    \"hashes\": [],\n    \"version\": \"==1.82.1\"\n  },\n"
            ),
            vec![Some(Version(1, 82, 1))]
        );
        assert_eq!(
            v(
                "Dockerfile",
                "FROM ghcr.io/berriai/litellm:main-v1.81.1-stable\n"
            ),
            vec![Some(Version(1, 81, 1))]
        );
        assert_eq!(
            v(
                "docker-compose.yml",
                "services:\n  proxy:\n    image: ghcr.io/berriai/litellm-database:main-latest\n"
            ),
            vec![None]
        );
        assert_eq!(
            v(
                "ci.yml",
                "      - run: pip install 'litellm[proxy]==1.80.12'\n"
            ),
            vec![Some(Version(1, 80, 12))]
        );
        assert_eq!(
            v(
                "values.yaml",
                "image:\n  repository: ghcr.io/berriai/litellm\n  tag: v1.83.9-stable\n"
            ),
            vec![Some(Version(1, 83, 9))]
        );
    }
    #[test]
    fn install_spellings() {
        let v181 = vec![Some(Version(1, 81, 0))];
        for line in [
            "pip install litellm==1.81.0",
            "pip3 install --no-cache-dir -q litellm==1.81.0",
            "python -m pip install \"litellm[proxy]==1.81.0\"",
            "python3 -m pip install -U 'litellm==1.81.0'",
            "uv pip install --system litellm==1.81.0",
            "uv add litellm==1.81.0",
            "pipx install litellm==1.81.0",
            "pipx install 'litellm[proxy]==1.81.0'",
            "poetry add litellm@1.81.0",
            "poetry add litellm@==1.81.0",
            "poetry add 'litellm[proxy]@1.81.0'",
            "poetry add litellm==1.81.0",
            "uvx litellm@1.81.0 --config c.yaml",
            "RUN --mount=type=cache,target=/root/.cache pip install litellm==1.81.0 --upgrade",
        ] {
            assert_eq!(v("Dockerfile", line), v181, "{line}");
        }
        // Ranges and other packages are not pins.
        for line in [
            "poetry add litellm@^1.81.0",
            "poetry add litellm@~1.81.0",
            "pip install litellm-proxy-extras==1.81.0",
            "pip install 'litellm>=1.81.0'",
            "pip install git+https://github.com/BerriAI/litellm@v1.81.0",
        ] {
            assert_eq!(v("Dockerfile", line), vec![], "{line}");
        }
    }

    #[test]
    fn image_tag_spellings() {
        for tag in [
            "v1.107.0",
            "main-v1.107.0",
            "main-v1.107.0-stable",
            "v1.107.0-stable",
            "1.107.0",
        ] {
            let want = vec![Some(Version(1, 107, 0))];
            assert_eq!(
                v(
                    "Dockerfile",
                    &format!("FROM --platform=linux/amd64 ghcr.io/berriai/litellm:{tag} AS base\n")
                ),
                want,
                "{tag}"
            );
            assert_eq!(
                v(
                    "docker-compose.yml",
                    &format!("services:\n  p:\n    image: ghcr.io/berriai/litellm:{tag}\n")
                ),
                want,
                "{tag}"
            );
            assert_eq!(
                v(
                    "values.yaml",
                    &format!("image:\n  repository: ghcr.io/berriai/litellm\n  tag: \"{tag}\"\n")
                ),
                want,
                "{tag}"
            );
            assert_eq!(
                v(
                    "ci.yml",
                    &format!("    container: ghcr.io/berriai/litellm:{tag}\n")
                ),
                want,
                "{tag}"
            );
        }
    }
}
