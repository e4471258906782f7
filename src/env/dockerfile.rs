//! Dockerfiles: the base image (`FROM`, the last stage), what `COPY`/`ADD` put into the image,
//! `ENV` names, `WORKDIR`, `RUN pip install litellm==X`, and `CMD`/`ENTRYPOINT` (`--config`).
//! Instructions are read line by line (with `\` continuations); exec forms are JSON arrays.

use std::path::Path;

use super::shell::{self, Locator, Word};
use super::{EnvKind, Environment, Host, ImageUse, Mount, Pin, normalize, parse_image};
use crate::source::{FileId, Span};

/// What one Dockerfile (its final stage) says.
#[derive(Clone, Debug, Default)]
pub struct DockerInfo {
    pub file: FileId,
    /// The base image when it is LiteLLM's.
    pub image: Option<ImageUse>,
    /// The version: the base image's tag, or `pip install litellm==X`.
    pub pin: Option<Pin>,
    /// The image runs the proxy (`litellm` base image, or a `litellm` CMD/ENTRYPOINT).
    pub runs_litellm: bool,
    pub workdir: Option<String>,
    /// `COPY`/`ADD` from the build context.
    pub copies: Vec<Mount>,
    /// `ENV` names.
    pub env: Vec<(String, Span)>,
    pub cmd: Vec<Vec<Word>>,
    pub entrypoint: Vec<Vec<Word>>,
    /// The final `FROM` instruction.
    pub from_span: Option<Span>,
}

impl DockerInfo {
    /// Whether `CMD` holds the arguments of a `litellm` entrypoint: the LiteLLM base image's,
    /// or an `ENTRYPOINT` that runs `litellm` (`["litellm"]`, `["tini", "--", "litellm"]`).
    pub fn cmd_is_args(&self) -> bool {
        self.image.is_some() || super::compose::runs_litellm(&self.entrypoint)
    }
}

/// One instruction: keyword, arguments text, span of the arguments.
struct Instr {
    keyword: String,
    args: String,
    span: Span,
}

fn instructions(text: &str, file: FileId) -> Vec<Instr> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut pending: Option<(usize, String)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if pending.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if pending.is_some() && trimmed.starts_with('#') {
            continue;
        }
        let (cont, part) = match body.strip_suffix('\\') {
            Some(p) => (true, p),
            None => (false, body),
        };
        let (s, mut acc) = pending
            .take()
            .unwrap_or((start + (body.len() - trimmed.len()), String::new()));
        acc.push_str(if acc.is_empty() {
            part.trim_start()
        } else {
            part
        });
        acc.push('\n');
        if cont {
            pending = Some((s, acc));
            continue;
        }
        let end = start + body.len();
        let kw_len = acc.find(char::is_whitespace).unwrap_or(acc.len());
        let keyword = acc[..kw_len].to_ascii_uppercase();
        let args = acc[kw_len..].trim().to_string();
        let args_start = text[s..end]
            .find(|c: char| c.is_whitespace())
            .map_or(end, |i| s + i);
        let args_start =
            args_start + text[args_start..end].len() - text[args_start..end].trim_start().len();
        out.push(Instr {
            keyword,
            args,
            span: Span::new(file, args_start, end),
        });
    }
    out
}

/// Located words of an instruction's arguments (exec form or shell form).
fn words(text: &str, ins: &Instr) -> Vec<Vec<Word>> {
    let raw = &text[ins.span.start..ins.span.end];
    let mut loc = Locator::text(raw, ins.span);
    if ins.args.starts_with('[')
        && let Ok(items) = serde_json::from_str::<Vec<String>>(&ins.args)
    {
        return shell::expand_sh_c(&items.iter().map(|w| loc.word(w)).collect::<Vec<_>>());
    }
    shell::split(&ins.args)
        .into_iter()
        .map(|c| c.iter().map(|w| loc.word(w)).collect::<Vec<_>>())
        .flat_map(|c| shell::expand_sh_c(&c))
        .collect()
}

/// Parses a Dockerfile; `context` is the build context `COPY` sources are relative to.
pub fn parse(host: &mut Host, path: &Path, context: &Path) -> Option<DockerInfo> {
    let file = host.text(path)?;
    let text = host.sources().get(file).text.clone();
    let mut stages: Vec<(Option<String>, DockerInfo)> = Vec::new();
    let mut cur = DockerInfo {
        file,
        ..DockerInfo::default()
    };
    let mut started = false;
    let mut alias: Option<String> = None;
    for ins in instructions(&text, file) {
        let ws = words(&text, &ins);
        let flat: Vec<Word> = ws.iter().flatten().cloned().collect();
        match ins.keyword.as_str() {
            "FROM" => {
                if started {
                    stages.push((alias.take(), std::mem::take(&mut cur)));
                    cur.file = file;
                }
                started = true;
                let args: Vec<&Word> = flat.iter().filter(|w| !w.text.starts_with("--")).collect();
                let base = args.first().map(|w| w.text.clone()).unwrap_or_default();
                // `AS name` names this stage, for a later `FROM name`.
                alias = args
                    .iter()
                    .position(|w| w.text.eq_ignore_ascii_case("as"))
                    .and_then(|i| args.get(i + 1))
                    .map(|w| w.text.clone());
                if let Some((_, prev)) = stages
                    .iter()
                    .rev()
                    .find(|(n, _)| n.as_deref() == Some(base.as_str()))
                {
                    cur = prev.clone();
                } else if let Some(w) = args.first()
                    && let Some((repo, tag, digest, variable)) = parse_image(&w.text)
                {
                    cur.image = Some(ImageUse {
                        repository: repo,
                        tag: tag.clone(),
                        digest,
                        variable,
                        chart_default: false,
                        span: w.span,
                    });
                    cur.pin = Some(Pin {
                        version: tag.as_deref().and_then(super::tag_version),
                        raw: tag.unwrap_or_else(|| "latest".into()),
                        span: w.span,
                    });
                    cur.runs_litellm = true;
                    cur.workdir = Some("/app".into());
                }
                cur.from_span = Some(ins.span);
            }
            "WORKDIR" => {
                if let Some(w) = flat.first() {
                    let p = Path::new(&w.text);
                    cur.workdir = Some(if p.is_absolute() {
                        w.text.clone()
                    } else {
                        normalize(&Path::new(cur.workdir.as_deref().unwrap_or("/")).join(p))
                            .to_string_lossy()
                            .to_string()
                    });
                }
            }
            "COPY" | "ADD" => {
                if flat.iter().any(|w| w.text.starts_with("--from")) {
                    continue;
                }
                let args: Vec<&Word> = flat.iter().filter(|w| !w.text.starts_with("--")).collect();
                if args.len() < 2 {
                    continue;
                }
                let dest = &args[args.len() - 1].text;
                let wd = cur.workdir.clone().unwrap_or_else(|| "/".into());
                let dest_abs = if dest.starts_with('/') {
                    dest.clone()
                } else {
                    normalize(&Path::new(&wd).join(dest))
                        .to_string_lossy()
                        .to_string()
                };
                let many = args.len() > 2;
                for src in &args[..args.len() - 1] {
                    let host_path = normalize(&context.join(&src.text));
                    let src_dir = host_path.is_dir() || src.text.ends_with('/') || src.text == ".";
                    let into_dir = dest.ends_with('/') || many || src_dir;
                    let target = if into_dir && !src_dir {
                        let name = host_path
                            .file_name()
                            .map(|n| n.to_string_lossy().to_string())
                            .unwrap_or_default();
                        format!("{}/{name}", dest_abs.trim_end_matches('/'))
                    } else {
                        dest_abs.clone()
                    };
                    cur.copies.push(Mount {
                        host: Some(host_path),
                        target,
                        dir: src_dir,
                        span: src.span,
                        how: "COPY",
                    });
                }
            }
            "ENV" => {
                let mut i = 0;
                while i < flat.len() {
                    let w = &flat[i];
                    if let Some((n, _)) = w.text.split_once('=') {
                        if shell::is_var_name(n) {
                            cur.env.push((n.to_string(), Locator::part(w, n)));
                        }
                        i += 1;
                    } else {
                        // `ENV NAME value` (legacy form: the rest is the value).
                        if shell::is_var_name(&w.text) {
                            cur.env.push((w.text.clone(), w.span));
                        }
                        break;
                    }
                }
            }
            "RUN" => {
                if let Some(p) = super::compose::pip_pin(&ws) {
                    cur.pin = Some(p);
                }
            }
            "CMD" => cur.cmd = ws,
            "ENTRYPOINT" => cur.entrypoint = ws,
            _ => {}
        }
    }
    if super::compose::runs_litellm(&cur.cmd) || super::compose::runs_litellm(&cur.entrypoint) {
        cur.runs_litellm = true;
    }
    Some(cur)
}

/// A Dockerfile no compose file builds: an image deployed somewhere the repository does not
/// describe (its runtime variables are unknown).
pub fn standalone(host: &mut Host, path: &Path, envs: &mut Vec<Environment>) {
    let ctx = super::compose::folder(path);
    let Some(info) = parse(host, path, &ctx) else {
        return;
    };
    if !info.runs_litellm {
        return;
    }
    let display = crate::check::display_path(path);
    let span = info
        .image
        .as_ref()
        .map(|i| i.span)
        .or(info.from_span)
        .unwrap_or(Span::new(info.file, 0, 0));
    let mut e = Environment::new(
        format!("{display}#image"),
        format!("the image built from `{display}`"),
        EnvKind::Deploy,
        span,
    );
    e.container = true;
    e.workdir = info.workdir.clone().or_else(|| Some("/".into()));
    e.mounts = info.copies.clone();
    for (n, s) in &info.env {
        e.provides.add(n, *s);
    }
    e.provides
        .open("the variables the container gets at run time (`docker run -e`, Kubernetes) are not in the repository");
    e.images.extend(info.image.clone());
    e.version = info.pin.clone();
    let cmd = super::compose::config_arg(&info.cmd, info.cmd_is_args())
        .or_else(|| super::compose::config_arg(&info.entrypoint, false));
    if let Some((cpath, span)) = cmd {
        e.use_container_config(cpath, span);
    }
    envs.push(e);
}
