//! Shell command lines, split into words the way a POSIX shell does (quotes, backslashes,
//! `&&`/`||`/`;`/`|`/newline between commands). This is not YAML parsing: the text comes from a
//! YAML string (a workflow's `run:`, a compose `command:`) that the YAML loader already decoded.
//! Words are then found again in the string's source text to get their spans.

use crate::source::{SourceMap, Span};
use crate::yaml::Node;

/// One word of a command, with its span in the source (the whole string's span when the word
/// cannot be found verbatim, e.g. after escapes).
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub text: String,
    pub span: Span,
}

/// Splits a script into commands, each a list of words. Comments (`# ...` at a word start) are
/// dropped; `$(...)` and backticks are kept inside the word they appear in.
pub fn split(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let end_word = |cur: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(cur));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1] == '\n' => i += 2,
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    cur.push(n);
                }
                in_word = true;
                i += 2;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\'
                        && i + 1 < chars.len()
                        && matches!(chars[i + 1], '"' | '\\' | '$' | '`')
                    {
                        i += 1;
                    }
                    cur.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                // Command substitution: kept verbatim inside the word.
                in_word = true;
                let mut depth = 0;
                while i < chars.len() {
                    cur.push(chars[i]);
                    if chars[i] == '(' {
                        depth += 1;
                    } else if chars[i] == ')' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ' ' | '\t' | '\r' => {
                end_word(&mut cur, &mut in_word, &mut words);
                i += 1;
            }
            // `2>&1`, `>&2`, `&>log`: a redirection, not the end of a command.
            '&' if (in_word && cur.ends_with('>')) || chars.get(i + 1) == Some(&'>') => {
                cur.push(c);
                in_word = true;
                i += 1;
            }
            '\n' | ';' | '|' | '&' | '(' | ')' => {
                end_word(&mut cur, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
                i += 1;
            }
            _ => {
                cur.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    end_word(&mut cur, &mut in_word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// Finds words in the source text of a string node, in order, to give each a span.
pub struct Locator<'a> {
    raw: &'a str,
    base: usize,
    pos: usize,
    whole: Span,
}

impl<'a> Locator<'a> {
    pub fn new(sources: &'a SourceMap, node: &Node) -> Self {
        Locator {
            raw: sources.get(node.span.file).slice(node.span),
            base: node.span.start,
            pos: 0,
            whole: node.span,
        }
    }
    /// A locator over plain text at `span` (a Dockerfile line).
    pub fn text(raw: &'a str, span: Span) -> Self {
        Locator {
            raw,
            base: span.start,
            pos: 0,
            whole: span,
        }
    }
    pub fn word(&mut self, text: &str) -> Word {
        if !text.is_empty()
            && let Some(i) = self.raw.get(self.pos..).and_then(|r| r.find(text))
        {
            let start = self.pos + i;
            self.pos = start + text.len();
            return Word {
                text: text.to_string(),
                span: Span::new(
                    self.whole.file,
                    self.base + start,
                    self.base + start + text.len(),
                ),
            };
        }
        Word {
            text: text.to_string(),
            span: self.whole,
        }
    }
    /// The span of `part` inside a word already located (e.g. the path of `--config=PATH`).
    pub fn part(word: &Word, part: &str) -> Span {
        if word.span.end - word.span.start == word.text.len()
            && let Some(i) = word.text.find(part)
        {
            return Span::new(
                word.span.file,
                word.span.start + i,
                word.span.start + i + part.len(),
            );
        }
        word.span
    }
}

/// Splits a script held by a YAML string node into located commands.
pub fn commands(sources: &SourceMap, node: &Node, script: &str) -> Vec<Vec<Word>> {
    let mut loc = Locator::new(sources, node);
    split(script)
        .into_iter()
        .map(|c| c.iter().map(|w| loc.word(w)).collect())
        .collect()
}

/// Commands from located words of an exec-form list (`command: ["--config", "x"]`): one
/// command; `sh -c "..."` (also behind wrappers: `sudo sh -c`, `nohup bash -ec`) is expanded into
/// the commands of its script.
pub fn expand_sh_c(cmd: &[Word]) -> Vec<Vec<Word>> {
    let inv = invocation(cmd);
    if matches!(inv.program, "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh")
        && let Some(script) = shell_script(&cmd[inv.start + 1..])
    {
        return split(&script.text)
            .into_iter()
            .map(|c| {
                c.iter()
                    .map(|w| Word {
                        text: w.clone(),
                        // Inside the script word when it is verbatim there.
                        span: Locator::part(script, w),
                    })
                    .collect()
            })
            .collect();
    }
    vec![cmd.to_vec()]
}

/// The script of a shell's `-c SCRIPT` (`-c`, `-lc`, `-ec`, `-o pipefail -c`).
fn shell_script(args: &[Word]) -> Option<&Word> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if t == "-o" || t == "+o" {
            i += 2;
            continue;
        }
        if t.len() > 1 && t.starts_with('-') && !t.starts_with("--") {
            if t.contains('c') {
                return args.get(i + 1);
            }
            i += 1;
            continue;
        }
        if t.starts_with("--") {
            i += 1;
            continue;
        }
        return None;
    }
    None
}

/// The basename of a program word (`/usr/local/bin/litellm` → `litellm`).
pub fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// A command with its wrappers taken off: what really runs.
#[derive(Debug)]
pub struct Invocation<'a> {
    /// The index of the program word (of the module, for `python -m MODULE`); its arguments
    /// follow it.
    pub start: usize,
    /// The program's name: the word's basename (`/usr/bin/pip3` → `pip3`), `litellm` for
    /// `python -m litellm` and `python -m litellm.proxy.proxy_cli` (the CLI's module), the module
    /// for other `python -m` (`pip`, `uv`), the tool for `uvx litellm@1.81.0`; empty when the
    /// command is only assignments.
    pub program: &'a str,
    /// `NAME=value` words before the program (also after `env` or `sudo`).
    pub assigned: Vec<&'a Word>,
    /// The package a tool runner installs to run the program: the `--from`/`--spec` value of
    /// `uvx`, `uv tool run` or `pipx run`, else the tool word itself (`litellm[proxy]@1.81.0`).
    pub spec: Option<&'a Word>,
}

impl<'a> Invocation<'a> {
    /// The program's arguments.
    pub fn args<'c>(&self, cmd: &'c [Word]) -> &'c [Word] {
        cmd.get(self.start + 1..).unwrap_or_default()
    }
}

/// Skips options from `i`: `-x`, `--long`, `--long=value`, and the value after each option in
/// `with_value`; stops after `--` and at the first word that is not an option.
fn skip_options(cmd: &[Word], mut i: usize, with_value: &[&str]) -> usize {
    while let Some(w) = cmd.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return i + 1;
        }
        if !t.starts_with('-') || t == "-" {
            break;
        }
        i += if !t.contains('=') && with_value.contains(&t) {
            2
        } else {
            1
        };
    }
    i
}

/// `timeout`'s duration: `30`, `1.5`, `30s`, `5m`, `2h`, `1d`.
fn is_duration(t: &str) -> bool {
    let num = t.trim_end_matches(['s', 'm', 'h', 'd']);
    !num.is_empty()
        && num.len() + 1 >= t.len()
        && num.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Options of `uv run`, `poetry run`, `pdm run`, `uvx`, `pipx run`, ... that take a value.
const RUNNER_VALUE_OPTIONS: &[&str] = &[
    "--with",
    "--with-editable",
    "--with-requirements",
    "--from",
    "--spec",
    "--python",
    "-p",
    "--project",
    "-P",
    "--directory",
    "-C",
    "--env-file",
    "--extra",
    "--group",
    "--only-group",
    "--no-group",
    "--package",
    "--index",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "--find-links",
    "-f",
    "--cache-dir",
    "--config-file",
    "--resolution",
    "--prerelease",
    "--exclude-newer",
    "--python-preference",
    "--link-mode",
    "--index-strategy",
    "--keyring-provider",
    "--color",
    "--venv",
];

/// Where the wrapped command starts when `cmd[i]` is a wrapper (`nohup`, `env -u X`,
/// `sudo -E`, `timeout 30`, `uv run --with x`, ...); `None` when it is not one.
fn unwrap_at(cmd: &[Word], i: usize) -> Option<usize> {
    let t = cmd[i].text.as_str();
    let next = cmd.get(i + 1).map(|w| w.text.as_str());
    let j = match program(t) {
        "nohup" | "builtin" => i + 1,
        "exec" => skip_options(cmd, i + 1, &["-a"]),
        "time" => skip_options(cmd, i + 1, &["-f", "--format", "-o", "--output"]),
        // `command -v litellm` looks the program up; it does not run it.
        "command" if matches!(next, Some("-v" | "-V")) => return None,
        "command" | "setsid" => skip_options(cmd, i + 1, &[]),
        "nice" => skip_options(cmd, i + 1, &["-n", "--adjustment"]),
        "ionice" => skip_options(cmd, i + 1, &["-c", "--class", "-n", "--classdata"]),
        "stdbuf" => skip_options(
            cmd,
            i + 1,
            &["-i", "-o", "-e", "--input", "--output", "--error"],
        ),
        "env" => skip_options(
            cmd,
            i + 1,
            &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        ),
        "sudo" | "doas" => skip_options(
            cmd,
            i + 1,
            &[
                "-u",
                "--user",
                "-g",
                "--group",
                "-p",
                "--prompt",
                "-C",
                "--close-from",
                "-D",
                "--chdir",
                "-r",
                "--role",
                "-t",
                "--type",
                "-U",
                "--other-user",
                "-T",
                "--command-timeout",
                "-h",
                "--host",
            ],
        ),
        "timeout" => {
            let j = skip_options(cmd, i + 1, &["-s", "--signal", "-k", "--kill-after"]);
            if !cmd.get(j).is_some_and(|w| is_duration(&w.text)) {
                return None;
            }
            j + 1
        }
        "tini" => skip_options(cmd, i + 1, &["-e", "-p"]),
        "dumb-init" => skip_options(cmd, i + 1, &["-r", "--rewrite"]),
        "gosu" | "su-exec" => i + 2,
        "uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye" if next == Some("run") => {
            skip_options(cmd, i + 2, RUNNER_VALUE_OPTIONS)
        }
        _ => return None,
    };
    Some(j)
}

/// A tool run from a package spec: `uvx [opts] litellm@1.81.0`, `uv tool run`, `pipx run`;
/// the index of the tool word.
fn tool_runner_at(cmd: &[Word], i: usize) -> Option<usize> {
    let next = cmd.get(i + 1).map(|w| w.text.as_str());
    let after = cmd.get(i + 2).map(|w| w.text.as_str());
    let from = match program(&cmd[i].text) {
        "uvx" => i + 1,
        "uv" if next == Some("tool") && after == Some("run") => i + 3,
        "pipx" if next == Some("run") => i + 2,
        _ => return None,
    };
    Some(skip_options(cmd, from, RUNNER_VALUE_OPTIONS))
}

/// The name of a tool given as a package spec: `litellm[proxy]@1.81.0` → `litellm`.
fn spec_name(spec: &str) -> &str {
    let end = spec
        .find(['@', '[', '=', '<', '>', '~', '!'])
        .unwrap_or(spec.len());
    &spec[..end]
}

/// Whether a program is a Python interpreter (`python`, `python3`, `python3.12`).
fn is_python(p: &str) -> bool {
    p.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The word of the module of `python [options] -m MODULE`, when `cmd[i]` is a Python
/// interpreter that runs one.
fn python_module(cmd: &[Word], i: usize) -> Option<usize> {
    if !is_python(program(&cmd[i].text)) {
        return None;
    }
    let mut j = i + 1;
    while let Some(w) = cmd.get(j) {
        match w.text.as_str() {
            "-m" => return cmd.get(j + 1).map(|_| j + 1),
            "-X" | "-W" | "-Q" => j += 2,
            t if t.starts_with('-') && t != "-c" && t != "-" => j += 1,
            _ => return None,
        }
    }
    None
}

/// Takes off what only wraps the real command: `NAME=value` assignments, `nohup`, `exec`,
/// `time`, `env [-i] [-u X] [A=1]`, `sudo [-E] [-u user]`, `timeout [-s SIG] 30`, `nice`,
/// `setsid`, `stdbuf`, `tini --`, `dumb-init`, `gosu user`, `uv run`, `poetry run`, `pipenv run`,
/// `pdm run`, `uvx`/`pipx run` (the tool), and `python -m MODULE` (the module).
pub fn invocation(cmd: &[Word]) -> Invocation<'_> {
    let mut i = 0;
    let mut assigned = Vec::new();
    while let Some(w) = cmd.get(i) {
        let t = w.text.as_str();
        if let Some((name, _)) = t.split_once('=')
            && is_var_name(name)
        {
            assigned.push(w);
            i += 1;
            continue;
        }
        if let Some(j) = unwrap_at(cmd, i) {
            i = j;
            continue;
        }
        if let Some(j) = tool_runner_at(cmd, i) {
            let Some(tool) = cmd.get(j) else { break };
            let from = option_value(&cmd[i + 1..j], &["--from", "--spec"]).map(|(_, _, w)| w);
            return Invocation {
                start: j,
                program: spec_name(program(&tool.text)),
                assigned,
                spec: Some(from.unwrap_or(tool)),
            };
        }
        if let Some(m) = python_module(cmd, i) {
            let module = cmd[m].text.as_str();
            let program = match module {
                "litellm" | "litellm.proxy.proxy_cli" => "litellm",
                m => m,
            };
            return Invocation {
                start: m,
                program,
                assigned,
                spec: None,
            };
        }
        break;
    }
    Invocation {
        start: i,
        program: cmd.get(i).map_or("", |w| program(&w.text)),
        assigned,
        spec: None,
    }
}

pub fn is_var_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The value of `--name VALUE`, `--name=VALUE` or `-s VALUE` in a command's arguments, with the
/// span of the value.
pub fn option_value<'a>(args: &'a [Word], names: &[&str]) -> Option<(String, Span, &'a Word)> {
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        for n in names {
            if w.text == *n
                && let Some(v) = args.get(i + 1)
            {
                return Some((v.text.clone(), v.span, v));
            }
            if let Some(v) = w.text.strip_prefix(&format!("{n}="))
                && n.starts_with("--")
            {
                return Some((v.to_string(), Locator::part(w, v), w));
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split(
                "pip install 'litellm[proxy]==1.81.0' && litellm --config \"ci config.yaml\" # go\nexport A=b"
            ),
            vec![
                vec!["pip", "install", "litellm[proxy]==1.81.0"],
                vec!["litellm", "--config", "ci config.yaml"],
                vec!["export", "A=b"],
            ]
        );
        assert_eq!(
            split("docker run -v $(pwd)/c.yaml:/app/c.yaml \\\n  img --config /app/c.yaml"),
            vec![vec![
                "docker",
                "run",
                "-v",
                "$(pwd)/c.yaml:/app/c.yaml",
                "img",
                "--config",
                "/app/c.yaml"
            ]]
        );
    }
    /// The program and its first argument after the wrappers, for each command of a script.
    fn unwrapped(script: &str) -> Vec<(String, Option<String>)> {
        split(script)
            .into_iter()
            .map(|c| {
                let words: Vec<Word> = c
                    .iter()
                    .map(|t| Word {
                        text: t.clone(),
                        span: Span::new(crate::source::FileId(0), 0, 0),
                    })
                    .collect();
                let inv = invocation(&words);
                let first = inv.args(&words).first().map(|w| w.text.clone());
                (inv.program.to_string(), first)
            })
            .collect()
    }

    #[test]
    fn wrappers_are_taken_off() {
        let litellm = ("litellm".to_string(), Some("--config".to_string()));
        for script in [
            "litellm --config c.yaml",
            "nohup litellm --config c.yaml &",
            "nohup litellm --config c.yaml > proxy.log 2>&1 &",
            "env X=1 Y=2 litellm --config c.yaml",
            "env -i -u HOME X=1 litellm --config c.yaml",
            "sudo litellm --config c.yaml",
            "sudo -E litellm --config c.yaml",
            "sudo -u root -E env A=1 nohup litellm --config c.yaml &",
            "exec litellm --config c.yaml",
            "time litellm --config c.yaml",
            "timeout 30 litellm --config c.yaml",
            "timeout -s KILL --kill-after=5 1.5m litellm --config c.yaml",
            "VAR=1 OTHER=2 litellm --config c.yaml",
            "nice -n 10 setsid stdbuf -oL litellm --config c.yaml",
            "tini -- litellm --config c.yaml",
            "gosu app litellm --config c.yaml",
            "uv run litellm --config c.yaml",
            "uv run --frozen --with 'litellm[proxy]' litellm --config c.yaml",
            "poetry run litellm --config c.yaml",
            "python -m litellm --config c.yaml",
            "python3 -m litellm.proxy.proxy_cli --config c.yaml",
            "python3.12 -u -X utf8 -m litellm --config c.yaml",
            "/usr/local/bin/litellm --config c.yaml",
            "uvx --from 'litellm[proxy]==1.81.0' litellm --config c.yaml",
            "uvx litellm[proxy]@1.81.0 --config c.yaml",
            "uv tool run --from litellm==1.81.0 litellm --config c.yaml",
            "pipx run --spec litellm==1.81.0 litellm --config c.yaml",
        ] {
            assert_eq!(unwrapped(script), vec![litellm.clone()], "{script}");
        }
        // Chains and continuation lines: each command on its own.
        assert_eq!(
            unwrapped("pip install x && litellm \\\n  --config c.yaml || true; echo done"),
            vec![
                ("pip".into(), Some("install".into())),
                litellm.clone(),
                ("true".into(), None),
                ("echo".into(), Some("done".into())),
            ]
        );
        // `python -m MODULE` is the module; installers behind wrappers are the installer.
        assert_eq!(
            unwrapped(
                "python -m pip install x\nsudo -E pip3 install x\npython3 -m uv pip install x"
            ),
            vec![
                ("pip".into(), Some("install".into())),
                ("pip3".into(), Some("install".into())),
                ("uv".into(), Some("pip".into())),
            ]
        );
        // Not wrappers: a lookup, a script, inline code, a duration that is not one.
        assert_eq!(
            unwrapped(
                "command -v litellm\npython app.py --config c.yaml\npython -c 'import litellm'\ntimeout litellm"
            ),
            vec![
                ("command".into(), Some("-v".into())),
                ("python".into(), Some("app.py".into())),
                ("python".into(), Some("-c".into())),
                ("timeout".into(), Some("litellm".into())),
            ]
        );
        assert_eq!(unwrapped("A=1 B=2"), vec![(String::new(), None)]);
    }

    #[test]
    fn tool_runners_name_their_package() {
        let words = |t: &str| -> Vec<Word> {
            split(t)[0]
                .iter()
                .map(|t| Word {
                    text: t.clone(),
                    span: Span::new(crate::source::FileId(0), 0, 0),
                })
                .collect()
        };
        let spec = |t: &str| {
            let w = words(t);
            invocation(&w).spec.map(|w| w.text.clone())
        };
        assert_eq!(
            spec("uvx --from 'litellm[proxy]==1.81.0' litellm --config c.yaml").as_deref(),
            Some("litellm[proxy]==1.81.0")
        );
        assert_eq!(
            spec("uvx litellm@1.81.0 --config c.yaml").as_deref(),
            Some("litellm@1.81.0")
        );
        assert_eq!(spec("litellm --config c.yaml"), None);
    }

    #[test]
    fn sh_c_behind_wrappers_is_expanded() {
        let w = |t: &str| Word {
            text: t.into(),
            span: Span::new(crate::source::FileId(0), 0, 0),
        };
        for shell in [
            vec!["sh", "-c"],
            vec!["/bin/bash", "-lc"],
            vec!["bash", "-o", "pipefail", "-ec"],
            vec!["sudo", "-E", "sh", "-c"],
            vec!["/usr/bin/env", "bash", "-c"],
        ] {
            let mut cmd: Vec<Word> = shell.iter().map(|t| w(t)).collect();
            cmd.push(w(
                "pip install litellm==1.81.0 && exec litellm --config c.yaml",
            ));
            let cmds = expand_sh_c(&cmd);
            let texts: Vec<Vec<&str>> = cmds
                .iter()
                .map(|c| c.iter().map(|w| w.text.as_str()).collect())
                .collect();
            assert_eq!(
                texts,
                vec![
                    vec!["pip", "install", "litellm==1.81.0"],
                    vec!["exec", "litellm", "--config", "c.yaml"],
                ],
                "{shell:?}"
            );
        }
    }
}
