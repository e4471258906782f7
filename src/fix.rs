//! Applying fixes (`--fix`) and showing them (`--diff`).

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::source::{FileId, SourceMap};

/// The fixed text of every file that has applicable edits.
pub fn fixed_texts(
    sources: &SourceMap,
    diags: &[Diagnostic],
    unsafe_fixes: bool,
) -> BTreeMap<FileId, String> {
    let mut per_file: BTreeMap<FileId, Vec<(usize, usize, String)>> = BTreeMap::new();
    for d in diags {
        let Some(fix) = &d.fix else { continue };
        let ok = match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        };
        if !ok {
            continue;
        }
        for e in &fix.edits {
            per_file.entry(e.span.file).or_default().push((
                e.span.start,
                e.span.end,
                e.content.clone(),
            ));
        }
    }
    let mut out = BTreeMap::new();
    for (file, mut edits) in per_file {
        edits.sort_by_key(|e| (e.0, e.1));
        let text = &sources.get(file).text;
        let mut result = String::with_capacity(text.len());
        let mut pos = 0;
        for (s, e, content) in edits {
            if s < pos || e > text.len() {
                continue; // overlapping edit: left for the next run
            }
            result.push_str(&text[pos..s]);
            result.push_str(&content);
            pos = e;
        }
        result.push_str(&text[pos..]);
        if result != *text {
            out.insert(file, result);
        }
    }
    out
}

/// The fixed text of a file as the masked view shows it: the edits applied to the masked text
/// (an edit over a secret replaces its `****`), for `--diff`.
pub fn masked(
    sources: &SourceMap,
    file: FileId,
    diags: &[Diagnostic],
    unsafe_fixes: bool,
) -> String {
    let f = sources.get(file);
    let masked = f.masked_text();
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|fix| match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        })
        .flat_map(|fix| fix.edits.iter())
        .filter(|e| e.span.file == file)
        .map(|e| (f.masked_range(e.span.start, e.span.end), e.content.as_str()))
        .collect();
    edits.sort_by_key(|e| (e.0.start, e.0.end));
    let mut out = String::with_capacity(masked.len());
    let mut pos = 0;
    for (r, content) in edits {
        if r.start < pos || r.end > masked.len() {
            continue;
        }
        out.push_str(&masked[pos..r.start]);
        out.push_str(&sources.scrub(content));
        pos = r.end;
    }
    out.push_str(&masked[pos..]);
    out
}

pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}
