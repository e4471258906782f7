//! ## What it does
//! Reports literal secrets in LiteLLM configs (and the files they include), compose files, CI
//! workflows, Helm values, Dockerfiles and committed dotenv files (`.env`, `prod.env`; not a
//! `.env.example`, and not one git ignores): provider API keys recognised by their shape
//! (`sk-…`, `sk-ant-…`, `AIza…`, `AKIA…`, `xai-…`, `gsk_…`, `hf_…`, ..., also inside a longer
//! string such as a header), private keys, the proxy's `master_key`, random-looking values
//! under credential keys (`api_key`, `*_API_KEY`, `*_SECRET`, `*_PASSWORD`, `*_TOKEN`), and
//! passwords in database URLs (`postgresql://user:pass@host`).
//!
//! Placeholders are not reported: templated values (`os.environ/X`, `${X}`, `${{ secrets.X }}`,
//! `<your-key>`), values with a placeholder word (`your`, `example`, `changeme`, `fake`,
//! `dummy`, `test`, `local`, `dev`, `xxx`, ...), short ones (`sk-1234`), sequential or
//! repeated runs (`sk-12345`, `sk-1234567890abcdef...`), default database passwords (equal to
//! the user, `password`, `postgres`, ...) and databases on `localhost`. `src/secrets.rs` holds
//! the exact rule.
//!
//! No output ever contains the secret: not the message, not a label, not a fix, and the source
//! lines shown by the human format print `****` in its place (for every rule's findings).
//!
//! ## Why is this bad?
//! Anyone who can read the repository (or an image built from it, or a CI log) can use the key:
//! provider keys cost money and leak data, the master key is an admin login to the proxy, a
//! database password opens the spend logs and virtual keys. Deleting the line later does not
//! help: the value stays in the history.
//!
//! ## Example
//! ```yaml
//! model_list:
//!   - model_name: gpt
//!     litellm_params: {model: openai/gpt-5, api_key: sk-proj-…}
//! general_settings:
//!   master_key: sk-prod-admin-7Qm2
//! ```
//!
//! ## Fix
//! Rotate the secret, then reference a variable: `os.environ/OPENAI_API_KEY` in a LiteLLM
//! config, `${OPENAI_API_KEY}` in compose (with the value in a `.env` that is not committed),
//! `${{ secrets.OPENAI_API_KEY }}` in a GitHub workflow, a Kubernetes Secret in
//! `environmentSecrets` with Helm. The unsafe fix rewrites a config value to
//! `os.environ/NAME`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::rules::{Rule, RuleMeta};
use crate::secrets::{self, KeyClass, Kind};
use crate::source::{FileId, SourceMap, Span};
use crate::yaml::{Node, Value};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL601",
        name: "hardcoded-secret",
        severity: Severity::Error,
        summary: "a literal API key, master key or database password in a config, compose file or workflow",
        source: include_str!("ll601_hardcoded_secret.rs"),
        fixable: true,
    },
    check: None,
};

/// One secret to report.
#[derive(Clone, Debug)]
pub struct Finding {
    pub span: Span,
    pub kind: Kind,
    /// The key it is the value of.
    pub key: Option<String>,
    /// The whole scalar (for the fix), when the secret is all of it and the file is a LiteLLM
    /// config.
    pub value_span: Option<Span>,
}

/// The variable a fix (and the help) points at: the key itself when it is a variable name
/// (`OPENAI_API_KEY: sk-...` in compose), else one named after the provider or the setting.
fn variable_for(kind: &Kind, key: Option<&str>) -> String {
    if let Some(k) = key
        && k.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && crate::env::shell::is_var_name(k)
    {
        return k.to_string();
    }
    match kind {
        Kind::MasterKey => "LITELLM_MASTER_KEY".into(),
        Kind::ProviderKey(p) => match *p {
            "OpenAI" | "`sk-`" => "OPENAI_API_KEY".into(),
            "Anthropic" => "ANTHROPIC_API_KEY".into(),
            "Google" => "GEMINI_API_KEY".into(),
            "xAI" => "XAI_API_KEY".into(),
            "Groq" => "GROQ_API_KEY".into(),
            "OpenRouter" => "OPENROUTER_API_KEY".into(),
            "Hugging Face" => "HUGGINGFACE_API_KEY".into(),
            "Perplexity" => "PERPLEXITYAI_API_KEY".into(),
            "NVIDIA" => "NVIDIA_NIM_API_KEY".into(),
            "Cerebras" => "CEREBRAS_API_KEY".into(),
            "AWS" => "AWS_ACCESS_KEY_ID".into(),
            other => format!("{}_API_KEY", other.to_ascii_uppercase().replace(' ', "_")),
        },
        _ => key
            .map(|k| k.to_ascii_uppercase().replace('-', "_"))
            .unwrap_or_else(|| "SECRET".into()),
    }
}

/// The exact span of `text` inside a scalar node's source (the whole node when it cannot be
/// found verbatim, e.g. after escapes or folding).
fn locate(sources: &SourceMap, node: &Node, text: &str) -> Span {
    let raw = sources.get(node.span.file).slice(node.span);
    match raw.find(text) {
        Some(i) if !text.is_empty() => Span::new(
            node.span.file,
            node.span.start + i,
            node.span.start + i + text.len(),
        ),
        _ => node.span,
    }
}

fn scan_string(
    sources: &mut SourceMap,
    node: &Node,
    s: &str,
    key: Option<&str>,
    config: bool,
    full: bool,
    out: &mut Vec<Finding>,
) {
    let mut any = false;
    for (f, reportable) in secrets::find_all(s) {
        if reportable && key.is_some_and(|k| secrets::classify_key(k) == KeyClass::Master) {
            // A master key in the shape of a provider key is still the master key.
            let text = &s[f.start..f.end];
            let span = locate(sources, node, text);
            sources.add_secret(span);
            any = true;
            out.push(Finding {
                span,
                kind: Kind::MasterKey,
                key: key.map(str::to_string),
                value_span: config.then_some(node.span),
            });
            continue;
        }
        let text = &s[f.start..f.end];
        let span = locate(sources, node, text);
        sources.add_secret(span);
        any = true;
        if reportable {
            let whole = f.start == 0 && f.end == s.len() || f.kind == Kind::DatabasePassword;
            // Name the key when the secret is its value (not a key inside a `run:` script).
            let named = whole
                || key.is_some_and(|k| secrets::classify_key(k) != KeyClass::Other)
                || key.is_some_and(|k| k.eq_ignore_ascii_case("authorization"));
            out.push(Finding {
                span,
                kind: f.kind,
                key: key.filter(|_| named).map(str::to_string),
                value_span: (config && whole).then_some(node.span),
            });
        }
    }
    if any {
        return;
    }
    let Some(k) = key else { return };
    let class = secrets::classify_key(k);
    let lower = k.to_ascii_lowercase();
    let litellm_name = lower.contains("litellm") || lower.contains("api_key");
    if class == KeyClass::Other
        || (!full && class == KeyClass::Password)
        || (!full && class == KeyClass::Credential && !litellm_name)
    {
        return;
    }
    if let Some(kind) = secrets::value_is_secret(class, s) {
        let span = locate(sources, node, s.trim());
        record(sources, out, span, kind, k, config.then_some(node.span));
    }
}

struct Walk<'a> {
    config: bool,
    /// Credentials by name count only inside these spans (`None`: everywhere).
    full_within: Option<&'a [Span]>,
    budget: usize,
}

impl Walk<'_> {
    fn full(&self, n: &Node) -> bool {
        self.full_within.is_none_or(|spans| {
            spans
                .iter()
                .any(|s| s.file == n.span.file && s.start <= n.span.start && n.span.end <= s.end)
        })
    }

    fn walk(
        &mut self,
        sources: &mut SourceMap,
        node: &Node,
        key: Option<&str>,
        out: &mut Vec<Finding>,
    ) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let full = self.full(node);
        match &node.value {
            Value::Str(s) => {
                // `NAME=value` items of a compose `environment:` list.
                if key.is_none()
                    && let Some((n, v)) = s.split_once('=')
                    && crate::env::shell::is_var_name(n)
                    && !v.is_empty()
                {
                    let v = v.trim().trim_matches(['"', '\'']);
                    scan_string(sources, node, v, Some(n), false, full, out);
                    return;
                }
                scan_string(sources, node, s, key, self.config, full, out);
            }
            Value::Seq(items) => {
                for i in items.iter() {
                    self.walk(sources, i, None, out);
                }
            }
            Value::Map(entries) => {
                for e in entries.iter() {
                    let k = e.key.key_string();
                    self.walk(sources, &e.value, Some(&k), out);
                }
            }
            _ => {}
        }
    }
}

/// Finds secrets in a YAML tree, records their ranges as secrets of the file, and collects
/// the ones to report. `config`: the file is a LiteLLM config (a fix to `os.environ/` applies).
/// `full_within`: the spans where credentials by name count (the LiteLLM services of a compose
/// file); `None` for everywhere.
pub fn scan_yaml(
    sources: &mut SourceMap,
    root: &Node,
    config: bool,
    full_within: Option<&[Span]>,
    out: &mut Vec<Finding>,
) {
    let mut w = Walk {
        config,
        full_within,
        budget: crate::yaml::WALK_BUDGET,
    };
    w.walk(sources, root, None, out);
}

/// Secrets in a Dockerfile: `ENV`/`ARG NAME=value` under credential names, and key shapes
/// anywhere.
pub fn scan_dockerfile(sources: &mut SourceMap, file: FileId, out: &mut Vec<Finding>) {
    let text = sources.get(file).text.clone();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        for (f, reportable) in secrets::find_all(body) {
            let span = Span::new(file, start + f.start, start + f.end);
            sources.add_secret(span);
            if reportable {
                // `ENV NAME=<key>`: name the variable.
                let key = body[..f.start]
                    .strip_suffix('=')
                    .and_then(|b| b.rsplit([' ', '\t']).next())
                    .filter(|n| crate::env::shell::is_var_name(n))
                    .map(str::to_string);
                out.push(Finding {
                    span,
                    kind: f.kind,
                    key,
                    value_span: None,
                });
            }
        }
        let t = body.trim_start();
        let upper = t.get(..4).map(str::to_ascii_uppercase);
        if !matches!(upper.as_deref(), Some("ENV " | "ARG ")) {
            continue;
        }
        let lead = body.len() - t.len() + 4;
        for w in crate::env::shell::split(&t[4..]).into_iter().flatten() {
            let Some((n, v)) = w.split_once('=') else {
                continue;
            };
            let class = secrets::classify_key(n);
            if class == KeyClass::Other || v.is_empty() {
                continue;
            }
            if let Some(kind) = secrets::value_is_secret(class, v)
                && let Some(i) = body[lead..].find(v)
            {
                let span = Span::new(file, start + lead + i, start + lead + i + v.len());
                if out.iter().any(|f| f.span == span) {
                    continue;
                }
                record(sources, out, span, kind, n, None);
            }
        }
    }
}

/// Secrets in a dotenv file (`NAME=value`, `export NAME="value"`): values under credential
/// names, and key shapes anywhere.
pub fn scan_dotenv(sources: &mut SourceMap, file: FileId, out: &mut Vec<Finding>) {
    let entries = crate::env::dotenv::entries(&sources.get(file).text, file);
    for e in entries {
        let Some(vs) = e.value_span else { continue };
        let raw = sources.get(file).slice(vs).to_string();
        // The value without quotes or a trailing comment.
        let trimmed = raw.trim();
        let value = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) => trimmed[1..].split(q).next().unwrap_or(""),
            _ => trimmed.split(" #").next().unwrap_or(trimmed).trim(),
        };
        let Some(at) = raw.find(value).filter(|_| !value.is_empty()) else {
            continue;
        };
        let span = Span::new(file, vs.start + at, vs.start + at + value.len());
        let class = secrets::classify_key(&e.name);
        let kind = secrets::find_all(value)
            .into_iter()
            .find(|(_, reportable)| *reportable)
            .map(|(f, _)| f.kind)
            .or_else(|| {
                (class != KeyClass::Other)
                    .then(|| secrets::value_is_secret(class, value))
                    .flatten()
            });
        if let Some(kind) = kind {
            record(sources, out, span, kind, &e.name, None);
        }
    }
}

/// Records a secret found under `key`: masked in the file, and a finding that names the key.
fn record(
    sources: &mut SourceMap,
    out: &mut Vec<Finding>,
    span: Span,
    kind: Kind,
    key: &str,
    value_span: Option<Span>,
) {
    sources.add_secret(span);
    let kind = match kind {
        Kind::Credential(_) => Kind::Credential(key.to_string()),
        other => other,
    };
    out.push(Finding {
        span,
        kind,
        key: Some(key.to_string()),
        value_span,
    });
}

pub fn report(findings: &[Finding], sources: &SourceMap, out: &mut Vec<Diagnostic>) {
    // One finding per value and file: the value's other places are labels.
    let mut reported: Vec<(FileId, &str, usize)> = Vec::new();
    for f in findings {
        let provider = matches!(f.kind, Kind::ProviderKey(_) | Kind::PrivateKey);
        // A test harness's master keys and service passwords guard throwaway local stacks.
        if !provider && crate::source::is_test_path(&sources.get(f.span.file).path) {
            continue;
        }
        let text = sources.get(f.span.file).slice(f.span);
        if let Some((_, _, i)) = reported
            .iter()
            .find(|(file, t, _)| *file == f.span.file && *t == text)
        {
            let i = *i;
            out[i] = out[i].clone().label(
                f.span,
                "the same value again: rotate and replace it here too",
            );
            continue;
        }
        reported.push((f.span.file, text, out.len()));
        let severity = match f.kind {
            Kind::ProviderKey(_) | Kind::PrivateKey => Severity::Error,
            _ => Severity::Warning,
        };
        let place = match &f.key {
            Some(k) => format!("`{k}` holds a literal {}", f.kind.describe()),
            None => format!("a literal {} is written here", f.kind.describe()),
        };
        let var = variable_for(&f.kind, f.key.as_deref());
        let mut d = Diagnostic::new(
            &RULE.meta,
            f.span,
            format!("{place}: anyone who can read this file can use it"),
        )
        .severity(severity)
        .help(if crate::source::is_dotenv_name(&sources.get(f.span.file).path) {
            "rotate it, then keep the file out of the repository (`git rm --cached`, and list it in `.gitignore`); commit a `.env.example` with placeholders instead".to_string()
        } else {
            format!(
                "rotate it, then reference a variable: `os.environ/{var}` in a LiteLLM config, `${{{var}}}` in compose, `${{{{ secrets.{var} }}}}` in a GitHub workflow"
            )
        });
        if let Some(vs) = f.value_span {
            d = d.fix(
                Applicability::Unsafe,
                format!("Read it from `os.environ/{var}` (set the variable first)"),
                vec![Edit {
                    span: vs,
                    content: format!("os.environ/{var}"),
                }],
            );
        }
        out.push(d);
    }
}
