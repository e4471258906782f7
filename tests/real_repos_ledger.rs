//! The review ledger of findings on real repositories (`tests/real-repos/verdicts.tsv`, read by
//! `scripts/real-repos.py`) stays well-formed: six tab-separated fields, a known verdict, a
//! reason, one row per finding, and references only (no file contents: short reasons).

use std::collections::HashSet;

#[test]
fn ledger_is_well_formed() {
    let text = std::fs::read_to_string("tests/real-repos/verdicts.tsv").unwrap();
    let mut seen = HashSet::new();
    let mut rows = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "line {}: {line}", i + 1);
        assert!(f[0].contains('/'), "line {}: repository", i + 1);
        assert!(f[2].parse::<u32>().is_ok(), "line {}: line number", i + 1);
        assert!(
            f[3].starts_with("LL") && f[3].len() == 5,
            "line {}: code",
            i + 1
        );
        assert!(
            matches!(f[4], "TRUE" | "FALSE" | "DEBATABLE"),
            "line {}: verdict {}",
            i + 1,
            f[4]
        );
        assert!(
            !f[5].trim().is_empty() && f[5].len() <= 400,
            "line {}: a one-line reason",
            i + 1
        );
        assert!(
            seen.insert((f[0], f[1], f[2], f[3])),
            "line {}: reviewed twice",
            i + 1
        );
        rows += 1;
    }
    assert!(rows > 500, "{rows} rows");
}
