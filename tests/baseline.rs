//! `check --add-baseline FILE` and `check --baseline FILE`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

const CONFIG: &str = "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o}\n  - model_name: claude\n    litellm_params: {model: anthropic/claude-sonnet-4-5}\nrouter_settings:\n  fallbacks: [{gpt-4o: [claude-next]}, {claude: [gpt-4o, gpt-4o-mini]}]\n  enable_loadbalancing: true\n";

fn check(dir: &Path, args: &[&str]) -> Output {
    common::bin()
        .current_dir(dir)
        .args([
            "check",
            "--no-color",
            "--output-format",
            "concise",
            "--today",
            common::TODAY,
        ])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = litellm_lint::check::walk(dir)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

#[test]
fn add_baseline_writes_a_stable_file_and_exits_0() {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir(d.path().join("proxy")).unwrap();
    fs::write(d.path().join("proxy/config.yaml"), CONFIG).unwrap();
    let o = check(d.path(), &[".", "--add-baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "Wrote 5 findings to the baseline `baseline.json`.\n"
    );
    let written = fs::read_to_string(d.path().join("baseline.json")).unwrap();
    insta::assert_snapshot!("baseline_file", written);
    // Same input, same bytes.
    check(d.path(), &[".", "--add-baseline", "baseline.json"]);
    assert_eq!(
        fs::read_to_string(d.path().join("baseline.json")).unwrap(),
        written
    );
    // With it, nothing shows.
    let o = check(d.path(), &[".", "--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn moved_findings_stay_hidden_and_new_ones_show() {
    let d = tempfile::tempdir().unwrap();
    let cfg = d.path().join("config.yaml");
    fs::write(&cfg, CONFIG).unwrap();
    assert_eq!(
        check(d.path(), &["config.yaml", "--add-baseline", "b.json"])
            .status
            .code(),
        Some(0)
    );
    // Lines inserted above every finding, and inside the sections: all move down.
    let moved = format!(
        "# Our proxy.\n# Owned by the platform team.\n\n{}",
        CONFIG
            .replace("model_list:\n", "model_list:\n  # primary\n")
            .replace(
                "router_settings:\n",
                "router_settings:\n  num_retries: 2\n  timeout: 30\n"
            )
    );
    fs::write(&cfg, &moved).unwrap();
    let without = check(d.path(), &["config.yaml"]);
    assert!(
        stdout(&without).contains("config.yaml:13:"),
        "{}",
        stdout(&without)
    );
    let o = check(d.path(), &["config.yaml", "--baseline", "b.json"]);
    assert_eq!(stdout(&o), "");
    assert_eq!(o.status.code(), Some(0));
    // New findings (an unknown key, one more unknown target in a recorded list) show; the
    // recorded ones stay hidden.
    fs::write(
        &cfg,
        moved
            .replace(
                "  timeout: 30\n",
                "  timeout: 30\n  default_model: gpt-4o\n",
            )
            .replace("[gpt-4o, gpt-4o-mini]", "[gpt-4o, gpt-4o-mini, gpt-5]"),
    )
    .unwrap();
    let o = check(d.path(), &["config.yaml", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        lines,
        vec!["config.yaml:13:3: LL501", "config.yaml:14:71: LL104"]
    );
}

#[test]
fn paths_are_relative_to_the_baseline_file() {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("deploy/proxy")).unwrap();
    fs::write(d.path().join("deploy/proxy/config.yaml"), CONFIG).unwrap();
    check(d.path(), &[".", "--add-baseline", "baseline.json"]);
    let b: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("baseline.json")).unwrap()).unwrap();
    assert_eq!(b["findings"][0]["file"], "deploy/proxy/config.yaml");
    // Run from a subfolder, naming the baseline relatively: still matched.
    let o = check(
        &d.path().join("deploy"),
        &["proxy", "--baseline", "../baseline.json"],
    );
    assert_eq!(stdout(&o), "");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn only_writes_when_asked() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("config.yaml"), CONFIG).unwrap();
    let before = files_in(d.path());
    check(d.path(), &["."]);
    check(d.path(), &[".", "--output-format", "json"]);
    assert_eq!(files_in(d.path()), before);
    check(d.path(), &[".", "--add-baseline", "b.json"]);
    assert_eq!(files_in(d.path()), vec!["b.json", "config.yaml"]);
    // The baseline is not rewritten by --baseline.
    let written = fs::read_to_string(d.path().join("b.json")).unwrap();
    fs::write(
        d.path().join("config.yaml"),
        format!("{CONFIG}  default_model: x\n"),
    )
    .unwrap();
    check(d.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(
        fs::read_to_string(d.path().join("b.json")).unwrap(),
        written
    );
}

#[test]
fn bad_baselines_and_unparsable_files() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("config.yaml"), CONFIG).unwrap();
    let o = check(d.path(), &[".", "--baseline", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read the baseline"));
    fs::write(d.path().join("b.json"), "{\"findings\": 3}").unwrap();
    let o = check(d.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a litellm-lint baseline"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A file that is not valid YAML is not recorded and still fails the run.
    fs::write(d.path().join("broken.yaml"), "model_list:\n  - a\n -b\n").unwrap();
    let o = check(d.path(), &[".", "--add-baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    let b = fs::read_to_string(d.path().join("b.json")).unwrap();
    assert!(!b.contains("broken.yaml"), "{b}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("broken.yaml:3:2: LL001"));
    let o = check(d.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("LL001"));
    // --add-baseline does not combine with --fix.
    assert_eq!(
        check(d.path(), &[".", "--add-baseline", "b.json", "--fix"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn occurrences_count_findings_at_one_place() {
    use litellm_lint::baseline::Baseline;
    use litellm_lint::check::Outcome;
    use litellm_lint::diagnostic::Diagnostic;
    use litellm_lint::source::{SourceMap, Span};

    let d = tempfile::tempdir().unwrap();
    let text = "router_settings:\n  fallbacks: [{a: [b]}]\n";
    let mut sources = SourceMap::default();
    let file = sources.add(d.path().join("config.yaml"), text.to_string());
    let doc = litellm_lint::yaml::parse(text, file).unwrap();
    let rule = &litellm_lint::rules::find("LL101").unwrap().meta;
    let at = text.find("a:").unwrap();
    let diag = |m: &str| Diagnostic::new(rule, Span::new(file, at, at + 1), m);
    let outcome = |diagnostics: Vec<Diagnostic>, sources: SourceMap, doc| Outcome {
        sources,
        diagnostics,
        files_checked: 1,
        version: Default::default(),
        input_errors: false,
        path_errors: vec![],
        config_errors: vec![],
        yaml: [(file, doc)].into_iter().collect(),
        configs: vec![],
    };
    let o = outcome(vec![diag("at 1.80"), diag("at 1.81")], sources, doc);
    let b = Baseline::from_outcome(&o, d.path());
    let keys: Vec<_> = b
        .findings
        .iter()
        .map(|e| (e.location.as_str(), e.occurrence))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("router_settings.fallbacks[0].a", 1),
            ("router_settings.fallbacks[0].a", 2)
        ]
    );
    // A baseline with one of them hides one: a third finding at that place is new.
    let mut one = b.clone();
    one.findings.truncate(1);
    let mut sources = SourceMap::default();
    sources.add(d.path().join("config.yaml"), text.to_string());
    let doc = litellm_lint::yaml::parse(text, file).unwrap();
    let mut o = outcome(vec![diag("x"), diag("y")], sources, doc);
    assert_eq!(one.filter(&mut o, d.path()), 1);
    assert_eq!(o.diagnostics.len(), 1);
}
