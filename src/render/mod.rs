//! Output formats. Each is a serializer of the one diagnostic model.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::check::display_path;
use crate::diagnostic::Diagnostic;
use crate::source::{LineCol, SourceMap, Span};

/// Start and end positions (1-based line, 1-based char column) of a span.
pub fn range(sources: &SourceMap, span: Span) -> (LineCol, LineCol) {
    let f = sources.get(span.file);
    (f.line_col(span.start), f.line_col(span.end))
}

pub fn path_of(sources: &SourceMap, span: Span) -> String {
    display_path(&sources.get(span.file).path)
}

/// The help and the notes of a diagnostic as one text (`None` when it has neither).
pub fn help_text(d: &Diagnostic) -> Option<String> {
    let mut help = d.help.clone();
    if !d.notes.is_empty() {
        let notes = d.notes.join("\n");
        help = Some(match help {
            Some(h) => format!("{h}\n{notes}"),
            None => notes,
        });
    }
    help
}
