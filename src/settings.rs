//! litellm-lint's own configuration (`litellm-lint.toml`): not the LiteLLM proxy config, which
//! is modelled in [`crate::config`].
//!
//! Where it is read from (ruff's rules): `.litellm-lint.toml`, `litellm-lint.toml`, or a
//! `[tool.litellm-lint]` table in `pyproject.toml`. For each checked file we look in the file's
//! folder, then in each parent, and stop at the first folder that has one: the closest file
//! wins, whole (files are not merged). In one folder `.litellm-lint.toml` beats
//! `litellm-lint.toml` beats `pyproject.toml`; a `pyproject.toml` without a
//! `[tool.litellm-lint]` table does not count. Command-line flags override the file. Nothing is
//! read from environment variables or from a user-level file.
//!
//! The keys are those of `schemas/litellm-lint.schema.json` (the JSON Schema editors use); an
//! unknown key is an error with a "did you mean" and the key's location.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{GlobBuilder, GlobMatcher};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Severity, did_you_mean};
use crate::rules::RULES;
use crate::version::Version;

/// The JSON Schema of this configuration; its top-level `properties` are the accepted keys.
pub const SCHEMA_TEXT: &str = include_str!("../schemas/litellm-lint.schema.json");

/// File names looked for in each folder, in order of precedence.
pub const FILE_NAMES: [&str; 3] = [".litellm-lint.toml", "litellm-lint.toml", "pyproject.toml"];

/// The keys of the configuration, from the schema.
pub fn known_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA_TEXT).expect("schemas/litellm-lint.schema.json is JSON");
        schema["properties"]
            .as_object()
            .expect("the schema has properties")
            .keys()
            .cloned()
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// Rule selectors

/// A rule selector as `--select`, `ignore = [...]` and suppressions take it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// `ALL`
    All,
    /// A code prefix (`LL1`, `LL50`), upper-cased. Every area of the design (`LL0`..`LL7`) is a
    /// valid prefix even before it has rules.
    Prefix(String),
    /// One rule, named by its code or its name.
    Rule(&'static str),
}

/// Why a selector is not valid, with a suggestion when one is close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError {
    pub message: String,
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

/// Codes and names of every rule, for "did you mean".
fn rule_words() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .flat_map(|r| [r.meta.code, r.meta.name].into_iter())
}

/// The closest rule code or name to a word that is neither.
pub fn suggest_rule(word: &str) -> Option<&'static str> {
    did_you_mean(
        &word.to_ascii_uppercase(),
        RULES.iter().map(|r| r.meta.code),
    )
    .or_else(|| did_you_mean(word, rule_words()))
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, SelectorError> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("ALL") {
            return Ok(Selector::All);
        }
        if let Some(r) = crate::rules::find(t) {
            return Ok(Selector::Rule(r.meta.code));
        }
        let up = t.to_ascii_uppercase();
        let area = up.len() == 3 && up.starts_with("LL") && matches!(up.as_bytes()[2], b'0'..=b'7');
        if !up.is_empty()
            && (area || (up.len() < 5 && RULES.iter().any(|r| r.meta.code.starts_with(&up))))
        {
            return Ok(Selector::Prefix(up));
        }
        Err(SelectorError {
            message: format!("`{t}` is not a rule code, code prefix or rule name"),
            suggestion: suggest_rule(t),
        })
    }

    pub fn matches(&self, code: &str) -> bool {
        match self {
            // Opt-in rules are selected by their exact code only.
            Selector::All | Selector::Prefix(_) if crate::rules::OPT_IN.contains(&code) => false,
            Selector::All => true,
            Selector::Prefix(p) => code.starts_with(p.as_str()),
            Selector::Rule(c) => *c == code,
        }
    }

    /// More specific selectors win over less specific ones (ruff): `ALL` < `LL` < `LL1` <
    /// `LL10` < a rule.
    pub fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Prefix(p) => p.len(),
            Selector::Rule(_) => usize::MAX,
        }
    }
}

/// One layer of selection: the configuration file, then the command line.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub extend_select: Vec<Selector>,
}

impl RuleSelection {
    /// This layer's word on one rule: the most specific matching selector decides, and at equal
    /// specificity `ignore` wins. `None` when no selector of the layer matches.
    fn verdict(&self, code: &str) -> Option<bool> {
        let mut best: Option<(usize, bool)> = None;
        for s in self.select.iter().flatten().chain(&self.extend_select) {
            if s.matches(code) && best.is_none_or(|(b, _)| s.specificity() > b) {
                best = Some((s.specificity(), true));
            }
        }
        for s in &self.ignore {
            if s.matches(code) && best.is_none_or(|(b, _)| s.specificity() >= b) {
                best = Some((s.specificity(), false));
            }
        }
        best.map(|(_, on)| on)
    }

    /// Applies this layer on top of `on`: a layer with `select` starts over from nothing; one
    /// without only adds (`extend-select`) and removes (`ignore`).
    pub fn apply(&self, on: bool, code: &str) -> bool {
        match (self.select.is_some(), self.verdict(code)) {
            (true, v) => v == Some(true),
            (false, Some(v)) => v,
            (false, None) => on,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Paths

/// An absolute, lexically normalized path (no `.` or `..`; symlinks are not resolved).
pub fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` with `/` separators, `..` where it lies outside (both absolute).
pub fn relative_slash_path(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    parts.join("/")
}

/// A glob of `exclude` or `per-file-ignores`, relative to the configuration file's folder. A
/// pattern without a `/` also matches a file or folder of that name anywhere below (like
/// `.gitignore` and ruff). `*` does not cross `/`; `**` does.
#[derive(Clone, Debug)]
pub struct PathGlob {
    pub pattern: String,
    full: GlobMatcher,
    base: Option<GlobMatcher>,
}

impl PathGlob {
    pub fn new(pattern: &str) -> Result<PathGlob, String> {
        let p = pattern.trim();
        let p = p.strip_prefix("./").unwrap_or(p);
        let p = if p.len() > 1 {
            p.trim_end_matches('/')
        } else {
            p
        };
        let build = |g: &str| {
            GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))
        };
        Ok(PathGlob {
            pattern: pattern.to_string(),
            full: build(p)?,
            base: if p.contains('/') {
                None
            } else {
                Some(build(p)?)
            },
        })
    }

    /// `rel` is relative to the configuration file's folder.
    pub fn is_match(&self, rel: &Path) -> bool {
        self.full.is_match(rel)
            || self
                .base
                .as_ref()
                .is_some_and(|b| rel.file_name().is_some_and(|n| b.is_match(n)))
    }
}

// ---------------------------------------------------------------------------------------------
// Settings

#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    pub glob: PathGlob,
    pub selectors: Vec<Selector>,
}

/// One configuration file, parsed and checked.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The file it was read from (absolute).
    pub path: PathBuf,
    /// Its folder: globs are relative to it.
    pub dir: PathBuf,
    pub selection: RuleSelection,
    pub per_file_ignores: Vec<PerFileIgnore>,
    pub severity: Vec<(Selector, Severity)>,
    /// The version and the 1-based line that sets it.
    pub litellm_version: Option<(Version, usize)>,
    pub exclude: Vec<PathGlob>,
    /// `[environments.NAME]` tables, kept as written (see `design.md`, "Environments").
    pub environments: toml::Table,
}

impl Settings {
    fn empty(path: &Path) -> Settings {
        let path = absolute(path);
        Settings {
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path,
            selection: RuleSelection::default(),
            per_file_ignores: vec![],
            severity: vec![],
            litellm_version: None,
            exclude: vec![],
            environments: toml::Table::new(),
        }
    }

    /// Reads one candidate file. `Ok(None)` for a `pyproject.toml` without our table.
    pub fn load(path: &Path) -> Result<Option<Settings>, Vec<ConfigError>> {
        let text = crate::source::read_bounded(path)
            .map_err(|e| vec![ConfigError::new(path, "", 0..0, e)])?;
        let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        if pyproject && !text.contains("litellm-lint") {
            return Ok(None);
        }
        Settings::parse(path, &text, pyproject)
    }

    /// Parses a configuration's text; `pyproject` reads the `[tool.litellm-lint]` table.
    pub fn parse(
        path: &Path,
        text: &str,
        pyproject: bool,
    ) -> Result<Option<Settings>, Vec<ConfigError>> {
        let mut p = Parser {
            path,
            text,
            errors: vec![],
        };
        let doc = match DeTable::parse(text) {
            Ok(d) => d,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                return Err(vec![ConfigError::new(
                    path,
                    text,
                    span,
                    format!("invalid TOML: {}", e.message().trim_end()),
                )]);
            }
        };
        let table: &DeTable = if pyproject {
            let Some(tool) = lookup(doc.get_ref(), "tool") else {
                return Ok(None);
            };
            let Some(t) = lookup_table(tool, "litellm-lint") else {
                return Ok(None);
            };
            match t {
                Ok(t) => t,
                Err(span) => {
                    p.error(span, "`tool.litellm-lint` must be a table", None);
                    return Err(p.errors);
                }
            }
        } else {
            doc.get_ref()
        };
        let mut s = Settings::empty(path);
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key, value) in entries {
            p.key(&mut s, key, value);
        }
        if !p.errors.is_empty() {
            return Err(p.errors);
        }
        if lookup(table, "environments").is_some() {
            s.environments = raw_environments(text, pyproject);
        }
        Ok(Some(s))
    }

    /// Whether a rule's findings in `file` are reported, with the command line's layer on top.
    pub fn enabled(
        settings: Option<&Settings>,
        cli: &RuleSelection,
        file: &Path,
        code: &str,
    ) -> bool {
        let mut on = !crate::rules::OPT_IN.contains(&code);
        if let Some(s) = settings {
            on = s.selection.apply(on, code);
        }
        on = cli.apply(on, code);
        if on
            && let Some(s) = settings
            && !s.per_file_ignores.is_empty()
        {
            let rel = s.relative(file);
            if s.per_file_ignores
                .iter()
                .any(|p| p.glob.is_match(&rel) && p.selectors.iter().any(|sel| sel.matches(code)))
            {
                return false;
            }
        }
        on
    }

    /// The configured severity for a rule, the most specific entry winning.
    pub fn severity_for(&self, code: &str) -> Option<Severity> {
        self.severity
            .iter()
            .filter(|(s, _)| s.matches(code))
            .max_by_key(|(s, _)| s.specificity())
            .map(|(_, sev)| *sev)
    }

    /// A path relative to the configuration's folder.
    pub fn relative(&self, path: &Path) -> PathBuf {
        let abs = absolute(path);
        abs.strip_prefix(&self.dir)
            .map(Path::to_path_buf)
            .unwrap_or(abs)
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let rel = self.relative(path);
        self.exclude.iter().any(|g| g.is_match(&rel))
    }
}

fn lookup<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

fn lookup_table<'a, 'i>(
    v: &'a Spanned<DeValue<'i>>,
    key: &str,
) -> Option<Result<&'a DeTable<'i>, Range<usize>>> {
    let DeValue::Table(t) = v.get_ref() else {
        return None;
    };
    let found = lookup(t, key)?;
    Some(match found.get_ref() {
        DeValue::Table(t) => Ok(t),
        _ => Err(found.span()),
    })
}

/// The `environments` table as plain TOML values.
fn raw_environments(text: &str, pyproject: bool) -> toml::Table {
    let Ok(mut t) = toml::from_str::<toml::Table>(text) else {
        return toml::Table::new();
    };
    if pyproject {
        t = match t
            .remove("tool")
            .and_then(|tool| tool.as_table()?.get("litellm-lint").cloned())
        {
            Some(toml::Value::Table(t)) => t,
            _ => return toml::Table::new(),
        };
    }
    match t.remove("environments") {
        Some(toml::Value::Table(e)) => e,
        _ => toml::Table::new(),
    }
}

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

impl Parser<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: Option<String>) {
        let mut e = ConfigError::new(self.path, self.text, span, message);
        e.help = help;
        self.errors.push(e);
    }

    fn key(
        &mut self,
        s: &mut Settings,
        key: &Spanned<std::borrow::Cow<str>>,
        v: &Spanned<DeValue>,
    ) {
        let name = key.get_ref().as_ref();
        match name {
            "select" => s.selection.select = Some(self.selectors(name, v)),
            "ignore" => s.selection.ignore = self.selectors(name, v),
            "extend-select" => s.selection.extend_select = self.selectors(name, v),
            "per-file-ignores" => {
                let Some(t) = self.table(name, v, "{ \"legacy/*.yaml\" = [\"LL5\"] }") else {
                    return;
                };
                for (glob, codes) in t.iter() {
                    let selectors =
                        self.selectors(&format!("per-file-ignores.\"{}\"", glob.get_ref()), codes);
                    match PathGlob::new(glob.get_ref()) {
                        Ok(g) => s
                            .per_file_ignores
                            .push(PerFileIgnore { glob: g, selectors }),
                        Err(m) => self.error(glob.span(), m, None),
                    }
                }
            }
            "severity" => {
                let Some(t) = self.table(name, v, "{ LL102 = \"error\" }") else {
                    return;
                };
                let mut entries: Vec<_> = t.iter().collect();
                entries.sort_by_key(|(k, _)| k.span().start);
                for (sel, sev) in entries {
                    let selector = match Selector::parse(sel.get_ref()) {
                        Ok(x) => Some(x),
                        Err(e) => {
                            self.selector_error(sel.span(), &e);
                            None
                        }
                    };
                    let severity = match sev.get_ref() {
                        DeValue::String(x) => Severity::parse(x),
                        _ => None,
                    };
                    if severity.is_none() {
                        self.error(
                            sev.span(),
                            format!(
                                "the severity of `{}` must be \"error\", \"warning\" or \"info\"",
                                sel.get_ref()
                            ),
                            None,
                        );
                    }
                    if let (Some(a), Some(b)) = (selector, severity) {
                        s.severity.push((a, b));
                    }
                }
            }
            "litellm-version" => match v.get_ref() {
                DeValue::String(x) => match Version::parse(x) {
                    Some(ver) if !x.trim().is_empty() => {
                        let line = self.text[..v.span().start].matches('\n').count() + 1;
                        s.litellm_version = Some((ver, line));
                    }
                    _ => self.error(
                        v.span(),
                        format!("`{x}` is not a version like \"1.81.1\""),
                        None,
                    ),
                },
                other => self.error(
                    v.span(),
                    format!(
                        "`litellm-version` must be a string like \"1.81.1\", not {}",
                        type_name(other)
                    ),
                    None,
                ),
            },
            "exclude" => {
                for (text, span) in self.strings(name, v, "[\"legacy/**\", \"*.generated.yaml\"]") {
                    match PathGlob::new(&text) {
                        Ok(g) => s.exclude.push(g),
                        Err(m) => self.error(span, m, None),
                    }
                }
            }
            "environments" => {
                let Some(t) = self.table(name, v, "{ ci = { ... } }") else {
                    return;
                };
                for (env, body) in t.iter() {
                    if !matches!(body.get_ref(), DeValue::Table(_)) {
                        self.error(
                            body.span(),
                            format!(
                                "`environments.{}` must be a table, not {}",
                                env.get_ref(),
                                type_name(body.get_ref())
                            ),
                            None,
                        );
                    }
                }
                // Kept as written: `Settings::parse` copies the plain TOML values once the
                // whole file is known to be valid.
            }
            other => {
                debug_assert!(
                    !known_keys().iter().any(|k| k == other),
                    "schema key `{other}` has no parser"
                );
                let suggestion = did_you_mean(other, known_keys().iter().map(String::as_str));
                self.error(
                    key.span(),
                    format!("unknown key `{other}`"),
                    Some(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "the keys are {}",
                            known_keys()
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }),
                );
            }
        }
    }

    fn table<'v, 'i>(
        &mut self,
        name: &str,
        v: &'v Spanned<DeValue<'i>>,
        example: &str,
    ) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    v.span(),
                    format!("`{name}` must be a table, not {}", type_name(other)),
                    Some(format!("for example `{name} = {example}`")),
                );
                None
            }
        }
    }

    /// A list of strings, each with its span.
    fn strings(
        &mut self,
        name: &str,
        v: &Spanned<DeValue>,
        example: &str,
    ) -> Vec<(String, Range<usize>)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                format!("`{name}` must be a list, not {}", type_name(v.get_ref())),
                Some(format!("for example `{name} = {example}`")),
            );
            return vec![];
        };
        let mut out = vec![];
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(x) => out.push((x.to_string(), item.span())),
                other => self.error(
                    item.span(),
                    format!(
                        "the items of `{name}` must be strings, not {}",
                        type_name(other)
                    ),
                    None,
                ),
            }
        }
        out
    }

    fn selectors(&mut self, name: &str, v: &Spanned<DeValue>) -> Vec<Selector> {
        let mut out = vec![];
        for (text, span) in self.strings(name, v, "[\"LL1\", \"LL501\"]") {
            match Selector::parse(&text) {
                Ok(s) => out.push(s),
                Err(e) => self.selector_error(span, &e),
            }
        }
        out
    }

    fn selector_error(&mut self, span: Range<usize>, e: &SelectorError) {
        self.error(
            span,
            e.message.clone(),
            Some(match e.suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "see `litellm-lint rules` for the codes and names".to_string(),
            }),
        );
    }
}

/// A problem with a configuration file: the run stops with exit code 2.
#[derive(Clone, Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte range in `text`.
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl ConfigError {
    fn new(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.to_path_buf(),
            text: Arc::from(text),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self) -> (usize, usize) {
        let mut start = self.span.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the closest file

/// Finds and caches the configuration that applies to each folder. Cheap to clone (shared);
/// discovery uses it from the walker's filter.
#[derive(Clone, Default)]
pub struct Resolver {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    by_dir: HashMap<PathBuf, Option<Arc<Settings>>>,
    errors: Vec<ConfigError>,
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// The configuration that applies to a file (or a folder entry): the closest one above it.
    pub fn for_path(&self, path: &Path) -> Option<Arc<Settings>> {
        let abs = absolute(path);
        let dir = abs.parent()?;
        self.for_dir(dir)
    }

    fn for_dir(&self, dir: &Path) -> Option<Arc<Settings>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut walked = Vec::new();
        let mut found = None;
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if let Some(cached) = inner.by_dir.get(d) {
                found = cached.clone();
                break;
            }
            walked.push(d.to_path_buf());
            let mut here = None;
            let mut stop = false;
            for name in FILE_NAMES {
                let candidate = d.join(name);
                if !candidate.is_file() {
                    continue;
                }
                match Settings::load(&candidate) {
                    Ok(Some(s)) => {
                        here = Some(Arc::new(s));
                        stop = true;
                    }
                    Ok(None) => continue,
                    Err(errs) => {
                        inner.errors.extend(errs);
                        stop = true;
                    }
                }
                break;
            }
            if stop {
                found = here;
                break;
            }
            cur = d.parent();
        }
        for d in walked {
            inner.by_dir.insert(d, found.clone());
        }
        found
    }

    /// Whether `exclude` of the configuration above `path` names it.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.for_path(path).is_some_and(|s| s.is_excluded(path))
    }

    /// Problems found in configuration files so far (each reported once).
    pub fn take_errors(&self) -> Vec<ConfigError> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut inner.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Vec<ConfigError>> {
        Settings::parse(Path::new("/p/litellm-lint.toml"), text, false).map(Option::unwrap)
    }

    #[test]
    fn selectors() {
        assert_eq!(Selector::parse("ALL"), Ok(Selector::All));
        assert_eq!(Selector::parse("ll1"), Ok(Selector::Prefix("LL1".into())));
        assert_eq!(Selector::parse("LL6"), Ok(Selector::Prefix("LL6".into())));
        assert_eq!(Selector::parse("LL101"), Ok(Selector::Rule("LL101")));
        assert_eq!(
            Selector::parse("fallback-target-unknown"),
            Ok(Selector::Rule("LL104"))
        );
        let e = Selector::parse("LL1O1").unwrap_err();
        assert_eq!(e.suggestion, Some("LL101"));
        let e = Selector::parse("fallback-target-unknwn").unwrap_err();
        assert_eq!(e.suggestion, Some("fallback-target-unknown"));
        assert!(Selector::parse("LL999").is_err());
        assert!(Selector::parse("LL9").is_err());
    }

    #[test]
    fn specificity_and_layers() {
        let sel = |s: &[&str]| {
            s.iter()
                .map(|x| Selector::parse(x).unwrap())
                .collect::<Vec<_>>()
        };
        let layer = RuleSelection {
            select: Some(sel(&["LL101"])),
            ignore: sel(&["LL1"]),
            extend_select: vec![],
        };
        assert!(layer.apply(true, "LL101"));
        assert!(!layer.apply(true, "LL102"));
        let layer = RuleSelection {
            select: Some(sel(&["LL1"])),
            ignore: sel(&["LL101"]),
            extend_select: vec![],
        };
        assert!(!layer.apply(true, "LL101"));
        assert!(layer.apply(true, "LL102"));
        assert!(!layer.apply(true, "LL501"));
        // A layer without `select` only adds and removes.
        let cli = RuleSelection {
            select: None,
            ignore: sel(&["LL102"]),
            extend_select: sel(&["LL5"]),
        };
        assert!(cli.apply(false, "LL501"));
        assert!(!cli.apply(true, "LL102"));
        assert!(cli.apply(true, "LL103"));
        assert!(!cli.apply(false, "LL103"));
    }

    #[test]
    fn parses_every_key() {
        let s = parse(
            "select = [\"LL1\", \"LL5\"]\nignore = [\"LL107\"]\nextend-select = [\"LL0\"]\n\
             litellm-version = \"1.81.1\"\nexclude = [\"legacy/**\"]\n\
             [per-file-ignores]\n\"staging/*.yaml\" = [\"LL501\"]\n\
             [severity]\nLL102 = \"error\"\nLL1 = \"info\"\n\
             [environments.ci]\nconfigs = [\"proxy/config.yaml\"]\n",
        )
        .unwrap();
        assert_eq!(s.selection.select.as_ref().unwrap().len(), 2);
        assert_eq!(s.severity_for("LL102"), Some(Severity::Error));
        assert_eq!(s.severity_for("LL101"), Some(Severity::Info));
        assert_eq!(s.severity_for("LL501"), None);
        assert_eq!(s.litellm_version.unwrap().1, 4);
        assert!(s.is_excluded(Path::new("/p/legacy/a/b.yaml")));
        assert!(!s.is_excluded(Path::new("/p/other/b.yaml")));
        assert!(s.environments.contains_key("ci"));
        let cli = RuleSelection::default();
        assert!(!Settings::enabled(
            Some(&s),
            &cli,
            Path::new("/p/staging/x.yaml"),
            "LL501"
        ));
        assert!(Settings::enabled(
            Some(&s),
            &cli,
            Path::new("/p/prod/x.yaml"),
            "LL501"
        ));
        assert!(!Settings::enabled(
            Some(&s),
            &cli,
            Path::new("/p/x.yaml"),
            "LL107"
        ));
    }

    #[test]
    fn errors_have_locations() {
        let errs =
            parse("select = [\"LL1\"]\nselct = [\"LL1\"]\nignore = [\"LL1O1\"]\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line_col(), (2, 1));
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `select`?"));
        assert_eq!(errs[1].line_col(), (3, 11));
        assert_eq!(errs[1].help.as_deref(), Some("did you mean `LL101`?"));
    }

    #[test]
    fn pyproject_without_our_table_does_not_count() {
        let p = Path::new("/p/pyproject.toml");
        assert!(
            Settings::parse(p, "[tool.ruff]\nline-length = 99\n", true)
                .unwrap()
                .is_none()
        );
        let s = Settings::parse(p, "[tool.litellm-lint]\nignore = [\"LL5\"]\n", true)
            .unwrap()
            .unwrap();
        assert_eq!(s.selection.ignore, vec![Selector::Prefix("LL5".into())]);
        let e = Settings::parse(p, "[tool.litellm-lint]\nignor = [\"LL5\"]\n", true).unwrap_err();
        assert_eq!(e[0].line_col(), (2, 1));
    }

    #[test]
    fn globs() {
        let g = PathGlob::new("*.gen.yaml").unwrap();
        assert!(g.is_match(Path::new("a/b/c.gen.yaml")));
        let g = PathGlob::new("staging/*.yaml").unwrap();
        assert!(g.is_match(Path::new("staging/a.yaml")));
        assert!(!g.is_match(Path::new("staging/x/a.yaml")));
        assert!(!g.is_match(Path::new("x/staging/a.yaml")));
        let g = PathGlob::new("./legacy/").unwrap();
        assert!(g.is_match(Path::new("legacy")));
        assert!(PathGlob::new("a/[").is_err());
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_slash_path(Path::new("/a/b/c.yaml"), Path::new("/a")),
            "b/c.yaml"
        );
        assert_eq!(
            relative_slash_path(Path::new("/a/b/c.yaml"), Path::new("/a/x")),
            "../b/c.yaml"
        );
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
