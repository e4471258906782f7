#![allow(dead_code)]
//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use litellm_lint::check::{self, Options, Outcome};

/// The date tests judge model deprecation dates at (`--today`).
pub const TODAY: &str = "2026-11-23";

pub fn run(paths: &[&Path], version: Option<&str>) -> Outcome {
    check::run(&Options {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        litellm_version: version.map(str::to_string),
        today: litellm_lint::models::Date::parse(TODAY),
        ..Options::default()
    })
}

pub fn human(o: &Outcome) -> String {
    litellm_lint::render::human::render(o, false, false)
}

pub fn json(o: &Outcome) -> String {
    litellm_lint::render::json::render(o)
}

pub fn fixtures() -> PathBuf {
    Path::new("tests").join("fixtures")
}

pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_litellm-lint"))
}

/// Runs `litellm-lint check --no-color --today TODAY ARGS...` in `dir`, feeding `stdin` when
/// given.
pub fn check_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = bin()
        .current_dir(dir)
        .args(["check", "--no-color", "--today", TODAY])
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

/// One line per diagnostic of a `--output-format json` result, written by `line`.
pub fn diagnostic_lines(
    v: &serde_json::Value,
    line: impl Fn(&serde_json::Value) -> String,
) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(line)
        .collect()
}
