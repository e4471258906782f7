//! The streaming rules against the oracle: the real LiteLLM proxy of nine versions, measured
//! against a fake upstream (`tests/data/oracle/RESULTS.jsonl`, our own measurement copied from
//! `../shared/oracle`). For every (scenario, version, probe), `litellm-lint check` on that
//! scenario's config with `--litellm-version` must give an LL1xx finding (warning or error) on
//! the probed group exactly where a streaming client observed something other than what the
//! config promises, and none where the stream behaved as promised.
//!
//! Not judged here: `client_side_fallbacks` (the fallback is in the request body, which only
//! the client-code rules can see) and `gem-mock` (LiteLLM's `mock_testing_fallbacks` request
//! flag, not a config property).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use litellm_lint::diagnostic::Severity;

#[test]
fn streaming_findings_match_the_oracle() {
    let text = std::fs::read_to_string("tests/data/oracle/RESULTS.jsonl").unwrap();
    let probes: toml::Value =
        toml::from_str(&std::fs::read_to_string("tests/data/oracle/probes.toml").unwrap()).unwrap();
    // (scenario, version, probe) -> (group, any streaming record not as expected)
    let mut cases: BTreeMap<(String, String, String), (String, bool)> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let kind = r["kind"].as_str().unwrap();
        if !kind.ends_with("_stream") {
            continue;
        }
        let scenario = r["scenario"].as_str().unwrap().to_string();
        let probe = r["probe"].as_str().unwrap().to_string();
        let shape = probes["probe"][&probe]["shape"].as_str().unwrap();
        if scenario == "client_side_fallbacks" || matches!(shape, "mock" | "ok") {
            continue;
        }
        let key = (
            scenario,
            r["version"].as_str().unwrap().to_string(),
            probe.clone(),
        );
        let e = cases.entry(key).or_insert((probe, false));
        e.1 |= !r["as_expected"].as_bool().unwrap();
    }
    assert!(cases.len() > 100, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    let (mut with, mut without) = (0, 0);
    for ((scenario, version, probe), (group, differs)) in &cases {
        let cfg = Path::new("tests/data/oracle/scenarios").join(format!("{scenario}.yaml"));
        let o = common::run(&[&cfg], Some(version));
        let needle = format!("`{group}`");
        let p = &probes["probe"][probe.as_str()];
        let shape = p["shape"].as_str().unwrap();
        let cause = p.get("cause").and_then(|c| c.as_str());
        // What a finding about this probe's failure shape says.
        let claims = |m: &str, code: &str| match (shape, cause) {
            ("slow_first_byte", _) => code == "LL109",
            ("flaky", _) => code == "LL110",
            ("after_tokens", Some("cut_connection")) => {
                m.contains("connection cut after some tokens")
            }
            ("after_tokens", _) => {
                m.contains("in-band error event after some tokens")
                    || m.contains("in-band error event or a connection cut after some tokens")
            }
            (s, _) => m.contains(litellm_lint::streaming::shape_text(s, None)),
        };
        let found: Vec<_> = o
            .diagnostics
            .iter()
            .filter(|d| {
                d.code.starts_with("LL1")
                    && d.severity >= Severity::Warning
                    && d.message.contains(&needle)
                    && claims(&d.message, d.code)
            })
            .collect();
        if *differs {
            with += 1;
        } else {
            without += 1;
        }
        if *differs == found.is_empty() {
            failures.push(format!(
                "{scenario} @ {version} probe {probe}: oracle {} but lint gave {:?}",
                if *differs {
                    "saw the stream break its promise"
                } else {
                    "saw the stream keep its promise"
                },
                found
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        with > 20 && without > 20,
        "{with} broken / {without} kept: the test would not notice a one-sided rule"
    );
}
