//! Every `--output-format` of `check` on one config with several findings, run through the
//! binary and snapshotted; the SARIF output validated against the official schema.

mod common;

use std::path::Path;
use std::process::Output;

use litellm_lint::diagnostic::Diagnostic;
use litellm_lint::source::{SourceMap, Span};

const FIXTURE: &str = "tests/fixtures/formats/config.yaml";
const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "gitlab", "junit",
];

fn check_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["--litellm-version", "1.81.0"];
    all.extend_from_slice(args);
    common::check_in(dir, &all, stdin)
}

fn check(format: &str) -> (String, Option<i32>) {
    let o = check_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--output-format", format, FIXTURE],
        None,
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (String::from_utf8(o.stdout).unwrap(), o.status.code())
}

/// The machine's checkout path (SARIF's `%SRCROOT%`) and our own version vary; nothing else may.
fn stable(text: &str) -> String {
    let root = regex::Regex::new(r#""file://[^"]*/""#).unwrap();
    root.replace_all(text, r#""file://[ROOT]/""#).replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

#[test]
fn every_format_snapshot() {
    for format in FORMATS {
        let (out, code) = check(format);
        assert_eq!(code, Some(1), "{format}: exit code");
        insta::assert_snapshot!(*format, stable(&out));
    }
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    // tests/data/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema ($id
    // https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json)
    // as embedded in the `serde-sarif` 0.8.0 crate on crates.io (`src/schema.json`), copied
    // byte for byte (sha256 af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea).
    // It is a draft-07 schema; jsonschema ships that meta-schema, so nothing is fetched.
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    // One known flaw of the official schema: the `language` pattern (of `run` and of
    // `toolComponent`) has a stray `]`, a literal in ECMAScript (Annex B) but a syntax error for
    // jsonschema's regex check. Escape it here, same meaning, and keep the stored file as
    // published. (We never emit `language`.)
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = serde_json::json!(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
    }
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles offline");
    let (out, _) = check("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The check has teeth: a wrong level, a line 0 or a malformed URI are caught.
    for (pointer, bad) in [
        ("/runs/0/results/0/level", serde_json::json!("fatal")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            serde_json::json!(0),
        ),
        (
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
            serde_json::json!("a b"),
        ),
    ] {
        let mut broken = sarif.clone();
        *broken.pointer_mut(pointer).unwrap() = bad;
        assert!(!validator.is_valid(&broken), "{pointer} not checked");
    }

    // Every rule is described, results point at their rule, and a fix is carried.
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), litellm_lint::rules::RULES.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    assert!(results.iter().any(|r| r["fixes"].is_array()));

    // A file that cannot be checked: still valid, and the run says it was not successful.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("bad.yaml"), "model_list:\n  - a: [\n").unwrap();
    let o = check_in(d.path(), &["--output-format", "sarif", "bad.yaml"], None);
    assert_eq!(o.status.code(), Some(2));
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(validator.is_valid(&sarif));
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn github_escaping() {
    let mut sources = SourceMap::default();
    let file = sources.add(
        "odd, name: x.yaml".into(),
        "model_list: []\nrouter_settings: {}\n".into(),
    );
    let rule = &litellm_lint::rules::find("LL104").unwrap().meta;
    let d = Diagnostic::new(
        rule,
        Span::new(file, 15, 30),
        "100% sure: a, b\nand c\r\nend",
    )
    .help("try: x, y");
    assert_eq!(
        litellm_lint::render::github::annotation(&sources, &d),
        "::error file=odd%2C name%3A x.yaml,line=2,col=1,endLine=2,endColumn=16,\
         title=LL104 (fallback-target-unknown)::100%25 sure: a, b%0Aand c%0D%0Aend%0Ahelp: try: x, y\n"
    );
    // A span over several lines carries no columns (GitHub ignores them there).
    let d = Diagnostic::new(rule, Span::new(file, 0, 30), "m");
    assert!(
        litellm_lint::render::github::annotation(&sources, &d)
            .starts_with("::error file=odd%2C name%3A x.yaml,line=1,endLine=2,title=")
    );
}

#[test]
fn gitlab_fingerprints_survive_moved_lines() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let fingerprints = |text: &str| -> Vec<(String, u64)> {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("config.yaml"), text).unwrap();
        let o = check_in(
            d.path(),
            &["--output-format", "gitlab", "config.yaml"],
            None,
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_string(),
                    i["location"]["positions"]["begin"]["line"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&text);
    let after = fingerprints(&format!("# moved\n# down\n{text}"));
    assert_eq!(before.len(), 5);
    let mut unique: Vec<_> = before.iter().map(|f| &f.0).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len(), "fingerprints must be unique");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert_eq!(b.1 + 2, a.1);
    }
}

#[test]
fn stdin_filename_gives_the_same_json_as_the_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(FIXTURE)).unwrap();
    let disk = check_in(root, &["--output-format", "json", FIXTURE], None);
    let piped = check_in(
        root,
        &["--output-format", "json", "--stdin-filename", FIXTURE],
        Some(&text),
    );
    assert!(!disk.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&disk.stdout),
        String::from_utf8_lossy(&piped.stdout)
    );
    assert_eq!(disk.status.code(), piped.status.code());
}

#[test]
fn no_findings() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("config.yaml"),
        "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n",
    )
    .unwrap();
    let run = |format: &str| {
        let o = check_in(d.path(), &["--output-format", format, "config.yaml"], None);
        assert_eq!(o.status.code(), Some(0), "{format}");
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(run("github"), "");
    assert_eq!(run("gitlab"), "[]\n");
    let junit = run("junit");
    assert!(
        junit.contains(
            r#"<testcase name="All checks passed (1 file checked)" classname="litellm-lint"/>"#
        ),
        "{junit}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn completions() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = common::bin().args(["completions", shell]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        assert!(
            script.contains("litellm") && script.contains("output-format"),
            "{shell}"
        );
        // The shells that complete values offer the new formats too.
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(script.contains("sarif"), "{shell}");
        }
    }
    let o = common::bin()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
