//! litellm-lint's own configuration: where it is found, what each key does, how the command
//! line overrides it, the errors users see, and its JSON Schema.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use litellm_lint::settings::Settings;

/// A config with an unknown `router_settings` key (LL501) and an unknown fallback target
/// (LL104).
const CONFIG: &str = "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-5.4}\nrouter_settings:\n  fallbacks: [{gpt-4o: [claude-next]}]\n  enable_loadbalancing: true\n";

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = root.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn check(dir: &Path, args: &[&str]) -> Output {
    common::bin()
        .current_dir(dir)
        .args(["check", "--no-color", "--output-format", "concise"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// `path CODE` per finding, sorted.
fn findings(o: &Output) -> Vec<String> {
    let mut v: Vec<String> = stdout(o)
        .lines()
        .map(|l| {
            let mut parts = l.splitn(2, ": ");
            let loc = parts.next().unwrap();
            let path = loc.split(':').next().unwrap();
            let code = parts.next().unwrap().split(' ').next().unwrap();
            format!("{path} {code}")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn closest_configuration_wins() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("litellm-lint.toml", "ignore = [\"LL501\"]\n"),
            ("a.yaml", CONFIG),
            // Its own file: only LL5, nothing inherited from the parent.
            ("team/litellm-lint.toml", "select = [\"LL5\"]\n"),
            ("team/b.yaml", CONFIG),
            // A pyproject.toml without our table does not count: the root file applies.
            ("svc/pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
            ("svc/c.yaml", CONFIG),
            // In one folder, `.litellm-lint.toml` beats `litellm-lint.toml` beats pyproject.
            ("dot/.litellm-lint.toml", "select = [\"LL104\"]\n"),
            ("dot/litellm-lint.toml", "select = [\"LL501\"]\n"),
            ("dot/d.yaml", CONFIG),
            (
                "py/pyproject.toml",
                "[project]\nname = \"x\"\n\n[tool.litellm-lint]\nselect = [\"fallback-target-unknown\"]\n",
            ),
            ("py/deep/e.yaml", CONFIG),
        ],
    );
    let o = check(d.path(), &["."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        findings(&o),
        vec![
            "a.yaml LL104",
            "dot/d.yaml LL104",
            "py/deep/e.yaml LL104",
            "svc/c.yaml LL104",
            "team/b.yaml LL501",
        ]
    );
    // The same when the files are named one by one, from another working directory.
    let o = check(&d.path().join("team"), &["b.yaml", "../py/deep/e.yaml"]);
    assert_eq!(
        findings(&o),
        vec!["../py/deep/e.yaml LL104", "b.yaml LL501"]
    );
}

#[test]
fn command_line_overrides_the_file() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "litellm-lint.toml",
                "select = [\"LL1\"]\nignore = [\"LL104\"]\n",
            ),
            ("a.yaml", CONFIG),
        ],
    );
    // From the file alone: LL1 minus LL104, so nothing here.
    assert!(findings(&check(d.path(), &["a.yaml"])).is_empty());
    // --extend-select adds to the file's selection; the file's ignore still applies.
    assert_eq!(
        findings(&check(d.path(), &["a.yaml", "--extend-select", "LL5"])),
        vec!["a.yaml LL501"]
    );
    // --select replaces the file's selection, its ignore included (ruff).
    assert_eq!(
        findings(&check(d.path(), &["a.yaml", "--select", "LL104,LL501"])),
        vec!["a.yaml LL104", "a.yaml LL501"]
    );
    // --ignore adds to the file's.
    assert!(
        findings(&check(
            d.path(),
            &["a.yaml", "--select", "ALL", "--ignore", "LL5"]
        ))
        .contains(&"a.yaml LL104".to_string())
    );
    // Within one list the most specific selector wins.
    assert_eq!(
        findings(&check(
            d.path(),
            &["a.yaml", "--select", "LL104", "--ignore", "LL1"]
        )),
        vec!["a.yaml LL104"]
    );
}

#[test]
fn per_file_ignores_are_relative_to_the_configuration() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "litellm-lint.toml",
                "[per-file-ignores]\n\"staging/*.yaml\" = [\"LL501\"]\n\"prod.yaml\" = [\"fallback-target-unknown\"]\n",
            ),
            ("staging/a.yaml", CONFIG),
            ("staging/deeper/b.yaml", CONFIG),
            ("deploy/prod.yaml", CONFIG),
        ],
    );
    let expected = vec![
        "deploy/prod.yaml LL501",
        "staging/a.yaml LL104",
        "staging/deeper/b.yaml LL104",
        "staging/deeper/b.yaml LL501",
    ];
    assert_eq!(findings(&check(d.path(), &["."])), expected);
    // The globs stay relative to the configuration's folder whatever the working directory.
    let o = check(&d.path().join("staging"), &["a.yaml", "deeper/b.yaml"]);
    assert_eq!(
        findings(&o),
        vec!["a.yaml LL104", "deeper/b.yaml LL104", "deeper/b.yaml LL501"]
    );
}

#[test]
fn severity_overrides_change_the_exit_code() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "litellm-lint.toml",
                "[severity]\nLL1 = \"info\"\nunknown-key = \"info\"\n",
            ),
            ("a.yaml", CONFIG),
        ],
    );
    let o = check(d.path(), &["a.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        stdout(&o)
            .lines()
            .map(|l| l.split(' ').nth(2).unwrap())
            .collect::<Vec<_>>(),
        vec!["[info]", "[info]"]
    );
    write(
        d.path(),
        &[(
            "litellm-lint.toml",
            "[severity]\nLL5 = \"info\"\nLL501 = \"error\"\n",
        )],
    );
    let o = check(d.path(), &["a.yaml", "--select", "LL5"]);
    assert!(stdout(&o).contains("LL501 [error]"), "{}", stdout(&o));
}

#[test]
fn litellm_version_from_the_configuration() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "litellm-lint.toml",
                "# pinned\nlitellm-version = \"1.81.1\"\n",
            ),
            ("requirements.txt", "litellm==1.83.9\n"),
            ("a.yaml", CONFIG),
        ],
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let o = common::bin()
            .current_dir(d.path())
            .args(["check", "--output-format", "json"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&o.stdout).unwrap()
    };
    assert_eq!(
        json(&["a.yaml"])["litellm_version"],
        serde_json::json!({"value": "1.81.1", "source": "litellm-lint.toml:2"})
    );
    assert_eq!(
        json(&["a.yaml", "--litellm-version", "1.80.0"])["litellm_version"],
        serde_json::json!({"value": "1.80.0", "source": "--litellm-version"})
    );
}

#[test]
fn exclude_applies_to_folder_walks() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "litellm-lint.toml",
                "exclude = [\"legacy\", \"*.generated.yaml\", \"envs/**/old.yaml\"]\n",
            ),
            ("a.yaml", CONFIG),
            ("legacy/b.yaml", CONFIG),
            ("x/legacy/c.yaml", CONFIG),
            ("x/d.generated.yaml", CONFIG),
            ("envs/prod/old.yaml", CONFIG),
            ("envs/prod/new.yaml", CONFIG),
        ],
    );
    let o = check(d.path(), &[".", "--select", "LL104"]);
    assert_eq!(
        findings(&o),
        vec!["a.yaml LL104", "envs/prod/new.yaml LL104"]
    );
    // Named on the command line, an excluded file is checked (as in ruff).
    let o = check(d.path(), &["legacy/b.yaml", "--select", "LL104"]);
    assert_eq!(findings(&o), vec!["legacy/b.yaml LL104"]);
}

#[test]
fn environments_are_accepted_and_kept() {
    let text = "[environments.ci]\nconfigs = [\"proxy/config.yaml\"]\nlitellm-version = \"1.83.9\"\n\n[environments.local]\n";
    let s = Settings::parse(Path::new("/p/litellm-lint.toml"), text, false)
        .unwrap()
        .unwrap();
    assert_eq!(
        s.environments["ci"]["configs"][0].as_str(),
        Some("proxy/config.yaml")
    );
    assert!(s.environments["local"].as_table().unwrap().is_empty());
    let e = Settings::parse(
        Path::new("/p/litellm-lint.toml"),
        "environments = { ci = 3 }\n",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e[0].message,
        "`environments.ci` must be a table, not an integer"
    );
}

/// What users see on stderr for a broken configuration: exit 2, nothing on stdout.
fn config_error(files: &[(&str, &str)], args: &[&str]) -> String {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), files);
    write(d.path(), &[("a.yaml", CONFIG)]);
    let o = check(d.path(), args);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
    stderr(&o)
}

#[test]
fn unknown_keys_and_codes_are_errors_with_locations() {
    insta::assert_snapshot!(
        "unknown_key",
        config_error(
            &[(
                "litellm-lint.toml",
                "select = [\"LL1\"]\nignre = [\"LL107\"]\nexclud = []\n\n[per-file-ignore]\n\"a.yaml\" = [\"LL5\"]\n",
            )],
            &["a.yaml"],
        )
    );
    insta::assert_snapshot!(
        "invalid_codes",
        config_error(
            &[(
                "litellm-lint.toml",
                "select = [\"LL1O4\", \"fallback-target-unknwn\", \"LL9\"]\n[severity]\nLL102 = \"fatal\"\n",
            )],
            &["a.yaml"],
        )
    );
    insta::assert_snapshot!(
        "pyproject",
        config_error(
            &[(
                "pyproject.toml",
                "[project]\nname = \"svc\"\n\n[tool.litellm-lint]\nselect = \"LL1\"\nlitellm-version = 1.81\n\n[tool.litellm-lint.per-file-ignores]\n\"a/[\" = [\"LL5\"]\n",
            )],
            &["."],
        )
    );
    insta::assert_snapshot!(
        "invalid_toml",
        config_error(&[("litellm-lint.toml", "select = [\"LL1\"\n")], &["a.yaml"])
    );
}

#[test]
fn invalid_selectors_on_the_command_line() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("a.yaml", CONFIG)]);
    for (flag, value, suggestion) in [
        ("--select", "LL1O4", "did you mean `LL104`?"),
        ("--ignore", "unknwn-key", "did you mean `unknown-key`?"),
        ("--extend-select", "LL999", "is not a rule code"),
    ] {
        let o = check(d.path(), &["a.yaml", flag, value]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(suggestion), "{}", stderr(&o));
    }
    // Prefixes of areas without rules yet, names and ALL are valid.
    let o = check(
        d.path(),
        &[
            "a.yaml",
            "--ignore",
            "LL6,LL7",
            "--select",
            "ALL,fallback-cycle",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn a_broken_configuration_below_a_walked_folder_stops_the_run() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("a.yaml", CONFIG),
            ("sub/litellm-lint.toml", "selct = []\n"),
            ("sub/b.yaml", CONFIG),
        ],
    );
    let o = check(d.path(), &["."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("sub/litellm-lint.toml:1:1"),
        "{}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema of the configuration

fn schema() -> serde_json::Value {
    serde_json::from_str(litellm_lint::settings::SCHEMA_TEXT).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles offline")
}

fn toml_to_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
}

/// The ```toml block of the README's Configuration section.
fn readme_example() -> String {
    let readme = fs::read_to_string("README.md").unwrap();
    let section = readme
        .split("\n## Configuration\n")
        .nth(1)
        .expect("README has a Configuration section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .expect("the Configuration section has a toml example");
    block.split("```").next().unwrap().to_string()
}

#[test]
fn readme_example_is_valid_against_the_schema_and_the_parser() {
    let example = readme_example();
    let errors: Vec<String> = validator()
        .iter_errors(&toml_to_json(&example))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let parsed = Settings::parse(Path::new("/p/litellm-lint.toml"), &example, false);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
}

#[test]
fn schema_and_parser_agree() {
    let schema = schema();
    // Every property is one the parser reads: each example parses without error.
    for (key, prop) in schema["properties"].as_object().unwrap() {
        let example = &prop["examples"][0];
        assert!(!example.is_null(), "`{key}` has no example in the schema");
        let mut t = toml::Table::new();
        t.insert(
            key.clone(),
            serde_json::from_value(example.clone()).unwrap(),
        );
        let text = toml::to_string(&t).unwrap();
        assert!(validator().is_valid(&toml_to_json(&text)), "{text}");
        let parsed = Settings::parse(Path::new("/p/litellm-lint.toml"), &text, false);
        assert!(parsed.is_ok(), "`{key}`: {text}\n{:?}", parsed.err());
    }
    // Codes and names are the registry's.
    let codes: Vec<&str> = litellm_lint::rules::RULES
        .iter()
        .map(|r| r.meta.code)
        .collect();
    let names: Vec<&str> = litellm_lint::rules::RULES
        .iter()
        .map(|r| r.meta.name)
        .collect();
    assert_eq!(
        serde_json::json!(codes),
        schema["$defs"]["ruleCode"]["enum"],
        "schemas/litellm-lint.schema.json: run `python3 scripts/update_config_schema.py`"
    );
    assert_eq!(
        serde_json::json!(names),
        schema["$defs"]["ruleName"]["enum"],
        "schemas/litellm-lint.schema.json: run `python3 scripts/update_config_schema.py`"
    );
    // What the parser rejects, the schema rejects too.
    for bad in [
        "selct = [\"LL1\"]\n",
        "select = [\"LL1O4\"]\n",
        "select = \"LL1\"\n",
        "ignore = [\"LL9\"]\n",
        "[severity]\nLL102 = \"fatal\"\n",
        "[severity]\nLL1O2 = \"error\"\n",
        "litellm-version = \"latest\"\n",
        "[per-file-ignores]\n\"a.yaml\" = [\"nope\"]\n",
        "exclude = [3]\n",
        "[environments]\nci = 3\n",
    ] {
        assert!(
            Settings::parse(Path::new("/p/litellm-lint.toml"), bad, false).is_err(),
            "parser accepts {bad}"
        );
        assert!(
            !validator().is_valid(&toml_to_json(bad)),
            "schema accepts {bad}"
        );
    }
}
