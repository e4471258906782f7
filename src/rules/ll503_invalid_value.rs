//! ## What it does
//! Checks the config against the JSON Schema of the proxy config
//! (`litellm-lint schema`) and reports values of the wrong type or outside the accepted set:
//! a `routing_strategy` LiteLLM does not know, a quoted boolean (`"false"`), text where a number
//! is expected, a deployment without `litellm_params.model`.
//!
//! ## Why is this bad?
//! Most of these are not checked by the proxy. `router_settings` values go straight into
//! `Router(...)` and `litellm_settings` values onto the `litellm` module, so the string
//! `"false"` is a non-empty string, which Python treats as true: the setting is switched on.
//! An unknown `routing_strategy` stops the proxy at startup (1.83.9 and later; 1.74.14 silently
//! used `simple-shuffle`). A deployment without `litellm_params` stops the proxy at startup
//! (`KeyError`). An `environment_variables` entry whose value is a mapping or a list is exported
//! as `str(value)`: the variable (say `LITELLM_MASTER_KEY`) becomes the Python text of it.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   routing_strategy: usage-based
//!   enable_pre_call_checks: "false"
//! ```
//!
//! ## Fix
//! ```yaml
//! router_settings:
//!   routing_strategy: usage-based-routing-v2
//!   enable_pre_call_checks: false
//! ```

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::structure::{SchemaErrorKind, json_type_name, known_keys, validate};
use crate::version::Version;
use crate::yaml::{Style, Value};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL503",
        name: "invalid-value",
        severity: Severity::Warning,
        summary: "a value of the wrong type or outside what LiteLLM accepts",
        source: include_str!("ll503_invalid_value.rs"),
        fixable: true,
    },
    check: Some(check),
};

/// Keys whose shapes LL106 (fallback-invalid-shape) explains better.
const FALLBACK_KEYS: &[&str] = &[
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "default_fallbacks",
];

/// Key names whose values may be secrets: never quoted in a message.
fn sensitive(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "key",
        "secret",
        "token",
        "password",
        "url",
        "credential",
        "dsn",
    ]
    .iter()
    .any(|s| k.contains(s))
}

fn dotted(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

/// Values the proxy refuses at start-up (`[[startup_refusal]]` in `rules/known-keys.toml`):
/// one error each, at the versions that refuse them. Returns the `(section, key)` pairs
/// reported, so the schema check does not report the same value again.
fn startup_refusals(ctx: &Context, out: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let version = ctx.version.version;
    let mut done = Vec::new();
    for r in known_keys().startup_refusals() {
        if !r.holds_at(version) {
            continue;
        }
        let Some(entry) = ctx
            .config
            .root
            .get(&r.section)
            .and_then(|s| s.entry(&r.key))
        else {
            continue;
        };
        let v = &entry.value;
        if v.as_str().is_some_and(|s| s.starts_with("os.environ/")) {
            continue;
        }
        let refused = match r.refuses.as_str() {
            "not_one_of" => match &v.value {
                Value::Null => false,
                Value::Str(s) => !r.allowed.iter().any(|a| a == s),
                _ => true,
            },
            "not_bool" => match &v.value {
                Value::Bool(_) => false,
                Value::Str(s) => {
                    !matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "false")
                }
                _ => true,
            },
            "type:bool" => matches!(v.value, Value::Bool(_)),
            _ => false,
        };
        if !refused {
            continue;
        }
        let shown = match &v.value {
            Value::Null => "empty".to_string(),
            Value::Str(s) if s.chars().count() <= 40 => format!("`{s}`"),
            other => format!("`{}`", other_text(other)),
        };
        let why = match r.refuses.as_str() {
            "not_one_of" => format!(
                "it accepts only {}",
                r.allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "not_bool" => "it must be true or false".to_string(),
            _ => "a boolean is not a number of seconds".to_string(),
        };
        let since = match version {
            Some(_) => String::new(),
            None => format!(" (LiteLLM {} and later)", r.since()),
        };
        let mut d = Diagnostic::new(
            &RULE.meta,
            v.span,
            format!(
                "`{}.{}` is {shown}: the proxy refuses to start{since}, {why} ({})",
                r.section, r.key, r.raises
            ),
        );
        d.severity = Severity::Error;
        d.labels.push(crate::diagnostic::Label {
            span: entry.key.span,
            message: "set here".into(),
        });
        d = d.note(format!("evidence: litellm {}", r.evidence));
        d.help = Some(match r.refuses.as_str() {
            "not_one_of" => format!(
                "set it to {} or remove it",
                r.allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "not_bool" => "set it to true or false, or remove it".into(),
            _ => "give a number of seconds".into(),
        });
        out.push(d);
        done.push((r.section.clone(), r.key.clone()));
    }
    done
}

fn other_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => if *b { "true" } else { "false" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
        _ => "a value".into(),
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let version = ctx.version.version;
    let refused = startup_refusals(ctx, out);
    for e in validate(&ctx.config.root) {
        if e.path.len() == 2
            && refused
                .iter()
                .any(|(s, k)| *s == e.path[0] && *k == e.path[1])
        {
            continue;
        }
        if e.path.len() >= 2
            && (e.path[0] == "router_settings" || e.path[0] == "litellm_settings")
            && FALLBACK_KEYS.contains(&e.path[1].as_str())
        {
            continue;
        }
        // Keys in the sections LL501/LL502 judge with the known-keys data.
        if e.kind == SchemaErrorKind::Forbidden
            && (e.path.len() == 1
                || matches!(
                    e.path[0].as_str(),
                    "router_settings" | "litellm_settings" | "general_settings"
                ))
        {
            continue;
        }
        let key = e
            .path
            .iter()
            .rev()
            .find(|s| s.parse::<usize>().is_err())
            .cloned()
            .unwrap_or_default();
        let at = dotted(&e.path);
        let found = e.node.type_name();
        let shown = match &e.node.value {
            Value::Str(s) if !sensitive(&key) && s.chars().count() <= 40 => format!("`{s}`"),
            Value::Str(_) => "a string".to_string(),
            _ => match found {
                "list" | "mapping" | "string" | "number" | "boolean" => format!("a {found}"),
                "integer" => "an integer".to_string(),
                _ => found.to_string(),
            },
        };
        let d = match &e.kind {
            // A strategy the project's own code names is one it registers (a custom Router).
            SchemaErrorKind::Enum { .. }
                if key == "routing_strategy"
                    && e.node.as_str().is_some_and(|s| ctx.project_names.contains(s)) =>
            {
                continue;
            }
            SchemaErrorKind::Enum { allowed } if key == "routing_strategy" => {
                let names = known_keys().routing_strategies();
                let suggestion = e.node.as_str().and_then(|s| {
                    crate::diagnostic::did_you_mean(s, names.iter().map(String::as_str))
                        .or_else(|| names.iter().find(|n| n.starts_with(s)).map(String::as_str))
                });
                let old = version.is_some_and(|v| v <= Version(1, 74, 14));
                // Examined: 1.74.14 falls back to simple-shuffle, 1.83.9 raises; the releases
                // in between were not examined.
                let between =
                    version.is_some_and(|v| v > Version(1, 74, 14) && v < Version(1, 83, 9));
                let mut d = Diagnostic::new(
                    &RULE.meta,
                    e.node.span,
                    if old {
                        format!("unknown `routing_strategy` {shown}: LiteLLM {} silently uses `simple-shuffle`", version.expect("a version"))
                    } else if between {
                        format!("unknown `routing_strategy` {shown}: from 1.83.9 on the proxy refuses to start (ValueError); 1.74.14 silently used `simple-shuffle`, and LiteLLM {} itself was not examined", version.expect("a version"))
                    } else {
                        format!("unknown `routing_strategy` {shown}: the proxy refuses to start (ValueError in 1.83.9 and later)")
                    },
                )
                .note(format!("accepted: {}", allowed.join(", ")));
                if !old && !between {
                    d = d.severity(Severity::Error);
                }
                if let Some(s) = suggestion {
                    d = d.help(format!("did you mean `{s}`?")).fix(
                        Applicability::Unsafe,
                        format!("use `{s}`"),
                        vec![Edit {
                            span: e.node.span,
                            content: super::scalar_replacement(ctx.sources, e.node.span, s),
                        }],
                    );
                }
                d
            }
            SchemaErrorKind::Enum { allowed } => Diagnostic::new(
                &RULE.meta,
                e.node.span,
                format!("`{at}` is {shown}, which LiteLLM does not accept here"),
            )
            .note(format!("accepted: {}", allowed.join(", "))),
            SchemaErrorKind::Required(prop)
                if prop == "litellm_params"
                    && e.path.first().is_some_and(|p| p == "model_list") =>
            {
                Diagnostic::new(
                    &RULE.meta,
                    e.key_span.unwrap_or(e.node.span),
                    "this deployment has no `litellm_params`: the proxy fails at startup with `KeyError: 'litellm_params'`",
                )
                .severity(Severity::Error)
                .note("from reading LiteLLM's released source (not measured): the proxy's config loader reads `model[\"litellm_params\"]` of every `model_list` entry (litellm==1.81.16 · litellm/proxy/proxy_server.py:3146, litellm==1.109.1 · litellm/proxy/proxy_server.py:7342)")
                .help("give the deployment `litellm_params` with its `model`, or remove it")
            }
            SchemaErrorKind::Required(prop) => Diagnostic::new(
                &RULE.meta,
                e.key_span.unwrap_or(e.node.span),
                if e.path.first().is_some_and(|p| p == "model_list") {
                    format!("this deployment has no `{prop}`")
                } else {
                    format!("`{at}` is missing the required key `{prop}`")
                },
            ),
            SchemaErrorKind::Type { expected } => {
                let wants_bool = expected.iter().any(|t| t == "boolean")
                    || e.expected
                        .as_deref()
                        .is_some_and(|d| d.to_ascii_lowercase().contains("boolean"));
                let quoted_bool = matches!(&e.node.value, Value::Str(s) if matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off"))
                    && e.node.style == Style::Quoted;
                if e.path.len() == 2
                    && e.path[0] == "environment_variables"
                    && (e.node.as_map().is_some() || e.node.as_seq().is_some())
                {
                    Diagnostic::new(
                        &RULE.meta,
                        e.node.span,
                        format!(
                            "`{at}` is {shown}: the proxy exports `str(value)`, so `{key}` is set to the Python text of this {found}"
                        ),
                    )
                    .severity(Severity::Error)
                    .note("from reading LiteLLM's released source (not measured): the proxy sets `os.environ[key] = str(value)` for each `environment_variables` entry (litellm==1.81.16 · litellm/proxy/proxy_server.py:2654, litellm==1.109.1 · litellm/proxy/proxy_server.py:6615)")
                    .help(format!("give `{key}` one string value (or `os.environ/NAME`); settings that take structure belong in their section"))
                } else if e.path.len() == 2 && e.path[0] == "environment_variables" && e.node.is_null() {
                    Diagnostic::new(
                        &RULE.meta,
                        e.node.span,
                        format!(
                            "`{at}` is empty: the proxy exports `str(None)`, so `{key}` is set to the text `None`"
                        ),
                    )
                    .help(format!("give `{key}` a value, use `os.environ/{key}`, or remove it"))
                } else if wants_bool && quoted_bool {
                    let s = e.node.as_str().unwrap_or_default().to_ascii_lowercase();
                    let b = matches!(s.as_str(), "true" | "yes" | "on");
                    Diagnostic::new(
                        &RULE.meta,
                        e.node.span,
                        if b {
                            format!("`{at}` is the string {shown}, not a boolean: code that checks `is True` sees it as off")
                        } else {
                            format!("`{at}` is the string {shown}, not a boolean: in Python any non-empty string is true, so the setting can end up switched on")
                        },
                    )
                    .fix(
                        Applicability::Unsafe,
                        format!("write `{b}` without quotes"),
                        vec![Edit { span: e.node.span, content: b.to_string() }],
                    )
                } else {
                    let want = if expected.is_empty() {
                        e.expected
                            .as_deref()
                            .map(|d| lower_first(first_sentence(d).trim_end_matches('.')))
                            .unwrap_or_else(|| "another form".to_string())
                    } else {
                        expected
                            .iter()
                            .map(|t| json_type_name(t))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    };
                    Diagnostic::new(
                        &RULE.meta,
                        e.node.span,
                        format!("`{at}` is {shown}; expected {want}"),
                    )
                }
            }
            SchemaErrorKind::Forbidden => Diagnostic::new(
                &RULE.meta,
                e.key_span.unwrap_or(e.node.span),
                format!(
                    "`{at}` has no effect here{}",
                    e.key_doc
                        .as_deref()
                        .map(|d| format!(
                            ": {}",
                            lower_first(d.trim_start_matches(&format!(
                                "`{key}` has no effect at this level: "
                            )))
                        ))
                        .unwrap_or_default()
                ),
            ),
            SchemaErrorKind::Other => Diagnostic::new(
                &RULE.meta,
                e.node.span,
                format!(
                    "`{at}` is not valid here{}",
                    e.expected
                        .as_deref()
                        .map(|d| format!(": {}", lower_first(first_sentence(d))))
                        .unwrap_or_default()
                ),
            ),
        };
        let d = match e.key_doc.as_deref() {
            Some(doc)
                if !matches!(
                    e.kind,
                    SchemaErrorKind::Required(_) | SchemaErrorKind::Forbidden
                ) =>
            {
                d.note(format!("`{key}`: {}", first_sentence(doc)))
            }
            _ => d,
        };
        out.push(d);
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("`") => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}
