//! `--output-format sarif`: SARIF 2.1.0 (GitHub code scanning, VS Code's SARIF viewer, ...).
//!
//! One run. `tool.driver.rules` describes every rule of the registry, whether it fired or not,
//! so `ruleIndex` is a rule's position in [`RULES`]. Locations are relative URIs against the
//! `%SRCROOT%` base (the working directory, like every path we print), regions are 1-based with
//! columns counted in Unicode code points (`columnKind`), exactly as the other formats count
//! them; `endColumn` is exclusive, as SARIF defines it.

use serde_json::{Map, Value, json};

use super::{help_text, path_of, range};
use crate::check::Outcome;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::rules::{RULES, RuleMeta};
use crate::source::{SourceMap, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/litellm-lint/litellm-lint";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a path for a URI. `keep_colon` for absolute paths (`C:/...`); in a relative
/// reference a colon in the first segment would read as a scheme.
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (keep_colon && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file URI for an absolute path.
fn file_uri(path: &str) -> String {
    let p = encode_path(path, true);
    if p.starts_with('/') {
        format!("file://{p}")
    } else {
        format!("file:///{p}")
    }
}

fn artifact_location(display: &str) -> Value {
    if std::path::Path::new(display).is_absolute() {
        json!({"uri": file_uri(display)})
    } else {
        json!({"uri": encode_path(display, false), "uriBaseId": SRCROOT})
    }
}

fn region(sources: &SourceMap, span: Span) -> Value {
    let (s, e) = range(sources, span);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

fn physical_location(sources: &SourceMap, span: Span) -> Value {
    json!({
        "artifactLocation": artifact_location(&path_of(sources, span)),
        "region": region(sources, span),
    })
}

/// Prose of a doc section as one paragraph per blank-line-separated block.
fn unwrap_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn rule_json(meta: &RuleMeta) -> Value {
    let doc = meta.doc();
    let full = meta
        .doc_section("What it does")
        .map(|s| unwrap_paragraphs(&s))
        .unwrap_or_else(|| meta.summary.to_string());
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full},
        "help": {"text": doc.trim_end(), "markdown": doc.trim_end()},
        "helpUri": meta.url(),
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {"fixable": meta.fixable},
    })
}

fn fix_json(sources: &SourceMap, d: &Diagnostic) -> Option<Value> {
    let fix = d.fix.as_ref()?;
    // One artifactChange per file, in the order the files first appear among the edits.
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for e in &fix.edits {
        let path = path_of(sources, e.span);
        let replacement = json!({
            "deletedRegion": region(sources, e.span),
            "insertedContent": {"text": e.content},
        });
        match changes.iter_mut().find(|(p, _)| *p == path) {
            Some((_, r)) => r.push(replacement),
            None => changes.push((path, vec![replacement])),
        }
    }
    let applicability = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    };
    Some(json!({
        "description": {"text": fix.message},
        "artifactChanges": changes
            .into_iter()
            .map(|(path, replacements)| json!({
                "artifactLocation": artifact_location(&path),
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
        "properties": {"applicability": applicability},
    }))
}

fn result_json(sources: &SourceMap, d: &Diagnostic) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    if let Some(i) = RULES.iter().position(|rule| rule.meta.code == d.code) {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({"text": d.message}));
    r.insert(
        "locations".into(),
        json!([{"physicalLocation": physical_location(sources, d.span)}]),
    );
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical_location(sources, l.span),
                    "message": {"text": l.message},
                })
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    if let Some(fix) = fix_json(sources, d) {
        r.insert("fixes".into(), json!([fix]));
    }
    let mut props = Map::new();
    props.insert("name".into(), json!(d.name));
    if let Some(h) = help_text(d) {
        props.insert("help".into(), json!(h));
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

/// The working directory as a `file:` URI ending in `/`, the base of every relative URI.
fn srcroot_uri() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let mut uri = file_uri(&cwd.to_string_lossy());
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

pub fn render(o: &Outcome) -> String {
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({"driver": {
            "name": "litellm-lint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": RULES.iter().map(|r| rule_json(&r.meta)).collect::<Vec<_>>(),
        }}),
    );
    let notifications: Vec<Value> = o
        .path_errors
        .iter()
        .map(|e| json!({"level": "error", "message": {"text": e}}))
        .collect();
    let mut invocation = json!({"executionSuccessful": !o.input_errors});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    run.insert("invocations".into(), json!([invocation]));
    if let Some(root) = srcroot_uri() {
        run.insert("originalUriBaseIds".into(), json!({SRCROOT: {"uri": root}}));
    }
    run.insert(
        "results".into(),
        o.diagnostics
            .iter()
            .map(|d| result_json(&o.sources, d))
            .collect(),
    );
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    run.insert(
        "properties".into(),
        json!({
            "litellmVersion": o.version.version.map(|v| v.to_string()),
            "litellmVersionSource": o.version.source,
            "filesChecked": o.files_checked,
        }),
    );
    let v = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON values always serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(
            artifact_location("proxy/my config#1.yaml"),
            json!({"uri": "proxy/my%20config%231.yaml", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact_location("a:b/é.yaml"),
            json!({"uri": "a%3Ab/%C3%A9.yaml", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact_location("/tmp/x 1/c.yaml"),
            json!({"uri": "file:///tmp/x%201/c.yaml"})
        );
    }

    #[cfg(windows)]
    #[test]
    fn windows_uris() {
        assert_eq!(
            artifact_location("C:\\work\\c.yaml"),
            json!({"uri": "file:///C:/work/c.yaml"})
        );
        assert_eq!(
            artifact_location("proxy\\c.yaml"),
            json!({"uri": "proxy/c.yaml", "uriBaseId": SRCROOT})
        );
    }
}
