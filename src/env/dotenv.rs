//! `.env` files: only the names of the variables they set are read. Every value is recorded as
//! a secret range of the file, so no output ever shows one.

use crate::source::{FileId, SourceMap, Span};

/// One `NAME=value` line of a `.env` file.
pub struct Entry {
    pub name: String,
    pub name_span: Span,
    /// Everything after `=` on the line (quotes and comments included), when not empty.
    pub value_span: Option<Span>,
}

/// The `NAME=value` lines of a `.env` text (`export NAME=...` too; comments skipped).
pub fn entries(text: &str, file: FileId) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = body.len() - trimmed.len();
        let (decl, skip) = match trimmed.strip_prefix("export ") {
            Some(r) => (r.trim_start(), trimmed.len() - r.trim_start().len()),
            None => (trimmed, 0),
        };
        let Some(eq) = decl.find('=') else { continue };
        let name = decl[..eq].trim_end();
        if !super::shell::is_var_name(name) {
            continue;
        }
        let name_start = start + lead + skip;
        let value_start = name_start + eq + 1;
        let value_end = start + body.len();
        out.push(Entry {
            name: name.to_string(),
            name_span: Span::new(file, name_start, name_start + name.len()),
            value_span: (value_end > value_start).then(|| Span::new(file, value_start, value_end)),
        });
    }
    out
}

/// The variables a `.env` file sets: name and the span of the name. Every value is masked.
pub fn names(sources: &mut SourceMap, file: FileId) -> Vec<(String, Span)> {
    let entries = entries(&sources.get(file).text, file);
    let mut out = Vec::new();
    for e in entries {
        if let Some(v) = e.value_span {
            sources.add_masked(v);
        }
        out.push((e.name, e.name_span));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_only_and_values_masked() {
        let mut s = SourceMap::default();
        let id = s.add(
            ".env".into(),
            "# comment\nOPENAI_API_KEY=abc123\nexport B = \"x y\"\n  C=\nnot a line\n".into(),
        );
        let n: Vec<String> = names(&mut s, id).into_iter().map(|(n, _)| n).collect();
        assert_eq!(n, ["OPENAI_API_KEY", "B", "C"]);
        assert!(!s.get(id).masked_text().contains("abc123"));
        assert!(!s.get(id).masked_text().contains("x y"));
    }
}
