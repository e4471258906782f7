//! Client code against the proxy config: one small application per framework shape (sync and
//! async), checked as a repository.

mod common;

use litellm_lint::check::{Options, run};
use std::path::PathBuf;

fn check(version: &str) -> litellm_lint::check::Outcome {
    run(&Options {
        paths: vec![PathBuf::from("tests/fixtures/clients")],
        litellm_version: Some(version.into()),
        today: litellm_lint::models::Date::parse(common::TODAY),
        ..Default::default()
    })
}

#[test]
fn every_framework_shape_at_1_81() {
    let o = check("1.81.16");
    insta::assert_snapshot!("clients_1_81", common::human(&o));
    insta::assert_snapshot!("clients_1_81_json", common::json(&o));
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code).collect();
    for code in ["LL701", "LL702", "LL703", "LL705", "LL707", "LL708"] {
        assert!(codes.contains(&code), "{code} missing: {codes:?}");
    }
    // Each streaming call site of the fallback group is reported where it streams.
    let streamed_files: Vec<String> = o
        .diagnostics
        .iter()
        .filter(|d| d.code == "LL702")
        .map(|d| o.sources.get(d.span.file).path.display().to_string())
        .collect();
    for f in [
        "openai_sync.py",
        "pydantic_agent.py",
        "litellm_sdk.py",
        "langchain_app.py",
    ] {
        assert!(
            streamed_files.iter().any(|p| p.ends_with(f)),
            "{f}: {streamed_files:?}"
        );
    }
    // The config finding on the streamed group is an error because clients stream from it.
    assert!(o.diagnostics.iter().any(|d| {
        d.code == "LL101"
            && d.severity == litellm_lint::diagnostic::Severity::Error
            && d.labels
                .iter()
                .any(|l| l.message.starts_with("streamed by"))
    }));
}

#[test]
fn fixed_versions_only_keep_what_still_applies() {
    let o = check("1.109.1");
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.iter().any(|c| *c == "LL702" || *c == "LL101"),
        "{codes:?}"
    );
    // Version-independent findings stay.
    for code in ["LL701", "LL703", "LL705", "LL707"] {
        assert!(codes.contains(&code), "{code} missing: {codes:?}");
    }
}
