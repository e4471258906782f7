//! Builds a [`Config`] from a YAML tree, merging `include:` files the way the proxy does.

use std::rc::Rc;

use super::*;
use crate::yaml::{Entry, Value, WALK_BUDGET};

/// Top-level keys that make a YAML file a LiteLLM proxy config.
pub const CONFIG_KEYS: [&str; 4] = [
    "model_list",
    "router_settings",
    "litellm_settings",
    "general_settings",
];

/// Loads an included file; returns its root node, or a message when it cannot be loaded.
pub trait IncludeLoader {
    fn load_include(&mut self, from: FileId, path: &str) -> Result<(FileId, Option<Node>), String>;
}

pub fn looks_like_config(root: &Node) -> bool {
    find_config_root(root).is_some()
}

/// Top-level keys of other tools' YAML (Docker Compose, VCR cassettes) that no LiteLLM config
/// has: a file with one of them and none of LiteLLM's sections is not a LiteLLM config.
pub const OTHER_TOOLS_KEYS: [&str; 4] = ["services", "volumes", "networks", "interactions"];

/// The config mapping of a file: the root itself, or a Helm values file's `proxy_config`
/// (at the top level or one level down). Returns the node and the `proxy_config` key span.
pub fn find_config_root(root: &Node) -> Option<(Node, Option<Span>)> {
    classify(root).map(|(n, helm, _)| (n, helm))
}

/// [`find_config_root`] with the reason the file is taken as a LiteLLM config, for
/// `--verbose` and the JSON output (`configs`).
pub fn classify(root: &Node) -> Option<(Node, Option<Span>, String)> {
    let map = root.as_map()?;
    if let Some(k) = CONFIG_KEYS.iter().find(|k| root.entry(k).is_some()) {
        return Some((root.clone(), None, format!("a top-level `{k}`")));
    }
    if let Some(e) = root.entry("proxy_config") {
        return Some((
            e.value.clone(),
            Some(e.key.span),
            "Helm values with `proxy_config:`".into(),
        ));
    }
    for e in map {
        if let Some(pc) = e.value.entry("proxy_config") {
            return Some((
                pc.value.clone(),
                Some(pc.key.span),
                format!("Helm values with `{}.proxy_config:`", e.key.key_string()),
            ));
        }
    }
    // Other tools' files that share a key with LiteLLM configs: Docker Compose (its own
    // `include:`, `services`, `volumes`), recorded HTTP traffic (VCR cassettes).
    if OTHER_TOOLS_KEYS.iter().any(|k| root.entry(k).is_some()) {
        return None;
    }
    // A section name one typo away (`router_setting:`): a config whose mistake LL501 reports.
    if map.iter().any(|e| {
        let k = e.key.key_string();
        k.len() >= 10
            && crate::diagnostic::did_you_mean(&k, CONFIG_KEYS.iter().copied())
                .is_some_and(|c| crate::diagnostic::levenshtein(&k, c) <= 2)
    }) {
        return Some((
            root.clone(),
            None,
            "a top-level key one typo away from a LiteLLM section".into(),
        ));
    }
    // A config that only includes others (`include: [models.yaml, router.yaml]`), and nothing
    // a compose file or another tool's YAML would have next to it.
    if root.entry("include").is_some_and(|e| {
        e.value.as_seq().is_some_and(|items| {
            !items.is_empty()
                && items.iter().all(|i| {
                    i.as_str()
                        .is_some_and(|s| s.ends_with(".yaml") || s.ends_with(".yml"))
                })
        })
    }) && map.iter().all(|e| {
        let k = e.key.key_string();
        k == "include"
            || crate::structure::known_keys()
                .spec(crate::structure::Section::TopLevel, &k)
                .is_some()
    }) {
        return Some((
            root.clone(),
            None,
            "only `include:` of YAML files and LiteLLM top-level keys".into(),
        ));
    }
    None
}

/// What went wrong while merging includes, for the LL0xx input rules.
#[derive(Debug, Clone)]
pub struct IncludeProblem {
    pub span: Span,
    pub message: String,
    /// The include path as written, when the file could not be loaded.
    pub include: Option<String>,
}

pub fn build_config(
    file: FileId,
    root: Node,
    helm_key: Option<Span>,
    loader: &mut dyn IncludeLoader,
) -> (Config, Vec<IncludeProblem>) {
    let mut problems = Vec::new();
    let mut includes = Vec::new();
    let mut overrides = Vec::new();
    let merged = merge_includes(
        file,
        root,
        loader,
        &mut includes,
        &mut overrides,
        &mut problems,
    );

    let mut cfg = Config {
        file,
        root: merged.clone(),
        helm_key,
        deployments: vec![],
        groups: vec![],
        group_index: Default::default(),
        fallbacks: vec![],
        aliases: vec![],
        env_refs: vec![],
        includes,
        overrides,
        num_retries: Setting {
            value: 2,
            span: None,
            source: "default".into(),
        },
        max_fallbacks: Setting {
            value: 5,
            span: None,
            source: "default".into(),
        },
        timeout: Setting {
            value: 6000.0,
            span: None,
            source: "default".into(),
        },
        stream_timeout: None,
        allowed_fails: Setting {
            value: 3,
            span: None,
            source: "default".into(),
        },
        cooldown_time: Setting {
            value: 5.0,
            span: None,
            source: "default".into(),
        },
        routing_strategy: Setting {
            value: "simple-shuffle".into(),
            span: None,
            source: "default".into(),
        },
    };
    build_model_list(&mut cfg, &merged);
    build_fallbacks(&mut cfg, &merged);
    build_settings(&mut cfg, &merged);
    build_aliases(&mut cfg, &merged);
    collect_env_refs(&mut cfg.env_refs, &merged);
    (cfg, problems)
}

fn merge_includes(
    file: FileId,
    root: Node,
    loader: &mut dyn IncludeLoader,
    includes: &mut Vec<IncludeRef>,
    overrides: &mut Vec<Override>,
    problems: &mut Vec<IncludeProblem>,
) -> Node {
    let Some(entry) = root.entry("include").cloned() else {
        return root;
    };
    let Some(items) = entry.value.as_seq() else {
        problems.push(IncludeProblem {
            span: entry.value.span,
            message: "`include` must be a list of file paths; the proxy stops at startup".into(),
            include: None,
        });
        return root;
    };
    let mut entries: Vec<Entry> = root
        .as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|e| e.key.key_string() != "include")
        .cloned()
        .collect();
    for item in items {
        let Some(path) = item.as_str() else {
            problems.push(IncludeProblem {
                span: item.span,
                message: "an `include` entry must be a file path".into(),
                include: None,
            });
            continue;
        };
        match loader.load_include(file, path) {
            Err(msg) => {
                problems.push(IncludeProblem {
                    span: item.span,
                    message: msg,
                    include: Some(path.to_string()),
                });
                includes.push(IncludeRef {
                    path: path.into(),
                    span: item.span,
                    file: None,
                });
            }
            Ok((inc_file, inc_root)) => {
                includes.push(IncludeRef {
                    path: path.into(),
                    span: item.span,
                    file: Some(inc_file),
                });
                let Some(inc_root) = inc_root else { continue };
                let Some(inc_map) = inc_root.as_map() else {
                    problems.push(IncludeProblem {
                        span: item.span,
                        message: format!("included file `{path}` is not a mapping"),
                        include: None,
                    });
                    continue;
                };
                for ie in inc_map {
                    let k = ie.key.key_string();
                    match entries.iter_mut().find(|e| e.key.key_string() == k) {
                        None => entries.push(ie.clone()),
                        Some(me) => match (&me.value.value, &ie.value.value) {
                            (Value::Seq(a), Value::Seq(b)) => {
                                let mut items: Vec<Node> = a.as_ref().clone();
                                items.extend(b.iter().cloned());
                                me.value = Node {
                                    value: Value::Seq(Rc::new(items)),
                                    span: me.value.span,
                                    style: me.value.style,
                                };
                            }
                            _ => {
                                let lost = match (me.value.as_map(), ie.value.as_map()) {
                                    (Some(m), Some(i)) => m
                                        .iter()
                                        .map(|e| e.key.key_string())
                                        .filter(|mk| !i.iter().any(|ie| ie.key.key_string() == *mk))
                                        .collect(),
                                    _ => vec![],
                                };
                                overrides.push(Override {
                                    key: k.clone(),
                                    main_span: me.key.span,
                                    include_span: ie.key.span,
                                    lost,
                                });
                                *me = ie.clone();
                            }
                        },
                    }
                }
            }
        }
    }
    Node {
        value: Value::Map(Rc::new(entries)),
        span: root.span,
        style: root.style,
    }
}

/// The provider LiteLLM would route `model` to, and the model name without it.
pub fn split_provider(model: &str, custom_llm_provider: Option<&str>) -> (String, String) {
    let (prefix, rest) = match model.split_once('/') {
        Some((p, r)) => (Some(p), r),
        None => (None, model),
    };
    if let Some(c) = custom_llm_provider {
        let rest = if prefix == Some(c) { rest } else { model };
        return (c.to_string(), rest.to_string());
    }
    if let Some(p) = prefix {
        return (p.to_string(), rest.to_string());
    }
    // Bare names: LiteLLM infers the provider from its model lists.
    let m = model.to_ascii_lowercase();
    let provider = if m.starts_with("gemini-") {
        "vertex_ai"
    } else if m.starts_with("claude") {
        "anthropic"
    } else if m.starts_with("command") {
        "cohere"
    } else {
        "openai"
    };
    (provider.to_string(), model.to_string())
}

fn build_model_list(cfg: &mut Config, root: &Node) {
    let Some(list) = root.get("model_list").and_then(Node::as_seq) else {
        return;
    };
    for (index, item) in list.iter().enumerate() {
        let Some(name_node) = item.get("model_name") else {
            continue;
        };
        let model_name = match &name_node.value {
            Value::Str(s) => s.clone(),
            Value::Seq(_) | Value::Map(_) | Value::Null => continue,
            _ => name_node.key_string(),
        };
        let params = item
            .get("litellm_params")
            .filter(|p| p.as_map().is_some())
            .cloned();
        let model_node = params.as_ref().and_then(|p| p.get("model"));
        let model = model_node.and_then(Node::as_str).map(str::to_string);
        let custom = params
            .as_ref()
            .and_then(|p| p.get("custom_llm_provider"))
            .and_then(Node::as_str);
        let (provider, provider_model) = match &model {
            Some(m) => split_provider(m, custom),
            None => (String::new(), String::new()),
        };
        let d = Deployment {
            index,
            model_name: model_name.clone(),
            model_name_span: name_node.span,
            item_span: item.span,
            model,
            model_span: model_node.map(|n| n.span),
            provider,
            provider_model,
            params: params.clone(),
            model_info: item.get("model_info").cloned(),
        };
        let di = cfg.deployments.len();
        cfg.deployments.push(d);
        match cfg.group_index.get(&model_name) {
            Some(&g) => cfg.groups[g].deployments.push(di),
            None => {
                cfg.group_index.insert(model_name.clone(), cfg.groups.len());
                cfg.groups.push(Group {
                    wildcard: model_name.contains('*'),
                    name: model_name,
                    deployments: vec![di],
                });
            }
        }
    }
}

fn parse_fallback_list(kind: FallbackKind, section: Section, entry: &Entry) -> FallbackList {
    let mut entries = Vec::new();
    match (kind, &entry.value.value) {
        (FallbackKind::Default, Value::Seq(items)) => {
            let targets = items
                .iter()
                .filter_map(|n| {
                    n.as_str().map(|s| Target {
                        name: s.into(),
                        span: n.span,
                    })
                })
                .collect();
            entries.push(FallbackEntry {
                group: "*".into(),
                group_span: entry.key.span,
                targets,
                item_span: entry.value.span,
            });
        }
        (_, Value::Seq(items)) => {
            for item in items.iter() {
                let Some(map) = item.as_map() else { continue };
                if map.len() != 1 {
                    continue;
                }
                let e = &map[0];
                let targets = match &e.value.value {
                    Value::Seq(ts) => ts
                        .iter()
                        .filter_map(|t| match &t.value {
                            Value::Str(s) => Some(Target {
                                name: s.clone(),
                                span: t.span,
                            }),
                            Value::Map(_) => t.get("model").and_then(|m| {
                                m.as_str().map(|s| Target {
                                    name: s.into(),
                                    span: m.span,
                                })
                            }),
                            _ => None,
                        })
                        .collect(),
                    _ => vec![],
                };
                entries.push(FallbackEntry {
                    group: e.key.key_string(),
                    group_span: e.key.span,
                    targets,
                    item_span: item.span,
                });
            }
        }
        _ => {}
    }
    FallbackList {
        kind,
        section,
        key_span: entry.key.span,
        value: entry.value.clone(),
        entries,
        effective: true,
    }
}

fn build_fallbacks(cfg: &mut Config, root: &Node) {
    for kind in FallbackKind::ALL {
        let router = root
            .get("router_settings")
            .and_then(|r| r.entry(kind.key()));
        let litellm = root
            .get("litellm_settings")
            .and_then(|r| r.entry(kind.key()));
        let router_set = router.is_some_and(|e| e.value.is_truthy());
        if let Some(e) = router {
            cfg.fallbacks
                .push(parse_fallback_list(kind, Section::RouterSettings, e));
        }
        if let Some(e) = litellm {
            let mut l = parse_fallback_list(kind, Section::LitellmSettings, e);
            l.effective = !router_set;
            cfg.fallbacks.push(l);
        }
    }
}

/// `router_settings.KEY`, else `litellm_settings.LKEY` (when the Router falls back to the module
/// global), else the default.
fn setting<T>(
    root: &Node,
    key: &str,
    litellm_key: Option<&str>,
    conv: impl Fn(&Node) -> Option<T>,
    default: T,
) -> Setting<T> {
    if let Some(e) = root.get("router_settings").and_then(|r| r.entry(key))
        && let Some(v) = conv(&e.value)
    {
        return Setting {
            value: v,
            span: Some(e.value.span),
            source: format!("router_settings.{key}"),
        };
    }
    if let Some(lk) = litellm_key
        && let Some(e) = root.get("litellm_settings").and_then(|r| r.entry(lk))
        && let Some(v) = conv(&e.value)
    {
        return Setting {
            value: v,
            span: Some(e.value.span),
            source: format!("litellm_settings.{lk}"),
        };
    }
    Setting {
        value: default,
        span: None,
        source: "default".into(),
    }
}

fn build_settings(cfg: &mut Config, root: &Node) {
    cfg.num_retries = setting(root, "num_retries", Some("num_retries"), Node::as_i64, 2);
    cfg.max_fallbacks = setting(
        root,
        "max_fallbacks",
        Some("max_fallbacks"),
        Node::as_i64,
        5,
    );
    cfg.timeout = setting(
        root,
        "timeout",
        Some("request_timeout"),
        Node::as_f64,
        6000.0,
    );
    let st = setting(root, "stream_timeout", None, Node::as_f64, 0.0);
    cfg.stream_timeout = (!st.is_default()).then_some(st);
    cfg.allowed_fails = setting(
        root,
        "allowed_fails",
        Some("allowed_fails"),
        Node::as_i64,
        3,
    );
    // `cooldown_time or DEFAULT_COOLDOWN_TIME_SECONDS`: 0 becomes 5.
    let ct = setting(root, "cooldown_time", None, Node::as_f64, 5.0);
    cfg.cooldown_time = if ct.value == 0.0 {
        Setting { value: 5.0, ..ct }
    } else {
        ct
    };
    cfg.routing_strategy = setting(
        root,
        "routing_strategy",
        None,
        |n| n.as_str().map(str::to_string),
        "simple-shuffle".into(),
    );
}

fn build_aliases(cfg: &mut Config, root: &Node) {
    let Some(map) = root
        .get("router_settings")
        .and_then(|r| r.get("model_group_alias"))
        .and_then(Node::as_map)
    else {
        return;
    };
    for e in map {
        let target = match &e.value.value {
            Value::Str(s) => Some((s.clone(), e.value.span)),
            Value::Map(_) => e
                .value
                .get("model")
                .and_then(|m| m.as_str().map(|s| (s.to_string(), m.span))),
            _ => None,
        };
        if let Some((target, target_span)) = target {
            cfg.aliases.push(Alias {
                alias: e.key.key_string(),
                alias_span: e.key.span,
                target,
                target_span,
            });
        }
    }
}

fn collect_env_refs(out: &mut Vec<EnvRef>, root: &Node) {
    let mut budget = WALK_BUDGET;
    fn rec(n: &Node, in_list: bool, out: &mut Vec<EnvRef>, budget: &mut usize) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        match &n.value {
            Value::Str(s) => {
                if let Some(name) = s.strip_prefix("os.environ/") {
                    out.push(EnvRef {
                        name: name.trim().to_string(),
                        span: n.span,
                        in_list,
                    });
                }
            }
            Value::Seq(items) => items.iter().for_each(|i| rec(i, true, out, budget)),
            Value::Map(entries) => entries
                .iter()
                .for_each(|e| rec(&e.value, false, out, budget)),
            _ => {}
        }
    }
    rec(root, false, out, &mut budget);
}
