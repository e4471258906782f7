//! One minimal repository per kind of false finding seen on real repositories (issue
//! "Precision"): each is checked as a user would (`check .` inside it), and its output is
//! snapshotted. The comments in the fixtures say what must (not) be reported.

mod common;

use std::path::Path;

fn check(name: &str) -> (String, Vec<String>) {
    let dir = Path::new("tests/fixtures/precision").join(name);
    let out = common::check_in(&dir, &["--output-format", "json", "."], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes = common::diagnostic_lines(&v, |d| {
        format!(
            "{}:{} {}",
            d["file"].as_str().unwrap(),
            d["range"]["start"]["line"],
            d["code"].as_str().unwrap()
        )
    });
    let human = common::check_in(&dir, &["."], None);
    (String::from_utf8(human.stdout).unwrap(), codes)
}

#[test]
fn no_key_claims_below_the_examined_releases() {
    let (human, codes) = check("below-examined");
    assert!(!codes.iter().any(|c| c.ends_with("LL501")), "{codes:?}");
    insta::assert_snapshot!("below_examined", human);
}

#[test]
fn compose_files_are_not_configs() {
    let (human, codes) = check("compose-include");
    assert!(
        !codes
            .iter()
            .any(|c| c.contains("compose.yml") && (c.ends_with("LL501") || c.ends_with("LL504"))),
        "{codes:?}"
    );
    insta::assert_snapshot!("compose_include", human);
    // The JSON output says which files were taken as configs, and why; the compose files are not.
    let dir = Path::new("tests/fixtures/precision/compose-include");
    let out = common::check_in(dir, &["--output-format", "json", "."], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["configs"],
        serde_json::json!([{"file": "config.yaml", "reason": "a top-level `model_list`"}])
    );
    let verbose = common::check_in(dir, &["--verbose", "--quiet", "."], None);
    assert!(
        String::from_utf8_lossy(&verbose.stderr)
            .contains("config.yaml: a LiteLLM config (a top-level `model_list`)"),
        "{}",
        String::from_utf8_lossy(&verbose.stderr)
    );
}

#[test]
fn clients_link_to_the_proxy_only_on_evidence() {
    let (human, codes) = check("client-evidence");
    let ll701: Vec<&String> = codes.iter().filter(|c| c.ends_with("LL701")).collect();
    // Only the two calls that evidence ties to the proxy: its published port, and a variable
    // compose sets to its service address.
    assert_eq!(
        ll701,
        ["clients.py:18 LL701", "clients.py:22 LL701"],
        "{codes:?}"
    );
    insta::assert_snapshot!("client_evidence", human);
}

#[test]
fn one_root_cause_one_finding_and_no_noise() {
    let (human, codes) = check("noise");
    // The embedding group does not stream; the recommended `-latest` alias is no preview; the
    // deprecated model is reported once for its group; the fake upstream has no retirement
    // schedule or quota.
    assert!(
        !codes.iter().any(|c| c == "config.yaml:9 LL102"),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c == "config.yaml:14 LL301"),
        "{codes:?}"
    );
    // (`chat`'s gemini-2.5-flash has its own LL303: 1.110.2's map dates it 2026-12-01.)
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.ends_with("LL303") && !c.starts_with("config.yaml:5 "))
            .count(),
        1,
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.starts_with("config.yaml:28")),
        "{codes:?}"
    );
    // Notes cite what a user can check, never internal documents.
    for internal in ["§", "oracle:", "litellm-reference", "RESULTS.md"] {
        assert!(!human.contains(internal), "{internal} in:\n{human}");
    }
    assert!(human.contains("judged at 1.110.2"), "{human}");
    insta::assert_snapshot!("noise", human);
}

#[test]
fn no_streaming_claims_below_the_examined_releases() {
    let (human, codes) = check("streaming-below-examined");
    assert!(
        !codes
            .iter()
            .any(|c| ["LL101", "LL102", "LL103", "LL109", "LL110"]
                .iter()
                .any(|r| c.ends_with(r))),
        "{codes:?}"
    );
    insta::assert_snapshot!("streaming_below_examined", human);
}

#[test]
fn test_suite_configs_get_no_serving_advice() {
    let (human, codes) = check("test-suite");
    assert_eq!(
        codes,
        [
            "config.load-test.yaml:9 LL104",
            // Not a test suite: its model's deprecation (1.110.2's map) is reported.
            "config.yaml:5 LL303",
            "config.yaml:8 LL201",
            "tests/proxy/config.yaml:12 LL104"
        ],
        "{codes:?}"
    );
    insta::assert_snapshot!("test_suite", human);
}

#[test]
fn a_config_no_pinned_environment_runs_borrows_no_pin() {
    let (human, codes) = check("unborrowed-pin");
    assert!(
        codes.contains(&"proxy/config.yaml:5 LL101".to_string()),
        "{codes:?}"
    );
    assert!(
        !codes
            .iter()
            .any(|c| c.starts_with("chart/") && c.ends_with("LL101")),
        "{codes:?}"
    );
    assert!(human.contains("with LiteLLM 1.110.2"), "{human}");
    insta::assert_snapshot!("unborrowed_pin", human);
}

#[test]
fn router_behaviour_of_the_newest_release() {
    let (human, codes) = check("router-newest");
    for rule in ["LL107", "LL205", "LL207", "LL210"] {
        assert!(
            !codes.iter().any(|c| c.ends_with(rule)),
            "{rule}: {codes:?}"
        );
    }
    insta::assert_snapshot!("router_newest", human);
}

#[test]
fn names_the_project_code_owns_and_calls_that_make_no_failing_request() {
    let (human, codes) = check("project-code");
    assert_eq!(
        codes,
        [
            "app.py:27 LL701",
            "config.yaml:9 LL303",
            "config.yaml:13 LL304"
        ],
        "{codes:?}"
    );
    insta::assert_snapshot!("project_code", human);
}

#[test]
fn an_in_code_router_nobody_streams_from() {
    let (human, codes) = check("in-code-router");
    assert!(codes.is_empty(), "{codes:?}");
    insta::assert_snapshot!("in_code_router", human);
}

#[test]
fn references_in_a_rendered_config_are_filled_in_first() {
    let (human, codes) = check("rendered-config");
    assert!(!codes.iter().any(|c| c.ends_with("LL506")), "{codes:?}");
    insta::assert_snapshot!("rendered_config", human);
}

#[test]
fn committed_dotenv_files_are_checked_for_secrets() {
    let (human, codes) = check("committed-dotenv");
    // The committed file's live-looking value; not the template, the placeholder, nor the file
    // git ignores.
    assert_eq!(
        codes,
        ["config.yaml:4 LL303", "prod.env:2 LL601"],
        "{codes:?}"
    );
    assert!(!human.contains("Xq7vL2mP9wRt4kZsB8nC"), "{human}");
    insta::assert_snapshot!("committed_dotenv", human);
}

#[test]
fn model_lifecycle_uses_the_map_of_the_release_in_use() {
    let (human, codes) = check("model-map-per-release");
    // 1.110.2's date for the model is more than 90 days away; 1.109.1's was not.
    assert!(!codes.iter().any(|c| c.ends_with("LL303")), "{codes:?}");
    let dir = Path::new("tests/fixtures/precision/model-map-per-release");
    let older = common::check_in(dir, &["--litellm-version", "1.109.1", "."], None);
    let older = String::from_utf8(older.stdout).unwrap();
    assert!(
        older.contains("in the model map of LiteLLM 1.109.1"),
        "{older}"
    );
    insta::assert_snapshot!("model_map_per_release", human);
}
