//! No output ever contains a secret. Canary secrets (generated here, so the repository holds no
//! key-shaped literal) go into a config, a compose file and a file that does not even parse;
//! every output format, `--diff`, `--fix` and `--stdin-filename` must leave every canary out,
//! while the findings are still reported.

mod common;

use std::path::Path;
use std::process::Output;

const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "gitlab", "junit",
];

/// A deterministic random string (xorshift), so that canaries are key-shaped but never
/// written in the source.
fn random(seed: u64, len: usize, alphabet: &str) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

const B62: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

struct Canaries {
    openai: String,
    anthropic: String,
    azure: String,
    aws_id: String,
    aws_secret: String,
    master: String,
    db_password: String,
    compose_key: String,
    broken_key: String,
}

impl Canaries {
    fn new() -> Self {
        Canaries {
            openai: format!("sk-proj-{}", random(1, 48, B62)),
            anthropic: format!("sk-ant-api03-{}", random(2, 44, B62)),
            azure: random(3, 32, "0123456789abcdef"),
            aws_id: format!("AKIA{}", random(4, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
            aws_secret: random(5, 40, B62),
            master: format!("sk-{}", random(6, 26, B62)),
            db_password: random(7, 20, B62),
            compose_key: format!("AIza{}", random(8, 35, B62)),
            broken_key: format!("sk-proj-{}", random(9, 48, B62)),
        }
    }
    fn all(&self) -> Vec<&str> {
        vec![
            &self.openai,
            &self.anthropic,
            &self.azure,
            &self.aws_id,
            &self.aws_secret,
            &self.master,
            &self.db_password,
            &self.compose_key,
            &self.broken_key,
        ]
    }
    /// Each canary and a distinctive piece of its middle (a partial leak counts).
    fn needles(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.all() {
            out.push(c.to_string());
            let mid = c.len() / 2;
            out.push(c[mid - 5..mid + 5].to_string());
        }
        out
    }
}

fn config(c: &Canaries) -> String {
    format!(
        "model_list:\n  \
         - model_name: gpt\n    litellm_params: {{model: anthropic/claude-nonexistent-canary, api_key: {}}}\n  \
         - model_name: claude\n    litellm_params:\n      model: anthropic/claude-sonnet-4-6\n      api_key: \"{}\"\n  \
         - model_name: azure\n    litellm_params:\n      model: azure/my-deployment\n      api_base: https://example.openai.azure.com\n      api_key: {}\n  \
         - model_name: bedrock\n    litellm_params:\n      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0\n      aws_access_key_id: {}\n      aws_secret_access_key: {}\n\
         router_settings:\n  fallbacks:\n    - gpt: [\"claude\", \"azur\"]\n\
         general_settings:\n  master_key: {}\n  database_url: postgresql://litellm:{}@db.internal:5432/litellm\n",
        c.openai, c.anthropic, c.azure, c.aws_id, c.aws_secret, c.master, c.db_password
    )
}

fn write_repo(dir: &Path, c: &Canaries) {
    std::fs::write(dir.join("config.yaml"), config(c)).unwrap();
    std::fs::write(
        dir.join("docker-compose.yml"),
        format!(
            "services:\n  litellm:\n    image: ghcr.io/berriai/litellm:main-latest\n    \
             volumes: [\"./config.yaml:/app/config.yaml\"]\n    command: [\"--config\", \"/app/config.yaml\"]\n    \
             environment:\n      - GEMINI_API_KEY={}\n",
            c.compose_key
        ),
    )
    .unwrap();
    // A file PyYAML rejects on the very line that holds a key: LL001 shows that line.
    std::fs::write(
        dir.join("broken.yaml"),
        format!(
            "model_list:\n  - model_name: x\n    api_key: {}: oops\n",
            c.broken_key
        ),
    )
    .unwrap();
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    common::check_in(dir, args, stdin)
}

fn assert_clean(what: &str, o: &Output, c: &Canaries) {
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    for n in c.needles() {
        assert!(
            !out.contains(&n),
            "{what}: stdout contains a canary secret:\n{out}"
        );
        assert!(
            !err.contains(&n),
            "{what}: stderr contains a canary secret:\n{err}"
        );
    }
}

#[test]
fn no_format_prints_a_secret() {
    let c = Canaries::new();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), &c);
    for format in FORMATS {
        let o = run(tmp.path(), &["--output-format", format, "."], None);
        assert_clean(&format!("--output-format {format}"), &o, &c);
        let out = String::from_utf8_lossy(&o.stdout);
        // The findings are there, only the values are not.
        if *format != "junit" && *format != "gitlab" {
            assert!(out.contains("LL601"), "{format}: no LL601 in\n{out}");
        }
        assert!(out.contains("LL001"), "{format}: no LL001 in\n{out}");
    }
    // Other rules' findings on a line with a key show `****` there: LL304 on the model of the
    // same flow mapping, LL001 in the file that does not parse.
    let o = run(
        tmp.path(),
        &["--output-format", "human", "--select", "LL304,LL001", "."],
        None,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("{model: anthropic/claude-nonexistent-canary, api_key: ****}"),
        "{out}"
    );
    assert!(out.contains("    api_key: ****: oops"), "{out}");
}

#[test]
fn diff_and_fix_never_print_a_secret() {
    let c = Canaries::new();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), &c);
    for extra in [&[][..], &["--unsafe-fixes"][..]] {
        let mut args = vec!["--diff", "."];
        args.extend_from_slice(extra);
        let o = run(tmp.path(), &args, None);
        assert_clean(&format!("--diff {extra:?}"), &o, &c);
        if !extra.is_empty() {
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains("+    - gpt: [\"claude\", \"azure\"]"), "{out}");
        }
    }
    let o = run(
        tmp.path(),
        &["--diff", "--unsafe-fixes", "config.yaml"],
        None,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("-  master_key: ****"), "{out}");
    assert!(
        out.contains("+  master_key: os.environ/LITELLM_MASTER_KEY"),
        "{out}"
    );

    let o = run(tmp.path(), &["--fix", "--unsafe-fixes", "."], None);
    assert_clean("--fix --unsafe-fixes", &o, &c);
    // The fixes reached the file: the keys it had as whole values are gone from it.
    let fixed = std::fs::read_to_string(tmp.path().join("config.yaml")).unwrap();
    for gone in [&c.openai, &c.anthropic, &c.azure, &c.master, &c.db_password] {
        assert!(!fixed.contains(gone.as_str()), "{fixed}");
    }
    assert!(
        fixed.contains("api_key: os.environ/OPENAI_API_KEY"),
        "{fixed}"
    );
}

#[test]
fn stdin_filename_never_prints_a_secret() {
    let c = Canaries::new();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), &c);
    let text = config(&c);
    for format in FORMATS {
        let o = run(
            tmp.path(),
            &["--output-format", format, "--stdin-filename", "config.yaml"],
            Some(&text),
        );
        assert_clean(&format!("--stdin-filename, {format}"), &o, &c);
    }
    let o = run(
        tmp.path(),
        &[
            "--diff",
            "--unsafe-fixes",
            "--stdin-filename",
            "config.yaml",
        ],
        Some(&text),
    );
    assert_clean("--stdin-filename --diff", &o, &c);
    // `--fix` with stdin prints the fixed document itself (for the editor that sent it): that is
    // the user's own file, not a report, so it is returned as it is, minus what was fixed.
    let o = run(
        tmp.path(),
        &["--fix", "--unsafe-fixes", "--stdin-filename", "config.yaml"],
        Some(&text),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("model_list:"), "{out}");
    assert!(
        !out.contains(&c.openai) && !out.contains(&c.master),
        "{out}"
    );
}

#[test]
fn the_masked_view_maps_spans() {
    use litellm_lint::source::SourceFile;
    let mut f = SourceFile::new("x.yaml".into(), "a: SECRETVALUE1 b\nc: d\n".into());
    f.add_secret(3, 15);
    assert_eq!(f.masked_text(), "a: **** b\nc: d\n");
    assert_eq!(f.masked_range(3, 15), 3..7);
    assert_eq!(f.masked_range(16, 17), 8..9);
    assert_eq!(f.masked_range(18, 19), 10..11);
    assert_eq!(f.masked_range(0, 1), 0..1);
}
