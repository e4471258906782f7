//! Environments: a small repository (`tests/fixtures/env-repo`: docker compose + `.env` + a
//! GitHub workflow + two configs) run through the binary and snapshotted, and one test per
//! discovery path (GitLab CI, Helm with `Chart.yaml`, `docker compose up` in CI, a compose
//! service built from a Dockerfile, `--env-file`).

mod common;

use std::path::Path;
use std::process::Output;

fn check_in(dir: &Path, args: &[&str]) -> Output {
    common::bin()
        .current_dir(dir)
        .arg("check")
        .args(["--no-color", "--today", common::TODAY])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn version_stable(text: &str) -> String {
    text.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

#[test]
fn env_repo_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let human = check_in(root, &["tests/fixtures/env-repo"]);
    assert_eq!(human.status.code(), Some(1));
    let json = check_in(
        root,
        &["--output-format", "json", "tests/fixtures/env-repo"],
    );
    let (h, j) = (stdout(&human), stdout(&json));
    for code in ["LL401", "LL402", "LL403", "LL101"] {
        assert!(h.contains(code), "no {code} in\n{h}");
    }
    // `.env` values are never read into any output.
    assert!(!h.contains("local-value") && !j.contains("local-value"));
    insta::assert_snapshot!("env_repo_human", h);
    insta::assert_snapshot!("env_repo_json", version_stable(&j));
}

/// `tests/fixtures/env/pins-wrappers`: CI installs LiteLLM with `python -m pip install` on
/// continuation lines of a `run: |` block and starts it with `nohup ... &`; compose installs
/// another version inside `sh -c` and starts it with `exec python -m litellm`. Both are
/// environments of one config, so LL403 names both pins.
#[test]
fn pins_behind_wrappers_drift() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = "tests/fixtures/env/pins-wrappers";
    let json = check_in(root, &["--output-format", "json", dir]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let drift: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "LL403")
        .collect();
    assert_eq!(drift.len(), 1, "{v:#}");
    let d = drift[0];
    assert_eq!(
        d["message"],
        format!(
            "workflow job `proxy` runs LiteLLM 1.81.0 and compose service `litellm` runs 1.95.0: `{dir}/config.yaml` behaves differently at these versions"
        )
    );
    // The primary is the CI pin on its continuation line, the label the compose pin inside
    // the `sh -c` script.
    assert_eq!(
        d["file"],
        format!("{dir}/.github/workflows/integration.yml")
    );
    assert_eq!(d["range"]["start"]["line"], 16);
    let label = &d["labels"][0];
    assert_eq!(label["file"], format!("{dir}/docker-compose.yml"));
    assert_eq!(label["range"]["start"]["line"], 10);
    assert_eq!(
        label["message"],
        "compose service `litellm` runs 1.95.0 (`litellm[proxy]==1.95.0`)"
    );
    // Each environment judges the config at its own version.
    let lines = common::diagnostic_lines(&v, |d| {
        format!(
            "{} {}",
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        )
    });
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("LL101 with LiteLLM 1.81.0")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("LL102 with LiteLLM 1.95.0")),
        "{lines:#?}"
    );
    let human = check_in(root, &[dir]);
    assert_eq!(human.status.code(), Some(1));
    insta::assert_snapshot!("pins_wrappers_human", stdout(&human));
}

/// Writes files into a fresh folder.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

const CONFIG: &str = "model_list:\n  - model_name: flash\n    litellm_params: {model: gemini/gemini-2.5-flash, api_key: os.environ/GEMINI_API_KEY}\n  - model_name: backup\n    litellm_params: {model: openai/gpt-4.1-mini, api_key: os.environ/OPENAI_API_KEY}\nrouter_settings:\n  fallbacks:\n    - flash: [\"backup\"]\n";

#[test]
fn gitlab_jobs_are_environments_with_open_variables() {
    let tmp = repo(&[
        ("config.yaml", CONFIG),
        (
            ".gitlab-ci.yml",
            "stages: [test]\nvariables:\n  OPENAI_API_KEY: $OPENAI_API_KEY\ntest:\n  stage: test\n  image: python:3.12\n  script:\n    - pip install 'litellm[proxy]==1.81.0'\n    - litellm --config config.yaml &\n  services:\n    - name: ghcr.io/berriai/litellm:main-latest\n      alias: proxy\n",
        ),
    ]);
    let out = stdout(&check_in(tmp.path(), &["--output-format", "concise", "."]));
    // The job's pip pin judges the config; the service's rolling tag is reported.
    assert!(out.contains("LL101") && out.contains("1.81.0"), "{out}");
    assert!(out.contains(".gitlab-ci.yml:11:13: LL404"), "{out}");
    // CI/CD variables may come from the project settings: no LL402.
    assert!(!out.contains("LL402"), "{out}");
}

#[test]
fn helm_chart_app_version_is_the_version() {
    let tmp = repo(&[
        (
            "chart/values.yaml",
            &format!(
                "environmentSecrets: [keys]\nimage:\n  repository: ghcr.io/berriai/litellm-database\n  tag: \"\"\nproxy_config:\n{}",
                CONFIG
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            ),
        ),
        (
            "chart/Chart.yaml",
            "apiVersion: v2\nname: litellm\nversion: 0.1.0\nappVersion: v1.81.0\n",
        ),
    ]);
    let out = stdout(&check_in(tmp.path(), &["--output-format", "concise", "."]));
    assert!(out.contains("LL101 [error] with LiteLLM 1.81.0"), "{out}");
    assert!(!out.contains("LL404") && !out.contains("LL402"), "{out}");
}

#[test]
fn helm_image_as_one_string_is_the_version() {
    // `image: repo:tag` instead of `repository`/`tag`: the tag, not the chart's appVersion.
    let tmp = repo(&[
        (
            "chart/values.yaml",
            &format!(
                "environmentSecrets: [keys]\nimage: ghcr.io/berriai/litellm:v1.81.0\nproxy_config:\n{}",
                CONFIG
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            ),
        ),
        (
            "chart/Chart.yaml",
            "apiVersion: v2\nname: litellm\nversion: 0.1.0\nappVersion: v1.95.0\n",
        ),
    ]);
    let out = stdout(&check_in(tmp.path(), &["--output-format", "concise", "."]));
    assert!(out.contains("LL101 [error] with LiteLLM 1.81.0"), "{out}");
    assert!(!out.contains("1.95.0"), "{out}");
}

#[test]
fn compose_up_in_ci_takes_variables_from_the_job() {
    let tmp = repo(&[
        ("config.yaml", CONFIG),
        (
            "docker-compose.yml",
            "services:\n  proxy:\n    image: ghcr.io/berriai/litellm:main-v1.95.0-stable\n    volumes: [\"./config.yaml:/app/config.yaml\"]\n    command: [\"--config\", \"/app/config.yaml\"]\n    environment:\n      GEMINI_API_KEY: ${GEMINI_API_KEY}\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n",
        ),
        (
            ".github/workflows/e2e.yml",
            "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    env:\n      GEMINI_API_KEY: ${{ secrets.GEMINI_API_KEY }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker compose up -d\n",
        ),
    ]);
    let out = stdout(&check_in(tmp.path(), &["--output-format", "concise", "."]));
    assert!(
        out.contains("`${OPENAI_API_KEY}` in workflow job `e2e` (via compose service `proxy`) is not set by the job's variables"),
        "{out}"
    );
    assert!(!out.contains("${GEMINI_API_KEY}"), "{out}");
}

#[test]
fn compose_build_follows_the_dockerfile() {
    let tmp = repo(&[
        (
            "proxy/config.yaml",
            "include: [models.yaml]\nrouter_settings:\n  num_retries: 3\n",
        ),
        (
            "proxy/models.yaml",
            "model_list:\n  - model_name: gpt\n    litellm_params: {model: openai/gpt-4.1, api_key: os.environ/OPENAI_API_KEY}\n",
        ),
        (
            "Dockerfile",
            "FROM ghcr.io/berriai/litellm:main-v1.81.0-stable\nENV OPENAI_API_KEY=\"\"\nCOPY proxy/config.yaml /app/config.yaml\nCMD [\"--config\", \"/app/config.yaml\"]\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  litellm:\n    build: .\n    ports: [\"4000:4000\"]\n",
        ),
    ]);
    let out = stdout(&check_in(tmp.path(), &["."]));
    assert!(out.contains("error[LL405]"), "{out}");
    assert!(
        out.contains("COPY proxy/config.yaml /app/config.yaml"),
        "{out}"
    );
    assert!(out.contains("compose service `litellm`"), "{out}");
    // ENV in the Dockerfile provides the variable: no LL402.
    assert!(!out.contains("LL402"), "{out}");
}

#[test]
fn env_file_describes_an_environment() {
    let tmp = repo(&[
        ("config.yaml", CONFIG),
        ("prod.env", "# production\nGEMINI_API_KEY=x\n"),
    ]);
    let out = stdout(&check_in(
        tmp.path(),
        &[
            "--output-format",
            "concise",
            "--env-file",
            "prod.env",
            "config.yaml",
        ],
    ));
    assert!(
        out.contains("LL402 [warning] `OPENAI_API_KEY` is not set in environment `prod.env`"),
        "{out}"
    );
    assert!(!out.contains("`GEMINI_API_KEY` is not set"), "{out}");
    let missing = check_in(tmp.path(), &["--env-file", "nope.env", "config.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn env_spec_from_toml() {
    let t: toml::Table = toml::from_str(
        "kind = \"ci\"\nconfigs = [\"proxy/config.yaml\"]\nlitellm-version = \"1.81.0\"\nprovides = [\"OPENAI_API_KEY\"]\n",
    )
    .unwrap();
    let spec =
        litellm_lint::env::EnvSpec::from_toml("ci", &t, Path::new("/repo/litellm-lint.toml"))
            .unwrap();
    assert_eq!(spec.kind, Some(litellm_lint::env::EnvKind::Ci));
    assert_eq!(
        spec.configs,
        vec![std::path::PathBuf::from("proxy/config.yaml")]
    );
    assert_eq!(spec.base, Path::new("/repo"));
    let bad: toml::Table = toml::from_str("kind = \"prod\"\n").unwrap();
    assert!(litellm_lint::env::EnvSpec::from_toml("x", &bad, Path::new("a.toml")).is_err());
}
