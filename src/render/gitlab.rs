//! `--output-format gitlab`: a GitLab Code Quality report (a JSON array of issues), for
//! `artifacts: reports: codequality:`.
//!
//! GitLab compares the reports of two pipelines by `fingerprint`, so it must survive edits that
//! only move a finding: it hashes the path, the code and the message, never the line. Two
//! findings that would share one get a counter mixed in, in their (stable) output order.
//!
//! Severity: info → `info`, warning → `minor`, error → `critical`, and `blocker` for a file
//! that could not be checked at all (unreadable, not YAML, too deep).

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{path_of, range};
use crate::check::Outcome;
use crate::diagnostic::{Diagnostic, Severity};

fn severity(d: &Diagnostic) -> &'static str {
    if matches!(d.code, "LL001" | "LL003" | "LL004") {
        return "blocker";
    }
    match d.severity {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "critical",
    }
}

/// 128-bit FNV-1a, as 32 hex digits: fixed by its definition, so stable across Rust releases
/// and machines (unlike `std`'s `DefaultHasher`).
pub(crate) fn fnv1a_128(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for part in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        for b in (part.len() as u64)
            .to_le_bytes()
            .iter()
            .chain(part.as_bytes())
        {
            h ^= u128::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    }
    format!("{h:032x}")
}

pub fn render(o: &Outcome) -> String {
    let mut seen = HashSet::new();
    let issues: Vec<Value> = o
        .diagnostics
        .iter()
        .map(|d| {
            let path = path_of(&o.sources, d.span);
            let mut fingerprint = fnv1a_128(&[&path, d.code, &d.message]);
            let mut n = 0u32;
            while !seen.insert(fingerprint.clone()) {
                n += 1;
                fingerprint = fnv1a_128(&[&path, d.code, &d.message, &n.to_string()]);
            }
            let (s, e) = range(&o.sources, d.span);
            json!({
                "description": format!("{}: {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": severity(d),
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": s.line, "column": s.column},
                        "end": {"line": e.line, "column": e.column},
                    },
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("JSON values always serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fixed_and_length_prefixed() {
        assert_eq!(fnv1a_128(&["a"]), fnv1a_128(&["a"]));
        assert_ne!(fnv1a_128(&["ab", "c"]), fnv1a_128(&["a", "bc"]));
        assert_eq!(fnv1a_128(&[]), "6c62272e07bb014262b821756295c58d");
    }
}
