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
/// command; `sh -c "..."` is expanded by [`expand_sh_c`].
pub fn expand_sh_c(cmd: &[Word]) -> Vec<Vec<Word>> {
    let shells = ["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"];
    if cmd.len() >= 3
        && shells.contains(&cmd[0].text.as_str())
        && let Some(i) = cmd.iter().position(|w| w.text == "-c" || w.text == "-lc")
        && let Some(script) = cmd.get(i + 1)
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

/// The basename of a program word (`/usr/local/bin/litellm` → `litellm`).
pub fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Skips leading `NAME=value` assignments and wrappers (`uv run`, `poetry run`, `exec`, `env`,
/// `sudo`, `nohup`, `python -m`); returns the index of the real program word and the names
/// assigned.
pub fn program_start(cmd: &[Word]) -> (usize, Vec<&Word>) {
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
        match t {
            "exec" | "env" | "sudo" | "nohup" | "time" | "command" => i += 1,
            "uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye"
                if cmd.get(i + 1).is_some_and(|n| n.text == "run") =>
            {
                i += 2;
                // `uv run --with x ...` options
                while cmd.get(i).is_some_and(|n| n.text.starts_with('-')) {
                    i += if cmd.get(i).is_some_and(|n| n.text.contains('=')) {
                        1
                    } else {
                        2
                    };
                }
            }
            _ => break,
        }
    }
    (i, assigned)
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
}
