//! Per-rule fixtures: every `bad*` file triggers its rule, every `good*` file is silent.
//! The rendered output of each file is snapshotted (human and JSON).

mod common;

use std::fs;

/// Fixture folders that belong to other tests, not to a rule.
const NOT_RULE_FOLDERS: &[&str] = &[
    "formats",
    "clients",
    "env-repo",
    "env",
    "precision",
    "refresh",
];

#[test]
fn rule_fixtures() {
    let mut dirs: Vec<_> = fs::read_dir(common::fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| !NOT_RULE_FOLDERS.iter().any(|n| p.ends_with(n)))
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        let code = dir_name.split('-').next().unwrap().to_string();
        assert!(
            litellm_lint::rules::find(&code).is_some(),
            "fixture folder {dir_name} names no rule"
        );
        // A fixture is a file, or a folder (a small repository: config + client code) named
        // bad*/good*.
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.is_file()
                    || p.file_name().is_some_and(|n| {
                        n.to_string_lossy().starts_with("bad")
                            || n.to_string_lossy().starts_with("good")
                    })
            })
            .collect();
        files.sort();
        let mut saw_bad = false;
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().to_string();
            let version = fs::read_to_string(file.with_extension("version")).ok();
            if file.extension().is_some_and(|e| e == "version") {
                continue;
            }
            let o = litellm_lint::check::run(&litellm_lint::check::Options {
                paths: vec![file.clone()],
                litellm_version: version.as_deref().map(|v| v.trim().to_string()),
                // Deprecation dates are judged at a fixed date, so snapshots do not age.
                today: litellm_lint::models::Date::parse(common::TODAY),
                // Opt-in rules run in their own fixtures only.
                extend_select: if litellm_lint::rules::OPT_IN.contains(&code.as_str()) {
                    vec![code.clone()]
                } else {
                    vec![]
                },
                ..Default::default()
            });
            let name = format!("{dir_name}__{stem}");
            if stem.starts_with("bad") {
                saw_bad = true;
                assert!(
                    o.diagnostics.iter().any(|d| d.code == code),
                    "{}: expected {code}, got {:?}",
                    file.display(),
                    o.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
                );
                insta::assert_snapshot!(name.clone(), common::human(&o));
                insta::assert_snapshot!(format!("{name}__json"), common::json(&o));
            } else if stem.starts_with("good") {
                assert!(
                    !o.diagnostics
                        .iter()
                        .any(|d| d.code == code || matches!(d.code, "LL001" | "LL003" | "LL004")),
                    "{}: expected no {code} and no input error, got:\n{}",
                    file.display(),
                    common::human(&o)
                );
            }
        }
        assert!(saw_bad, "{dir_name} has no bad fixture");
    }
}

#[test]
fn every_rule_has_a_fixture_folder_and_docs() {
    let dirs: Vec<String> = fs::read_dir(common::fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    for r in litellm_lint::rules::RULES {
        let doc = r.meta.doc();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            assert!(doc.contains(section), "{} docs lack {section}", r.meta.code);
        }
        if r.meta.code == "LL003" || r.meta.code == "LL004" {
            continue; // input rules tested in tests/bad_input.rs
        }
        let want = format!("{}-{}", r.meta.code, r.meta.name);
        assert!(
            dirs.contains(&want),
            "no fixture folder tests/fixtures/{want}"
        );
    }
}

/// A release newer than every one the data examined: no finding that rests on LiteLLM's
/// behavior is an error (it is unverified there), and each such finding says so.
#[test]
fn a_future_release_gets_no_error_resting_on_older_data() {
    let mut dirs: Vec<_> = fs::read_dir(common::fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !NOT_RULE_FOLDERS.iter().any(|n| p.ends_with(n)))
        .collect();
    dirs.sort();
    let mut hedged = 0;
    for dir in dirs {
        for file in fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if !name.starts_with("bad") || name.ends_with(".version") {
                continue;
            }
            let o = litellm_lint::check::run(&litellm_lint::check::Options {
                paths: vec![file.clone()],
                litellm_version: Some("1.200.0".into()),
                today: litellm_lint::models::Date::parse(common::TODAY),
                extend_select: vec!["ALL".into()],
                ..Default::default()
            });
            for d in &o.diagnostics {
                if litellm_lint::rules::examined_for(d.code).is_none() {
                    continue;
                }
                assert_ne!(
                    d.severity,
                    litellm_lint::diagnostic::Severity::Error,
                    "{}: {} at 1.200.0 is an error: {}",
                    file.display(),
                    d.code,
                    d.message
                );
                assert!(
                    d.notes.iter().any(|n| n.contains("1.200.0 is newer")),
                    "{}: {} says nothing of the data's range: {:?}",
                    file.display(),
                    d.code,
                    d.notes
                );
                hedged += 1;
            }
        }
    }
    assert!(hedged > 50, "only {hedged} findings were judged");
}

/// A pin of each bad release, in every place a pin can stand, is reported once there.
#[test]
fn every_pin_of_a_bad_release_is_reported() {
    for v in ["1.82.7", "1.82.8", "1.107.0"] {
        let dir = common::fixtures().join(format!(
            "LL602-litellm-release-unsafe/bad-{}",
            v.replace('.', "_")
        ));
        let o = litellm_lint::check::run(&litellm_lint::check::Options {
            paths: vec![dir.clone()],
            ..Default::default()
        });
        let mut files: Vec<String> = o
            .diagnostics
            .iter()
            .filter(|d| d.code == "LL602")
            .map(|d| {
                o.sources
                    .get(d.span.file)
                    .path
                    .strip_prefix(&dir)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        files.sort();
        assert_eq!(
            files,
            [
                ".github/workflows/ci.yml",
                ".gitlab-ci.yml",
                "Dockerfile",
                "Pipfile.lock",
                "chart/values.yaml",
                "compose.yaml",
                "poetry.lock",
                "proxy.Dockerfile",
                "pyproject.toml",
                "requirements-dev.txt",
                "requirements.txt",
                "uv.lock",
            ],
            "{v}"
        );
    }
}
