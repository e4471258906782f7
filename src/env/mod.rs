//! Environments: the ways a deployment runs the proxy (`design.md`, "Environments").
//!
//! An environment is found in a file: a docker-compose service running the LiteLLM image
//! ([`compose`]), a Dockerfile built from it ([`dockerfile`]), a GitHub Actions or GitLab CI
//! job that starts the proxy ([`ci`]), a Helm values file with `proxy_config` ([`helm`]), or it
//! is described explicitly (`--env-file`, or an [`EnvSpec`] built from litellm-lint's own
//! configuration). Each records, with spans: the config file(s) it loads, the LiteLLM version
//! it runs, the LiteLLM image it pulls, the environment variable names it provides, and what its
//! packaging puts into the container (mounts and copies). Rules LL401–LL405 compare them;
//! LL601 reports secrets found while reading them. Nothing here reads the environment of the
//! machine that runs the linter.

pub mod ci;
pub mod compose;
pub mod dockerfile;
pub mod dotenv;
pub mod helm;
pub mod shell;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::check::Workspace;
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::rules::{self, Context};
use crate::source::{FileId, SourceMap, Span};
use crate::version::{Version, VersionContext};
use crate::yaml::Node;

/// Where an environment runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EnvKind {
    /// On a developer's machine: docker compose, `litellm --config` by hand.
    Local,
    /// A CI job that starts the proxy or tests against it.
    Ci,
    /// A deployment: Helm values, a production compose file, an image built from a Dockerfile.
    Deploy,
}

impl EnvKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvKind::Local => "local",
            EnvKind::Ci => "ci",
            EnvKind::Deploy => "deploy",
        }
    }
    pub fn parse(s: &str) -> Option<EnvKind> {
        match s {
            "local" => Some(EnvKind::Local),
            "ci" => Some(EnvKind::Ci),
            "deploy" => Some(EnvKind::Deploy),
            _ => None,
        }
    }
}

/// A config file an environment loads.
#[derive(Clone, Debug)]
pub struct ConfigUse {
    /// The file on the host (in the repository).
    pub path: PathBuf,
    /// Where the environment names it (a `--config` argument, a volume, `CONFIG_FILE_PATH`,
    /// the `proxy_config` key).
    pub span: Span,
    /// The path inside the container, when the proxy runs in one.
    pub container_path: Option<String>,
    /// The loaded config file, once resolved.
    pub file: Option<FileId>,
}

/// A LiteLLM version named by an environment (`version: None` for a rolling tag).
#[derive(Clone, Debug)]
pub struct Pin {
    pub version: Option<Version>,
    /// The text that names it (`main-v1.81.0-stable`, `litellm[proxy]==1.81.0`).
    pub raw: String,
    pub span: Span,
}

/// A reference to a LiteLLM image.
#[derive(Clone, Debug)]
pub struct ImageUse {
    /// As written (without the tag).
    pub repository: String,
    /// The tag; `None` when there is none (`latest` is implied) or it comes from a variable
    /// without a default.
    pub tag: Option<String>,
    /// Pinned by digest (`@sha256:...`).
    pub digest: bool,
    /// The tag is written through a variable (`${TAG}`); unknown, not unpinned.
    pub variable: bool,
    /// Helm: no tag, so the chart's `appVersion` decides (a pinned version).
    pub chart_default: bool,
    pub span: Span,
}

impl ImageUse {
    /// A tag that names no fixed release: none, `latest`, `main-latest`, `main-stable`, ...
    pub fn is_unpinned(&self) -> bool {
        if self.digest || self.variable || self.chart_default {
            return false;
        }
        match &self.tag {
            None => true,
            Some(t) => tag_version(t).is_none(),
        }
    }
}

/// The environment variable names an environment provides.
#[derive(Clone, Debug, Default)]
pub struct Provides {
    /// Each name and the first place that provides it.
    pub names: Vec<(String, Span)>,
    /// The environment may provide names not listed (a Kubernetes Secret, CI variables set in
    /// the GitLab UI, a runtime `docker run -e`): why, when it may.
    pub open: Option<String>,
}

impl Provides {
    pub fn add(&mut self, name: &str, span: Span) {
        if !self.names.iter().any(|(n, _)| n == name) {
            self.names.push((name.to_string(), span));
        }
    }
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|(n, _)| n == name)
    }
    pub fn extend(&mut self, other: &Provides) {
        for (n, s) in &other.names {
            self.add(n, *s);
        }
        if self.open.is_none() {
            self.open.clone_from(&other.open);
        }
    }
    pub fn open(&mut self, why: impl Into<String>) {
        if self.open.is_none() {
            self.open = Some(why.into());
        }
    }
}

/// Something a packaging puts into the container: a bind mount, a `COPY`, a ConfigMap.
#[derive(Clone, Debug)]
pub struct Mount {
    /// The host path, when known.
    pub host: Option<PathBuf>,
    /// The path in the container.
    pub target: String,
    /// A folder (everything under `target` comes from `host`) rather than one file.
    pub dir: bool,
    pub span: Span,
    /// `volume`, `COPY`, `ConfigMap`, ...
    pub how: &'static str,
}

/// A `${NAME}` that compose substitutes from its interpolation source (`.env`, the shell, the
/// CI job's environment).
#[derive(Clone, Debug)]
pub struct Interp {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Environment {
    /// More than one proxy process: how many, where that is said, and how it is said
    /// (`replicaCount: 3`, `--num_workers 4`, `deploy.replicas: 2`).
    pub replicas: Option<(u64, Span, String)>,
    /// Stable identifier: `<file>#<service or job>`.
    pub id: String,
    /// How messages name it: "compose service `litellm`", "workflow job `test`".
    pub name: String,
    pub kind: EnvKind,
    /// Where it is defined.
    pub span: Span,
    /// Found in a file the user asked to check (or described explicitly), not only next to a
    /// named file.
    pub in_scope: bool,
    pub configs: Vec<ConfigUse>,
    /// The proxy runs in a container (paths of `--config` are container paths).
    pub container: bool,
    /// The container's working folder (`/app` for the LiteLLM images).
    pub workdir: Option<String>,
    pub mounts: Vec<Mount>,
    pub version: Option<Pin>,
    pub images: Vec<ImageUse>,
    pub provides: Provides,
    /// `${NAME}` substitutions the environment's definition needs.
    pub interpolation: Vec<Interp>,
    /// What the substitutions are taken from, when known.
    pub interpolation_source: Option<(String, Provides)>,
    /// The folder the environment belongs to (a compose file's folder, the repository root of
    /// a workflow): environments compare with each other only within one such tree.
    pub home: PathBuf,
    /// The whole definition (a compose service's mapping), when it has one.
    pub body: Option<Span>,
    /// Names passed on from the runner (`docker run -e NAME`) that the runner does not set.
    pub unset_passthrough: Vec<String>,
    /// The environment is the config file itself (Helm values): the ConfigMap renders only
    /// `proxy_config`.
    pub inline_config: bool,
    /// Where the proxy of this environment answers: (host, port) pairs a client URL may name
    /// (a compose service name and its container port, `localhost` and each published port).
    pub addresses: Vec<(String, u16)>,
}

impl Environment {
    /// Whether two environments belong to one project: one's folder is inside the other's.
    pub fn related(&self, other: &Environment) -> bool {
        self.home.starts_with(&other.home) || other.home.starts_with(&self.home)
    }

    pub fn new(id: String, name: String, kind: EnvKind, span: Span) -> Self {
        Environment {
            replicas: None,
            id,
            name,
            kind,
            span,
            in_scope: true,
            configs: vec![],
            container: false,
            workdir: None,
            mounts: vec![],
            version: None,
            images: vec![],
            provides: Provides::default(),
            interpolation: vec![],
            interpolation_source: None,
            home: PathBuf::new(),
            body: None,
            unset_passthrough: vec![],
            inline_config: false,
            addresses: vec![],
        }
    }

    /// Records the config at `container_path` (a `--config` argument or `CONFIG_FILE_PATH`)
    /// when a mount maps it to a host file. Returns whether it did.
    pub fn use_container_config(&mut self, container_path: String, span: Span) -> bool {
        let Some((path, _)) = self.host_path(&container_path) else {
            return false;
        };
        self.configs.push(ConfigUse {
            path,
            span,
            container_path: Some(container_path),
            file: None,
        });
        true
    }

    /// The environment runs this image (as `parse_image` split it) in a container.
    pub fn run_image(
        &mut self,
        (repository, tag, digest, variable): (String, Option<String>, bool, bool),
        span: Span,
    ) {
        self.container = true;
        self.workdir = Some("/app".into());
        self.version = Some(Pin {
            version: tag.as_deref().and_then(tag_version),
            raw: tag.clone().unwrap_or_else(|| "latest".into()),
            span,
        });
        self.images.push(ImageUse {
            repository,
            tag,
            digest,
            variable,
            chart_default: false,
            span,
        });
    }

    /// Maps a container path to the host path it comes from, through the mounts (the last
    /// matching mount wins, as later mounts shadow earlier ones).
    pub fn host_path(&self, container_path: &str) -> Option<(PathBuf, &Mount)> {
        let target = self.container_abs(container_path);
        self.mounts.iter().rev().find_map(|m| {
            let host = m.host.as_ref()?;
            let t = normalize(Path::new(&m.target));
            if t == target {
                return Some((host.clone(), m));
            }
            if m.dir
                && let Ok(rest) = target.strip_prefix(&t)
            {
                return Some((normalize(&host.join(rest)), m));
            }
            None
        })
    }

    /// A container path made absolute against the working folder.
    pub fn container_abs(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&Path::new(self.workdir.as_deref().unwrap_or("/")).join(path))
        }
    }

    /// Whether something is in the container at this path (a mount or copy of it or of a
    /// folder above it).
    pub fn ships(&self, container_path: &Path) -> bool {
        self.mounts.iter().any(|m| {
            let t = normalize(Path::new(&m.target));
            t == container_path || (m.dir && container_path.starts_with(&t))
        })
    }
}

/// An environment described explicitly: `--env-file PATH`, or an `[environments.NAME]` table of
/// litellm-lint's own configuration (convert it with [`EnvSpec::from_toml`]). A spec whose
/// `name` is the id of a discovered environment (`docker-compose.yml#litellm`) overrides what
/// it sets.
#[derive(Clone, Debug, Default)]
pub struct EnvSpec {
    pub name: String,
    pub kind: Option<EnvKind>,
    /// Config files it loads (relative to `base`); none: every checked config.
    pub configs: Vec<PathBuf>,
    pub litellm_version: Option<String>,
    /// `.env`-style files whose variable names it provides (relative to `base`).
    pub env_files: Vec<PathBuf>,
    /// Variable names it provides.
    pub provides: Vec<String>,
    /// It may provide names not listed (a secret manager, a Kubernetes Secret).
    pub provides_any: bool,
    /// Where it is described (its file appears in labels), and what relative paths are
    /// relative to.
    pub file: Option<PathBuf>,
    pub base: PathBuf,
}

impl EnvSpec {
    /// `--env-file PATH`: an environment providing the names the file sets. A
    /// `CONFIG_FILE_PATH=...` line names its config; otherwise it loads every checked config.
    pub fn from_env_file(path: &Path) -> EnvSpec {
        EnvSpec {
            name: crate::check::display_path(path),
            env_files: vec![path.to_path_buf()],
            file: Some(path.to_path_buf()),
            base: std::env::current_dir().unwrap_or_default(),
            ..EnvSpec::default()
        }
    }

    /// An `[environments.NAME]` table: `kind = "local"|"ci"|"deploy"`, `configs = [paths]`,
    /// `litellm-version = "1.81.0"`, `env-files = [paths]`, `provides = [names]`,
    /// `provides-any = true`. Paths are relative to the folder of `file`.
    pub fn from_toml(name: &str, table: &toml::Table, file: &Path) -> Result<EnvSpec, String> {
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let strings = |key: &str| -> Result<Vec<String>, String> {
            match table.get(key) {
                None => Ok(vec![]),
                Some(toml::Value::String(s)) => Ok(vec![s.clone()]),
                Some(toml::Value::Array(a)) => a
                    .iter()
                    .map(|v| {
                        v.as_str().map(str::to_string).ok_or_else(|| {
                            format!("`environments.{name}.{key}` must be a list of strings")
                        })
                    })
                    .collect(),
                Some(_) => Err(format!(
                    "`environments.{name}.{key}` must be a list of strings"
                )),
            }
        };
        let mut spec = EnvSpec {
            name: name.to_string(),
            file: Some(file.to_path_buf()),
            base: base.clone(),
            ..EnvSpec::default()
        };
        for key in table.keys() {
            match key.as_str() {
                "kind" => {
                    let k = table[key]
                        .as_str()
                        .and_then(EnvKind::parse)
                        .ok_or_else(|| {
                            format!(
                                "`environments.{name}.kind` must be \"local\", \"ci\" or \"deploy\""
                            )
                        })?;
                    spec.kind = Some(k);
                }
                "configs" | "config" => {
                    spec.configs = strings(key)?.into_iter().map(PathBuf::from).collect();
                }
                "litellm-version" => {
                    let v = table[key].as_str().filter(|v| Version::parse(v).is_some());
                    spec.litellm_version = Some(
                        v.ok_or_else(|| {
                            format!("`environments.{name}.litellm-version` must be a version like \"1.81.1\"")
                        })?
                        .to_string(),
                    );
                }
                "env-files" | "env-file" => {
                    spec.env_files = strings(key)?.into_iter().map(PathBuf::from).collect();
                }
                "provides" => spec.provides = strings(key)?,
                "provides-any" => {
                    spec.provides_any = table[key].as_bool().ok_or_else(|| {
                        format!("`environments.{name}.provides-any` must be true or false")
                    })?;
                }
                other => {
                    return Err(format!(
                        "unknown key `environments.{name}.{other}` (the keys are kind, configs, litellm-version, env-files, provides, provides-any)"
                    ));
                }
            }
        }
        Ok(spec)
    }
}

/// What discovery starts from.
pub struct Inputs<'a> {
    /// The paths named on the command line.
    pub paths: &'a [PathBuf],
    /// YAML files found (`true`: named explicitly).
    pub files: &'a [(PathBuf, bool)],
    /// Version pin files found by the walk (Dockerfiles, compose files, workflows, ...).
    pub pin_files: &'a [PathBuf],
    /// Environments described explicitly.
    pub specs: &'a [EnvSpec],
    /// `--litellm-version` was given: configs are judged at that version only.
    pub version_override: bool,
}

/// Every environment of one run, and what the environment rules need.
pub struct Environments {
    pub envs: Vec<Environment>,
    /// Configs loaded only because an environment names them (their own rules do not run).
    pub extra_configs: Vec<Config>,
    /// The configs whose rules run (not included by another one).
    pub checked: HashSet<FileId>,
    /// Environment files read (counted as checked).
    pub files_checked: usize,
    /// Secrets found in configs and environment files (LL601).
    pub secrets: Vec<crate::rules::ll601_hardcoded_secret::Finding>,
    /// URL-valued variables that compose sets for its services (`NAME`, value): a client whose
    /// base URL comes from `NAME` talks to that URL.
    pub url_vars: Vec<(String, String)>,
    version_override: bool,
}

/// `file:line` of a pin, as `VersionContext.source` gives it.
pub fn pin_source(sources: &SourceMap, p: &Pin) -> String {
    let f = sources.get(p.span.file);
    format!(
        "{}:{}",
        crate::check::display_path(&f.path),
        f.line_col(p.span.start).line
    )
}

/// Lexically normalizes a path: drops `.` and folds `..` where it can.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(out.components().next_back(), Some(Component::RootDir)) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| normalize(p))
}

/// What kind of environment file a path is, by name (and, for YAML named explicitly, by its
/// content).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Compose,
    GithubWorkflow,
    GitlabCi,
    Dockerfile,
}

fn kind_by_name(path: &Path) -> Option<FileKind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if name.starts_with("dockerfile") || name.ends_with(".dockerfile") {
        return Some(FileKind::Dockerfile);
    }
    if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" {
        return Some(FileKind::GitlabCi);
    }
    if yaml
        && path
            .parent()
            .is_some_and(|p| p.ends_with(".github/workflows"))
    {
        return Some(FileKind::GithubWorkflow);
    }
    if crate::source::is_compose_name(path) {
        return Some(FileKind::Compose);
    }
    None
}

/// A YAML file's kind by content: a top-level `services:` mapping (compose), `jobs:` with
/// `runs-on`/`steps` (GitHub Actions), jobs with `script:` (GitLab CI).
fn kind_by_content(root: &Node) -> Option<FileKind> {
    if let Some(jobs) = root.get("jobs").and_then(Node::as_map)
        && jobs
            .iter()
            .any(|j| j.value.get("runs-on").is_some() || j.value.get("steps").is_some())
    {
        return Some(FileKind::GithubWorkflow);
    }
    if let Some(services) = root.get("services").and_then(Node::as_map)
        && services.iter().any(|s| {
            s.value.get("image").is_some()
                || s.value.get("build").is_some()
                || s.value.get("command").is_some()
        })
    {
        return Some(FileKind::Compose);
    }
    if root.get("stages").is_some()
        && root
            .as_map()?
            .iter()
            .any(|e| e.value.get("script").is_some())
    {
        return Some(FileKind::GitlabCi);
    }
    None
}

/// Variable names and where each is set.
pub type NameList = Vec<(String, Span)>;

/// What the parsers of each file kind need.
pub struct Host<'a> {
    pub ws: &'a mut Workspace,
    /// Canonical path of every loaded file (filled as files are looked up).
    canon: HashMap<PathBuf, FileId>,
    /// How many files of the source map `canon` covers.
    indexed: usize,
}

impl Host<'_> {
    pub fn sources(&self) -> &SourceMap {
        &self.ws.sources
    }
    pub fn sources_mut(&mut self) -> &mut SourceMap {
        &mut self.ws.sources
    }

    fn find_loaded(&mut self, path: &Path) -> Option<FileId> {
        if let Some(id) = self.ws.sources.find(path) {
            return Some(id);
        }
        while self.indexed < self.ws.sources.len() {
            let id = FileId(self.indexed as u32);
            self.canon
                .entry(canonical(&self.ws.sources.get(id).path))
                .or_insert(id);
            self.indexed += 1;
        }
        self.canon.get(&canonical(path)).copied()
    }

    /// A YAML file's id and root, loading it once.
    pub fn yaml(&mut self, path: &Path) -> Option<(FileId, Option<Node>)> {
        if let Some(id) = self.find_loaded(path)
            && let Some((_, doc)) = self.ws.docs.iter().find(|(f, _)| *f == id)
        {
            return Some((id, doc.root.clone()));
        }
        if !path.is_file() {
            return None;
        }
        let loaded = self.ws.load_yaml(path, None, false)?;
        let root = loaded.doc.as_ref().and_then(|d| d.root.clone());
        if let Some(doc) = loaded.doc {
            self.ws.docs.push((loaded.file, doc));
        }
        Some((loaded.file, root))
    }

    /// A text file (Dockerfile, `.env`), loaded once.
    pub fn text(&mut self, path: &Path) -> Option<FileId> {
        if let Some(id) = self.find_loaded(path) {
            return Some(id);
        }
        let text = Workspace::read(path).ok()?;
        Some(self.ws.sources.add(path.to_path_buf(), text))
    }

    /// The names a `.env`-style file sets, or `None` when it does not exist.
    pub fn env_file(&mut self, path: &Path) -> Option<(FileId, Vec<(String, Span)>)> {
        let id = self.text(path)?;
        Some((id, dotenv::names(self.sources_mut(), id)))
    }

    /// The names of an env file; when it does not exist, those of a committed template next to
    /// it (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`), else `None`.
    pub fn env_file_or_template(&mut self, path: &Path) -> Option<(PathBuf, FileId, NameList)> {
        if let Some((id, names)) = self.env_file(path) {
            return Some((path.to_path_buf(), id, names));
        }
        let name = path.file_name()?.to_str()?.to_string();
        for suffix in [".example", ".sample", ".template", ".dist"] {
            let t = path.with_file_name(format!("{name}{suffix}"));
            if let Some((id, names)) = self.env_file(&t) {
                return Some((t, id, names));
            }
        }
        None
    }
}

/// Resolves `${NAME:-default}` / `${NAME-default}` to the default, and `$PWD`-like variables
/// (`$(pwd)`, `${{ github.workspace }}`, `$CI_PROJECT_DIR`) to `.`: the result is relative to
/// the folder the command runs in. `None` when another variable stays.
pub fn expand_path_vars(s: &str) -> Option<String> {
    let mut out = s.to_string();
    for v in [
        "${{ github.workspace }}",
        "${{github.workspace}}",
        "$(pwd)",
        "${PWD}",
        "$PWD",
        "${GITHUB_WORKSPACE}",
        "$GITHUB_WORKSPACE",
        "${CI_PROJECT_DIR}",
        "$CI_PROJECT_DIR",
    ] {
        out = out.replace(v, ".");
    }
    while let Some(i) = out.find("${") {
        let end = i + out[i..].find('}')?;
        let inner = &out[i + 2..end];
        let default = inner
            .split_once(":-")
            .or_else(|| inner.split_once('-'))
            .map(|(_, d)| d.to_string())?;
        out.replace_range(i..=end, &default);
    }
    (!out.contains('$')).then_some(out)
}

/// A `host:container[:mode]` volume string, split (colons inside `${...}` and a Windows
/// drive letter are not separators).
pub fn split_volume(s: &str) -> Option<(String, String)> {
    let mut parts: Vec<String> = vec![String::new()];
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().expect("one part").push(c);
    }
    match parts.as_slice() {
        [host, target] | [host, target, _] => Some((host.clone(), target.clone())),
        [drive, rest, target, ..] if drive.len() == 1 => {
            Some((format!("{drive}:{rest}"), target.clone()))
        }
        _ => None,
    }
}

/// The version an image tag names: [`Version::from_tag`], else a `vX.Y.Z` inside the tag
/// (`litellm_stable_release_branch-v1.57.8-stable`). Rolling tags give `None`.
pub fn tag_version(tag: &str) -> Option<Version> {
    Version::from_tag(tag).or_else(|| {
        let i = tag.find("-v").map(|i| i + 2)?;
        let rest = &tag[i..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let core = rest[..end].trim_end_matches('.');
        (core.matches('.').count() == 2).then(|| Version::parse(core))?
    })
}

/// Whether a volume source is a host path (not a named volume).
pub fn is_host_path(s: &str) -> bool {
    s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.starts_with('$')
        || s.contains('/')
}

/// A LiteLLM image reference: `ghcr.io/berriai/litellm*`, `docker.litellm.ai/berriai/litellm*`,
/// `litellm/litellm*`, `berriai/litellm*` (any registry prefix of those), with tag and digest.
pub fn parse_image(s: &str) -> Option<(String, Option<String>, bool, bool)> {
    let s = s.trim().trim_start_matches("docker://");
    let (name, digest) = match s.split_once('@') {
        Some((n, _)) => (n, true),
        None => (s, false),
    };
    let slash = name.rfind('/').unwrap_or(0);
    let (repo, tag) = match name[slash..].find(':') {
        Some(i) => (&name[..slash + i], Some(&name[slash + i + 1..])),
        None => (name, None),
    };
    let lower = repo.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').collect();
    let n = segs.len();
    let ok = n >= 2
        && segs[n - 1].starts_with("litellm")
        && matches!(segs[n - 2], "berriai" | "litellm")
        && (n == 2
            || matches!(
                segs[0],
                "ghcr.io" | "docker.io" | "docker.litellm.ai" | "index.docker.io"
            ));
    if !ok {
        return None;
    }
    let variable = tag.is_some_and(|t| t.contains('$'));
    let tag = match tag {
        Some(t) if t.contains('$') => {
            // `${TAG:-main-v1.81.0}`: the default is what runs without the variable.
            expand_path_vars(t).filter(|d| !d.is_empty())
        }
        Some(t) => Some(t.to_string()),
        None => None,
    };
    Some((repo.to_string(), tag, digest, variable && !digest))
}

impl Environments {
    /// Finds every environment, loads the configs they name, and scans configs and
    /// environment files for secrets.
    pub fn discover(ws: &mut Workspace, configs: &[Config], inputs: &Inputs) -> Environments {
        let mut host = Host {
            ws,
            canon: HashMap::new(),
            indexed: 0,
        };
        // The configs that are checked: not included by another one (unless named).
        let included = host.ws.included.clone();
        let mut checked: HashSet<FileId> = configs
            .iter()
            .filter(|c| {
                let p = &host.sources().get(c.file).path;
                !included.contains(&canonical(p)) || inputs.files.iter().any(|(f, e)| *e && f == p)
            })
            .map(|c| c.file)
            .collect();

        // Files that may define environments: found by the walk or named (in scope), or next to
        // a named file (partners for comparison).
        let mut sources: Vec<(PathBuf, bool)> = Vec::new();
        for (p, _) in inputs.files {
            sources.push((p.clone(), true));
        }
        for p in inputs.pin_files {
            sources.push((p.clone(), true));
        }
        for p in inputs.paths {
            if p.is_file() && kind_by_name(p) == Some(FileKind::Dockerfile) {
                sources.push((p.clone(), true));
            }
        }
        // Files named explicitly (also `--stdin-filename`): their neighbours may run them.
        let named: Vec<PathBuf> = inputs
            .paths
            .iter()
            .filter(|p| !p.is_dir())
            .chain(inputs.files.iter().filter(|(_, e)| *e).map(|(p, _)| p))
            .cloned()
            .collect();
        for p in crate::detect::pin_files_near(&named) {
            sources.push((p, false));
        }
        let mut seen: HashMap<PathBuf, usize> = HashMap::new();
        let mut unique: Vec<(PathBuf, bool)> = Vec::new();
        for (p, scope) in sources {
            let c = canonical(&p);
            match seen.get(&c) {
                Some(&i) => unique[i].1 |= scope,
                None => {
                    seen.insert(c, unique.len());
                    unique.push((p, scope));
                }
            }
        }

        let mut envs: Vec<Environment> = Vec::new();
        let mut url_vars: Vec<(String, String)> = Vec::new();
        let mut built_dockerfiles: HashSet<PathBuf> = HashSet::new();
        let mut env_files: Vec<FileId> = Vec::new();
        let mut scan_files: Vec<FileId> = Vec::new();
        let mut dockerfiles: Vec<(PathBuf, bool)> = Vec::new();
        for (path, in_scope) in &unique {
            let by_name = kind_by_name(path);
            if by_name == Some(FileKind::Dockerfile) {
                dockerfiles.push((path.clone(), *in_scope));
                continue;
            }
            let is_yaml = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yml" | "yaml")
            );
            if !is_yaml {
                continue;
            }
            let Some((file, Some(root))) = host.yaml(path) else {
                continue;
            };
            let kind = by_name.or_else(|| kind_by_content(&root));
            let before = envs.len();
            match kind {
                Some(FileKind::Compose) => {
                    compose::url_values(&root, &mut url_vars);
                    compose::environments(&mut host, file, &root, &mut envs, &mut built_dockerfiles)
                }
                Some(FileKind::GithubWorkflow) => ci::github(&mut host, file, &root, &mut envs),
                Some(FileKind::GitlabCi) => ci::gitlab(&mut host, file, &root, &mut envs),
                _ => {}
            }
            if envs.len() > before || kind.is_some() {
                env_files.push(file);
            }
            // Workflows and compose files are scanned for secrets even when they start no proxy.
            if kind.is_some() && *in_scope {
                scan_files.push(file);
            }
            for e in &mut envs[before..] {
                e.in_scope = *in_scope;
            }
        }
        for (path, in_scope) in dockerfiles {
            if built_dockerfiles.contains(&canonical(&path)) {
                continue;
            }
            let before = envs.len();
            dockerfile::standalone(&mut host, &path, &mut envs);
            for e in &mut envs[before..] {
                e.in_scope = in_scope;
                env_files.push(e.span.file);
            }
        }
        // Helm values: the config file is the environment.
        for cfg in configs {
            if let Some(key) = cfg.helm_key {
                let before = envs.len();
                helm::environment(&mut host, cfg, key, &mut envs);
                for e in &mut envs[before..] {
                    e.in_scope = checked.contains(&cfg.file);
                }
            }
        }
        apply_specs(&mut host, &mut envs, inputs.specs, configs, &checked);

        for e in &mut envs {
            if e.home.as_os_str().is_empty() {
                let p = host.sources().get(e.span.file).path.clone();
                let mut home = compose::folder(&p);
                if home.ends_with(".github/workflows") {
                    home = compose::folder(&compose::folder(&home));
                }
                e.home = canonical(&home);
            }
        }

        // Resolve the configs environments name.
        let mut extra_configs: Vec<Config> = Vec::new();
        let mut by_path: HashMap<PathBuf, FileId> = configs
            .iter()
            .map(|c| (canonical(&host.sources().get(c.file).path), c.file))
            .collect();
        for env in &mut envs {
            for cu in &mut env.configs {
                if cu.file.is_some() {
                    continue;
                }
                let c = canonical(&cu.path);
                if let Some(id) = by_path.get(&c) {
                    cu.file = Some(*id);
                    continue;
                }
                let Some((file, Some(root))) = host.yaml(&cu.path) else {
                    continue;
                };
                let Some((croot, helm)) = config::find_config_root(&root) else {
                    continue;
                };
                let (cfg, _) = config::build_config(file, croot, helm, host.ws);
                by_path.insert(c, file);
                cu.file = Some(file);
                extra_configs.push(cfg);
            }
        }
        // A config that a config loaded for an environment includes is not checked on its own
        // either (the rule loop skips it the same way).
        let included = &host.ws.included;
        checked.retain(|f| {
            let p = &host.ws.sources.get(*f).path;
            !included.contains(&canonical(p)) || inputs.files.iter().any(|(q, e)| *e && q == p)
        });
        // Environments found only next to a named file stay (as partners to compare with); the
        // rules report only where an environment in scope or a checked config is involved.
        envs.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        // Two environments with one name (a job `test` in two workflows): say which file.
        let names: Vec<String> = envs.iter().map(|e| e.name.clone()).collect();
        for e in &mut envs {
            if names.iter().filter(|n| **n == e.name).count() > 1 {
                let file = crate::check::display_path(&host.sources().get(e.span.file).path);
                e.name = format!("{} in `{file}`", e.name);
            }
        }

        // Secrets: in checked configs (and what they include) and in environment files.
        // In compose files, credentials by name count only inside the LiteLLM services (another
        // service's own passwords are not this linter's business); key shapes count anywhere.
        let litellm_bodies: Vec<Span> = envs.iter().filter_map(|e| e.body).collect();
        let mut scan: Vec<(FileId, bool)> = Vec::new();
        for c in configs.iter().filter(|c| checked.contains(&c.file)) {
            scan.push((c.file, c.helm_key.is_none()));
            scan.extend(c.includes.iter().filter_map(|i| i.file.map(|f| (f, true))));
        }
        scan.extend(scan_files.iter().map(|f| (*f, false)));
        for e in envs.iter().filter(|e| e.in_scope) {
            scan.push((e.span.file, false));
            scan.extend(e.images.iter().map(|i| (i.span.file, false)));
        }
        scan.sort();
        scan.dedup_by_key(|x| x.0);
        let mut secrets = Vec::new();
        for (f, is_config) in scan {
            let root = host
                .ws
                .docs
                .iter()
                .find(|(id, _)| *id == f)
                .and_then(|(_, d)| d.root.clone());
            match root {
                Some(root) => {
                    let compose =
                        root.get("services").is_some() && !configs.iter().any(|c| c.file == f);
                    let bodies: Vec<Span> = litellm_bodies
                        .iter()
                        .filter(|b| b.file == f)
                        .copied()
                        .collect();
                    crate::rules::ll601_hardcoded_secret::scan_yaml(
                        host.sources_mut(),
                        &root,
                        is_config,
                        compose.then_some(bodies.as_slice()),
                        &mut secrets,
                    )
                }
                None => crate::rules::ll601_hardcoded_secret::scan_dockerfile(
                    host.sources_mut(),
                    f,
                    &mut secrets,
                ),
            }
        }

        env_files.sort();
        env_files.dedup();
        let files_checked = env_files
            .iter()
            .filter(|f| {
                let p = &host.sources().get(**f).path;
                !configs.iter().any(|c| c.file == **f)
                    && !inputs.files.iter().any(|(q, e)| *e && q == p)
                    && envs.iter().any(|e| e.in_scope && e.span.file == **f)
            })
            .count();
        Environments {
            envs,
            extra_configs,
            checked,
            files_checked,
            secrets,
            url_vars,
            version_override: inputs.version_override,
        }
    }

    /// The versions one config is judged at: those of the environments that load it (each on
    /// its own), plus the detected ones when an environment's version is unknown; the detected
    /// ones when no environment loads it or `--litellm-version` was given.
    pub fn versions_for(
        &self,
        file: FileId,
        detected: &[VersionContext],
        sources: &SourceMap,
    ) -> Vec<VersionContext> {
        if self.version_override {
            return detected.to_vec();
        }
        let users: Vec<&Environment> = self
            .envs
            .iter()
            .filter(|e| e.configs.iter().any(|c| c.file == Some(file)))
            .collect();
        if users.is_empty() {
            // A pin that an environment declares (a compose service's image tag) is the version
            // of the configs that environment runs; a config it does not run borrows nothing.
            let borrowed = |d: &VersionContext| {
                d.source.as_deref().is_some_and(|s| {
                    self.envs.iter().any(|e| {
                        !e.configs.is_empty()
                            && e.version
                                .as_ref()
                                .is_some_and(|p| pin_source(sources, p) == s)
                    })
                })
            };
            if !detected.is_empty() && detected.iter().all(borrowed) {
                return vec![VersionContext::default()];
            }
            return detected.to_vec();
        }
        let mut out: Vec<VersionContext> = Vec::new();
        let mut unknown = false;
        for e in &users {
            match e.version.as_ref().and_then(|p| p.version.map(|v| (v, p))) {
                Some((v, p)) => {
                    if !out.iter().any(|c| c.version == Some(v)) {
                        out.push(VersionContext {
                            version: Some(v),
                            source: Some(pin_source(sources, p)),
                            span: Some(p.span),
                        });
                    }
                }
                // A rolling tag (`main-latest`): this environment runs the newest release,
                // whatever other files of the repository pin.
                None if e.version.is_some() => {
                    if !out.iter().any(|c| c.version.is_none()) {
                        out.push(VersionContext {
                            version: None,
                            source: e.version.as_ref().map(|p| pin_source(sources, p)),
                            span: e.version.as_ref().map(|p| p.span),
                        });
                    }
                }
                None => unknown = true,
            }
        }
        if unknown || out.is_empty() {
            for d in detected {
                if !out.iter().any(|c| c.version == d.version) {
                    out.push(d.clone());
                }
            }
        }
        out
    }

    /// Every config, checked or loaded for an environment.
    pub fn config<'a>(&'a self, configs: &'a [Config], file: FileId) -> Option<&'a Config> {
        configs
            .iter()
            .chain(self.extra_configs.iter())
            .find(|c| c.file == file)
    }

    /// Runs the environment rules (LL401–LL405) and reports secrets (LL601).
    pub fn check(
        &self,
        sources: &SourceMap,
        configs: &[Config],
        today: crate::models::Date,
    ) -> Vec<Diagnostic> {
        let ctx = EnvContext {
            envs: &self.envs,
            all: self,
            configs,
            sources,
            today,
        };
        let mut out = Vec::new();
        rules::ll401_config_drift::check(&ctx, &mut out);
        rules::ll402_env_var_missing::check(&ctx, &mut out);
        rules::ll403_litellm_version_drift::check(&ctx, &mut out);
        rules::ll404_image_unpinned::check(&ctx, &mut out);
        rules::ll405_include_not_shipped::check(&ctx, &mut out);
        rules::ll210_shared_state_missing::check(&ctx, &mut out);
        rules::ll601_hardcoded_secret::report(&self.secrets, sources, &mut out);
        out
    }
}

/// What an environment rule sees.
pub struct EnvContext<'a> {
    pub envs: &'a [Environment],
    pub all: &'a Environments,
    pub configs: &'a [Config],
    pub sources: &'a SourceMap,
    pub today: crate::models::Date,
}

impl EnvContext<'_> {
    pub fn config(&self, file: FileId) -> Option<&Config> {
        self.all.config(self.configs, file)
    }
    pub fn is_checked(&self, file: FileId) -> bool {
        self.all.checked.contains(&file)
    }
    /// The config rules' findings for a config at one version.
    pub fn findings_at(&self, cfg: &Config, v: Version) -> Vec<Diagnostic> {
        let vc = VersionContext {
            version: Some(v),
            source: None,
            span: None,
        };
        rules::run_config_rules(&Context {
            config: cfg,
            sources: self.sources,
            version: &vc,
            today: self.today,
            clients: &[],
            test_suite: false,
            project_names: &rules::NO_NAMES,
            project_streams: None,
            served: true,
            rendered: false,
        })
    }
    pub fn path(&self, file: FileId) -> String {
        crate::check::display_path(&self.sources.get(file).path)
    }
}

fn apply_specs(
    host: &mut Host,
    envs: &mut Vec<Environment>,
    specs: &[EnvSpec],
    configs: &[Config],
    checked: &HashSet<FileId>,
) {
    for spec in specs {
        let file = spec.file.as_ref().and_then(|f| host.text(f));
        let span = file.map(|f| Span::new(f, 0, 0));
        let mut provides = Provides::default();
        for ef in &spec.env_files {
            let p = if ef.is_absolute() || spec.file.as_ref() == Some(ef) {
                ef.clone()
            } else {
                spec.base.join(ef)
            };
            if let Some((_, names)) = host.env_file(&p) {
                for (n, s) in names {
                    provides.add(&n, s);
                }
            }
        }
        for n in &spec.provides {
            provides.add(n, span.unwrap_or_default());
        }
        if spec.provides_any {
            provides.open(format!(
                "environment `{}` is described as providing any variable",
                spec.name
            ));
        }
        let version = spec.litellm_version.as_ref().map(|v| Pin {
            version: Version::parse(v),
            raw: v.clone(),
            span: span.unwrap_or_default(),
        });
        let mut named_configs: Vec<ConfigUse> = spec
            .configs
            .iter()
            .map(|c| ConfigUse {
                path: normalize(&spec.base.join(c)),
                span: span.unwrap_or_default(),
                container_path: None,
                file: None,
            })
            .collect();
        // `CONFIG_FILE_PATH=...` in an env file names the config.
        if named_configs.is_empty()
            && let Some((_, s)) = provides.names.iter().find(|(n, _)| n == "CONFIG_FILE_PATH")
        {
            let f = host.sources().get(s.file);
            let line = f.line_text(f.line_index(s.start));
            if let Some((_, v)) = line.split_once('=') {
                let v = v.trim().trim_matches(['"', '\'']);
                named_configs.push(ConfigUse {
                    path: normalize(&spec.base.join(v)),
                    span: *s,
                    container_path: None,
                    file: None,
                });
            }
        }
        if let Some(e) = envs
            .iter_mut()
            .find(|e| e.id == spec.name || e.name == spec.name)
        {
            if let Some(k) = spec.kind {
                e.kind = k;
            }
            if !named_configs.is_empty() {
                e.configs = named_configs;
            }
            if version.is_some() {
                e.version = version;
            }
            e.provides.extend(&provides);
            if spec.provides_any {
                e.provides.open.clone_from(&provides.open);
            }
            continue;
        }
        let Some(span) = span else { continue };
        let mut e = Environment::new(
            format!("explicit#{}", spec.name),
            format!("environment `{}`", spec.name),
            spec.kind.unwrap_or(EnvKind::Deploy),
            span,
        );
        if named_configs.is_empty() {
            // Every checked config.
            e.configs = configs
                .iter()
                .filter(|c| checked.contains(&c.file))
                .map(|c| ConfigUse {
                    path: host.sources().get(c.file).path.clone(),
                    span,
                    container_path: None,
                    file: Some(c.file),
                })
                .collect();
        } else {
            e.configs = named_configs;
        }
        e.version = version;
        e.provides = provides;
        e.home = canonical(&spec.base);
        envs.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images() {
        let i = parse_image("ghcr.io/berriai/litellm:main-v1.81.0-stable").unwrap();
        assert_eq!(i.1.as_deref(), Some("main-v1.81.0-stable"));
        assert!(parse_image("docker.litellm.ai/berriai/litellm-database:v1.95.0").is_some());
        assert!(parse_image("litellm/litellm:latest").is_some());
        assert!(parse_image("berriai/litellm").unwrap().1.is_none());
        assert!(parse_image("ghcr.io/someone/litellm-wrapper:1").is_none());
        assert!(parse_image("postgres:16").is_none());
        let i = parse_image("ghcr.io/berriai/litellm:${LITELLM_TAG:-main-v1.90.0}").unwrap();
        assert_eq!(i.1.as_deref(), Some("main-v1.90.0"));
        assert!(i.3);
        assert!(parse_image("ghcr.io/berriai/litellm@sha256:abc").unwrap().2);
        assert_eq!(
            tag_version("litellm_stable_release_branch-v1.57.8-stable"),
            Some(Version(1, 57, 8))
        );
        assert_eq!(tag_version("main-latest"), None);
        assert_eq!(
            split_volume("${CFG:-./litellm/config.yaml}:/app/config.yaml:ro"),
            Some((
                "${CFG:-./litellm/config.yaml}".into(),
                "/app/config.yaml".into()
            ))
        );
    }

    #[test]
    fn paths() {
        assert_eq!(
            normalize(Path::new("a/./b/../c.yaml")),
            PathBuf::from("a/c.yaml")
        );
        assert_eq!(normalize(Path::new("./x")), PathBuf::from("x"));
        assert_eq!(
            split_volume("./config.yaml:/app/config.yaml:ro"),
            Some(("./config.yaml".into(), "/app/config.yaml".into()))
        );
        assert_eq!(
            expand_path_vars("${CONFIG:-./c.yaml}").as_deref(),
            Some("./c.yaml")
        );
        assert_eq!(expand_path_vars("${CONFIG}"), None);
        assert_eq!(
            expand_path_vars("$(pwd)/proxy/c.yaml").as_deref(),
            Some("./proxy/c.yaml")
        );
    }
}
