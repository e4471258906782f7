//! The LiteLLM version is found from each kind of pin and reported in the JSON output.

mod common;

use std::fs;

const CONFIG: &str = "model_list:\n  - model_name: chat\n    litellm_params: {model: gemini/gemini-3-flash-preview}\n  - model_name: backup\n    litellm_params: {model: openai/gpt-4o}\nlitellm_settings:\n  fallbacks: [{chat: [backup]}]\n";

fn detected(files: &[(&str, &str)]) -> (serde_json::Value, Vec<String>) {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir(d.path().join(".git")).unwrap();
    fs::create_dir_all(d.path().join("proxy")).unwrap();
    fs::write(d.path().join("proxy/config.yaml"), CONFIG).unwrap();
    for (name, text) in files {
        let p = d.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let out = common::bin()
        .current_dir(d.path())
        .args(["check", "--output-format", "json", "proxy/config.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes = common::diagnostic_lines(&v, |d| {
        format!(
            "{} {}",
            d["code"].as_str().unwrap(),
            d["severity"].as_str().unwrap()
        )
    });
    (v["litellm_version"].clone(), codes)
}

#[test]
fn each_kind_of_pin() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "requirements.txt",
            "litellm[proxy]==1.81.1\n",
            "1.81.1",
            "requirements.txt:1",
        ),
        (
            "pyproject.toml",
            "[project]\ndependencies = [\n  \"litellm==1.83.9\",\n]\n",
            "1.83.9",
            "pyproject.toml:3",
        ),
        (
            "uv.lock",
            "[[package]]\nname = \"litellm\"\nversion = \"1.80.17\"\n",
            "1.80.17",
            "uv.lock:3",
        ),
        (
            "Dockerfile",
            "FROM ghcr.io/berriai/litellm:main-v1.82.0-stable\n",
            "1.82.0",
            "Dockerfile:1",
        ),
        (
            "docker-compose.yml",
            "services:\n  litellm:\n    image: ghcr.io/berriai/litellm:v1.95.0-stable\n",
            "1.95.0",
            "docker-compose.yml:3",
        ),
        (
            ".github/workflows/ci.yml",
            "jobs:\n  t:\n    steps:\n      - run: pip install litellm==1.80.12\n",
            "1.80.12",
            ".github/workflows/ci.yml:4",
        ),
        (
            "values.yaml",
            "image:\n  repository: ghcr.io/berriai/litellm\n  tag: main-v1.109.1-nightly\n",
            "1.109.1",
            "values.yaml:3",
        ),
    ];
    for (file, text, want, source) in cases {
        let (v, _) = detected(&[(file, text)]);
        assert_eq!(v["value"], *want, "{file}");
        assert_eq!(v["source"], *source, "{file}");
    }
}

#[test]
fn known_version_is_an_error_unknown_judged_at_the_newest_release() {
    let (v, codes) = detected(&[("requirements.txt", "litellm==1.81.16\n")]);
    assert_eq!(v["value"], "1.81.16");
    assert!(codes.contains(&"LL101 error".to_string()), "{codes:?}");
    let (v, codes) = detected(&[(
        "docker-compose.yml",
        "services:\n  p:\n    image: ghcr.io/berriai/litellm:main-latest\n",
    )]);
    assert!(v["value"].is_null(), "a rolling tag is unknown");
    // A rolling tag runs the newest release, where this config's streams fall back: no claim
    // about older releases nobody runs here.
    assert!(!codes.iter().any(|c| c.starts_with("LL101")), "{codes:?}");
    let (v, codes) = detected(&[("requirements.txt", "litellm==1.95.0\n")]);
    assert_eq!(v["value"], "1.95.0");
    assert!(!codes.iter().any(|c| c.starts_with("LL101")), "{codes:?}");
}

#[test]
fn flag_overrides_pins() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("requirements.txt"), "litellm==1.81.16\n").unwrap();
    fs::write(d.path().join("config.yaml"), CONFIG).unwrap();
    let out = common::bin()
        .current_dir(d.path())
        .args([
            "check",
            "--output-format",
            "json",
            "--litellm-version",
            "1.109.1",
            "config.yaml",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["litellm_version"]["value"], "1.109.1");
    assert_eq!(v["litellm_version"]["source"], "--litellm-version");
}

#[test]
fn pins_found_by_the_folder_walk() {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("deploy")).unwrap();
    fs::write(
        d.path().join("deploy/Dockerfile"),
        "FROM ghcr.io/berriai/litellm:main-v1.81.16-stable\n",
    )
    .unwrap();
    fs::write(d.path().join("config.yaml"), CONFIG).unwrap();
    let out = common::bin()
        .current_dir(d.path())
        .args(["check", "--output-format", "json", "."])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["litellm_version"]["value"], "1.81.16");
    assert_eq!(v["litellm_version"]["source"], "deploy/Dockerfile:1");
}
