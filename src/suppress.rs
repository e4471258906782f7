//! Suppression comments: `# litellm-lint: ignore[LL101] reason`, and what they leave unused.
//!
//! Syntax (one directive per comment; it may follow other comment text, `# note # litellm-lint:
//! ignore[LL104]`):
//!
//! - `# litellm-lint: ignore[CODE, ...] reason`: hides those rules' findings that start on the
//!   comment's line; a comment alone on its line covers the next line instead. Codes are rule
//!   codes (`LL104`) or names (`fallback-target-unknown`), separated by commas or spaces; not
//!   prefixes. The reason is free text.
//! - `# litellm-lint: ignore-file[CODE, ...] reason`: hides those rules in the whole file,
//!   wherever the comment stands.
//! - Without `[...]` (`ignore`, `ignore-file`) the suppression is a blanket: every rule.
//!   Allowed, but LL007 (info) names what it hides and offers to write the codes in.
//!
//! What a suppression does not hide is reported as LL006 once every rule has run: a code with
//! no finding where it applies, a code that names no rule, a `litellm-lint:` comment that is not
//! a valid directive. Codes of rules that are not selected for the file are never called
//! unused. Matching is over comments, whatever the language: YAML gives them from its scanner
//! ([`crate::yaml::YamlDoc::comments`]); Python can hand its own to
//! [`Suppressions::from_comments`].

use std::collections::BTreeSet;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::rules::{self, RuleMeta};
use crate::source::{Comment, FileId, SourceMap, Span};

/// What introduces a directive inside a comment.
pub const PREFIX: &str = "litellm-lint:";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The 0-based line whose findings it hides.
    Line(usize),
    File,
}

#[derive(Clone, Debug)]
pub struct CodeRef {
    /// As written.
    pub text: String,
    pub span: Span,
    pub rule: Option<&'static RuleMeta>,
    used: bool,
}

#[derive(Clone, Debug)]
pub struct Directive {
    pub scope: Scope,
    /// From the directive's `#` to its closing `]` (or its keyword when there is no list).
    pub span: Span,
    /// `None` for a blanket suppression.
    pub codes: Option<Vec<CodeRef>>,
    /// A `litellm-lint:` comment that is not a valid directive: (message, help).
    pub problem: Option<(String, Option<String>)>,
    /// True when the comment stands alone on its line.
    pub own_line: bool,
    /// What deleting the directive removes (with the whitespace before it, or the whole line).
    delete: Span,
    /// The keyword (`ignore`, `ignore-file`): LL007's fix writes the codes right after it.
    keyword: Span,
    /// The text between the brackets.
    list: Option<Span>,
    /// Codes a blanket suppression hid.
    hidden: BTreeSet<&'static str>,
}

/// The suppressions of one file.
#[derive(Clone, Debug)]
pub struct Suppressions {
    pub file: FileId,
    pub directives: Vec<Directive>,
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Suppressions {
    /// Reads the directives of one file from its comments (any language with `#` comments).
    pub fn from_comments(file: FileId, sources: &SourceMap, comments: &[Comment]) -> Suppressions {
        let text = &sources.get(file).text;
        let directives = comments
            .iter()
            .filter(|c| c.span.file == file && c.text.contains(PREFIX))
            .filter_map(|c| parse_directive(text, file, c))
            .collect();
        Suppressions { file, directives }
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// Whether a directive hides `d` (a finding in this file); records what was used.
    pub fn suppresses(&mut self, d: &Diagnostic, sources: &SourceMap) -> bool {
        self.matches(d, sources, true)
    }

    /// For the findings of [`Suppressions::report`] itself: only a directive that names LL006
    /// or LL007 hides them (a blanket never hides its own LL007).
    pub fn suppresses_report(&mut self, d: &Diagnostic, sources: &SourceMap) -> bool {
        self.matches(d, sources, false)
    }

    fn matches(&mut self, d: &Diagnostic, sources: &SourceMap, blankets: bool) -> bool {
        if d.span.file != self.file {
            return false;
        }
        let line = sources.get(self.file).line_index(d.span.start);
        let mut hit = false;
        for dir in &mut self.directives {
            if dir.problem.is_some() {
                continue;
            }
            if let Scope::Line(l) = dir.scope
                && l != line
            {
                continue;
            }
            match &mut dir.codes {
                None if !blankets => {}
                None => {
                    dir.hidden.insert(d.code);
                    hit = true;
                }
                Some(codes) => {
                    for c in codes.iter_mut() {
                        if c.rule.is_some_and(|r| r.code == d.code) {
                            c.used = true;
                            hit = true;
                        }
                    }
                }
            }
        }
        hit
    }

    /// LL006 for what hid nothing, LL007 for blankets that hid something. `enabled` says whether
    /// a rule is selected for this file: codes of other rules are never called unused.
    pub fn report(&self, enabled: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
        let unused_rule = &rules::ll006_unused_suppression::RULE.meta;
        let blanket_rule = &rules::ll007_blanket_suppression::RULE.meta;
        let mut out = Vec::new();
        for dir in &self.directives {
            let place = match dir.scope {
                Scope::File => "in this file",
                Scope::Line(_) if dir.own_line => "on the next line",
                Scope::Line(_) => "on this line",
            };
            if let Some((message, help)) = &dir.problem {
                let mut d = Diagnostic::new(unused_rule, dir.span, message.clone());
                if let Some(h) = help {
                    d = d.help(h.clone());
                }
                out.push(d);
                continue;
            }
            let Some(codes) = &dir.codes else {
                if dir.hidden.is_empty() {
                    out.push(
                        Diagnostic::new(
                            unused_rule,
                            dir.span,
                            format!("unused suppression: no finding {place}"),
                        )
                        .fix(
                            Applicability::Safe,
                            "Remove the unused suppression",
                            vec![Edit {
                                span: dir.delete,
                                content: String::new(),
                            }],
                        ),
                    );
                } else {
                    let list: Vec<&str> = dir.hidden.iter().copied().collect();
                    let every = if dir.scope == Scope::File {
                        "every rule in this file"
                    } else {
                        "every rule on its line"
                    };
                    out.push(
                        Diagnostic::new(
                            blanket_rule,
                            dir.span,
                            format!(
                                "blanket suppression hides {every}, not only {}",
                                code_list(&list, "and")
                            ),
                        )
                        .help("name the rules it is meant for, so that new findings still show")
                        .fix(
                            Applicability::Safe,
                            format!("Name the suppressed rules: `[{}]`", list.join(", ")),
                            vec![Edit {
                                span: Span::new(self.file, dir.keyword.end, dir.keyword.end),
                                content: format!("[{}]", list.join(", ")),
                            }],
                        ),
                    );
                }
                continue;
            };
            // Codes of LL006/LL007 themselves are judged before those findings exist: never
            // called unused.
            let unused: Vec<&CodeRef> = codes
                .iter()
                .filter(|c| !c.used)
                .filter(|c| match c.rule {
                    None => true,
                    Some(r) => {
                        enabled(r.code) && r.code != unused_rule.code && r.code != blanket_rule.code
                    }
                })
                .collect();
            if unused.is_empty() {
                continue;
            }
            let no_finding: Vec<&str> = unused
                .iter()
                .filter_map(|c| c.rule.map(|r| r.code))
                .collect();
            let unknown: Vec<&CodeRef> = unused
                .iter()
                .copied()
                .filter(|c| c.rule.is_none())
                .collect();
            let mut parts = Vec::new();
            if !no_finding.is_empty() {
                parts.push(format!(
                    "no {} finding {place}",
                    code_list(&no_finding, "or")
                ));
            }
            if !unknown.is_empty() {
                let names: Vec<String> = unknown.iter().map(|c| format!("`{}`", c.text)).collect();
                parts.push(format!(
                    "{} {} no rule",
                    names.join(", "),
                    if names.len() == 1 { "names" } else { "name" }
                ));
            }
            let span = if unused.len() == 1 {
                unused[0].span
            } else {
                dir.span
            };
            let mut d = Diagnostic::new(
                unused_rule,
                span,
                format!("unused suppression: {}", parts.join(", and ")),
            );
            let suggestions: Vec<String> = unknown
                .iter()
                .filter_map(|c| {
                    crate::settings::suggest_rule(&c.text).map(|s| {
                        if unknown.len() == 1 {
                            format!("did you mean `{s}`?")
                        } else {
                            format!("`{}`: did you mean `{s}`?", c.text)
                        }
                    })
                })
                .collect();
            if !suggestions.is_empty() {
                d = d.help(suggestions.join("; "));
            }
            let kept: Vec<&str> = codes
                .iter()
                .filter(|c| !unused.iter().any(|u| std::ptr::eq(*u, *c)))
                .map(|c| c.text.as_str())
                .collect();
            d = if kept.is_empty() {
                d.fix(
                    Applicability::Safe,
                    "Remove the unused suppression",
                    vec![Edit {
                        span: dir.delete,
                        content: String::new(),
                    }],
                )
            } else {
                let removed: Vec<String> = unused.iter().map(|c| format!("`{}`", c.text)).collect();
                d.fix(
                    Applicability::Safe,
                    format!("Remove {} from the suppression", removed.join(", ")),
                    vec![Edit {
                        span: dir.list.unwrap_or(dir.span),
                        content: kept.join(", "),
                    }],
                )
            };
            out.push(d);
        }
        out
    }
}

/// "`LL101`", "`LL101` or `LL102`", "`LL101`, `LL102` or `LL103`".
fn code_list(codes: &[&str], conj: &str) -> String {
    let quoted: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conj} {last}", rest.join(", ")),
    }
}

/// Does this word look like a rule code or name (so that `ignore LL101`, without brackets, is a
/// mistake rather than a blanket with a reason)?
fn looks_like_rule(word: &str) -> bool {
    let w = word.trim_matches(|c: char| c == ',' || c == ':' || c == ';');
    let b = w.as_bytes();
    rules::find(w).is_some()
        || (b.len() >= 3 && b[..2].eq_ignore_ascii_case(b"LL") && b[2].is_ascii_digit())
}

fn parse_directive(text: &str, file: FileId, c: &Comment) -> Option<Directive> {
    let bytes = text.as_bytes();
    let end = c.span.end.min(text.len());
    // The first `#` of the comment whose text starts with the prefix.
    let mut hash = None;
    let mut i = c.span.start;
    while i < end {
        if bytes[i] == b'#' && text[i + 1..end].trim_start().starts_with(PREFIX) {
            hash = Some(i);
            break;
        }
        i += 1;
    }
    let hash = hash?;
    let first_segment = hash == c.span.start;
    let line_start = text[..c.span.start].rfind('\n').map_or(0, |p| p + 1);
    let delete = if c.own_line && first_segment {
        let next = text[end..].find('\n').map_or(text.len(), |p| end + p + 1);
        Span::new(file, line_start, next)
    } else {
        let mut s = hash;
        while s > line_start && is_space(bytes[s - 1]) {
            s -= 1;
        }
        Span::new(file, s, end)
    };
    let after_prefix = hash
        + 1
        + (text[hash + 1..end].len() - text[hash + 1..end].trim_start().len())
        + PREFIX.len();
    let mut k = after_prefix;
    while k < end && is_space(bytes[k]) {
        k += 1;
    }
    let rest = &text[k..end];
    let (file_scope, kw_len) = if rest.starts_with("ignore-file") {
        (true, "ignore-file".len())
    } else if rest.starts_with("ignore") {
        (false, "ignore".len())
    } else {
        (false, 0)
    };
    let keyword = Span::new(file, k, k + kw_len);
    let scope = if file_scope {
        Scope::File
    } else if c.own_line {
        Scope::Line(c.line + 1)
    } else {
        Scope::Line(c.line)
    };
    let mut dir = Directive {
        scope,
        span: Span::new(file, hash, keyword.end.max(k)),
        codes: None,
        problem: None,
        own_line: c.own_line,
        delete,
        keyword,
        list: None,
        hidden: BTreeSet::new(),
    };
    let usage =
        "write `# litellm-lint: ignore[CODE] reason` (or `ignore-file[CODE]` for the whole file)";
    let after_kw = keyword.end;
    if kw_len == 0 || (after_kw < end && !is_space(bytes[after_kw]) && bytes[after_kw] != b'[') {
        let word: String = rest
            .chars()
            .take_while(|ch| !ch.is_whitespace() && *ch != '[')
            .collect();
        dir.span = Span::new(file, hash, (k + word.len()).max(k));
        dir.problem = Some((
            format!(
                "malformed suppression: `{word}` is not a litellm-lint directive; this comment hides nothing"
            ),
            Some(usage.to_string()),
        ));
        return Some(dir);
    }
    let mut j = after_kw;
    while j < end && is_space(bytes[j]) {
        j += 1;
    }
    if j < end && bytes[j] == b'[' {
        let Some(close) = text[j..end].find(']').map(|p| j + p) else {
            dir.span = Span::new(file, hash, end);
            dir.problem = Some((
                "malformed suppression: the list of codes has no closing `]`; this comment hides nothing".into(),
                Some(usage.to_string()),
            ));
            return Some(dir);
        };
        dir.span = Span::new(file, hash, close + 1);
        dir.list = Some(Span::new(file, j + 1, close));
        let mut codes = Vec::new();
        let mut pos = j + 1;
        for piece in text[j + 1..close].split(|ch: char| ch == ',' || ch.is_whitespace()) {
            if !piece.is_empty() {
                codes.push(CodeRef {
                    text: piece.to_string(),
                    span: Span::new(file, pos, pos + piece.len()),
                    rule: rules::find(piece).map(|r| &r.meta),
                    used: false,
                });
            }
            pos += piece.len() + 1;
        }
        if codes.is_empty() {
            dir.problem = Some((
                "malformed suppression: the list of codes is empty; this comment hides nothing"
                    .into(),
                Some(usage.to_string()),
            ));
            return Some(dir);
        }
        dir.codes = Some(codes);
    } else if let Some(word) = text[j..end].split_whitespace().next()
        && looks_like_rule(word)
    {
        let code = word.trim_matches(',');
        dir.problem = Some((
            format!(
                "malformed suppression: this comment hides nothing; codes go in brackets, `{}[{code}]`",
                &text[k..after_kw]
            ),
            Some(format!(
                "without brackets, `{code}` would read as the reason of a blanket suppression of every rule"
            )),
        ));
    }
    Some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sups(text: &str) -> (SourceMap, Suppressions) {
        let mut sources = SourceMap::default();
        let f = sources.add(PathBuf::from("c.yaml"), text.to_string());
        let doc = crate::yaml::parse(text, f).unwrap();
        let s = Suppressions::from_comments(f, &sources, &doc.comments);
        (sources, s)
    }

    #[test]
    fn parses_directives() {
        let (_, s) = sups(
            "a: 1  # litellm-lint: ignore[LL101, fallback-cycle] reason\n\
             # litellm-lint: ignore\n\
             b: 2 # note # litellm-lint:ignore-file[LL5O1]\n\
             # a note # litellm-lint: ignore[LL101]\n\
             c: 3 # litellm-lint: ignore LL101\n\
             d: 4 # litellm-lint: ignored\n\
             e: 5 # litellm-lint: ignore[LL101\n",
        );
        let d = &s.directives;
        assert_eq!(d.len(), 7);
        assert_eq!(d[0].scope, Scope::Line(0));
        let codes: Vec<_> = d[0]
            .codes
            .as_ref()
            .unwrap()
            .iter()
            .map(|c| c.rule.map(|r| r.code))
            .collect();
        assert_eq!(codes, vec![Some("LL101"), Some("LL107")]);
        assert_eq!(d[1].scope, Scope::Line(2));
        assert!(d[1].codes.is_none() && d[1].problem.is_none());
        assert_eq!(d[2].scope, Scope::File);
        assert!(d[2].codes.as_ref().unwrap()[0].rule.is_none());
        // After other comment text on a line of its own: still the next line.
        assert_eq!(d[3].scope, Scope::Line(4));
        assert!(d[4].problem.is_some());
        assert!(d[5].problem.is_some());
        assert!(d[6].problem.is_some());
    }

    #[test]
    fn delete_spans() {
        let text = "a: 1  # litellm-lint: ignore[LL101]\n  # litellm-lint: ignore[LL102]\nb: 2\n";
        let (_, s) = sups(text);
        let del = |i: usize| {
            let sp = s.directives[i].delete;
            &text[sp.start..sp.end]
        };
        assert_eq!(del(0), "  # litellm-lint: ignore[LL101]");
        assert_eq!(del(1), "  # litellm-lint: ignore[LL102]\n");
    }
}
