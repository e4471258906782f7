//! docker-compose files: every service that runs the LiteLLM proxy (the LiteLLM image, an image
//! built from a Dockerfile that is or installs LiteLLM, or a `litellm` command) is an
//! environment. Its config is the `--config` (or `CONFIG_FILE_PATH`) path mapped back to the
//! host through the service's volumes, `configs:` and the Dockerfile's `COPY`s; its variables are
//! `environment:` (list or map), `env_file:` and the Dockerfile's `ENV`; its `${NAME}`
//! substitutions come from the `.env` next to the compose file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::shell::{self, Word};
use super::{
    ConfigUse, EnvKind, Environment, Host, ImageUse, Interp, Mount, Pin, Provides,
    expand_path_vars, is_host_path, normalize, parse_image, split_volume,
};
use crate::source::{FileId, Span};
use crate::yaml::{Node, Value};

/// The environments of a compose file found on its own: kind `local` (`deploy` when the file
/// name says prod, production, staging or deploy), `${NAME}` taken from the `.env` next to it.
pub fn environments(
    host: &mut Host,
    file: FileId,
    root: &Node,
    envs: &mut Vec<Environment>,
    built: &mut HashSet<PathBuf>,
) {
    let path = host.sources().get(file).path.clone();
    let dir = folder(&path);
    let lower = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let kind = if ["prod", "staging", "deploy"]
        .iter()
        .any(|w| lower.contains(w))
    {
        EnvKind::Deploy
    } else {
        EnvKind::Local
    };
    let source = host
        .env_file_or_template(&dir.join(".env"))
        .map(|(p, _, names)| {
            let mut pr = Provides::default();
            for (n, s) in names {
                pr.add(&n, s);
            }
            (format!("`{}`", crate::check::display_path(&p)), pr)
        });
    for mut e in services(host, file, root, built) {
        e.kind = kind;
        e.interpolation_source.clone_from(&source);
        envs.push(e);
    }
}

/// The folder a file is in (`.` for a bare name).
pub fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Located words of a `command:`/`entrypoint:` value (a string is split like a shell would).
fn command_words(host: &Host, node: &Node) -> Vec<Vec<Word>> {
    let cmds = match &node.value {
        Value::Str(s) => shell::commands(host.sources(), node, s),
        Value::Seq(items) => vec![
            items
                .iter()
                .filter_map(|i| {
                    let text = match &i.value {
                        Value::Str(s) => s.clone(),
                        Value::Int(n) => n.to_string(),
                        _ => return None,
                    };
                    // The value without quotes, when the item is quoted.
                    let raw = host.sources().get(i.span.file).slice(i.span);
                    let span = match raw.find(&text) {
                        Some(k) if !text.is_empty() => {
                            Span::new(i.span.file, i.span.start + k, i.span.start + k + text.len())
                        }
                        _ => i.span,
                    };
                    Some(Word { text, span })
                })
                .collect(),
        ],
        _ => vec![],
    };
    cmds.iter().flat_map(|c| shell::expand_sh_c(c)).collect()
}

/// `--config X` / `-c X` / `--config=X` in commands that run the proxy (also behind wrappers:
/// `nohup`, `timeout 30`, `python -m litellm`, see [`shell::invocation`]). `args_only`: the
/// words are arguments of the image's `litellm` entrypoint.
pub fn config_arg(cmds: &[Vec<Word>], args_only: bool) -> Option<(String, Span)> {
    for c in cmds {
        let inv = shell::invocation(c);
        if inv.program == "litellm" {
            if let Some((v, s, _)) = shell::option_value(inv.args(c), &["--config", "-c"]) {
                return Some((v, s));
            }
        } else if args_only && let Some((v, s, _)) = shell::option_value(c, &["--config", "-c"]) {
            return Some((v, s));
        }
    }
    None
}

/// `--num_workers N` of a proxy command: the number of worker processes.
pub fn workers_arg(cmds: &[Vec<Word>]) -> Option<(u64, Span)> {
    cmds.iter().find_map(|c| {
        let (v, s, _) = shell::option_value(c, &["--num_workers"])?;
        Some((v.parse().ok()?, s))
    })
}

/// Whether the commands start the proxy (`litellm ...`).
pub fn runs_litellm(cmds: &[Vec<Word>]) -> bool {
    cmds.iter()
        .any(|c| shell::invocation(c).program == "litellm")
}

/// The first `pip install litellm==X` (or similar: `uv add`, `poetry add litellm@X`, `pipx
/// install`, also behind wrappers) in commands, or the package a tool runner runs
/// (`uvx --from 'litellm[proxy]==X' litellm`).
pub fn pip_pin(cmds: &[Vec<Word>]) -> Option<Pin> {
    for c in cmds {
        if let Some(p) = shell::invocation(c).spec.and_then(pin_in_word) {
            return Some(p);
        }
        if !c.iter().any(|w| w.text == "install" || w.text == "add") {
            continue;
        }
        for w in c {
            if let Some(p) = pin_in_word(w) {
                return Some(p);
            }
        }
    }
    None
}

/// `litellm==1.81.0`, `litellm[proxy]==1.81.0`.
pub fn pin_in_word(w: &Word) -> Option<Pin> {
    let pins = crate::detect::pins_in(Path::new("requirements.txt"), &w.text);
    let p = pins.first()?;
    Some(Pin {
        version: p.version,
        raw: w.text.clone(),
        span: w.span,
    })
}

/// Names in an `environment:` value (map or `NAME=value` list).
pub fn environment_names(node: &Node, provides: &mut Provides) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries.iter() {
                provides.add(&e.key.key_string(), e.key.span);
            }
        }
        Value::Seq(items) => {
            for i in items.iter() {
                if let Some(s) = i.as_str() {
                    let name = s.split('=').next().unwrap_or("").trim();
                    if shell::is_var_name(name) {
                        provides.add(name, i.span);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The port the proxy listens on inside the container: `--port N` of its command, else 4000
/// (the `litellm` CLI's default).
fn proxy_port(cmds: &[Vec<Word>]) -> u16 {
    cmds.iter()
        .find_map(|c| shell::option_value(c, &["--port"]).and_then(|(v, _, _)| v.parse().ok()))
        .unwrap_or(4000)
}

/// Where a compose service's proxy answers: its name (and `container_name`) at the container
/// port, and `localhost` at every port published for it.
fn addresses(name: &str, svc: &Node, command: &[Vec<Word>]) -> Vec<(String, u16)> {
    let port = proxy_port(command);
    let mut out = vec![(name.to_ascii_lowercase(), port)];
    if let Some(c) = svc.get("container_name").and_then(Node::as_str) {
        out.push((c.to_ascii_lowercase(), port));
    }
    for p in svc.get("ports").and_then(Node::as_seq).unwrap_or_default() {
        // "8080:4000", "127.0.0.1:8080:4000", "4000", "8080:4000/tcp", or a long-form mapping.
        let (published, target) = match p.as_str() {
            Some(s) => {
                let s = s.split('/').next().unwrap_or(s);
                let parts: Vec<&str> = s.rsplitn(3, ':').collect();
                (
                    parts.get(1).copied().unwrap_or(parts[0]).to_string(),
                    parts[0].to_string(),
                )
            }
            None => (
                p.get("published").map(Node::key_string).unwrap_or_default(),
                p.get("target").map(Node::key_string).unwrap_or_default(),
            ),
        };
        if target.trim().parse::<u16>().ok() == Some(port)
            && let Ok(published) = published.trim().parse::<u16>()
        {
            out.push(("localhost".into(), published));
        }
    }
    out
}

/// URL-valued `environment:` entries of every service of a compose file (`NAME`, value).
pub fn url_values(root: &Node, out: &mut Vec<(String, String)>) {
    let Some(services) = root.get("services").and_then(Node::as_map) else {
        return;
    };
    for entry in services.iter() {
        let Some(env) = entry.value.get("environment") else {
            continue;
        };
        out.extend(
            environment_pairs(env)
                .into_iter()
                .filter_map(|(n, v, _)| v.filter(|v| v.contains("://")).map(|v| (n, v))),
        );
    }
}

/// The `NAME: value` / `NAME=value` entries of an `environment:` value, in order: the name,
/// the value when it is text, and the span of the value (of the whole item in a list).
fn environment_pairs(node: &Node) -> Vec<(String, Option<String>, Span)> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|e| {
                (
                    e.key.key_string(),
                    e.value.as_str().map(str::to_string),
                    e.value.span,
                )
            })
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let (n, v) = i.as_str()?.split_once('=')?;
                Some((n.trim().to_string(), Some(v.trim().to_string()), i.span))
            })
            .collect(),
        _ => vec![],
    }
}

/// The value of `NAME` in an `environment:` value, with its span.
pub fn environment_value(node: &Node, name: &str) -> Option<(String, Span)> {
    let (_, value, span) = environment_pairs(node)
        .into_iter()
        .find(|(n, _, _)| n == name)?;
    Some((value?, span))
}

/// `${NAME}` / `$NAME` substitutions without a default in the strings under `node`.
pub fn interpolations(host: &Host, node: &Node, out: &mut Vec<Interp>) {
    let mut budget = crate::yaml::WALK_BUDGET;
    node.walk(&mut budget, &mut |n| {
        if !matches!(n.value, Value::Str(_)) {
            return;
        }
        let raw = host.sources().get(n.span.file).slice(n.span);
        let b = raw.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                i += 1;
                continue;
            }
            if b.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            let (name, end, needed) = if b.get(i + 1) == Some(&b'{') {
                let Some(close) = raw[i..].find('}') else {
                    break;
                };
                let inner = &raw[i + 2..i + close];
                let name_len = inner
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(inner.len());
                let op = &inner[name_len..];
                let needed = op.is_empty() || op.starts_with(":?") || op.starts_with('?');
                (&inner[..name_len], i + close + 1, needed)
            } else {
                let rest = &raw[i + 1..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                (&rest[..len], i + 1 + len, true)
            };
            // Variables every shell has.
            let ambient = matches!(
                name,
                "HOME" | "USER" | "PWD" | "PATH" | "SHELL" | "LOGNAME" | "UID" | "GID" | "HOSTNAME"
            );
            if needed && !ambient && shell::is_var_name(name) && !out.iter().any(|x| x.name == name)
            {
                out.push(Interp {
                    name: name.to_string(),
                    span: Span::new(n.span.file, n.span.start + i, n.span.start + end),
                });
            }
            i = end.max(i + 1);
        }
    });
}

/// The LiteLLM-running services of a compose file, as environments (kind `local`, no
/// interpolation source: the caller decides both).
pub fn services(
    host: &mut Host,
    file: FileId,
    root: &Node,
    built: &mut HashSet<PathBuf>,
) -> Vec<Environment> {
    let path = host.sources().get(file).path.clone();
    let dir = folder(&path);
    let display = crate::check::display_path(&path);
    let mut out = Vec::new();
    let Some(services) = root.get("services").and_then(Node::as_map) else {
        return out;
    };
    let top_configs = root.get("configs");
    for entry in services.iter() {
        let svc = &entry.value;
        if svc.as_map().is_none() {
            continue;
        }
        let name = entry.key.key_string();
        let image = svc.get("image").and_then(|n| {
            let (repo, tag, digest, variable) = parse_image(n.as_str()?)?;
            Some(ImageUse {
                repository: repo,
                tag,
                digest,
                variable,
                chart_default: false,
                span: n.span,
            })
        });
        // `build:` — the Dockerfile it builds.
        let docker = svc.get("build").and_then(|b| {
            let (ctx, df) = match &b.value {
                Value::Str(s) => (s.clone(), None),
                Value::Map(_) => (
                    b.get("context")
                        .and_then(Node::as_str)
                        .unwrap_or(".")
                        .to_string(),
                    b.get("dockerfile")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                ),
                _ => return None,
            };
            let ctx_dir = normalize(&dir.join(expand_path_vars(&ctx)?));
            let df_path = normalize(&ctx_dir.join(df.as_deref().unwrap_or("Dockerfile")));
            let info = super::dockerfile::parse(host, &df_path, &ctx_dir)?;
            built.insert(df_path.canonicalize().unwrap_or(df_path));
            Some(info)
        });
        let command = svc
            .get("command")
            .map(|n| command_words(host, n))
            .unwrap_or_default();
        let entrypoint = svc
            .get("entrypoint")
            .map(|n| command_words(host, n))
            .unwrap_or_default();
        let litellm_image = image.is_some() || docker.as_ref().is_some_and(|d| d.image.is_some());
        let runs = runs_litellm(&command)
            || runs_litellm(&entrypoint)
            || docker.as_ref().is_some_and(|d| d.runs_litellm);
        if !litellm_image && !runs {
            continue;
        }
        let mut e = Environment::new(
            format!("{display}#{name}"),
            format!("compose service `{name}`"),
            EnvKind::Local,
            entry.key.span,
        );
        e.container = true;
        e.body = Some(svc.span);
        // Several proxy processes: compose replicas, or uvicorn workers.
        if let Some(r) = svc.get("deploy").and_then(|d| d.get("replicas"))
            && let Some(n) = r.as_i64().filter(|n| *n > 1)
        {
            e.replicas = Some((n as u64, r.span, format!("`deploy.replicas: {n}`")));
        } else if let Some((n, span)) = workers_arg(&command).filter(|(n, _)| *n > 1) {
            e.replicas = Some((n, span, format!("`--num_workers {n}`")));
        }
        e.workdir = Some(
            docker
                .as_ref()
                .and_then(|d| d.workdir.clone())
                .unwrap_or_else(|| "/app".into()),
        );
        if let Some(d) = &docker {
            e.mounts.extend(d.copies.iter().cloned());
            for (n, s) in &d.env {
                e.provides.add(n, *s);
            }
            if let Some(i) = &d.image {
                e.images.push(i.clone());
            }
        }
        if let Some(i) = &image {
            e.images.push(i.clone());
        }
        // Volumes and `configs:`.
        if let Some(vols) = svc.get("volumes").and_then(Node::as_seq) {
            for v in vols {
                let (src, target) = match &v.value {
                    Value::Str(s) => match split_volume(s) {
                        Some(x) => x,
                        None => continue,
                    },
                    Value::Map(_) => {
                        let t = v.get("type").and_then(Node::as_str).unwrap_or("volume");
                        let (Some(src), Some(target)) = (
                            v.get("source").and_then(Node::as_str),
                            v.get("target").and_then(Node::as_str),
                        ) else {
                            continue;
                        };
                        if t != "bind" {
                            continue;
                        }
                        (src.to_string(), target.to_string())
                    }
                    _ => continue,
                };
                if !is_host_path(&src) {
                    continue;
                }
                let Some(src) = expand_path_vars(&src) else {
                    continue;
                };
                let host_path = normalize(&dir.join(&src));
                e.mounts.push(Mount {
                    dir: host_path.is_dir(),
                    host: Some(host_path),
                    target,
                    span: v.span,
                    how: "volume",
                });
            }
        }
        if let Some(cfgs) = svc.get("configs").and_then(Node::as_seq) {
            for c in cfgs {
                let (src, target) = match &c.value {
                    Value::Str(s) => (s.clone(), format!("/{s}")),
                    Value::Map(_) => {
                        let Some(src) = c.get("source").and_then(Node::as_str) else {
                            continue;
                        };
                        let target = c
                            .get("target")
                            .and_then(Node::as_str)
                            .map_or_else(|| format!("/{src}"), str::to_string);
                        (src.to_string(), target)
                    }
                    _ => continue,
                };
                let Some(f) = top_configs
                    .and_then(|t| t.get(&src))
                    .and_then(|d| d.get("file"))
                    .and_then(Node::as_str)
                else {
                    continue;
                };
                e.mounts.push(Mount {
                    host: Some(normalize(&dir.join(f))),
                    target,
                    dir: false,
                    span: c.span,
                    how: "config",
                });
            }
        }
        e.addresses = addresses(&name, svc, &command);
        // Variables.
        let environment = svc.get("environment");
        if let Some(env_node) = environment {
            environment_names(env_node, &mut e.provides);
        }
        if let Some(ef) = svc.get("env_file") {
            let items: Vec<&Node> = match &ef.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![ef],
            };
            for item in items {
                let (p, required) = match &item.value {
                    Value::Str(s) => (s.clone(), true),
                    Value::Map(_) => (
                        item.get("path")
                            .and_then(Node::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        item.get("required").and_then(Node::as_bool).unwrap_or(true),
                    ),
                    _ => continue,
                };
                let Some(p) = expand_path_vars(&p) else {
                    e.provides
                        .open(format!("`env_file: {p}` is named through a variable"));
                    continue;
                };
                match host.env_file_or_template(&normalize(&dir.join(&p))) {
                    Some((_, _, names)) => {
                        for (n, s) in names {
                            e.provides.add(&n, s);
                        }
                    }
                    None if required => e.provides.open(format!(
                        "`env_file: {p}` is not in the repository (nor a template of it), so what it sets is unknown"
                    )),
                    None => {}
                }
            }
        }
        // The config: `--config` in the command (or the Dockerfile's), else CONFIG_FILE_PATH.
        // `command:` is the arguments of the entrypoint: the image's (`litellm` in LiteLLM's
        // images, or a Dockerfile's exec-form `ENTRYPOINT ["litellm"]`) or the service's own.
        let command_is_args = if entrypoint.is_empty() {
            litellm_image || docker.as_ref().is_some_and(|d| runs_litellm(&d.entrypoint))
        } else {
            runs_litellm(&entrypoint)
        };
        let cfg_arg = config_arg(&command, command_is_args)
            .or_else(|| config_arg(&entrypoint, false))
            .or_else(|| {
                let d = docker.as_ref()?;
                if command.is_empty() {
                    config_arg(&d.cmd, d.cmd_is_args())
                } else {
                    None
                }
                .or_else(|| config_arg(&d.entrypoint, false))
            })
            .or_else(|| environment.and_then(|n| environment_value(n, "CONFIG_FILE_PATH")));
        match cfg_arg {
            Some((cpath, span)) => {
                e.use_container_config(cpath, span);
            }
            None => {
                // No `--config`: a mounted file that is a LiteLLM config is what the user means.
                let mut found = Vec::new();
                for m in &e.mounts {
                    if m.dir || m.how == "COPY" {
                        continue;
                    }
                    let Some(hp) = &m.host else { continue };
                    if !matches!(
                        hp.extension().and_then(|x| x.to_str()),
                        Some("yaml" | "yml")
                    ) {
                        continue;
                    }
                    if let Some((_, Some(r))) = host.yaml(hp)
                        && crate::config::looks_like_config(&r)
                    {
                        found.push(ConfigUse {
                            path: hp.clone(),
                            span: m.span,
                            container_path: Some(m.target.clone()),
                            file: None,
                        });
                    }
                }
                if found.len() == 1 {
                    e.configs = found;
                }
            }
        }
        // Version: the image tag, else what the Dockerfile or the command installs.
        e.version = image
            .as_ref()
            .map(|i| Pin {
                version: i.tag.as_deref().and_then(super::tag_version),
                raw: i.tag.clone().unwrap_or_else(|| "latest".into()),
                span: i.span,
            })
            .or_else(|| docker.as_ref().and_then(|d| d.pin.clone()))
            .or_else(|| pip_pin(&command))
            .or_else(|| pip_pin(&entrypoint));
        interpolations(host, svc, &mut e.interpolation);
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Version;

    fn cmds(script: &str) -> Vec<Vec<Word>> {
        shell::split(script)
            .into_iter()
            .map(|c| {
                c.into_iter()
                    .map(|text| Word {
                        text,
                        span: Span::new(FileId(0), 0, 0),
                    })
                    .collect()
            })
            .flat_map(|c: Vec<Word>| shell::expand_sh_c(&c))
            .collect()
    }

    #[test]
    fn install_pins_behind_wrappers() {
        for script in [
            "pip install litellm==1.81.0",
            "pip3 install -q --upgrade litellm==1.81.0 openai",
            "python -m pip install \"litellm[proxy]==1.81.0\"",
            "python3 -m pip install -U 'litellm==1.81.0'",
            "sudo -E pip install --no-cache-dir litellm==1.81.0",
            "uv pip install litellm==1.81.0",
            "uv add litellm==1.81.0",
            "pipx install 'litellm[proxy]==1.81.0'",
            "poetry add litellm@1.81.0",
            "poetry add litellm==1.81.0",
            "apt-get update && pip install \\\n  --upgrade \\\n  'litellm[proxy]==1.81.0'",
            "sh -c \"pip install litellm==1.81.0 && litellm --config c.yaml\"",
            "uvx --from 'litellm[proxy]==1.81.0' litellm --config c.yaml",
        ] {
            let pin = pip_pin(&cmds(script));
            assert_eq!(
                pin.and_then(|p| p.version),
                Some(Version(1, 81, 0)),
                "{script}"
            );
        }
        assert!(pip_pin(&cmds("poetry add litellm@^1.81.0")).is_none());
        assert!(pip_pin(&cmds("pip download litellm==1.81.0")).is_none());
    }

    #[test]
    fn proxy_starts_behind_wrappers() {
        for script in [
            "nohup litellm --config c.yaml &",
            "timeout 30 litellm --config c.yaml",
            "env X=1 litellm --config=c.yaml",
            "cd /app && exec python -m litellm --config c.yaml",
            "python3 -m litellm.proxy.proxy_cli --config c.yaml --port 4000",
            "poetry run litellm -c c.yaml",
        ] {
            let c = cmds(script);
            assert!(runs_litellm(&c), "{script}");
            assert_eq!(
                config_arg(&c, false).map(|(p, _)| p).as_deref(),
                Some("c.yaml"),
                "{script}"
            );
        }
        let other = cmds("python app.py --config c.yaml\necho litellm --config c.yaml");
        assert!(!runs_litellm(&other));
        assert_eq!(config_arg(&other, false), None);
    }
}
