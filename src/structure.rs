//! What the proxy reads: the known keys of every config section (`rules/known-keys.toml`), by
//! version, and the JSON Schema of the config (`schemas/litellm-proxy-config.schema.json`)
//! applied to the loaded tree with every error mapped back to a span.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::source::Span;
use crate::version::Version;
use crate::yaml::{Node, Value};

pub const SCHEMA_TEXT: &str = include_str!("../schemas/litellm-proxy-config.schema.json");
const KNOWN_KEYS_TEXT: &str = include_str!("../rules/known-keys.toml");

/// Which releases the key data was read from (`[meta]` of `known-keys.toml`, written by
/// `scripts/refresh-litellm-data`).
#[derive(Deserialize, Debug)]
struct Meta {
    examined: Vec<String>,
}

/// The releases whose source was read to build `known-keys.toml`, oldest first.
pub fn examined() -> &'static [Version] {
    &known_keys().examined
}

/// The oldest release whose source the key data was read from. Below it the data says nothing:
/// no key is claimed present, absent or unknown there (no evidence of absence is not evidence).
pub fn examined_from() -> Version {
    examined()[0]
}

/// The newest release whose source the key data was read from. Above it a claim rests on older
/// data and says so.
pub fn examined_to() -> Version {
    *examined().last().expect("at least one examined release")
}

/// The newest examined release older than `v`.
pub fn examined_before(v: Version) -> Option<Version> {
    examined().iter().rev().find(|e| **e < v).copied()
}

/// Whether `version` lies below the examined releases (so no presence or absence claim holds).
pub fn below_examined(version: Option<Version>) -> bool {
    version.is_some_and(|v| v < examined_from())
}

/// Whether `version` is newer than every examined release (claims about it are unverified).
pub fn beyond_examined(version: Option<Version>) -> bool {
    version.is_some_and(|v| v > examined_to())
}

#[derive(Deserialize, Debug, Clone)]
pub struct KeySpec {
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: String,
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    until: Option<String>,
    /// Examined releases that lacked the key between two that had it: `[removed_in, back_in]`.
    #[serde(default)]
    gaps: Vec<[String; 2]>,
    /// The release and `file:line` the key was read from.
    #[serde(default, rename = "where")]
    pub evidence: String,
    /// `false` for Router parameters the proxy passes itself.
    #[serde(default = "yes")]
    pub settable: bool,
    /// `litellm_settings`: a key the proxy's loop handles itself, or reads.
    #[serde(default)]
    pub special: bool,
    /// `litellm_settings`: a setting LiteLLM documents (not merely a module attribute).
    #[serde(default)]
    pub documented: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Debug, Default)]
pub struct SectionKeys {
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub keys: Vec<KeySpec>,
}

#[derive(Deserialize, Debug)]
struct TopLevel {
    #[serde(flatten)]
    keys: SectionKeys,
    #[serde(default)]
    allowed_patterns: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct RouterSection {
    #[serde(flatten)]
    keys: SectionKeys,
    #[serde(default)]
    set_by_proxy_startup_error_before_1_109: Vec<String>,
    #[serde(default)]
    routing_strategy_values: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct PlainList {
    evidence: String,
    keys: Vec<String>,
    #[serde(default)]
    startup_error: Vec<String>,
}

/// A value that makes the proxy refuse to start (`[[startup_refusal]]`).
#[derive(Deserialize, Debug, Clone)]
pub struct StartupRefusal {
    /// `general_settings`, `router_settings`.
    pub section: String,
    pub key: String,
    /// `not_one_of` (with `allowed`), `not_bool`, `type:bool` (a value of that Python type).
    pub refuses: String,
    #[serde(default)]
    pub allowed: Vec<String>,
    #[serde(default)]
    pub raises: String,
    #[serde(default)]
    pub message: String,
    since: String,
    #[serde(default)]
    until: Option<String>,
    #[serde(rename = "where")]
    pub evidence: String,
}

impl StartupRefusal {
    pub fn since(&self) -> Version {
        Version::parse(&self.since).unwrap_or(Version(0, 0, 0))
    }
    /// Whether the refusal holds at `version` (`None`: the version is unknown, so it holds in
    /// some supported release).
    pub fn holds_at(&self, version: Option<Version>) -> bool {
        let Some(v) = version else {
            return true;
        };
        v >= self.since()
            && self
                .until
                .as_deref()
                .and_then(Version::parse)
                .is_none_or(|u| v < u)
    }
}

#[derive(Deserialize, Debug)]
struct File {
    meta: Meta,
    top_level: TopLevel,
    router_settings: RouterSection,
    general_settings: SectionKeys,
    litellm_settings: SectionKeys,
    router_only_keys_in_litellm_settings: PlainList,
    general_settings_only_in_router_settings: PlainList,
    retry_policy: SectionKeys,
    allowed_fails_policy: SectionKeys,
    #[serde(default)]
    startup_refusal: Vec<StartupRefusal>,
}

/// A config section whose keys we know.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Section {
    TopLevel,
    Router,
    Litellm,
    General,
    RetryPolicy,
    AllowedFailsPolicy,
}

impl Section {
    pub fn path(self) -> &'static str {
        match self {
            Section::TopLevel => "the top level",
            Section::Router => "router_settings",
            Section::Litellm => "litellm_settings",
            Section::General => "general_settings",
            Section::RetryPolicy => "retry_policy",
            Section::AllowedFailsPolicy => "allowed_fails_policy",
        }
    }
}

pub struct KnownKeys {
    file: File,
    examined: Vec<Version>,
    /// Key name -> index into the section's `keys`, per section.
    index: [std::collections::HashMap<String, usize>; 6],
}

pub fn known_keys() -> &'static KnownKeys {
    static K: OnceLock<KnownKeys> = OnceLock::new();
    K.get_or_init(|| {
        let file: File = toml::from_str(KNOWN_KEYS_TEXT).expect("rules/known-keys.toml is valid");
        let mut examined: Vec<Version> = file
            .meta
            .examined
            .iter()
            .map(|v| Version::parse(v).expect("examined releases are versions"))
            .collect();
        examined.sort();
        let mut k = KnownKeys {
            file,
            examined,
            index: Default::default(),
        };
        for (i, s) in Section::ALL.iter().enumerate() {
            k.index[i] = k
                .section(*s)
                .keys
                .iter()
                .enumerate()
                .map(|(j, spec)| (spec.name.clone(), j))
                .collect();
        }
        k
    })
}

impl Section {
    const ALL: [Section; 6] = [
        Section::TopLevel,
        Section::Router,
        Section::Litellm,
        Section::General,
        Section::RetryPolicy,
        Section::AllowedFailsPolicy,
    ];
    fn index(self) -> usize {
        Section::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every section")
    }
}

/// Whether a section reads a key at a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    Known,
    /// Read by later releases only.
    NotYet(Version),
    /// No longer read from this release on.
    Removed(Version),
    Unknown,
}

impl KeySpec {
    fn since(&self) -> Option<Version> {
        self.since.as_deref().and_then(Version::parse)
    }
    fn until(&self) -> Option<Version> {
        self.until.as_deref().and_then(Version::parse)
    }
    /// The status at `version` (`None`: judge against every version we know). Absence is
    /// claimed only where an examined release proves it: a `since` proves the key absent up to
    /// the examined release before it, not in the releases between the two.
    fn status(&self, version: Option<Version>, examined: &[Version]) -> KeyStatus {
        let Some(v) = version else {
            return KeyStatus::Known;
        };
        if examined.first().is_some_and(|f| v < *f) {
            return KeyStatus::Known;
        }
        let last_examined_before = |x: Version| examined.iter().rev().find(|e| **e < x).copied();
        if let Some(since) = self.since()
            && v < since
        {
            if last_examined_before(since).is_some_and(|e| v <= e) {
                return KeyStatus::NotYet(since);
            }
            return KeyStatus::Known;
        }
        for [gone, back] in &self.gaps {
            if let (Some(gone), Some(back)) = (Version::parse(gone), Version::parse(back))
                && v >= gone
                && last_examined_before(back).is_some_and(|e| v <= e)
            {
                return KeyStatus::Removed(gone);
            }
        }
        if let Some(until) = self.until()
            && v >= until
        {
            return KeyStatus::Removed(until);
        }
        KeyStatus::Known
    }
}

impl KnownKeys {
    pub fn section(&self, s: Section) -> &SectionKeys {
        match s {
            Section::TopLevel => &self.file.top_level.keys,
            Section::Router => &self.file.router_settings.keys,
            Section::Litellm => &self.file.litellm_settings,
            Section::General => &self.file.general_settings,
            Section::RetryPolicy => &self.file.retry_policy,
            Section::AllowedFailsPolicy => &self.file.allowed_fails_policy,
        }
    }

    pub fn spec(&self, s: Section, key: &str) -> Option<&KeySpec> {
        let i = *self.index[s.index()].get(key)?;
        self.section(s).keys.get(i)
    }

    /// Whether `key` does something under section `s` at `version`.
    pub fn status(&self, s: Section, key: &str, version: Option<Version>) -> KeyStatus {
        if let Some(spec) = self.spec(s, key) {
            return spec.status(version, &self.examined);
        }
        match s {
            Section::TopLevel
                if self
                    .file
                    .top_level
                    .allowed_patterns
                    .iter()
                    .any(|p| regex::Regex::new(p).is_ok_and(|r| r.is_match(key))) =>
            {
                KeyStatus::Known
            }
            _ => KeyStatus::Unknown,
        }
    }

    /// Key names of a section, for "did you mean".
    pub fn names(&self, s: Section) -> impl Iterator<Item = &str> {
        self.section(s)
            .keys
            .iter()
            .filter(|k| k.settable)
            .map(|k| k.name.as_str())
    }

    pub fn router_only_in_litellm(&self, key: &str) -> bool {
        self.file
            .router_only_keys_in_litellm_settings
            .keys
            .iter()
            .any(|k| k == key)
    }
    pub fn router_only_in_litellm_evidence(&self) -> &str {
        &self.file.router_only_keys_in_litellm_settings.evidence
    }

    /// `Some(startup_error)` when `key` is a `general_settings` key that people put under
    /// `router_settings`.
    pub fn general_in_router(&self, key: &str) -> Option<bool> {
        let l = &self.file.general_settings_only_in_router_settings;
        l.keys
            .iter()
            .any(|k| k == key)
            .then(|| l.startup_error.iter().any(|k| k == key))
    }
    pub fn general_in_router_evidence(&self) -> &str {
        &self.file.general_settings_only_in_router_settings.evidence
    }

    /// Router parameters the proxy passes itself: a `router_settings` value fails startup with
    /// "got multiple values for keyword argument" before 1.109.0.
    pub fn set_by_proxy_startup_error(&self, key: &str) -> bool {
        self.file
            .router_settings
            .set_by_proxy_startup_error_before_1_109
            .iter()
            .any(|k| k == key)
    }

    pub fn routing_strategies(&self) -> &[String] {
        &self.file.router_settings.routing_strategy_values
    }

    /// Values that make the proxy refuse to start.
    pub fn startup_refusals(&self) -> &[StartupRefusal] {
        &self.file.startup_refusal
    }
}

/// A whole value written as a shell or template reference to an environment variable
/// (`${NAME}`, `${NAME:-default}`, `$NAME`, `env("NAME")`), which LiteLLM never resolves: the
/// variable, and whether the reference carries a default.
pub fn shell_env_reference(s: &str) -> Option<(&str, bool)> {
    static RE: std::sync::OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r#"^\s*(?:\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-[^}]*)?\}|\$([A-Z_][A-Z0-9_]*)|env\(\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*\))\s*$"#,
        )
        .expect("valid")
    });
    let c = re.captures(s)?;
    let name = c.get(1).or(c.get(3)).or(c.get(4))?.as_str();
    Some((name, c.get(2).is_some()))
}

/// Whether `key` with this value is one of the config's top-level sections (`litellm_settings`,
/// `mcp_servers`, ...): a mapping or list whose name the proxy reads only at the top level.
pub fn is_top_level_section(key: &str, value: &Node) -> bool {
    (value.as_map().is_some() || value.as_seq().is_some())
        && key != "include"
        && matches!(
            known_keys().placement(Section::TopLevel, key, None),
            Placement::Fine
        )
}

/// A key as it stands in one section of the config.
pub struct Placed<'a> {
    pub section: Section,
    pub entry: &'a crate::yaml::Entry,
    /// Where the section is, for messages: `router_settings.retry_policy`.
    pub path: String,
}

/// Every key of the sections whose keys we know, in the merged config.
pub fn placed_keys(root: &Node) -> Vec<Placed<'_>> {
    fn push<'a>(section: Section, node: Option<&'a Node>, path: String, out: &mut Vec<Placed<'a>>) {
        if let Some(entries) = node.and_then(Node::as_map) {
            for entry in entries {
                out.push(Placed {
                    section,
                    entry,
                    path: path.clone(),
                });
            }
        }
    }
    let mut out = Vec::new();
    push(Section::TopLevel, Some(root), String::new(), &mut out);
    for (s, name) in [
        (Section::Router, "router_settings"),
        (Section::Litellm, "litellm_settings"),
        (Section::General, "general_settings"),
    ] {
        push(s, root.get(name), name.to_string(), &mut out);
    }
    if let Some(router) = root.get("router_settings") {
        push(
            Section::RetryPolicy,
            router.get("retry_policy"),
            "router_settings.retry_policy".into(),
            &mut out,
        );
        push(
            Section::AllowedFailsPolicy,
            router.get("allowed_fails_policy"),
            "router_settings.allowed_fails_policy".into(),
            &mut out,
        );
        if let Some(groups) = router
            .get("model_group_retry_policy")
            .and_then(Node::as_map)
        {
            for g in groups {
                push(
                    Section::RetryPolicy,
                    Some(&g.value),
                    format!(
                        "router_settings.model_group_retry_policy.{}",
                        g.key.key_string()
                    ),
                    &mut out,
                );
            }
        }
    }
    out
}

/// What is wrong with a key's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    Fine,
    /// Nothing reads it; `suggestion` is the closest key of the same section.
    Unknown {
        suggestion: Option<String>,
    },
    /// Read only from `since` on.
    NotYet(Version),
    /// No longer read from this release on.
    Removed(Version),
    /// It belongs elsewhere.
    Misplaced {
        belongs: &'static str,
        /// The proxy refuses to start (at the version in use).
        startup_error: bool,
        effect: String,
    },
}

impl KnownKeys {
    /// Judges one key of a section at a version (`None`: any version we know).
    pub fn placement(&self, section: Section, key: &str, version: Option<Version>) -> Placement {
        use Section::*;
        if section == Router
            && let Some(spec) = self.spec(Router, key)
            && !spec.settable
        {
            let before_1_109 = version.is_some_and(|v| v < Version(1, 109, 0));
            if self.set_by_proxy_startup_error(key) {
                return Placement::Misplaced {
                    belongs: "nowhere: the proxy sets it itself",
                    startup_error: before_1_109,
                    effect: if before_1_109 {
                        "the proxy passes it to the Router too, so startup fails with \"got multiple values for keyword argument\"".into()
                    } else {
                        "the proxy passes it to the Router itself; from 1.109.0 this value is dropped with a warning (before that, startup fails with \"got multiple values for keyword argument\")".into()
                    },
                };
            }
            return Placement::Misplaced {
                belongs: if key == "model_list" || key == "search_tools" {
                    "the top level"
                } else {
                    "nowhere: the proxy sets it itself"
                },
                startup_error: false,
                effect: "the proxy removes it from `router_settings` before building the Router, so it is ignored".into(),
            };
        }
        // Below the examined releases nothing is known about what the proxy reads.
        if below_examined(version) {
            return Placement::Fine;
        }
        match self.status(section, key, version) {
            KeyStatus::Known => return Placement::Fine,
            KeyStatus::NotYet(v) => return Placement::NotYet(v),
            KeyStatus::Removed(v) => return Placement::Removed(v),
            KeyStatus::Unknown => {}
        }
        // Where a key belongs: a key of that section (for `litellm_settings`, one the proxy
        // reads or LiteLLM documents, not any module attribute that happens to share the name).
        let known_in = |s: Section| {
            self.spec(s, key)
                .is_some_and(|k| k.settable && (s != Section::Litellm || k.special || k.documented))
        };
        let misplaced =
            |belongs: &'static str, startup_error: bool, effect: &str| Placement::Misplaced {
                belongs,
                startup_error,
                effect: effect.to_string(),
            };
        match section {
            Litellm if self.router_only_in_litellm(key) || known_in(Router) => {
                return misplaced(
                    "router_settings",
                    false,
                    "`litellm_settings` sets it as `litellm.<key>`, which the Router never reads, so it has no effect",
                );
            }
            Litellm if known_in(General) => {
                return misplaced(
                    "general_settings",
                    false,
                    "`litellm_settings` sets it as `litellm.<key>`, which the proxy never reads, so it has no effect",
                );
            }
            Router => {
                if let Some(startup_error) = self.general_in_router(key) {
                    return misplaced(
                        "general_settings",
                        startup_error,
                        if startup_error {
                            "the proxy refuses to start: \"is NOT a valid router_settings parameter. Please move it to 'general_settings'\""
                        } else {
                            "it is not a Router parameter, so the proxy drops it with a warning"
                        },
                    );
                }
                let dropped = "it is not a Router parameter, so the proxy drops it with a warning";
                if known_in(Litellm) {
                    return misplaced("litellm_settings", false, dropped);
                }
                if known_in(General) {
                    return misplaced("general_settings", false, dropped);
                }
            }
            General | TopLevel => {
                let effect = if section == General {
                    "`general_settings` never reads it, so it has no effect"
                } else {
                    "the proxy ignores unknown top-level keys, so it has no effect"
                };
                if known_in(Router) {
                    return misplaced("router_settings", false, effect);
                }
                if known_in(Litellm) {
                    return misplaced("litellm_settings", false, effect);
                }
                if section == TopLevel && known_in(General) {
                    return misplaced("general_settings", false, effect);
                }
            }
            RetryPolicy if known_in(AllowedFailsPolicy) => {
                return misplaced(
                    "router_settings.allowed_fails_policy",
                    false,
                    "`RetryPolicy` ignores fields it does not have",
                );
            }
            AllowedFailsPolicy if known_in(RetryPolicy) => {
                return misplaced(
                    "router_settings.retry_policy",
                    false,
                    "`AllowedFailsPolicy` ignores fields it does not have",
                );
            }
            _ => {}
        }
        let suggestion = crate::diagnostic::did_you_mean(
            key,
            self.section(section)
                .keys
                .iter()
                .filter(|k| k.settable && (section != Litellm || k.special || k.documented))
                .map(|k| k.name.as_str()),
        );
        Placement::Unknown {
            suggestion: suggestion.map(str::to_string),
        }
    }
}

/// The compiled JSON Schema of the proxy config.
pub fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(schema_json()).expect("the schema compiles"))
}

/// The tree as JSON, the way PyYAML would hand it to LiteLLM.
pub fn to_json(n: &Node) -> Json {
    match &n.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            let mut m = Map::new();
            for e in entries.iter() {
                m.insert(e.key.key_string(), to_json(&e.value));
            }
            Json::Object(m)
        }
    }
}

/// A schema error at a place in the tree.
#[derive(Debug)]
pub struct SchemaError {
    /// The value the error is about.
    pub node: Node,
    /// The key that holds it, when it is a mapping value.
    pub key_span: Option<Span>,
    /// Path segments from the config root.
    pub path: Vec<String>,
    pub kind: SchemaErrorKind,
    /// What the schema says the value should be (the `description` where the check failed).
    pub expected: Option<String>,
    /// What the schema says about the key.
    pub key_doc: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SchemaErrorKind {
    /// Wrong JSON type (`expected`: the schema's types), or none of several accepted forms.
    Type { expected: Vec<String> },
    /// A required key is missing.
    Required(String),
    /// Not one of the allowed values.
    Enum { allowed: Vec<String> },
    /// A key the schema forbids where it stands (`not: {}`).
    Forbidden,
    /// Anything else the schema rejects (required keys, patterns, bounds...).
    Other,
}

/// Validates the config's merged root and maps each error back to its node.
pub fn validate(root: &Node) -> Vec<SchemaError> {
    // Aliases share subtrees; expanded to JSON, an alias bomb would not fit in memory.
    let mut budget = 200_000;
    if !root.walk(&mut budget, &mut |_| {}) {
        return vec![];
    }
    let instance = to_json(root);
    let mut out = Vec::new();
    for err in validator().iter_errors(&instance) {
        push_error(&err, root, &mut out);
    }
    out
}

fn segments(loc: &jsonschema::paths::Location) -> Vec<String> {
    loc.iter()
        .map(|seg| match seg {
            jsonschema::paths::LocationSegment::Property(p) => p.to_string(),
            jsonschema::paths::LocationSegment::Index(i) => i.to_string(),
        })
        .collect()
}

fn push_error(err: &jsonschema::ValidationError, root: &Node, out: &mut Vec<SchemaError>) {
    use jsonschema::error::ValidationErrorKind as K;
    let path = segments(err.instance_path());
    let kind = match err.kind() {
        // Unknown keys: LL501/LL502 explain them with the known-keys data.
        K::AdditionalProperties { .. } => return,
        K::Type { kind } => SchemaErrorKind::Type {
            expected: type_names(kind),
        },
        K::AnyOf { context } | K::OneOfNotValid { context } => {
            // A branch whose type matched and that failed deeper down: report those errors,
            // at the place they are about.
            let depth = path.len();
            let deeper = context
                .iter()
                .filter(|b| {
                    !b.is_empty() && b.iter().all(|e| segments(e.instance_path()).len() > depth)
                })
                .min_by_key(|b| b.len());
            if let Some(branch) = deeper {
                for e in branch {
                    push_error(e, root, out);
                }
                return;
            }
            if context.iter().any(|b| {
                !b.is_empty()
                    && b.iter()
                        .all(|e| matches!(e.kind(), K::AdditionalProperties { .. }))
            }) {
                return;
            }
            SchemaErrorKind::Type { expected: vec![] }
        }
        K::Required { property } => {
            SchemaErrorKind::Required(property.as_str().unwrap_or_default().to_string())
        }
        K::Enum { options } => SchemaErrorKind::Enum {
            allowed: options
                .as_array()
                .map(|a| a.iter().map(|v| v.to_string()).collect())
                .unwrap_or_default(),
        },
        K::Not { .. } | K::FalseSchema => SchemaErrorKind::Forbidden,
        _ => SchemaErrorKind::Other,
    };
    let Some((node, key_span)) = locate(root, &path) else {
        return;
    };
    let (expected, key_doc) = schema_notes(schema_json(), &segments(err.schema_path()));
    out.push(SchemaError {
        node: node.clone(),
        key_span,
        path,
        kind,
        expected,
        key_doc,
    });
}

fn schema_json() -> &'static Json {
    static S: OnceLock<Json> = OnceLock::new();
    S.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).expect("the schema is valid JSON"))
}

/// Walks the schema along an error's schema path: the description of the subschema whose
/// keyword failed, and the description of the last property on the way.
fn schema_notes(schema: &Json, path: &[String]) -> (Option<String>, Option<String>) {
    let desc = |n: &Json| {
        n.get("description")
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let mut node = schema;
    let mut key_doc = None;
    let mut expected = None;
    let Some((_, walk)) = path.split_last() else {
        return (None, None);
    };
    for (i, seg) in walk.iter().enumerate() {
        let next = if seg == "$ref" {
            node.get("$ref")
                .and_then(Json::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| schema.pointer(p))
        } else {
            match node {
                Json::Object(m) => m.get(seg),
                Json::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            }
        };
        let Some(next) = next else {
            break;
        };
        node = next;
        if i > 0 && walk[i - 1] == "properties" {
            key_doc = desc(node);
            expected = None;
        } else if let Some(d) = desc(node) {
            expected = Some(d);
        }
    }
    if path.last().is_some_and(|k| k == "anyOf" || k == "oneOf")
        && let Some(branches) = node.get(path.last().unwrap()).and_then(Json::as_array)
    {
        let forms: Vec<String> = branches.iter().filter_map(|b| form(schema, b)).collect();
        if !forms.is_empty() {
            expected = Some(forms.join(" or "));
        }
    }
    (expected, key_doc)
}

/// A short human name of what a subschema accepts.
fn form(schema: &Json, b: &Json) -> Option<String> {
    if let Some(r) = b.get("$ref").and_then(Json::as_str) {
        if r.ends_with("/envRef") {
            return Some("an `os.environ/NAME` reference".into());
        }
        let target = schema.pointer(r.strip_prefix('#')?)?;
        return form(schema, target);
    }
    if let Some(bs) = b
        .get("anyOf")
        .or_else(|| b.get("oneOf"))
        .and_then(Json::as_array)
    {
        let forms: Vec<String> = bs.iter().filter_map(|x| form(schema, x)).collect();
        return (!forms.is_empty()).then(|| forms.join(" or "));
    }
    if let Some(e) = b.get("enum").and_then(Json::as_array) {
        return Some(format!(
            "one of {}",
            e.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let ty = b.get("type")?;
    let names: Vec<&str> = match ty {
        Json::String(t) => vec![t.as_str()],
        Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
        _ => return None,
    };
    let mut out: Vec<String> = names.iter().map(|t| json_type_name(t)).collect();
    if names == ["string"] && b.get("pattern").is_some() {
        out = vec!["a string of the right form".into()];
    }
    Some(out.join(" or "))
}

pub fn json_type_name(t: &str) -> String {
    match t {
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        "null" => "nothing (null)".into(),
        "integer" => "an integer".into(),
        t => format!("a {t}"),
    }
}

fn type_names(kind: &jsonschema::error::TypeKind) -> Vec<String> {
    match kind {
        jsonschema::error::TypeKind::Single(t) => vec![t.to_string()],
        jsonschema::error::TypeKind::Multiple(ts) => ts.iter().map(|t| t.to_string()).collect(),
    }
}

/// The node at a path of keys and indexes, and the span of the key holding it.
pub fn locate<'a>(root: &'a Node, path: &[String]) -> Option<(&'a Node, Option<Span>)> {
    let mut node = root;
    let mut key_span = None;
    for seg in path {
        match &node.value {
            Value::Map(entries) => {
                // The last entry wins, as in PyYAML.
                let e = entries.iter().rev().find(|e| e.key.key_string() == *seg)?;
                key_span = Some(e.key.span);
                node = &e.value;
            }
            Value::Seq(items) => {
                node = items.get(seg.parse::<usize>().ok()?)?;
                key_span = None;
            }
            _ => return None,
        }
    }
    Some((node, key_span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let k = known_keys();
        assert_eq!(
            k.status(Section::Router, "num_retries", None),
            KeyStatus::Known
        );
        assert_eq!(
            k.status(Section::Router, "num_retry", None),
            KeyStatus::Unknown
        );
        // `since` is the first examined release that has the key: absence is proven up to the
        // examined release before it (1.103.11), not in the releases between the two.
        assert_eq!(
            k.status(
                Section::RetryPolicy,
                "NotFoundErrorRetries",
                Some(Version(1, 100, 0))
            ),
            KeyStatus::NotYet(Version(1, 104, 9))
        );
        assert_eq!(
            k.status(
                Section::RetryPolicy,
                "NotFoundErrorRetries",
                Some(Version(1, 104, 0))
            ),
            KeyStatus::Known
        );
        assert_eq!(
            examined_before(Version(1, 104, 9)),
            Some(Version(1, 103, 11))
        );
        // Removed in 1.110.0: the four accounting_* keys of 1.109.x.
        assert_eq!(
            k.status(
                Section::General,
                "accounting_capture",
                Some(Version(1, 110, 2))
            ),
            KeyStatus::Removed(Version(1, 110, 0))
        );
        assert_eq!(
            k.status(
                Section::General,
                "accounting_capture",
                Some(Version(1, 109, 3))
            ),
            KeyStatus::Known
        );
        // Newer than the examined releases: the newest examined answer (the rules hedge it).
        assert_eq!(
            k.status(Section::General, "fips_mode", Some(Version(1, 200, 0))),
            KeyStatus::Known
        );
        assert_eq!(
            k.status(Section::General, "fips_mode", Some(Version(1, 109, 3))),
            KeyStatus::NotYet(Version(1, 110, 0))
        );
        // Below the oldest examined release there is no claim either way.
        assert_eq!(
            k.status(Section::TopLevel, "include", Some(Version(1, 74, 0))),
            KeyStatus::Known
        );
        assert_eq!(
            k.placement(Section::TopLevel, "model_lists", Some(Version(1, 56, 10))),
            Placement::Fine
        );
        assert_eq!(
            k.status(Section::TopLevel, "x-defaults", None),
            KeyStatus::Known
        );
        assert_eq!(
            k.status(Section::Litellm, "set_verbose", None),
            KeyStatus::Known
        );
        assert_eq!(
            k.status(Section::Litellm, "retry_policy", None),
            KeyStatus::Unknown
        );
        assert!(k.router_only_in_litellm("retry_policy"));
        assert_eq!(k.general_in_router("health_check_interval"), Some(true));
        assert_eq!(k.general_in_router("background_health_checks"), Some(false));
    }

    #[test]
    fn schema_errors_have_spans() {
        let text = "router_settings:\n  num_retries: three\n  routing_strategy: usage-based\n";
        let doc = crate::yaml::parse(text, crate::source::FileId(0)).unwrap();
        let root = doc.root.unwrap();
        let errs = validate(&root);
        let at: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| {
                (
                    &text[e.node.span.start..e.node.span.end],
                    e.path[1].as_str(),
                )
            })
            .collect();
        assert!(at.contains(&("three", "num_retries")), "{errs:?}");
        assert!(
            at.contains(&("usage-based", "routing_strategy")),
            "{errs:?}"
        );
    }
}
