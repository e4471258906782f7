//! `scripts/refresh-litellm-data` (the maintainers' tool that writes `rules/known-keys.toml`
//! from LiteLLM's releases) on committed fixture inputs: two stand-in releases under
//! `tests/fixtures/refresh/releases/` and a curated file. The output must be byte for byte the
//! committed `expected-known-keys.toml`, run after run. Needs python3 (the repo's other
//! scripts do too).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate(out: &std::path::Path) {
    let fx = root().join("tests/fixtures/refresh");
    let o = Command::new("python3")
        .arg(root().join("scripts/refresh-litellm-data"))
        .arg("--releases")
        .arg(fx.join("releases"))
        .arg("--curated")
        .arg(fx.join("curated.toml"))
        .arg("--out")
        .arg(out)
        .args(["--no-schema", "1.1.0", "1.0.0"])
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "refresh-litellm-data failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_script_gives_the_committed_output_for_the_fixture_releases() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    generate(&a);
    generate(&b);
    let a = std::fs::read_to_string(a).unwrap();
    assert_eq!(
        a,
        std::fs::read_to_string(b).unwrap(),
        "same input, same bytes"
    );
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/refresh/expected-known-keys.toml"))
            .unwrap();
    assert_eq!(
        a, expected,
        "regenerate tests/fixtures/refresh/expected-known-keys.toml (see CONTRIBUTING.md) and review the diff"
    );
    // What the extraction must find in the stand-ins: a key removed, one added, a start-up
    // refusal from an isinstance check and one from a field validated at start-up, an alias.
    for needle in [
        "{ name = \"alerting\", type = \"list | None\", since = \"1.0.0\", until = \"1.1.0\"",
        "{ name = \"plugins\", type = \"list | None\", since = \"1.1.0\"",
        "key = \"cooldown_time\"\nrefuses = \"type:bool\"",
        "key = \"prompt_storage\"\nrefuses = \"not_one_of\"\nallowed = [\"latest_turn\"]",
        "routing_strategy_values = [\"simple-shuffle\", \"least-busy\", \"lar1\"]",
    ] {
        assert!(a.contains(needle), "missing {needle:?} in:\n{a}");
    }
    // `config` bound to another dictionary is not the config file.
    assert!(!a.contains("interval_hours"), "{a}");
}

#[test]
fn the_committed_key_data_covers_the_committed_series() {
    let series: Vec<String> = std::fs::read_to_string(root().join("rules/litellm-series.txt"))
        .unwrap()
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let data: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("rules/known-keys.toml")).unwrap())
            .unwrap();
    let examined: Vec<String> = data["meta"]["examined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        examined, series,
        "rules/known-keys.toml was not generated from rules/litellm-series.txt: run scripts/refresh-litellm-data --series"
    );
}
