//! `.env` files: only the names of the variables they set are read. Every value is recorded as
//! a secret range of the file, so no output ever shows one.

use crate::source::{FileId, SourceMap, Span};

/// The variables a `.env` file sets: name and the span of the name.
pub fn names(sources: &mut SourceMap, file: FileId) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut values = Vec::new();
    {
        let f = sources.get(file);
        let text = &f.text;
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
            out.push((
                name.to_string(),
                Span::new(file, name_start, name_start + name.len()),
            ));
            let value_start = name_start + eq + 1;
            let value_end = start + body.len();
            if value_end > value_start {
                values.push(Span::new(file, value_start, value_end));
            }
        }
    }
    for v in values {
        sources.add_masked(v);
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
