//! One run: discover files, load them once, build the models, run the rules, then apply
//! suppression comments, the selection and severities of litellm-lint's own configuration.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config, IncludeLoader};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, Context};
use crate::settings::{ConfigError, Resolver, RuleSelection, Selector, Settings};
use crate::source::{FileId, SourceMap, Span};
use crate::suppress::Suppressions;
use crate::version::VersionContext;
use crate::yaml::{self, Node, YamlDoc, YamlErrorKind};

/// Files larger than this are not read.
pub use crate::source::MAX_FILE_BYTES;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub stdin: Option<(PathBuf, String)>,
    pub litellm_version: Option<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub extend_select: Vec<String>,
    /// The date deprecations are judged at (default: today, from the system clock).
    pub today: Option<crate::models::Date>,
    /// Environments described explicitly (`--env-file`, litellm-lint's configuration).
    pub environments: Vec<crate::env::EnvSpec>,
}

pub struct Outcome {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub files_checked: usize,
    pub version: VersionContext,
    /// Diagnostics about files that could not be checked (exit code 2).
    pub input_errors: bool,
    /// Problems with paths that have no file to point into (missing paths, walk errors).
    pub path_errors: Vec<String>,
    /// Problems in litellm-lint's own configuration files: nothing was checked (exit code 2).
    pub config_errors: Vec<ConfigError>,
    /// Every YAML file loaded (tree and comments), for locating findings by YAML path.
    pub yaml: HashMap<FileId, YamlDoc>,
    /// The files taken as LiteLLM configs, each with why (`a top-level `model_list``).
    pub configs: Vec<(FileId, String)>,
}

impl Outcome {
    fn config_failure(config_errors: Vec<ConfigError>, path_errors: Vec<String>) -> Outcome {
        Outcome {
            sources: SourceMap::default(),
            diagnostics: vec![],
            files_checked: 0,
            version: VersionContext::default(),
            input_errors: true,
            path_errors,
            config_errors,
            yaml: HashMap::new(),
            configs: vec![],
        }
    }
}

/// Codes of findings about files that could not be checked at all (exit code 2).
pub fn is_input_error(code: &str) -> bool {
    matches!(code, "LL001" | "LL003" | "LL004")
}

pub(crate) struct Loaded {
    pub(crate) file: FileId,
    pub(crate) doc: Option<YamlDoc>,
    explicit: bool,
}

pub struct Workspace {
    pub sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    pub(crate) docs: Vec<(FileId, YamlDoc)>,
    pub(crate) included: HashSet<PathBuf>,
}

fn input_diag(rule: &'static rules::Rule, span: Span, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&rule.meta, span, msg)
}

/// A cheap text check for files that failed to parse: would this have been a config?
/// A Helm values file (`proxy_config:`) is not among them: Helm reads it with Go's YAML parser,
/// which accepts what PyYAML rejects, and renders `proxy_config` anew for the proxy.
fn text_looks_like_config(text: &str) -> bool {
    text.lines().any(|l| {
        config::build::CONFIG_KEYS
            .iter()
            .any(|k| l.starts_with(&format!("{k}:")))
    })
}

/// Whether `path` was named on the command line (not found by walking a folder).
fn named_explicitly(files: &[(PathBuf, bool)], path: &Path) -> bool {
    files.iter().any(|(p, e)| *e && p == path)
}

/// A file of a test suite found by walking a folder: a test folder or name below the folder
/// named on the command line (a file named on the command line, or a folder such as
/// `tests/fixtures/app` named itself, is judged in full).
fn in_test_suite(files: &[(PathBuf, bool)], roots: &[PathBuf], path: &Path) -> bool {
    if named_explicitly(files, path) {
        return false;
    }
    let below = roots
        .iter()
        .filter(|r| r.is_dir())
        .filter_map(|r| path.strip_prefix(r).ok())
        .min_by_key(|p| p.components().count())
        .unwrap_or(path);
    crate::source::is_test_path(below)
}

/// Whether git ignores `path` by a `.gitignore` between it and the repository root: a file the
/// repository means to generate (an include written at run time), not one it forgot.
fn git_ignored(path: &Path) -> bool {
    // The file is missing: resolve its folder, which exists.
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(abs) = parent.canonicalize().map(|p| p.join(name)) else {
        return false;
    };
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let gi = d.join(".gitignore");
        if gi.is_file() {
            let mut b = ignore::gitignore::GitignoreBuilder::new(d);
            b.add(&gi);
            if let Ok(m) = b.build()
                && m.matched_path_or_any_parents(&abs, false).is_ignore()
            {
                return true;
            }
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    false
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            sources: SourceMap::default(),
            diagnostics: vec![],
            docs: vec![],
            included: HashSet::new(),
        }
    }

    /// Reads a file's text; `Err` carries a message for LL003.
    pub(crate) fn read(path: &Path) -> Result<String, String> {
        let bytes = crate::source::read_bytes_bounded(path)?;
        if bytes.iter().take(8192).any(|&b| b == 0) {
            return Err(format!(
                "`{}` looks binary (it contains NUL bytes)",
                path.display()
            ));
        }
        let text = crate::source::utf8(bytes, &format!("`{}`", path.display()))?;
        Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text))
    }

    /// Loads and parses one YAML file. Parse problems become LL001/LL004 when the file matters.
    pub(crate) fn load_yaml(
        &mut self,
        path: &Path,
        text: Option<String>,
        explicit: bool,
    ) -> Option<Loaded> {
        if let Some(id) = self.sources.find(path) {
            let doc = self
                .docs
                .iter()
                .position(|(f, _)| *f == id)
                .map(|i| self.docs.remove(i).1);
            return Some(Loaded {
                file: id,
                doc,
                explicit,
            });
        }
        let text = match text.map(Ok).unwrap_or_else(|| Self::read(path)) {
            Ok(t) => t,
            // Named or found by a walk, a file that cannot be read is reported (exit 2): a
            // silent skip would pass a run that checked nothing.
            Err(msg) => {
                self.unreadable(path, msg);
                return None;
            }
        };
        let id = self.sources.add(path.to_path_buf(), text);
        let src = &self.sources.get(id).text;
        if src.trim().is_empty() {
            if explicit {
                self.diagnostics.push(input_diag(
                    &rules::ll003_file_unreadable::RULE,
                    Span::new(id, 0, 0),
                    "the file is empty: the proxy refuses to start with an empty config (\"Config cannot be None or Empty\")",
                ));
            }
            return Some(Loaded {
                file: id,
                doc: None,
                explicit,
            });
        }
        match yaml::parse(src, id) {
            Ok(doc) => Some(Loaded {
                file: id,
                doc: Some(doc),
                explicit,
            }),
            Err(e) => {
                if explicit || text_looks_like_config(src) {
                    let end = (e.offset + 1).min(src.len());
                    let end = if src.is_char_boundary(end) {
                        end
                    } else {
                        e.offset
                    };
                    let d = match e.kind {
                        YamlErrorKind::Syntax => input_diag(&rules::ll001_yaml_syntax_error::RULE, Span::new(id, e.offset, end), format!("invalid YAML: {}", e.message))
                            .help("PyYAML (the proxy's loader) rejects this file, so the proxy will not start"),
                        YamlErrorKind::TooDeep => input_diag(&rules::ll004_yaml_too_complex::RULE, Span::new(id, e.offset, end), format!("YAML {}", e.message)),
                    };
                    self.diagnostics.push(d);
                }
                Some(Loaded {
                    file: id,
                    doc: None,
                    explicit,
                })
            }
        }
    }
}

/// The project a file belongs to: the closest folder at or above `dir` with a `.git`, else the
/// working directory when `dir` is inside it, else `dir` itself (canonical paths).
fn project_root(dir: &Path) -> PathBuf {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if let Some(git) = dir.ancestors().find(|a| a.join(".git").exists()) {
        return git.to_path_buf();
    }
    match std::env::current_dir().and_then(|c| c.canonicalize()) {
        Ok(cwd) if dir.starts_with(&cwd) => cwd,
        _ => dir,
    }
}

impl IncludeLoader for Workspace {
    fn load_include(&mut self, from: FileId, path: &str) -> Result<(FileId, Option<Node>), String> {
        let base = self
            .sources
            .get(from)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let full = base.join(path);
        if !full.is_file() {
            return Err(format!(
                "included file `{path}` does not exist (looked for `{}`); the proxy stops with FileNotFoundError",
                full.display()
            ));
        }
        let canon = full.canonicalize().unwrap_or(full.clone());
        // Nothing outside the project is read or quoted: not `../../x`, not `/etc/...`.
        let root = project_root(&base);
        if !canon.starts_with(&root) {
            let shown = display_path(&root);
            return Err(format!(
                "included file `{path}` is outside the project (`{}`): not read",
                if shown.is_empty() { "." } else { &shown }
            ));
        }
        self.included.insert(canon);
        let loaded = self
            .load_yaml(&full, None, true)
            .ok_or_else(|| format!("included file `{path}` cannot be read"))?;
        let root = loaded.doc.as_ref().and_then(|d| d.root.clone());
        if let Some(doc) = loaded.doc {
            self.push_duplicates(&doc);
            self.docs.push((loaded.file, doc));
        }
        Ok((loaded.file, root))
    }
}

impl Workspace {
    /// Reports a file that cannot be read (LL003, exit 2).
    fn unreadable(&mut self, path: &Path, msg: String) {
        let id = self.sources.add(path.to_path_buf(), String::new());
        self.diagnostics.push(input_diag(
            &rules::ll003_file_unreadable::RULE,
            Span::new(id, 0, 0),
            msg,
        ));
    }

    fn push_duplicates(&mut self, doc: &YamlDoc) {
        for d in &doc.duplicates {
            self.diagnostics.push(
                input_diag(
                    &rules::ll002_duplicate_key::RULE,
                    d.second,
                    format!(
                        "`{}` is defined twice in this mapping; PyYAML keeps this last value",
                        d.key
                    ),
                )
                .label(
                    d.first,
                    "first defined here; this value is silently dropped",
                )
                .help("delete one of the two entries"),
            );
        }
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Walks a folder the way every discovery does: `.gitignore` honoured (in a repository or
/// not), hidden files included (`.github/workflows`, `.env`), `.git` and symlinks skipped.
pub fn walk(root: &Path) -> ignore::Walk {
    walk_builder(root)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
}

fn walk_builder(root: &Path) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(root);
    b.hidden(false).require_git(false).follow_links(false);
    b
}

/// [`walk`], also skipping what the `exclude` of the closest configuration names (an excluded
/// folder is not entered).
fn walk_excluding(root: &Path, resolver: &Resolver) -> ignore::Walk {
    let r = resolver.clone();
    walk_builder(root)
        .filter_entry(move |e| {
            e.file_name() != ".git" && (e.depth() == 0 || !r.is_excluded(e.path()))
        })
        .build()
}

/// Files that are plainly not YAML: Python sources, TOML, pins and lock files, Dockerfiles,
/// `.env` files.
fn is_other_kind(path: &Path) -> bool {
    let name = crate::source::file_name_lower(path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "py" | "pyi" | "toml" | "txt" | "lock" | "cfg" | "ini" | "md"
    ) || name.starts_with("dockerfile")
        || name.ends_with(".dockerfile")
        || name.starts_with(".env")
}

/// Expands the given paths into YAML files to check (with whether each was named explicitly)
/// and, in the same walk, the files that pin a LiteLLM version.
fn is_python(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py"))
}

/// What a walk finds: YAML candidates (with whether each was named explicitly), version pin
/// files, and Python files (explicitly named or not).
struct Discovered {
    yaml: Vec<(PathBuf, bool)>,
    pins: Vec<PathBuf>,
    python: Vec<(PathBuf, bool)>,
    /// Shell scripts and entrypoints: where a config may be rendered before the proxy reads it.
    scripts: Vec<PathBuf>,
    /// Dotenv files the walk found (so not git-ignored): committed secrets (LL601).
    dotenv: Vec<PathBuf>,
}

fn discover(paths: &[PathBuf], resolver: &Resolver, errors: &mut Vec<String>) -> Discovered {
    let mut out = Vec::new();
    let mut pins = Vec::new();
    let mut python = Vec::new();
    let mut scripts = Vec::new();
    let mut dotenv = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = walk_excluding(p, resolver);
            for entry in walker {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) {
                            if crate::detect::is_pin_file(e.path()) {
                                pins.push(e.path().to_path_buf());
                            }
                            if is_yaml(e.path()) {
                                out.push((e.path().to_path_buf(), false));
                            } else if is_python(e.path()) {
                                python.push((e.path().to_path_buf(), false));
                            } else if is_script(e.path()) {
                                scripts.push(e.path().to_path_buf());
                            } else if crate::source::is_dotenv_name(e.path()) {
                                dotenv.push(e.path().to_path_buf());
                            }
                        }
                    }
                    Err(err) => errors.push(format!("{err}")),
                }
            }
        } else if p.exists() || p.is_symlink() {
            // Named files are checked as YAML unless they are plainly something else (pre-commit
            // passes Python files and dependency pins too).
            if is_python(p) {
                python.push((p.clone(), true));
            } else if !is_other_kind(p) {
                out.push((p.clone(), true));
            }
        } else {
            errors.push(format!("{}: no such file or folder", p.display()));
        }
    }
    out.sort();
    out.dedup();
    python.sort();
    python.dedup();
    Discovered {
        yaml: out,
        pins,
        python,
        scripts,
        dotenv,
    }
}

/// A shell script or container entrypoint (`*.sh`, `entrypoint*`, `docker-entrypoint*`).
fn is_script(path: &Path) -> bool {
    let name = crate::source::file_name_lower(path);
    name.ends_with(".sh") || name.contains("entrypoint")
}

/// Whether the project renders config templates before the proxy reads them: `envsubst` or
/// `gomplate` in a script, a Dockerfile, a compose file or a CI workflow. Then `${VAR}` in a
/// config is filled in first, and LL506 stays quiet. Files already loaded are not read again.
fn renders_configs(scripts: &[PathBuf], pins: &[PathBuf], sources: &SourceMap) -> bool {
    let renders = |t: &str| t.contains("envsubst") || t.contains("gomplate");
    sources.iter().any(|f| renders(&f.text))
        || scripts
            .iter()
            .chain(
                pins.iter()
                    .filter(|p| crate::source::file_name_lower(p).contains("dockerfile")),
            )
            .filter(|p| sources.find(p).is_none())
            .filter_map(|p| Workspace::read(p).ok())
            .any(|t| renders(&t))
}

/// Python `#` comments in the shape suppressions read.
fn python_comments(
    file: &crate::source::SourceFile,
    comments: &[(Span, String)],
) -> Vec<crate::source::Comment> {
    comments
        .iter()
        .map(|(span, text)| {
            let line = file.line_index(span.start);
            let before = &file.text[file.line_start(line)..span.start];
            crate::source::Comment {
                span: *span,
                text: text.strip_prefix('#').unwrap_or(text).to_string(),
                line,
                own_line: before.trim().is_empty(),
            }
        })
        .collect()
}

/// Normalizes a path for display: relative to the working directory, no `./` prefix.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().to_string();
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = p.strip_prefix(&cwd)
    {
        return rel.to_string_lossy().to_string();
    }
    s
}

/// The command line's layer of rule selection (selectors were validated by the CLI; invalid
/// ones given through the library are skipped).
fn cli_selection(opts: &Options) -> RuleSelection {
    let parse = |v: &[String]| -> Vec<Selector> {
        v.iter().filter_map(|s| Selector::parse(s).ok()).collect()
    };
    RuleSelection {
        select: (!opts.select.is_empty()).then(|| parse(&opts.select)),
        ignore: parse(&opts.ignore),
        extend_select: parse(&opts.extend_select),
    }
}

/// Builds the data every config check needs (the compiled JSON Schema, the model catalog and
/// its patterns, the known keys) on other threads while this one reads and parses the files:
/// it is most of a single check's time.
fn warm_up() {
    std::thread::spawn(|| {
        crate::structure::validator();
    });
    std::thread::spawn(|| {
        crate::models::catalog();
        crate::models::unstable_marker("");
        crate::structure::known_keys();
    });
}

pub fn run(opts: &Options) -> Outcome {
    warm_up();
    let resolver = Resolver::new();
    let cli = cli_selection(opts);
    let mut ws = Workspace::new();
    let mut path_errors = Vec::new();
    let Discovered {
        yaml: mut files,
        pins: walked_pins,
        python: mut py_files,
        scripts,
        dotenv,
    } = discover(&opts.paths, &resolver, &mut path_errors);
    let mut stdin_text = None;
    let mut stdin_python = None;
    if let Some((p, text)) = &opts.stdin {
        files.retain(|(f, _)| f != p);
        py_files.retain(|(f, _)| f != p);
        if is_python(p) {
            py_files.insert(0, (p.clone(), true));
            stdin_python = Some(text.clone());
        } else {
            files.insert(0, (p.clone(), true));
            stdin_text = Some(text.clone());
        }
    }
    // A broken configuration stops the run before anything is checked.
    for (p, _) in &files {
        resolver.for_path(p);
    }
    let config_errors = resolver.take_errors();
    if !config_errors.is_empty() {
        return Outcome::config_failure(config_errors, path_errors);
    }
    let detected = select_versions(opts, walked_pins.clone());

    // Pass 1: load every candidate and find configs.
    let mut candidates: Vec<(FileId, Node, Option<Span>)> = Vec::new();
    let mut config_reasons: Vec<(FileId, String)> = Vec::new();
    let mut files_checked = 0;
    for (path, explicit) in &files {
        let text = if opts.stdin.as_ref().is_some_and(|(p, _)| p == path) {
            stdin_text.take()
        } else {
            None
        };
        let Some(loaded) = ws.load_yaml(path, text, *explicit) else {
            if *explicit {
                files_checked += 1;
            }
            continue;
        };
        let Some(doc) = loaded.doc else {
            if loaded.explicit || ws.diagnostics.iter().any(|d| d.span.file == loaded.file) {
                files_checked += 1;
            }
            continue;
        };
        let found = doc
            .root
            .as_ref()
            .and_then(config::classify)
            .filter(|(root, helm, _)| {
                helm.is_some()
                    || !crate::source::is_compose_name(path)
                    || config::build::CONFIG_KEYS
                        .iter()
                        .any(|k| root.entry(k).is_some())
            });
        if let Some((root, helm, why)) = found {
            files_checked += 1;
            config_reasons.push((loaded.file, why));
            ws.push_duplicates(&doc);
            candidates.push((loaded.file, root, helm));
        } else if loaded.explicit {
            files_checked += 1;
        }
        ws.docs.push((loaded.file, doc));
    }

    // Pass 2: build configs (loading includes), then run rules on every config that is not
    // itself included by another one.
    let mut checked: BTreeSet<FileId> = candidates.iter().map(|c| c.0).collect();
    let mut configs: Vec<Config> = Vec::new();
    for (file, root, helm) in candidates {
        let (cfg, problems) = config::build_config(file, root, helm, &mut ws);
        let path = ws.sources.get(file).path.clone();
        for p in problems {
            // A test suite's config may miss an include on purpose; an include git ignores is
            // written at run time.
            if in_test_suite(&files, &opts.paths, &path)
                || (!named_explicitly(&files, &path)
                    && p.include.as_ref().is_some_and(|inc| {
                        git_ignored(&path.parent().unwrap_or(Path::new("")).join(inc))
                    }))
            {
                continue;
            }
            ws.diagnostics.push(input_diag(
                &rules::ll005_include_not_found::RULE,
                p.span,
                p.message,
            ));
        }
        configs.push(cfg);
    }
    // `[environments.NAME]` of the litellm-lint.toml closest to each checked path, then
    // `--env-file` (an explicit one wins on a name clash).
    let mut specs: Vec<crate::env::EnvSpec> = Vec::new();
    for p in &opts.paths {
        let probe = if p.is_dir() { p.join(".") } else { p.clone() };
        if let Some(settings) = resolver.for_path(&probe) {
            for (name, table) in &settings.environments {
                let Some(table) = table.as_table() else {
                    continue;
                };
                match crate::env::EnvSpec::from_toml(name, table, &settings.path) {
                    Ok(spec) if !specs.iter().any(|s| s.name == spec.name) => specs.push(spec),
                    Ok(_) => {}
                    Err(e) => path_errors.push(format!("{}: {e}", display_path(&settings.path))),
                }
            }
        }
    }
    for spec in &opts.environments {
        specs.retain(|s| s.name != spec.name);
        specs.push(spec.clone());
    }
    // Environments (src/env/): compose, Dockerfiles, CI jobs, Helm values, `--env-file`; the
    // configs they load and the versions they run. Also finds secrets (LL601) and masks them.
    let envs = crate::env::Environments::discover(
        &mut ws,
        &configs,
        &crate::env::Inputs {
            paths: &opts.paths,
            files: &files,
            pin_files: &walked_pins,
            specs: &specs,
            version_override: opts.litellm_version.is_some(),
        },
    );
    files_checked += envs.files_checked;
    let included = ws.included.clone();
    let today = opts.today.unwrap_or_else(crate::models::Date::today);
    let canonical = |p: &Path| p.canonicalize().unwrap_or(p.to_path_buf());
    for (f, _) in &ws.docs {
        if included.contains(&canonical(&ws.sources.get(*f).path)) {
            checked.insert(*f);
        }
    }
    // Python client code: parse, then match call sites to the configs.
    let mut py: Vec<(FileId, crate::python::PyFile)> = Vec::new();
    let mut project_names: BTreeSet<String> = BTreeSet::new();
    let (mut mentions, mut any_streams) = (false, false);
    for (path, _) in &py_files {
        let text = match stdin_python.take() {
            Some(t) if opts.stdin.as_ref().is_some_and(|(p, _)| p == path) => Ok(t),
            other => {
                stdin_python = other;
                Workspace::read(path)
            }
        };
        match text {
            Ok(text) => {
                let mut analysis = crate::python::analyze(&text, FileId(ws.sources.len() as u32));
                files_checked += 1;
                mentions |= analysis.mentions;
                any_streams |= analysis.streams;
                project_names.extend(std::mem::take(&mut analysis.names));
                // Most Python files have nothing for us: keep only those that do (their text
                // is needed to render findings and suppressions).
                if analysis.is_empty() {
                    continue;
                }
                let id = ws.sources.add(path.clone(), text);
                checked.insert(id);
                py.push((id, analysis));
            }
            Err(msg) => ws.unreadable(path, msg),
        }
    }
    // Whether the project's code streams, where some of it talks to LiteLLM or OpenAI.
    let project_streams = mentions.then_some(any_streams);
    // `litellm.Router(...)` built in Python with a literal model list: judged like a config.
    let mut py_configs: Vec<Config> = Vec::new();
    for (file, p) in &py {
        for root in &p.routers {
            config_reasons.push((
                *file,
                "a `litellm.Router(...)` built with a literal `model_list`".into(),
            ));
            let (cfg, _) = config::build_config(*file, root.clone(), None, &mut ws);
            py_configs.push(cfg);
        }
    }
    let roots: Vec<&Config> = configs
        .iter()
        .filter(|cfg| {
            let path = &ws.sources.get(cfg.file).path;
            !included.contains(&canonical(path)) || named_explicitly(&files, path)
        })
        .chain(py_configs.iter())
        .collect();

    let all_calls: Vec<(FileId, &crate::python::ClientCall)> = py
        .iter()
        .flat_map(|(f, p)| p.calls.iter().map(move |c| (*f, c)))
        .collect();
    let evidence = crate::client::ProxyEvidence {
        addresses: envs.envs.iter().flat_map(|e| e.addresses.clone()).collect(),
        url_vars: envs.url_vars.clone(),
    };
    let linked = crate::client::link(&all_calls, &roots, &evidence, |c| {
        display_path(&ws.sources.get(c.file).path)
    });

    // Only LL506 asks, and only about a `$...` or `env(...)` value: with none in any file
    // loaded, no script is read.
    let rendered = ws
        .sources
        .iter()
        .any(|f| f.text.contains('$') || f.text.contains("env("))
        && renders_configs(&scripts, &walked_pins, &ws.sources);
    let mut diagnostics = std::mem::take(&mut ws.diagnostics);
    let mut version = None;
    for (i, cfg) in roots.iter().enumerate() {
        let path = &ws.sources.get(cfg.file).path;
        let settings = resolver.for_path(path);
        let base = versions_for(opts, settings.as_deref(), &detected);
        // A version from litellm-lint.toml wins over the environments' pins, as the flag does.
        let versions = if settings
            .as_deref()
            .is_some_and(|s| s.litellm_version.is_some())
        {
            base
        } else {
            envs.versions_for(cfg.file, &base, &ws.sources)
        };
        let test_suite = in_test_suite(&files, &opts.paths, path);
        let served = envs
            .envs
            .iter()
            .any(|e| e.configs.iter().any(|c| c.file == Some(cfg.file)));
        for v in &versions {
            let ctx = Context {
                config: cfg,
                sources: &ws.sources,
                version: v,
                today,
                clients: &linked[i],
                test_suite,
                project_names: &project_names,
                project_streams,
                served,
                rendered: rendered
                    || crate::source::is_template_name(&ws.sources.get(cfg.file).path),
            };
            diagnostics.extend(rules::run_config_rules(&ctx));
        }
        version.get_or_insert_with(|| versions[0].clone());
    }
    for (file, p) in &py {
        let path = &ws.sources.get(*file).path;
        let versions = versions_for(opts, resolver.for_path(path).as_deref(), &detected);
        for v in &versions {
            let ctx = rules::PyContext {
                file: *file,
                py: p,
                configs: &roots,
                sources: &ws.sources,
                version: v,
            };
            diagnostics.extend(rules::run_python_rules(&ctx));
        }
    }
    let version = version.unwrap_or_else(|| detected[0].clone());
    let mut env_diags = envs.check(&ws.sources, &configs, today);
    rules::hedge(&mut env_diags, version.version, &ws.sources);
    diagnostics.extend(env_diags);
    // Pins of releases that do not exist or nobody should run (LL406, LL602): in the pin files
    // the walk found and the ones named on the command line.
    let mut pin_files: Vec<PathBuf> = walked_pins.clone();
    pin_files.extend(
        opts.paths
            .iter()
            .filter(|p| p.is_file() && crate::detect::is_pin_file(p))
            .cloned(),
    );
    pin_files.sort();
    pin_files.dedup();
    let mut pins = Vec::new();
    for p in pin_files {
        let id = match ws.sources.find(&p) {
            Some(id) => id,
            None => match Workspace::read(&p) {
                Ok(text) => ws.sources.add(p.clone(), text),
                Err(_) => continue,
            },
        };
        let text = ws.sources.get(id).text.clone();
        pins.extend(
            crate::detect::pins_in(&p, &text)
                .into_iter()
                .map(|pin| (id, pin)),
        );
    }
    rules::check_pins(&pins, &ws.sources, &mut diagnostics);
    // Committed dotenv files (the walk skips git-ignored ones): literal secrets in them.
    let mut dotenv_secrets = Vec::new();
    for p in &dotenv {
        if let Ok(text) = Workspace::read(p) {
            let id = ws.sources.add(p.clone(), text);
            files_checked += 1;
            rules::ll601_hardcoded_secret::scan_dotenv(&mut ws.sources, id, &mut dotenv_secrets);
        }
    }
    rules::ll601_hardcoded_secret::report(&dotenv_secrets, &ws.sources, &mut diagnostics);

    let input_errors =
        diagnostics.iter().any(|d| is_input_error(d.code)) || !path_errors.is_empty();

    // Suppressions see every finding, selected or not; then selection, per file.
    let reported: BTreeSet<FileId> = diagnostics.iter().map(|d| d.span.file).collect();
    let settings: HashMap<FileId, Option<Arc<Settings>>> = checked
        .union(&reported)
        .map(|f| (*f, resolver.for_path(&ws.sources.get(*f).path)))
        .collect();
    let enabled = |file: FileId, code: &str| {
        Settings::enabled(
            settings.get(&file).and_then(Option::as_deref),
            &cli,
            &ws.sources.get(file).path,
            code,
        )
    };
    let mut suppressions: Vec<Suppressions> = ws
        .docs
        .iter()
        .filter(|(f, _)| checked.contains(f))
        .map(|(f, doc)| Suppressions::from_comments(*f, &ws.sources, &doc.comments))
        .chain(py.iter().map(|(f, p)| {
            let comments = python_comments(ws.sources.get(*f), &p.comments);
            Suppressions::from_comments(*f, &ws.sources, &comments)
        }))
        .filter(|s| !s.is_empty())
        .collect();
    if !suppressions.is_empty() {
        diagnostics.retain(|d| {
            !suppressions
                .iter_mut()
                .any(|s| s.file == d.span.file && s.suppresses(d, &ws.sources))
        });
        for s in &mut suppressions {
            let file = s.file;
            for d in s.report(&|code| enabled(file, code)) {
                if !s.suppresses_report(&d, &ws.sources) {
                    diagnostics.push(d);
                }
            }
        }
    }
    diagnostics.retain(|d| enabled(d.span.file, d.code));
    for d in &mut diagnostics {
        if let Some(Some(s)) = settings.get(&d.span.file)
            && let Some(sev) = s.severity_for(d.code)
        {
            d.severity = sev;
        }
    }
    dedup_and_sort(&mut diagnostics, &ws.sources);
    crate::secrets::scrub_diagnostics(&ws.sources, &mut diagnostics);
    // Included files may sit under a configuration not seen during discovery.
    let config_errors = resolver.take_errors();
    if !config_errors.is_empty() {
        return Outcome::config_failure(config_errors, path_errors);
    }
    let yaml = ws.docs.into_iter().collect();
    Outcome {
        sources: ws.sources,
        diagnostics,
        files_checked,
        version,
        input_errors,
        path_errors,
        config_errors,
        yaml,
        configs: {
            config_reasons.dedup();
            config_reasons
        },
    }
}

/// The versions one config is judged at: `--litellm-version`, else the `litellm-version` of the
/// closest configuration file, else what the pins say.
fn versions_for(
    opts: &Options,
    settings: Option<&Settings>,
    detected: &[VersionContext],
) -> Vec<VersionContext> {
    if opts.litellm_version.is_none()
        && let Some(s) = settings
        && let Some((v, line)) = s.litellm_version
    {
        return vec![VersionContext {
            version: Some(v),
            source: Some(format!("{}:{line}", display_path(&s.path))),
            span: None,
        }];
    }
    detected.to_vec()
}

/// The versions to judge against: `--litellm-version`, else every distinct pinned version
/// (each environment on its own), else unknown.
fn select_versions(opts: &Options, walked_pins: Vec<PathBuf>) -> Vec<VersionContext> {
    if let Some(v) = opts
        .litellm_version
        .as_deref()
        .and_then(crate::version::Version::parse)
    {
        return vec![VersionContext {
            version: Some(v),
            source: Some("--litellm-version".into()),
            span: None,
        }];
    }
    let mut named: Vec<PathBuf> = opts.paths.iter().filter(|p| !p.is_dir()).cloned().collect();
    if let Some((p, _)) = &opts.stdin {
        named.push(p.clone());
    }
    let mut pin_files = walked_pins;
    pin_files.extend(crate::detect::pin_files_near(&named));
    let mut out: Vec<VersionContext> = Vec::new();
    for pin in crate::detect::detect(pin_files) {
        let Some(v) = pin.version else { continue };
        if out.iter().any(|c| c.version == Some(v)) {
            continue;
        }
        out.push(VersionContext {
            version: Some(v),
            source: Some(format!("{}:{}", display_path(&pin.file), pin.line)),
            span: None,
        });
    }
    if out.is_empty() {
        out.push(VersionContext::default());
    }
    out
}

fn dedup_and_sort(diags: &mut Vec<Diagnostic>, sources: &SourceMap) {
    diags.sort_by(|a, b| {
        let pa = display_path(&sources.get(a.span.file).path);
        let pb = display_path(&sources.get(b.span.file).path);
        (pa, a.span.start, a.code, &a.message).cmp(&(pb, b.span.start, b.code, &b.message))
    });
    diags.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
}

/// The exit code for an outcome: 2 when something could not be checked, 1 on findings at
/// warning or above, else 0.
pub fn exit_code(o: &Outcome, exit_zero: bool) -> i32 {
    if o.input_errors {
        return 2;
    }
    if !exit_zero
        && o.diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Warning)
    {
        return 1;
    }
    0
}
