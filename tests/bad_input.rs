//! Malformed input never panics or hangs: each case gives a clear diagnostic and exit code 2.

mod common;

use std::fs;
use std::process::Output;

fn check(args: &[&str]) -> Output {
    common::bin()
        .args(["check", "--output-format", "concise"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn malformed_yaml_is_ll001_with_location() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    fs::write(
        &p,
        "model_list:\n  - model_name: x\n   litellm_params: {model: openai/x}\n",
    )
    .unwrap();
    let o = check(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("config.yaml:3:4: LL001"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn binary_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    fs::write(&p, b"\x00\x01\x02model_list: []\xff").unwrap();
    let o = check(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("LL003") && stdout(&o).contains("binary"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn non_utf8_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    fs::write(&p, b"model_list:\n  - model_name: caf\xe9\n").unwrap();
    let o = check(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("not UTF-8"), "{}", stdout(&o));
}

#[test]
fn huge_file_is_refused_not_read() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    let f = fs::File::create(&p).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap(); // sparse 50 MB
    let o = check(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("LL003") && stdout(&o).contains("50 MB"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn deep_nesting_block_and_flow() {
    let d = tempfile::tempdir().unwrap();
    let flow = d.path().join("flow.yaml");
    fs::write(
        &flow,
        format!("model_list: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let block = d.path().join("block.yaml");
    let mut s = String::from("model_list:\n");
    for i in 0..2_000 {
        s.push_str(&" ".repeat(i + 1));
        s.push_str("k:\n");
    }
    fs::write(&block, s).unwrap();
    for p in [&flow, &block] {
        let o = check(&[p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        assert!(stdout(&o).contains("LL004"), "{}", stdout(&o));
    }
}

#[test]
fn alias_bomb_is_cheap() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let q = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}]\n"
        ));
    }
    s.push_str("model_list: *a29\nrouter_settings:\n  fallbacks: *a29\nlitellm_settings: *a29\n");
    fs::write(&p, s).unwrap();
    let start = std::time::Instant::now();
    let o = check(&[p.to_str().unwrap()]);
    // Not a timing assertion on speed: a hang would never return. Sanity bound only.
    assert!(start.elapsed().as_secs() < 60);
    assert!(o.status.code().is_some(), "no exit code: crashed");
    assert_ne!(
        o.status.code(),
        Some(101),
        "panicked: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn empty_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    fs::write(&p, "").unwrap();
    let o = check(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("empty"), "{}", stdout(&o));
}

#[test]
fn missing_path_and_dangling_symlink() {
    let d = tempfile::tempdir().unwrap();
    let o = check(&[d.path().join("nope.yaml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such file"));
    #[cfg(unix)]
    {
        let link = d.path().join("link.yaml");
        std::os::unix::fs::symlink(d.path().join("gone.yaml"), &link).unwrap();
        let o = check(&[link.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        assert!(stdout(&o).contains("LL003"), "{}", stdout(&o));
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_a_folder_terminates() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("sub");
    fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink(d.path(), sub.join("loop")).unwrap();
    fs::write(
        sub.join("config.yaml"),
        "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n",
    )
    .unwrap();
    let o = check(&[d.path().to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", stdout(&o));
}

#[cfg(unix)]
#[test]
fn unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("locked");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("config.yaml"), "model_list: []\n").unwrap();
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o000)).unwrap();
    let o = check(&[d.path().to_str().unwrap()]);
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).unwrap();
    // As root the folder stays readable; otherwise the walk error must surface as exit 2.
    let readable = fs::read_dir(&sub).is_ok();
    if !readable {
        assert_eq!(o.status.code(), Some(2));
    }
    assert!(o.status.code().is_some());
}

#[test]
fn usage_error_is_exit_2() {
    let o = common::bin()
        .args(["check", "--output-format", "nope"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = common::bin()
        .args(["check", "--litellm-version", "banana", "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

fn check_stdin(dir: &std::path::Path, name: &str, text: &str) -> Output {
    common::check_in(
        dir,
        &["--output-format", "json", "--stdin-filename", name],
        Some(text),
    )
}

#[test]
fn stdin_filename_matches_the_file_on_disk() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.yaml");
    let text = std::fs::read_to_string("examples/config.yaml").unwrap();
    fs::write(&p, &text).unwrap();
    let disk = common::check_in(d.path(), &["--output-format", "json", "config.yaml"], None);
    // The editor's unsaved text wins over the file on disk.
    let edited = check_stdin(
        d.path(),
        "config.yaml",
        &text.replace("claude-bakup", "claude-backup"),
    );
    assert_ne!(disk.stdout, edited.stdout);
    let same = check_stdin(d.path(), "config.yaml", &text);
    assert_eq!(
        String::from_utf8_lossy(&disk.stdout),
        String::from_utf8_lossy(&same.stdout)
    );
    assert_eq!(disk.status.code(), same.status.code());
}

/// The editor invocation of the README: `-` reads stdin, as `--stdin-filename` alone does.
#[test]
fn dash_reads_stdin() {
    use std::io::Write;
    let text = fs::read_to_string("examples/config.yaml").unwrap();
    let run = |args: &[&str]| {
        let mut child = common::bin()
            .args(["check", "--output-format", "concise"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    };
    let named = run(&["--stdin-filename", "examples/config.yaml"]);
    let dash = run(&["--stdin-filename", "examples/config.yaml", "-"]);
    assert_eq!(named.status.code(), Some(1), "{}", stdout(&named));
    assert_eq!(stdout(&named), stdout(&dash));
    assert!(
        dash.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&dash.stderr)
    );
    let bare = run(&["-"]);
    assert_eq!(bare.status.code(), Some(1), "{}", stdout(&bare));
    assert!(
        stdout(&bare).contains("\n-:19:36: LL104 [error]"),
        "{}",
        stdout(&bare)
    );
}

#[test]
fn named_python_and_pin_files_are_not_parsed_as_yaml() {
    let d = tempfile::tempdir().unwrap();
    let py = d.path().join("app.py");
    fs::write(&py, "import os\nx = {\"a\": 1}\n\tprint(x)\n").unwrap();
    let req = d.path().join("requirements.txt");
    fs::write(&req, "litellm==1.81.16\n").unwrap();
    let o = check(&[py.to_str().unwrap(), req.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("LL001"), "{}", stdout(&o));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    // The schema is larger than a pipe's buffer, so the writer meets the closed pipe.
    let mut child = common::bin()
        .args(["schema"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close our end while it is still writing.
    let mut out = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    out.read_exact(&mut byte).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    assert_ne!(
        o.status.code(),
        Some(101),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn deeply_nested_python_is_not_a_crash() {
    let d = tempfile::tempdir().unwrap();
    let n = 50_000;
    fs::write(
        d.path().join("deep.py"),
        format!("import openai\nx = {}1{}\n", "(".repeat(n), ")".repeat(n)),
    )
    .unwrap();
    fs::write(
        d.path().join("fallbacks.py"),
        format!(
            "from pydantic_ai import Agent\nx = {}m{}\nAgent(x).run_stream('hi')\n",
            "FallbackModel(".repeat(5_000),
            ")".repeat(5_000)
        ),
    )
    .unwrap();
    for f in ["deep.py", "fallbacks.py"] {
        let o = check(&[d.path().join(f).to_str().unwrap()]);
        assert!(
            matches!(o.status.code(), Some(0..=2)),
            "{f}: {:?} {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Runs the binary, killing it after `secs` seconds: `None` when it had to be killed (a hang).
fn check_within(args: &[&str], stdin: std::process::Stdio, secs: u64) -> Option<Output> {
    let mut child = common::bin()
        .args(["check", "--output-format", "concise"])
        .args(args)
        .stdin(stdin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if start.elapsed().as_secs() >= secs {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_not_read() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("config.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for path in ["/dev/zero", fifo.to_str().unwrap()] {
        // A bound against a hang (the read would never end), not a speed check.
        let o = check_within(&[path], std::process::Stdio::null(), 60)
            .unwrap_or_else(|| panic!("{path}: never returned"));
        assert_eq!(o.status.code(), Some(2), "{path}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("LL003") && stdout(&o).contains("not a regular file"),
            "{path}: {}",
            stdout(&o)
        );
    }
}

#[cfg(unix)]
#[test]
fn endless_stdin_is_refused_past_the_limit() {
    let zero = fs::File::open("/dev/zero").unwrap();
    let o = check_within(&["--stdin-filename", "config.yaml"], zero.into(), 60)
        .expect("never returned");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("stdin is larger than"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn includes_outside_the_project_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    let project = d.path().join("project");
    fs::create_dir_all(project.join(".git")).unwrap();
    fs::write(
        d.path().join("outside.yaml"),
        "secret_hash_line_xyz: 1\nmodel_list: []\n",
    )
    .unwrap();
    fs::write(
        project.join("config.yaml"),
        "include:\n  - ../outside.yaml\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n",
    )
    .unwrap();
    let o = check(&[project.join("config.yaml").to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("is outside the project"), "{out}");
    assert!(!out.contains("secret_hash_line_xyz"), "{out}");
    assert_ne!(o.status.code(), Some(0), "{out}");
}

#[test]
fn unreadable_files_found_by_a_walk_are_reported() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("config.yaml"),
        "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n",
    )
    .unwrap();
    fs::write(d.path().join("latin1.yaml"), b"model_list: []\n# caf\xe9\n").unwrap();
    fs::write(d.path().join("tool.py"), b"import openai\n# caf\xe9\n").unwrap();
    let o = check(&[d.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.contains("latin1.yaml:1:1: LL003"), "{out}");
    assert!(out.contains("tool.py:1:1: LL003"), "{out}");
}
