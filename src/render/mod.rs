//! Output formats. Each is a serializer of the one diagnostic model.

pub mod human;
pub mod json;

use crate::check::display_path;
use crate::source::{LineCol, SourceMap, Span};

/// Start and end positions (1-based line, 1-based char column) of a span.
pub fn range(sources: &SourceMap, span: Span) -> (LineCol, LineCol) {
    let f = sources.get(span.file);
    (f.line_col(span.start), f.line_col(span.end))
}

pub fn path_of(sources: &SourceMap, span: Span) -> String {
    display_path(&sources.get(span.file).path)
}
