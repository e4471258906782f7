//! rustc/ruff-style output with source snippets, labels and fix suggestions.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Patch, Renderer, Snippet};

use super::path_of;
use crate::check::Outcome;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::SourceMap;

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn render_one(sources: &SourceMap, d: &Diagnostic, renderer: &Renderer) -> String {
    // Source text is always the masked view: secrets show as `****` (spans mapped onto it).
    let masked: Vec<std::borrow::Cow<'_, str>> = (0..sources.len())
        .map(|i| {
            let f = crate::source::FileId(i as u32);
            let used = d.span.file == f || d.labels.iter().any(|l| l.span.file == f);
            if used {
                sources.get(f).masked_text()
            } else {
                std::borrow::Cow::Borrowed("")
            }
        })
        .collect();
    let text_of = |f: crate::source::FileId| masked[f.0 as usize].as_ref();
    let file = sources.get(d.span.file);
    let path = path_of(sources, d.span);
    let title = format!("{} [{}]", d.message, d.name);
    let mut snippet = Snippet::source(text_of(d.span.file))
        .path(path.clone())
        .fold(true);
    let primary = file.masked_range(d.span.start, d.span.end);
    snippet = snippet.annotation(AnnotationKind::Primary.span(primary));
    let mut other_files: Vec<Snippet<'_, annotate_snippets::Annotation<'_>>> = Vec::new();
    for l in &d.labels {
        let lf = sources.get(l.span.file);
        let r = lf.masked_range(l.span.start, l.span.end);
        if l.span.file == d.span.file {
            snippet = snippet.annotation(AnnotationKind::Context.span(r).label(l.message.as_str()));
        } else {
            other_files.push(
                Snippet::source(text_of(l.span.file))
                    .path(path_of(sources, l.span))
                    .fold(true)
                    .annotation(AnnotationKind::Context.span(r).label(l.message.as_str())),
            );
        }
    }
    let mut group = level(d.severity)
        .primary_title(title)
        .id(d.code)
        .element(snippet);
    for s in other_files {
        group = group.element(s);
    }
    for n in &d.notes {
        group = group.element(Level::NOTE.message(n.as_str()));
    }
    if let Some(h) = &d.help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let mut report = vec![group];
    if let Some(fix) = &d.fix {
        let same_file: Vec<_> = fix
            .edits
            .iter()
            .filter(|e| e.span.file == d.span.file)
            .collect();
        if !same_file.is_empty() {
            let tag = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe fix)",
                Applicability::DisplayOnly => " (suggestion)",
            };
            let mut s = Snippet::source(text_of(d.span.file)).path(path.clone());
            for e in same_file {
                s = s.patch(Patch::new(
                    file.masked_range(e.span.start, e.span.end),
                    e.content.as_str(),
                ));
            }
            report.push(
                Group::with_title(Level::HELP.secondary_title(format!("{}{tag}", fix.message)))
                    .element(s),
            );
        }
    }
    renderer.render(&report).to_string()
}

/// rustc-style output, coloured only when asked.
fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii)
}

pub fn render(o: &Outcome, color: bool, quiet: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    if !quiet {
        for d in &o.diagnostics {
            out.push_str(&render_one(&o.sources, d, &renderer));
            out.push_str("\n\n");
        }
    }
    let n = o.diagnostics.len();
    let errors = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if n == 0 {
        if !quiet {
            out.push_str(&format!(
                "All checks passed! ({} file{} checked)\n",
                o.files_checked,
                if o.files_checked == 1 { "" } else { "s" }
            ));
        }
    } else {
        out.push_str(&format!(
            "Found {n} problem{} ({errors} error{}, {warnings} warning{}, {} info) in {} file{} checked.\n",
            if n == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            n - errors - warnings,
            o.files_checked,
            if o.files_checked == 1 { "" } else { "s" }
        ));
    }
    if let Some(v) = o.version.version
        && !quiet
    {
        out.push_str(&format!(
            "LiteLLM version {v} (from {}).\n",
            o.version.source.as_deref().unwrap_or("?")
        ));
    }
    out
}

/// One line per diagnostic: `path:line:col: CODE [severity] message`.
pub fn render_concise(o: &Outcome) -> String {
    let mut out = String::new();
    for d in &o.diagnostics {
        let (s, _) = super::range(&o.sources, d.span);
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}\n",
            path_of(&o.sources, d.span),
            s.line,
            s.column,
            d.code,
            d.severity.as_str(),
            d.message
        ));
    }
    out
}

/// Problems in litellm-lint's own configuration files, rustc-style, for stderr.
pub fn render_config_errors(errors: &[crate::settings::ConfigError], color: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    for e in errors {
        let path = crate::check::display_path(&e.path);
        let title = Level::ERROR.primary_title(e.message.as_str());
        if e.text.is_empty() {
            out.push_str(&renderer.render(&[Group::with_title(title)]).to_string());
            out.push_str("\n\n");
            continue;
        }
        let mut start = e.span.start.min(e.text.len());
        while !e.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = e.span.end.clamp(start, e.text.len());
        while !e.text.is_char_boundary(end) {
            end -= 1;
        }
        let mut group = title.element(
            Snippet::source(&*e.text)
                .path(path)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(start..end.max(start))),
        );
        if let Some(h) = &e.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        out.push_str(&renderer.render(&[group]).to_string());
        out.push_str("\n\n");
    }
    let n = errors.len();
    out.push_str(&format!(
        "litellm-lint's configuration has {n} error{}: nothing was checked.\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}
