//! `# litellm-lint: ignore[...]` comments: where they apply, what LL006 and LL007 report, their
//! fixes, and how they interact with rule selection.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use litellm_lint::diagnostic::Diagnostic;
use litellm_lint::source::{Comment, SourceMap, Span};
use litellm_lint::suppress::Suppressions;

const MODELS: &str =
    "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-5.4}\n";

fn check_text(text: &str, args: &[&str]) -> (Output, tempfile::TempDir) {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("config.yaml"), text).unwrap();
    let o = common::bin()
        .current_dir(d.path())
        .args([
            "check",
            "--no-color",
            "--output-format",
            "concise",
            "config.yaml",
        ])
        .args(args)
        .output()
        .unwrap();
    (o, d)
}

fn concise(text: &str, args: &[&str]) -> String {
    let (o, _d) = check_text(text, args);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// `line CODE` per finding.
fn found(text: &str, args: &[&str]) -> Vec<String> {
    concise(text, args)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ':').collect();
            format!("{} {}", f[1], f[3].trim().split(' ').next().unwrap())
        })
        .collect()
}

#[test]
fn same_line_and_line_before() {
    let text = format!(
        "{MODELS}router_settings:\n\
         \x20 enable_loadbalancing: true  # litellm-lint: ignore[LL501] read by our fork\n\
         \x20 # litellm-lint: ignore[unknown-key] read by our fork\n\
         \x20 default_model: gpt-4o\n\
         \x20 # litellm-lint: ignore[LL501] too far: a blank line follows\n\
         \n\
         \x20 model_alias: x\n"
    );
    assert_eq!(
        found(&text, &[]),
        vec!["8 LL006", "10 LL501"],
        "{}",
        concise(&text, &[])
    );
}

#[test]
fn several_codes_and_file_level() {
    let text = format!(
        "# litellm-lint: ignore-file[LL501] our fork reads these keys\n{MODELS}\
         router_settings:\n\
         \x20 fallbacks: [{{gpt-4o: [claude-next]}}]  # litellm-lint: ignore[LL104, LL105]\n\
         \x20 enable_loadbalancing: true\n\
         \x20 default_model: gpt-4o  # litellm-lint: ignore[unknown-key LL502] spaces work too\n"
    );
    // The file-level LL501 hides both unknown keys; LL104 is hidden on its line, LL105 is not
    // there. The space-separated list hides LL501 (by name); LL502 is unused.
    let out = concise(&text, &[]);
    assert_eq!(found(&text, &[]), vec!["6 LL006", "8 LL006"], "{out}");
    assert!(out.contains("no `LL105` finding on this line"), "{out}");
    assert!(out.contains("no `LL502` finding on this line"), "{out}");
    // Without the file-level line, the second key shows.
    let without = text.replacen(
        "# litellm-lint: ignore-file[LL501] our fork reads these keys\n",
        "",
        1,
    );
    assert_eq!(found(&without, &[]), vec!["5 LL006", "6 LL501", "7 LL006"]);
    // The fixes remove only the unused codes.
    let (_, d) = check_text(&text, &["--fix"]);
    let fixed = fs::read_to_string(d.path().join("config.yaml")).unwrap();
    assert!(fixed.contains("# litellm-lint: ignore[LL104]\n"), "{fixed}");
    assert!(
        fixed.contains("# litellm-lint: ignore[unknown-key] spaces work too\n"),
        "{fixed}"
    );
    assert_eq!(found(&fixed, &[]), Vec::<String>::new());
}

#[test]
fn unused_suppressions_and_their_fix_snapshot() {
    // What users see for LL006, the fix as a diff, and the file after --fix.
    let text = format!(
        "# litellm-lint: ignore-file[LL502] moved in 2024\n{MODELS}\
         router_settings:\n\
         \x20 num_retries: 2  # litellm-lint: ignore[LL501] kept for the old proxy\n\
         \x20 # litellm-lint: ignore[LL104]\n\
         \x20 timeout: 30\n\
         \x20 enable_loadbalancing: true  # litellm-lint: ignore[LL501, LL1O4]\n\
         \x20 retry_after: 5 # litellm-lint: ignore LL501\n\
         \x20 cooldown_time: 5 # litellm-lint: disable[LL501]\n"
    );
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("config.yaml"), &text).unwrap();
    let run = |args: &[&str]| {
        let o = common::bin()
            .current_dir(d.path())
            .args(["check", "--no-color", "config.yaml"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    insta::assert_snapshot!("ll006_human", run(&[]));
    insta::assert_snapshot!("ll006_diff", run(&["--diff"]));
    run(&["--fix"]);
    insta::assert_snapshot!(
        "ll006_fixed",
        fs::read_to_string(d.path().join("config.yaml")).unwrap()
    );
}

#[test]
fn blanket_suppressions() {
    let text = format!(
        "{MODELS}router_settings:\n\
         \x20 enable_loadbalancing: true  # litellm-lint: ignore read by our fork\n\
         \x20 num_retries: 2  # litellm-lint: ignore\n"
    );
    // Used: LL007 (info, exit 0) names what it hides. Unused: LL006.
    let (o, d) = check_text(&text, &[]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(found(&text, &[]), vec!["5 LL007", "6 LL006"], "{out}");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        check_text(&text, &["--ignore", "LL006"]).0.status.code(),
        Some(0)
    );
    drop(d);
    let (_, d) = check_text(&text, &["--fix"]);
    assert_eq!(
        fs::read_to_string(d.path().join("config.yaml")).unwrap(),
        format!(
            "{MODELS}router_settings:\n\
             \x20 enable_loadbalancing: true  # litellm-lint: ignore[LL501] read by our fork\n\
             \x20 num_retries: 2\n"
        )
    );
}

#[test]
fn suppressions_survive_select() {
    let text = format!(
        "{MODELS}router_settings:\n\
         \x20 fallbacks: [{{gpt-4o: [claude-next]}}]  # litellm-lint: ignore[LL104]\n\
         \x20 num_retries: 2  # litellm-lint: ignore[LL501]\n"
    );
    // Unselected rules: no claim that their suppressions are unused, and used ones stay used.
    assert_eq!(found(&text, &["--select", "LL0"]), Vec::<String>::new());
    assert_eq!(
        found(&text, &["--select", "LL1,LL006"]),
        Vec::<String>::new()
    );
    assert_eq!(found(&text, &["--ignore", "LL5"]), Vec::<String>::new());
    // Selected: the unused one is reported.
    assert_eq!(found(&text, &["--select", "LL5,LL0"]), vec!["6 LL006"]);
    assert_eq!(found(&text, &[]), vec!["6 LL006"]);
    // The same through the configuration file's per-file-ignores.
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("config.yaml"), &text).unwrap();
    fs::write(
        d.path().join("litellm-lint.toml"),
        "[per-file-ignores]\n\"config.yaml\" = [\"LL501\"]\n",
    )
    .unwrap();
    let o = common::bin()
        .current_dir(d.path())
        .args(["check", "config.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn ll006_is_hidden_only_by_naming_it() {
    let text = format!(
        "{MODELS}router_settings:\n\
         \x20 # litellm-lint: ignore[LL006] kept for the next release\n\
         \x20 num_retries: 2  # litellm-lint: ignore[LL501]\n"
    );
    assert_eq!(found(&text, &[]), Vec::<String>::new());
}

#[test]
fn suppressions_in_included_files() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("config.yaml"),
        format!("include:\n  - router.yaml\n{MODELS}"),
    )
    .unwrap();
    fs::write(
        d.path().join("router.yaml"),
        "router_settings:\n  enable_loadbalancing: true  # litellm-lint: ignore[LL501]\n  num_retries: 2  # litellm-lint: ignore[LL501]\n",
    )
    .unwrap();
    let o = common::bin()
        .current_dir(d.path())
        .args(["check", "--output-format", "concise", "."])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "router.yaml:3:42: LL006 [warning] unused suppression: no `LL501` finding on this line\n"
    );
}

/// The matching works on any file's comments: a Python file can hand over its own (there is
/// no Python parsing yet; the comments are built by hand here).
#[test]
fn generic_over_a_files_comments() {
    let text = "client.chat(model=\"gpt-5\")  # litellm-lint: ignore[LL104] rolled out Friday\n\
                # litellm-lint: ignore[LL101]\n\
                stream = client.chat(stream=True)\n";
    let mut sources = SourceMap::default();
    let file = sources.add(PathBuf::from("app.py"), text.to_string());
    let comments: Vec<Comment> = text
        .lines()
        .enumerate()
        .filter_map(|(line, l)| {
            let h = l.find('#')?;
            let start = sources.get(file).line_start(line) + h;
            Some(Comment {
                span: Span::new(file, start, start + l.len() - h),
                text: l[h + 1..].to_string(),
                line,
                own_line: l[..h].trim().is_empty(),
            })
        })
        .collect();
    let mut sups = Suppressions::from_comments(file, &sources, &comments);
    assert_eq!(sups.directives.len(), 2);
    let rule = |code: &str| &litellm_lint::rules::find(code).unwrap().meta;
    let on_line = |line: usize, code: &str| {
        let start = sources.get(file).line_start(line) + 1;
        Diagnostic::new(rule(code), Span::new(file, start, start + 1), "m")
    };
    assert!(sups.suppresses(&on_line(0, "LL104"), &sources));
    assert!(!sups.suppresses(&on_line(0, "LL101"), &sources));
    assert!(!sups.suppresses(&on_line(1, "LL101"), &sources));
    let report = sups.report(&|_| true);
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].code, "LL006");
    assert_eq!(
        report[0].message,
        "unused suppression: no `LL101` finding on the next line"
    );
    assert!(sups.suppresses(&on_line(2, "LL101"), &sources));
    assert!(sups.report(&|_| true).is_empty());
}

#[test]
fn suppressions_work_in_python_files() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("config.yaml"),
        "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-5.4}\n",
    )
    .unwrap();
    fs::write(
        d.path().join("app.py"),
        "from openai import OpenAI\nclient = OpenAI(base_url=\"http://litellm:4000/v1\")\n\
         # litellm-lint: ignore[LL701] the group is added by the platform team\n\
         client.chat.completions.create(model=\"gpt4o\", messages=[])\n\
         client.chat.completions.create(model=\"claude\", messages=[])  # litellm-lint: ignore[LL102]\n",
    )
    .unwrap();
    let o = common::bin()
        .current_dir(d.path())
        .args(["check", "--no-color", "--output-format", "concise", "."])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("gpt4o"), "{out}");
    assert!(out.contains("app.py:5:") && out.contains("LL701"), "{out}");
    assert!(
        out.contains("LL006"),
        "the unused LL102 suppression is reported: {out}"
    );
}
