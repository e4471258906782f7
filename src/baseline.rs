//! Baselines: `check --add-baseline FILE` records today's findings, `check --baseline FILE`
//! hides them, so that a project can adopt the linter and still see every new finding.
//!
//! An entry names a finding by what survives edits elsewhere in the file, never by line: the
//! file (relative to the baseline's folder, `/` separators), the rule code, the YAML path of the
//! finding's primary location (`router_settings.fallbacks[0].gpt-4o`, from the span-aware tree;
//! a hash of the message where the finding is not inside a YAML node) and an occurrence number
//! among the findings that share those three. Adding lines above a finding keeps it hidden; a
//! new finding, or one more of the same kind at the same place, shows.
//!
//! Files that could not be checked (LL001, LL003, LL004) are never recorded: they must be fixed.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::{Outcome, is_input_error};
use crate::diagnostic::Diagnostic;
use crate::settings::{absolute, relative_slash_path};

/// The version of the file format (`"litellm-lint-baseline": 1`).
pub const FORMAT: u64 = 1;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub code: String,
    /// The YAML path of the finding, or `hash:` and a hash of its message.
    pub location: String,
    /// 1 for the first finding with this file, code and location (in file order), 2 for the
    /// next, ...
    pub occurrence: usize,
    /// For people reading the file; not part of the match.
    #[serde(default)]
    pub message: String,
}

impl Entry {
    fn key(&self) -> (&str, &str, &str, usize) {
        (&self.file, &self.code, &self.location, self.occurrence)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(rename = "litellm-lint-baseline")]
    pub format: u64,
    pub findings: Vec<Entry>,
}

/// The folder paths in a baseline are relative to.
pub fn base_dir(baseline_file: &Path) -> PathBuf {
    absolute(baseline_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where a finding is, as a YAML path. A finding inside a comment (a suppression) is placed at
/// the node the comment is about: the line it ends, or the next line for a comment alone on its
/// line.
fn yaml_path(o: &Outcome, d: &Diagnostic) -> Option<String> {
    let doc = o.yaml.get(&d.span.file)?;
    let root = doc.root.as_ref()?;
    let src = o.sources.get(d.span.file);
    let mut offset = d.span.start;
    if let Some(c) = doc
        .comments
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)
    {
        let line = if c.own_line {
            (c.line + 1..src.line_count()).find(|&l| {
                let t = src.line_text(l).trim();
                !t.is_empty() && !t.starts_with('#')
            })?
        } else {
            c.line
        };
        let text = src.line_text(line);
        offset = src.line_start(line) + (text.len() - text.trim_start().len());
    }
    crate::yaml::path_at(root, offset)
}

fn location(o: &Outcome, d: &Diagnostic) -> String {
    yaml_path(o, d)
        .unwrap_or_else(|| format!("hash:{}", crate::render::gitlab::fnv1a_128(&[&d.message])))
}

/// The entry of every diagnostic of the outcome, in its order (`None` for input errors).
pub fn entries(o: &Outcome, base: &Path) -> Vec<Option<Entry>> {
    let mut seen: HashMap<(String, &str, String), usize> = HashMap::new();
    o.diagnostics
        .iter()
        .map(|d| {
            if is_input_error(d.code) {
                return None;
            }
            let file = relative_slash_path(&absolute(&o.sources.get(d.span.file).path), base);
            let location = location(o, d);
            let n = seen
                .entry((file.clone(), d.code, location.clone()))
                .or_insert(0);
            *n += 1;
            Some(Entry {
                file,
                code: d.code.to_string(),
                location,
                occurrence: *n,
                message: d.message.clone(),
            })
        })
        .collect()
}

impl Baseline {
    /// Today's findings, in a stable order.
    pub fn from_outcome(o: &Outcome, base: &Path) -> Baseline {
        let mut findings: Vec<Entry> = entries(o, base).into_iter().flatten().collect();
        findings.sort();
        Baseline {
            format: FORMAT,
            findings,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::source::read_bounded(path)
            .map_err(|e| format!("cannot read the baseline: {e}"))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "`{}` is not a litellm-lint baseline: {e} (write one with `--add-baseline`)",
                path.display()
            )
        })?;
        if b.format != FORMAT {
            return Err(format!(
                "`{}` is a baseline of format {}; this litellm-lint reads format {FORMAT}",
                path.display(),
                b.format
            ));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serializes");
        s.push('\n');
        s
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.to_json())
            .map_err(|e| format!("cannot write the baseline `{}`: {e}", path.display()))
    }

    /// Removes the findings this baseline records from the outcome; returns how many.
    pub fn filter(&self, o: &mut Outcome, base: &Path) -> usize {
        let known: BTreeSet<(&str, &str, &str, usize)> =
            self.findings.iter().map(Entry::key).collect();
        let keep: Vec<bool> = entries(o, base)
            .iter()
            .map(|e| e.as_ref().is_none_or(|e| !known.contains(&e.key())))
            .collect();
        let before = o.diagnostics.len();
        let mut it = keep.into_iter();
        o.diagnostics.retain(|_| it.next().unwrap_or(true));
        before - o.diagnostics.len()
    }
}
