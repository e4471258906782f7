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

/// A file's masked text (secrets as `****`) with its line starts, built once per file per run,
/// so each diagnostic renders only the lines it points at.
struct Masked<'a> {
    text: std::borrow::Cow<'a, str>,
    starts: Vec<usize>,
}

impl<'a> Masked<'a> {
    fn new(text: std::borrow::Cow<'a, str>) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Masked { text, starts }
    }

    /// The whole lines that hold `ranges`: their text, its byte offset in the file, and the
    /// 1-based number of its first line.
    fn window(&self, ranges: &[std::ops::Range<usize>]) -> (&str, usize, usize) {
        let lo = ranges.iter().map(|r| r.start).min().unwrap_or(0);
        let hi = ranges.iter().map(|r| r.end).max().unwrap_or(0).max(lo);
        let first = match self.starts.binary_search(&lo) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let begin = self.starts[first];
        let end = self.text[hi..]
            .find('\n')
            .map_or(self.text.len(), |i| hi + i);
        (&self.text[begin..end], begin, first + 1)
    }
}

/// The masked texts of the files diagnostics point into, built on first use.
#[derive(Default)]
struct MaskedFiles<'a> {
    files: std::collections::HashMap<crate::source::FileId, Masked<'a>>,
}

impl<'a> MaskedFiles<'a> {
    fn load(&mut self, sources: &'a SourceMap, f: crate::source::FileId) {
        self.files
            .entry(f)
            .or_insert_with(|| Masked::new(sources.get(f).masked_text()));
    }
    fn get(&self, f: crate::source::FileId) -> &Masked<'a> {
        &self.files[&f]
    }
}

/// A snippet of the lines of `m` that hold `ranges`, with the ranges shifted into it.
fn windowed<'t, T: Clone>(
    m: &'t Masked<'_>,
    ranges: &[std::ops::Range<usize>],
) -> (Snippet<'t, T>, usize) {
    let (text, offset, line) = m.window(ranges);
    (Snippet::source(text).line_start(line), offset)
}

fn shift(r: std::ops::Range<usize>, by: usize) -> std::ops::Range<usize> {
    r.start - by..r.end - by
}

fn render_one<'a>(
    sources: &'a SourceMap,
    masked: &mut MaskedFiles<'a>,
    d: &Diagnostic,
    renderer: &Renderer,
) -> String {
    // Source text is always the masked view: secrets show as `****` (spans mapped onto it).
    masked.load(sources, d.span.file);
    for l in &d.labels {
        masked.load(sources, l.span.file);
    }
    let masked = &*masked;
    let file = sources.get(d.span.file);
    let path = path_of(sources, d.span);
    let title = format!("{} [{}]", d.message, d.name);
    let primary = file.masked_range(d.span.start, d.span.end);
    let same: Vec<(std::ops::Range<usize>, &str)> = d
        .labels
        .iter()
        .filter(|l| l.span.file == d.span.file)
        .map(|l| {
            (
                file.masked_range(l.span.start, l.span.end),
                l.message.as_str(),
            )
        })
        .collect();
    let all: Vec<std::ops::Range<usize>> = std::iter::once(primary.clone())
        .chain(same.iter().map(|(r, _)| r.clone()))
        .collect();
    let (snippet, off) = windowed(masked.get(d.span.file), &all);
    let mut snippet = snippet
        .path(path.clone())
        .fold(true)
        .annotation(AnnotationKind::Primary.span(shift(primary, off)));
    for (r, msg) in same {
        snippet = snippet.annotation(AnnotationKind::Context.span(shift(r, off)).label(msg));
    }
    let mut other_files: Vec<Snippet<'_, annotate_snippets::Annotation<'_>>> = Vec::new();
    for l in d.labels.iter().filter(|l| l.span.file != d.span.file) {
        let lf = sources.get(l.span.file);
        let r = lf.masked_range(l.span.start, l.span.end);
        let (s, off) = windowed(masked.get(l.span.file), std::slice::from_ref(&r));
        other_files.push(
            s.path(path_of(sources, l.span)).fold(true).annotation(
                AnnotationKind::Context
                    .span(shift(r, off))
                    .label(l.message.as_str()),
            ),
        );
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
            let ranges: Vec<_> = same_file
                .iter()
                .map(|e| file.masked_range(e.span.start, e.span.end))
                .collect();
            let (s, off) = windowed(masked.get(d.span.file), &ranges);
            let mut s = s.path(path.clone());
            for (e, r) in same_file.iter().zip(ranges) {
                s = s.patch(Patch::new(shift(r, off), e.content.as_str()));
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
    let mut masked = MaskedFiles::default();
    if !quiet {
        for d in &o.diagnostics {
            out.push_str(&render_one(&o.sources, &mut masked, d, &renderer));
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
