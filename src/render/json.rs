//! `--output-format json`, exactly as `design.md` fixes it.

use serde_json::{Value, json};

use super::{help_text, path_of, range};
use crate::check::Outcome;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceMap, Span};

fn range_json(sources: &SourceMap, span: Span) -> Value {
    let (s, e) = range(sources, span);
    json!({"start": {"line": s.line, "column": s.column}, "end": {"line": e.line, "column": e.column}})
}

pub fn diagnostic_json(sources: &SourceMap, d: &Diagnostic) -> Value {
    json!({
        "code": d.code,
        "name": d.name,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": path_of(sources, d.span),
        "range": range_json(sources, d.span),
        "labels": d.labels.iter().map(|l| json!({"file": path_of(sources, l.span), "range": range_json(sources, l.span), "message": l.message})).collect::<Vec<_>>(),
        "help": help_text(d),
        "fix": d.fix.as_ref().map(|f| json!({
            "applicability": f.applicability,
            "message": f.message,
            "edits": f.edits.iter().map(|e| json!({"file": path_of(sources, e.span), "range": range_json(sources, e.span), "content": e.content})).collect::<Vec<_>>(),
        })),
        "url": d.url(),
    })
}

pub fn render(o: &Outcome) -> String {
    let v = json!({
        "tool": {"name": "litellm-lint", "version": env!("CARGO_PKG_VERSION")},
        "litellm_version": {"value": o.version.version.map(|v| v.to_string()), "source": o.version.source},
        "files_checked": o.files_checked,
        "configs": o.configs.iter().map(|(f, why)| json!({"file": crate::check::display_path(&o.sources.get(*f).path), "reason": why})).collect::<Vec<_>>(),
        "diagnostics": o.diagnostics.iter().map(|d| diagnostic_json(&o.sources, d)).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON values always serialize");
    s.push('\n');
    s
}
