//! CI jobs that start the proxy: GitHub Actions workflows and GitLab CI.
//!
//! A job is an environment when one of its scripts runs `litellm --config X`, `docker run` of a
//! LiteLLM image, or `docker compose up` of a compose file with a LiteLLM service, or when it has
//! a LiteLLM service container. The LiteLLM version comes from the image tag or from
//! `pip install litellm==X` (also `-r requirements.txt`, `uv sync`, `poetry install`) earlier in
//! the job. GitHub variables are `env:` at workflow, job and step level, `$GITHUB_ENV` writes of
//! earlier steps, and `export`s; GitLab jobs may also get variables from the project's CI/CD
//! settings, so what they provide is open.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::shell::{self, Word};
use super::{
    ConfigUse, EnvKind, Environment, Host, ImageUse, Mount, Pin, Provides, expand_path_vars,
    normalize, parse_image, split_volume,
};
use crate::source::{FileId, Span};
use crate::yaml::{Node, Value};

/// `env:` / `variables:` mapping names (values such as `${{ secrets.X }}` provide them too).
fn env_map(node: Option<&Node>, provides: &mut Provides) {
    if let Some(m) = node.and_then(Node::as_map) {
        for e in m {
            provides.add(&e.key.key_string(), e.key.span);
        }
    }
}

/// Actions that load variables from somewhere the workflow does not show.
fn loads_env(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    [
        "dotenv",
        "env",
        "secret",
        "vault",
        "1password",
        "doppler",
        "infisical",
        "ssm",
    ]
    .iter()
    .any(|w| a.contains(w))
}

/// One job being read.
struct Job {
    id_base: String,
    /// "workflow job `test`" / "GitLab job `test`".
    label: String,
    span: Span,
    /// Variables of the whole job so far (workflow + job + earlier `$GITHUB_ENV` writes).
    provides: Provides,
    /// The version installed so far.
    pin: Option<Pin>,
    /// The LiteLLM image the job's scripts run in (GitHub `container:`, GitLab `image:`).
    image: Option<ImageUse>,
    /// GitLab: variables may come from the project's settings.
    open: Option<String>,
    count: usize,
}

impl Job {
    fn new_env(&mut self, suffix: &str, what: &str, span: Span) -> Environment {
        self.count += 1;
        let id = if self.count == 1 {
            format!("{}{suffix}", self.id_base)
        } else {
            format!("{}{suffix}#{}", self.id_base, self.count)
        };
        let mut e = Environment::new(id, format!("{}{what}", self.label), EnvKind::Ci, span);
        e.version.clone_from(&self.pin);
        if let Some(o) = &self.open {
            e.provides.open(o.clone());
        }
        e
    }

    /// Reads the commands of one script (a step's `run:`, a GitLab script line) run in
    /// `workdir` with `step` variables on top of the job's.
    fn script(
        &mut self,
        host: &mut Host,
        cmds: Vec<Vec<Word>>,
        workdir: &Path,
        step: &Provides,
        envs: &mut Vec<Environment>,
    ) {
        let mut local = self.provides.clone();
        local.extend(step);
        let cmds: Vec<Vec<Word>> = cmds.iter().flat_map(|c| shell::expand_sh_c(c)).collect();
        for c in &cmds {
            let inv = shell::invocation(c);
            let start = inv.start;
            let mut here = local.clone();
            for a in &inv.assigned {
                if let Some((n, _)) = a.text.split_once('=') {
                    here.add(n, shell::Locator::part(a, n));
                }
            }
            if start >= c.len() {
                // Bare assignments set shell variables for later commands.
                local.extend(&here);
                continue;
            }
            let args = inv.args(c);
            let p = inv.program;
            // `$GITHUB_ENV` writes: later steps see the variable.
            if c.iter().any(|w| w.text.contains("GITHUB_ENV")) {
                for w in c {
                    if let Some((n, _)) = w.text.split_once('=')
                        && shell::is_var_name(n)
                    {
                        self.provides.add(n, shell::Locator::part(w, n));
                    }
                }
            }
            match p {
                "export" => {
                    for w in args {
                        let n = w.text.split('=').next().unwrap_or("");
                        if shell::is_var_name(n) {
                            local.add(n, shell::Locator::part(w, n));
                        }
                    }
                }
                "pip" | "pip3" | "uv" | "poetry" | "pipx" | "pdm" | "pipenv" => {
                    self.install(host, c, p, workdir);
                }
                "litellm" => {
                    if let Some((cpath, span)) =
                        shell::option_value(args, &["--config", "-c"]).map(|(v, s, _)| (v, s))
                    {
                        let mut e = self.new_env("", "", self.span);
                        e.images.extend(self.image.clone());
                        // `uvx --from 'litellm[proxy]==X' litellm`: the version it runs.
                        if let Some(p) = inv.spec.and_then(super::compose::pin_in_word) {
                            e.version = Some(p);
                        }
                        e.provides = here.clone();
                        if let Some(o) = &self.open {
                            e.provides.open(o.clone());
                        }
                        if let Some(hp) = expand_path_vars(&cpath) {
                            e.configs.push(ConfigUse {
                                path: normalize(&workdir.join(hp)),
                                span,
                                container_path: None,
                                file: None,
                            });
                        }
                        envs.push(e);
                    }
                }
                "docker" | "docker-compose" | "podman" => {
                    let sub: Vec<&Word> = if p == "docker-compose" {
                        c[start..].iter().collect()
                    } else {
                        args.iter().collect()
                    };
                    match sub.first().map(|w| w.text.as_str()) {
                        Some("run") => self.docker_run(host, &sub[1..], workdir, &here, envs),
                        Some("compose") | Some("docker-compose") => {
                            self.compose_up(host, &sub[1..], workdir, &here, envs)
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// The job's scripts run in this image (`container:`, GitLab's `image:`): when it is
    /// LiteLLM's, its tag is the version they run until a script installs another.
    fn run_in(&mut self, node: Option<&Node>) {
        let Some(n) = node else { return };
        let img = match &n.value {
            Value::Str(_) => n,
            Value::Map(_) => match n.get("image").or_else(|| n.get("name")) {
                Some(i) => i,
                None => return,
            },
            _ => return,
        };
        let Some((repository, tag, digest, variable)) = img.as_str().and_then(parse_image) else {
            return;
        };
        self.pin = Some(Pin {
            version: tag.as_deref().and_then(super::tag_version),
            raw: tag.clone().unwrap_or_else(|| "latest".into()),
            span: img.span,
        });
        self.image = Some(ImageUse {
            repository,
            tag,
            digest,
            variable,
            chart_default: false,
            span: img.span,
        });
    }

    /// `pip install litellm==X`, `-r requirements.txt`, `uv sync`, `poetry install`.
    fn install(&mut self, host: &mut Host, c: &[Word], program: &str, workdir: &Path) {
        if let Some(p) = super::compose::pip_pin(std::slice::from_ref(&c.to_vec())) {
            self.pin = Some(p);
            return;
        }
        let is_install = c.iter().any(|w| w.text == "install" || w.text == "sync");
        if !is_install {
            return;
        }
        let mut files: Vec<(PathBuf, Span)> = Vec::new();
        let mut i = 0;
        while i < c.len() {
            let w = &c[i];
            if (w.text == "-r" || w.text == "--requirement" || w.text == "-c")
                && let Some(f) = c.get(i + 1)
            {
                files.push((workdir.join(&f.text), f.span));
                i += 2;
                continue;
            }
            i += 1;
        }
        // A project install: the lock file's pin (`poetry install` and `pipenv install` install
        // the project's locked dependencies).
        if matches!(program, "poetry" | "pipenv" | "pdm")
            || c.iter()
                .any(|w| w.text == "sync" || w.text == "." || w.text == "-e")
        {
            for f in ["uv.lock", "poetry.lock", "Pipfile.lock", "pyproject.toml"] {
                files.push((workdir.join(f), c[0].span));
            }
        }
        for (f, _) in files {
            let Ok(text) = crate::source::read_bounded(&f) else {
                continue;
            };
            let Some(pin) = crate::detect::pins_in(&f, &text).into_iter().next() else {
                continue;
            };
            let Some(id) = host.text(&f) else { continue };
            let src = host.sources().get(id);
            let line = pin.line.saturating_sub(1);
            let start = src.line_start(line);
            let span = Span::new(id, start, start + src.line_text(line).len());
            self.pin = Some(Pin {
                version: pin.version,
                raw: pin.raw,
                span,
            });
            return;
        }
    }

    /// `docker run [options] IMAGE [args]` of a LiteLLM image.
    fn docker_run(
        &mut self,
        host: &mut Host,
        a: &[&Word],
        workdir: &Path,
        step: &Provides,
        envs: &mut Vec<Environment>,
    ) {
        const WITH_VALUE: &[&str] = &[
            "-v",
            "--volume",
            "-e",
            "--env",
            "--env-file",
            "-p",
            "--publish",
            "--name",
            "--network",
            "--net",
            "-w",
            "--workdir",
            "-u",
            "--user",
            "--entrypoint",
            "--mount",
            "-l",
            "--label",
            "--add-host",
            "--restart",
            "--platform",
            "-h",
            "--hostname",
            "--pull",
            "--memory",
            "-m",
            "--cpus",
            "--gpus",
            "--shm-size",
        ];
        let mut i = 0;
        let mut volumes: Vec<&Word> = Vec::new();
        let mut env_opts: Vec<&Word> = Vec::new();
        let mut env_files: Vec<&Word> = Vec::new();
        let mut image: Option<&Word> = None;
        while i < a.len() {
            let w = a[i];
            let t = w.text.as_str();
            if t.starts_with('-') {
                let (name, inline) = match t.split_once('=') {
                    Some((n, v)) if n.starts_with("--") => (n, Some(v)),
                    _ => (t, None),
                };
                let value = if inline.is_some() || !WITH_VALUE.contains(&name) {
                    None
                } else {
                    i += 1;
                    a.get(i).copied()
                };
                if let Some(v) = value {
                    match name {
                        "-v" | "--volume" => volumes.push(v),
                        "-e" | "--env" => env_opts.push(v),
                        "--env-file" => env_files.push(v),
                        _ => {}
                    }
                }
                i += 1;
                continue;
            }
            image = Some(w);
            break;
        }
        let Some(img) = image else { return };
        let Some((repo, tag, digest, variable)) = parse_image(&img.text) else {
            return;
        };
        let rest: Vec<Word> = a[i + 1..].iter().map(|w| (*w).clone()).collect();
        let mut e = self.new_env("", " (`docker run`)", self.span);
        e.container = true;
        e.workdir = Some("/app".into());
        let iu = ImageUse {
            repository: repo,
            tag: tag.clone(),
            digest,
            variable,
            chart_default: false,
            span: img.span,
        };
        e.version = Some(Pin {
            version: tag.as_deref().and_then(super::tag_version),
            raw: tag.unwrap_or_else(|| "latest".into()),
            span: img.span,
        });
        e.images.push(iu);
        for v in volumes {
            mount_volume(&mut e, &v.text, workdir, v.span);
        }
        for v in env_opts {
            match v.text.split_once('=') {
                Some((n, _)) => e.provides.add(n, shell::Locator::part(v, n)),
                // `-e NAME` passes the step's variable on, when it has one.
                None => match step.names.iter().find(|(n, _)| *n == v.text) {
                    Some((_, s)) => e.provides.add(&v.text, *s),
                    None if step.open.is_some() => e.provides.add(&v.text, v.span),
                    None => e.unset_passthrough.push(v.text.clone()),
                },
            }
        }
        for f in env_files {
            match host.env_file_or_template(&normalize(&workdir.join(&f.text))) {
                Some((_, _, names)) => {
                    for (n, s) in names {
                        e.provides.add(&n, s);
                    }
                }
                None => e.provides.open(format!(
                    "`--env-file {}` is not in the repository, so what it sets is unknown",
                    f.text
                )),
            }
        }
        if let Some((cpath, span, _)) = shell::option_value(&rest, &["--config", "-c"]) {
            e.use_container_config(cpath, span);
        }
        envs.push(e);
    }

    /// `docker compose [-f FILE] up`: the LiteLLM services of that compose file, run by this
    /// job, with `${NAME}` taken from the job's variables.
    fn compose_up(
        &mut self,
        host: &mut Host,
        a: &[&Word],
        workdir: &Path,
        step: &Provides,
        envs: &mut Vec<Environment>,
    ) {
        if !a
            .iter()
            .any(|w| w.text == "up" || w.text == "run" || w.text == "start")
        {
            return;
        }
        let mut files: Vec<PathBuf> = Vec::new();
        let mut i = 0;
        while i < a.len() {
            if (a[i].text == "-f" || a[i].text == "--file")
                && let Some(f) = a.get(i + 1)
            {
                files.push(normalize(&workdir.join(&f.text)));
                i += 2;
                continue;
            }
            i += 1;
        }
        if files.is_empty() {
            for n in [
                "compose.yaml",
                "compose.yml",
                "docker-compose.yml",
                "docker-compose.yaml",
            ] {
                let p = normalize(&workdir.join(n));
                if p.is_file() {
                    files.push(p);
                    break;
                }
            }
        }
        for f in files {
            let Some((file, Some(root))) = host.yaml(&f) else {
                continue;
            };
            let mut built = HashSet::new();
            for svc in super::compose::services(host, file, &root, &mut built) {
                let mut e = self.new_env(
                    &format!("/{}", svc.id),
                    &format!(" (via {})", svc.name),
                    self.span,
                );
                let mut src = step.clone();
                if let Some(o) = &self.open {
                    src.open(o.clone());
                }
                // The compose project's `.env` is read as well.
                let dir = super::compose::folder(&f);
                if let Some((_, names)) = host.env_file(&dir.join(".env")) {
                    for (n, s) in names {
                        src.add(&n, s);
                    }
                }
                let version = svc.version.clone().or_else(|| e.version.clone());
                e = Environment {
                    id: e.id,
                    name: e.name,
                    kind: EnvKind::Ci,
                    span: e.span,
                    version,
                    interpolation_source: Some(("the job's variables".into(), src)),
                    ..svc
                };
                envs.push(e);
            }
        }
    }
}

/// The repository root of a workflow file (`.github/workflows/x.yml` → the folder above
/// `.github`), else the file's folder.
fn repo_root(path: &Path, depth: usize) -> PathBuf {
    let mut p = super::compose::folder(path);
    for _ in 0..depth {
        match p.parent() {
            Some(q) if !q.as_os_str().is_empty() => p = q.to_path_buf(),
            _ => return PathBuf::from("."),
        }
    }
    p
}

fn working_dir(root: &Path, node: Option<&Node>) -> Option<PathBuf> {
    let wd = node?.as_str()?;
    Some(normalize(&root.join(expand_path_vars(wd)?)))
}

/// GitHub Actions: `.github/workflows/*.yml`.
pub fn github(host: &mut Host, file: FileId, root: &Node, envs: &mut Vec<Environment>) {
    let path = host.sources().get(file).path.clone();
    let in_workflows = path
        .parent()
        .is_some_and(|p| p.ends_with(".github/workflows"));
    let root_dir = repo_root(&path, if in_workflows { 2 } else { 0 });
    let display = crate::check::display_path(&path);
    let mut wf_env = Provides::default();
    env_map(root.get("env"), &mut wf_env);
    let wf_wd = root
        .get("defaults")
        .and_then(|d| d.get("run"))
        .and_then(|r| r.get("working-directory"));
    let Some(jobs) = root.get("jobs").and_then(Node::as_map) else {
        return;
    };
    for j in jobs {
        let name = j.key.key_string();
        let job_node = &j.value;
        let mut job = Job {
            id_base: format!("{display}#{name}"),
            label: format!("workflow job `{name}`"),
            span: j.key.span,
            provides: wf_env.clone(),
            pin: None,
            image: None,
            open: None,
            count: 0,
        };
        env_map(job_node.get("env"), &mut job.provides);
        job.run_in(job_node.get("container"));
        let job_wd = working_dir(
            &root_dir,
            job_node
                .get("defaults")
                .and_then(|d| d.get("run"))
                .and_then(|r| r.get("working-directory"))
                .or(wf_wd),
        )
        .unwrap_or_else(|| root_dir.clone());
        // Service containers.
        if let Some(services) = job_node.get("services").and_then(Node::as_map) {
            for s in services {
                let Some(img) = s.value.get("image") else {
                    continue;
                };
                let Some(image) = img.as_str().and_then(parse_image) else {
                    continue;
                };
                let sname = s.key.key_string();
                let mut e = job.new_env(
                    &format!("/services/{sname}"),
                    &format!(" service `{sname}`"),
                    s.key.span,
                );
                e.run_image(image, img.span);
                env_map(s.value.get("env"), &mut e.provides);
                if let Some(vols) = s.value.get("volumes").and_then(Node::as_seq) {
                    for v in vols {
                        if let Some(spec) = v.as_str() {
                            mount_volume(&mut e, spec, &root_dir, v.span);
                        }
                    }
                }
                if let Some((cpath, span)) = s
                    .value
                    .get("env")
                    .and_then(|m| m.get("CONFIG_FILE_PATH"))
                    .and_then(|n| n.as_str().map(|v| (v.to_string(), n.span)))
                {
                    e.use_container_config(cpath, span);
                }
                envs.push(e);
            }
        }
        // Steps, in order.
        if let Some(steps) = job_node.get("steps").and_then(Node::as_seq) {
            for step in steps {
                if let Some(uses) = step.get("uses").and_then(Node::as_str)
                    && loads_env(uses)
                {
                    job.provides.open(format!(
                        "the step `uses: {uses}` may set variables the workflow does not show"
                    ));
                }
                let Some(run) = step.get("run") else { continue };
                let Some(script) = run.as_str() else { continue };
                let mut step_env = Provides::default();
                env_map(step.get("env"), &mut step_env);
                let wd = working_dir(&root_dir, step.get("working-directory"))
                    .unwrap_or_else(|| job_wd.clone());
                let cmds = shell::commands(host.sources(), run, script);
                job.script(host, cmds, &wd, &step_env, envs);
            }
        }
    }
}

/// Keys of `.gitlab-ci.yml` that are not jobs.
const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
];

/// GitLab CI: `.gitlab-ci.yml`.
pub fn gitlab(host: &mut Host, file: FileId, root: &Node, envs: &mut Vec<Environment>) {
    let path = host.sources().get(file).path.clone();
    let root_dir = repo_root(&path, 0);
    let display = crate::check::display_path(&path);
    let Some(map) = root.as_map() else { return };
    let mut global = Provides::default();
    env_map(root.get("variables"), &mut global);
    let default = root.get("default");
    for j in map {
        let name = j.key.key_string();
        if GITLAB_RESERVED.contains(&name.as_str()) || name.starts_with('.') {
            continue;
        }
        let job_node = &j.value;
        if job_node.get("script").is_none() {
            continue;
        }
        let mut job = Job {
            id_base: format!("{display}#{name}"),
            label: format!("GitLab job `{name}`"),
            span: j.key.span,
            provides: global.clone(),
            pin: None,
            image: None,
            open: Some(
                "GitLab CI/CD variables set in the project's settings are not in the repository"
                    .into(),
            ),
            count: 0,
        };
        env_map(job_node.get("variables"), &mut job.provides);
        job.run_in(
            job_node
                .get("image")
                .or_else(|| default.and_then(|d| d.get("image")))
                .or_else(|| root.get("image")),
        );
        // Services: a LiteLLM image with its `command`.
        let services = job_node
            .get("services")
            .or_else(|| default.and_then(|d| d.get("services")))
            .or_else(|| root.get("services"));
        if let Some(items) = services.and_then(Node::as_seq) {
            for s in items {
                let (img_node, command) = match &s.value {
                    Value::Str(_) => (s, None),
                    Value::Map(_) => match s.get("name") {
                        Some(n) => (n, s.get("command")),
                        None => continue,
                    },
                    _ => continue,
                };
                let Some(image) = img_node.as_str().and_then(parse_image) else {
                    continue;
                };
                let mut e = job.new_env("/services", " service", s.span);
                e.run_image(image, img_node.span);
                e.provides.extend(&job.provides);
                env_map(s.get("variables"), &mut e.provides);
                if let Some(cmd) = command {
                    let words: Vec<Vec<Word>> = match cmd.as_seq() {
                        Some(items) => vec![
                            items
                                .iter()
                                .filter_map(|i| {
                                    Some(Word {
                                        text: i.as_str()?.to_string(),
                                        span: i.span,
                                    })
                                })
                                .collect(),
                        ],
                        None => vec![],
                    };
                    if let Some((cpath, span)) = super::compose::config_arg(&words, true)
                        && let Some(hp) = expand_path_vars(&cpath)
                    {
                        // Services see the project folder only through `$CI_PROJECT_DIR`.
                        if cpath.contains("CI_PROJECT_DIR") {
                            e.configs.push(ConfigUse {
                                path: normalize(&PathBuf::from(hp)),
                                span,
                                container_path: Some(cpath),
                                file: None,
                            });
                        }
                    }
                }
                envs.push(e);
            }
        }
        for key in ["before_script", "script"] {
            let lines: Vec<&Node> = match job_node.get(key) {
                Some(n) => match &n.value {
                    Value::Seq(items) => items.iter().collect(),
                    Value::Str(_) => vec![n],
                    _ => vec![],
                },
                None => default
                    .and_then(|d| d.get(key))
                    .and_then(Node::as_seq)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default(),
            };
            for line in lines {
                let Some(s) = line.as_str() else { continue };
                let cmds = shell::commands(host.sources(), line, s);
                job.script(host, cmds, &root_dir, &Provides::default(), envs);
            }
        }
    }
}

/// Records a `host:container` volume whose host side is a path below `base` (variables in it
/// expanded where possible).
fn mount_volume(e: &mut Environment, spec: &str, base: &Path, span: Span) {
    let Some((src, target)) = split_volume(spec) else {
        return;
    };
    let Some(src) = expand_path_vars(&src) else {
        return;
    };
    let host = normalize(&base.join(src));
    e.mounts.push(Mount {
        dir: host.is_dir(),
        host: Some(host),
        target,
        span,
        how: "volume",
    });
}
