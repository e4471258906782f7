//! The typed model of one LiteLLM proxy config, built once from the YAML tree. Rules read this
//! model, never raw text. Every value keeps the span of the file it came from (includes too).

pub mod build;

pub use build::{IncludeLoader, build_config, classify, find_config_root, looks_like_config};

use crate::source::{FileId, Span};
use crate::yaml::Node;

/// Where a setting or a fallback list was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    RouterSettings,
    LitellmSettings,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::RouterSettings => "router_settings",
            Section::LitellmSettings => "litellm_settings",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FallbackKind {
    /// `fallbacks`: any error that reaches the fallback stage.
    General,
    /// `context_window_fallbacks`: only ContextWindowExceededError.
    ContextWindow,
    /// `content_policy_fallbacks`: only ContentPolicyViolationError.
    ContentPolicy,
    /// `default_fallbacks`: a plain list, used as a `"*"` entry of `fallbacks`.
    Default,
}

impl FallbackKind {
    pub const ALL: [FallbackKind; 4] = [
        FallbackKind::General,
        FallbackKind::ContextWindow,
        FallbackKind::ContentPolicy,
        FallbackKind::Default,
    ];
    pub fn key(self) -> &'static str {
        match self {
            FallbackKind::General => "fallbacks",
            FallbackKind::ContextWindow => "context_window_fallbacks",
            FallbackKind::ContentPolicy => "content_policy_fallbacks",
            FallbackKind::Default => "default_fallbacks",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct FallbackEntry {
    /// The model group the entry is for (`"*"` for wildcard and `default_fallbacks`).
    pub group: String,
    pub group_span: Span,
    pub targets: Vec<Target>,
    /// The whole list item.
    pub item_span: Span,
}

#[derive(Clone, Debug)]
pub struct FallbackList {
    pub kind: FallbackKind,
    pub section: Section,
    /// The `fallbacks:` key.
    pub key_span: Span,
    pub value: Node,
    /// Well-formed entries (malformed items are left to the shape rule).
    pub entries: Vec<FallbackEntry>,
    /// False when `router_settings` sets the same kind, so LiteLLM ignores this one.
    pub effective: bool,
}

/// A resolved setting with LiteLLM's default applied.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    /// Where it was set; `None` when the default applies.
    pub span: Option<Span>,
    /// `router_settings.num_retries`, `litellm_settings.num_retries` or `default`.
    pub source: String,
}

impl<T> Setting<T> {
    pub fn is_default(&self) -> bool {
        self.span.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub index: usize,
    pub model_name: String,
    pub model_name_span: Span,
    /// The whole `model_list` item.
    pub item_span: Span,
    /// `litellm_params.model`, as written.
    pub model: Option<String>,
    pub model_span: Option<Span>,
    /// The provider LiteLLM routes to (prefix, `custom_llm_provider`, or inferred).
    pub provider: String,
    /// The model name without the provider prefix.
    pub provider_model: String,
    pub params: Option<Node>,
    pub model_info: Option<Node>,
}

impl Deployment {
    pub fn param(&self, key: &str) -> Option<&Node> {
        self.params.as_ref()?.get(key)
    }
    pub fn param_entry(&self, key: &str) -> Option<&crate::yaml::Entry> {
        self.params.as_ref()?.entry(key)
    }
    /// The span to point at for this deployment: its `model:` value, else its name.
    pub fn anchor_span(&self) -> Span {
        self.model_span.unwrap_or(self.model_name_span)
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub deployments: Vec<usize>,
    pub wildcard: bool,
}

#[derive(Clone, Debug)]
pub struct Alias {
    pub alias: String,
    pub alias_span: Span,
    pub target: String,
    pub target_span: Span,
}

#[derive(Clone, Debug)]
pub struct EnvRef {
    pub name: String,
    pub span: Span,
    /// The string stands directly in a list (the proxy does not resolve those).
    pub in_list: bool,
}

#[derive(Clone, Debug)]
pub struct IncludeRef {
    pub path: String,
    pub span: Span,
    pub file: Option<FileId>,
}

/// A top-level key of an included file that replaced the main file's value.
#[derive(Clone, Debug)]
pub struct Override {
    pub key: String,
    pub main_span: Span,
    pub include_span: Span,
    /// Keys of the main file's mapping that the included mapping does not have (lost).
    pub lost: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub file: FileId,
    /// The merged config mapping (for Helm values: the `proxy_config` value).
    pub root: Node,
    /// The `proxy_config` key when the file is a Helm values file.
    pub helm_key: Option<Span>,
    pub deployments: Vec<Deployment>,
    pub groups: Vec<Group>,
    /// Group name → index in `groups` (a lookup must not scan thousands of groups).
    pub group_index: std::collections::HashMap<String, usize>,
    pub fallbacks: Vec<FallbackList>,
    pub aliases: Vec<Alias>,
    pub env_refs: Vec<EnvRef>,
    pub includes: Vec<IncludeRef>,
    pub overrides: Vec<Override>,
    pub num_retries: Setting<i64>,
    pub max_fallbacks: Setting<i64>,
    pub timeout: Setting<f64>,
    pub stream_timeout: Option<Setting<f64>>,
    pub allowed_fails: Setting<i64>,
    pub cooldown_time: Setting<f64>,
    pub routing_strategy: Setting<String>,
}

impl Config {
    pub fn section(&self, name: &str) -> Option<&Node> {
        self.root.get(name)
    }
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.group_index.get(name).map(|&i| &self.groups[i])
    }
    pub fn group_deployments<'a>(
        &'a self,
        g: &'a Group,
    ) -> impl Iterator<Item = &'a Deployment> + 'a {
        g.deployments.iter().map(move |&i| &self.deployments[i])
    }
    /// True when `name` is a group, an alias, or matched by a wildcard deployment.
    pub fn resolves(&self, name: &str) -> bool {
        self.group(name).is_some()
            || self.aliases.iter().any(|a| a.alias == name)
            || self
                .groups
                .iter()
                .any(|g| g.wildcard && wildcard_match(&g.name, name))
    }
    pub fn has_wildcard(&self) -> bool {
        self.groups.iter().any(|g| g.wildcard)
    }
    /// Effective fallback lists of a kind (router_settings wins over litellm_settings).
    pub fn effective(&self, kind: FallbackKind) -> impl Iterator<Item = &FallbackList> {
        self.fallbacks
            .iter()
            .filter(move |l| l.kind == kind && l.effective)
    }
    /// The fallback entry LiteLLM uses for `group` on a generic error: exact key, then the key
    /// without a provider prefix, then `"*"` (including `default_fallbacks`).
    pub fn general_fallback_for(&self, group: &str) -> Option<(&FallbackList, &FallbackEntry)> {
        let general: Vec<&FallbackList> = self.effective(FallbackKind::General).collect();
        let find = |pred: &dyn Fn(&FallbackEntry) -> bool| {
            general
                .iter()
                .find_map(|l| l.entries.iter().find(|e| pred(e)).map(|e| (*l, e)))
        };
        if let Some(x) = find(&|e| e.group == group) {
            return Some(x);
        }
        if let Some((_, stripped)) = group.split_once('/')
            && let Some(x) = find(&|e| e.group == stripped)
        {
            return Some(x);
        }
        if let Some(x) = find(&|e| e.group == "*") {
            return Some(x);
        }
        self.effective(FallbackKind::Default)
            .find_map(|l| l.entries.first().map(|e| (l, e)))
    }
}

/// `fnmatch`-style match of a wildcard `model_name` such as `openai/*` or `*`.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    fn rec(p: &[u8], n: &[u8]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some(b'*') => (0..=n.len()).any(|i| rec(&p[1..], &n[i..])),
            Some(c) => n.first() == Some(c) && rec(&p[1..], &n[1..]),
        }
    }
    pattern.contains('*') && rec(pattern.as_bytes(), name.as_bytes())
}
