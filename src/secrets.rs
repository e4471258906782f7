//! Literal secrets: what counts as one, what is a placeholder, and how their text is kept out of
//! every output.
//!
//! Three kinds are recognised:
//! * **Provider keys** by shape, anywhere inside a string: `sk-…` (OpenAI, also `sk-proj-`,
//!   `sk-svcacct-`, `sk-admin-`, DeepSeek, OpenRouter `sk-or-v1-`), `sk-ant-…` (Anthropic),
//!   `sk-lf-…` (Langfuse), `AIza…` (Google), `AKIA…`/`ASIA…` (AWS), `xai-…`, `gsk_…` (Groq),
//!   `hf_…`, `r8_…`, `pplx-…`, `nvapi-…`, `csk-…`, `tvly-…`, `ghp_…`/`github_pat_…`, and PEM
//!   private keys. A match needs the provider's minimum length and a random-looking body
//!   (letters and digits, enough distinct characters, no sequential run).
//! * **Credentials by name**: the value of a key such as `master_key`, `api_key`,
//!   `*_API_KEY`, `*_SECRET*`, `*PASSWORD*`, `*_TOKEN`: a master key when it is not a
//!   placeholder, anything else when it looks random (16+ characters, letters and digits, no
//!   spaces, not a path or URL).
//! * **Database URLs with a password** (`postgresql://user:pass@host`, also MySQL, Redis,
//!   MongoDB, AMQP).
//!
//! A value is a **placeholder**, never reported, when it is templated (`${X}`, `$(X)`,
//! `{{ x }}`, `<x>`, `os.environ/X`), contains a placeholder word (`your`, `example`,
//! `changeme`, `change_me`, `changeit`, `replace`, `placeholder`, `dummy`, `fake`, `sample`,
//! `xxx`, `...`, `redacted`, `insert`, `todo`, `mock`, `test`, `demo`, `local`, `dev`,
//! `anything`, `none`, `empty`), has a body shorter than 8 characters after its prefix
//! (`sk-1234`, `sk-7654`), or is a sequential or repeated run (`sk-12345`,
//! `sk-1234567890abcdef1234567890abcdef`, `xxxxxxxx`). A database password is also a
//! placeholder when it equals the user name, is a well-known default (`password`, `postgres`,
//! `litellm`, `admin`, `root`, `secret`, ...), or the host is the developer's own machine
//! (`localhost`, `127.0.0.1`).
//! A value with a sequential or repeated part (`master-key-123456`, `abc-123`) is a placeholder.
//!
//! Masking: every loaded file records the byte ranges of the secrets found in it (by shape when
//! the file is added to the [`SourceMap`], by name when its YAML tree is scanned); renderers
//! print `****` there, and [`scrub_diagnostics`] removes any secret text from messages, labels,
//! notes and help of every diagnostic, whatever rule produced it.

use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// What a masked secret is shown as.
pub const MASK: &str = "****";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A provider key recognised by its shape (the provider's name).
    ProviderKey(&'static str),
    /// The proxy's `master_key` (or `LITELLM_MASTER_KEY`).
    MasterKey,
    /// The password of a database URL.
    DatabasePassword,
    /// A random-looking value under a credential-like key (the key).
    Credential(String),
    /// A PEM private key.
    PrivateKey,
}

impl Kind {
    pub fn describe(&self) -> String {
        match self {
            Kind::ProviderKey("`sk-`") => {
                "`sk-…` API key (OpenAI, DeepSeek, a LiteLLM virtual key, ...)".into()
            }
            Kind::ProviderKey(p) => format!("{p} API key"),
            Kind::MasterKey => "LiteLLM master key".into(),
            Kind::DatabasePassword => "database password".into(),
            Kind::Credential(_) => "credential".into(),
            Kind::PrivateKey => "private key".into(),
        }
    }
}

/// A secret inside a string: byte range relative to the string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

struct Shape {
    provider: &'static str,
    prefix: &'static str,
    /// Minimum body length after the prefix.
    min: usize,
    /// Exact body length, when the provider fixes it.
    exact: Option<usize>,
    upper_digits_only: bool,
}

const SHAPES: &[Shape] = &[
    shape("Anthropic", "sk-ant-", 32),
    shape("OpenRouter", "sk-or-v1-", 32),
    shape("Langfuse", "sk-lf-", 20),
    shape("OpenAI", "sk-proj-", 32),
    shape("OpenAI", "sk-svcacct-", 32),
    shape("OpenAI", "sk-admin-", 32),
    shape("`sk-`", "sk-", 20),
    fixed("Google", "AIza", 35, false),
    fixed("AWS", "AKIA", 16, true),
    fixed("AWS", "ASIA", 16, true),
    shape("xAI", "xai-", 32),
    shape("Groq", "gsk_", 32),
    shape("Hugging Face", "hf_", 30),
    shape("Replicate", "r8_", 30),
    shape("Perplexity", "pplx-", 32),
    shape("NVIDIA", "nvapi-", 32),
    shape("Cerebras", "csk-", 32),
    shape("Tavily", "tvly-", 24),
    shape("GitHub", "github_pat_", 40),
    shape("GitHub", "ghp_", 30),
];

/// A key whose body after the prefix has exactly `len` characters (only upper-case letters
/// and digits when `upper_digits_only`).
const fn fixed(
    provider: &'static str,
    prefix: &'static str,
    len: usize,
    upper_digits_only: bool,
) -> Shape {
    Shape {
        provider,
        prefix,
        min: len,
        exact: Some(len),
        upper_digits_only,
    }
}

const fn shape(provider: &'static str, prefix: &'static str, min: usize) -> Shape {
    Shape {
        provider,
        prefix,
        min,
        exact: None,
        upper_digits_only: false,
    }
}

const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "example",
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "replace",
    "placeholder",
    "dummy",
    "fake",
    "sample",
    "xxx",
    "...",
    "redacted",
    "insert",
    "todo",
    "mock",
    "test",
    "demo",
    "local",
    "dev",
    "anything",
    "none",
    "empty",
    "not-real",
    "not_real",
    "notreal",
    "spike",
];

/// Passwords that are defaults, not secrets.
const DEFAULT_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "postgres",
    "postgrespassword",
    "mysql",
    "litellm",
    "admin",
    "root",
    "secret",
    "changeme",
    "changeit",
    "example",
    "mysecretpassword",
    "redis",
    "guest",
    "minioadmin",
    // The password of LiteLLM's own docker-compose.yml, copied into many setups.
    "dbpassword9090",
];

/// A password that is a default or a demo value: equal to (or containing) the user name, a
/// well-known default, a placeholder word, or the word "password" itself.
pub fn is_default_password(password: &str, user: Option<&str>) -> bool {
    let p = password.to_ascii_lowercase();
    let u = user.map(str::to_ascii_lowercase).unwrap_or_default();
    is_templated(password)
        || PLACEHOLDER_WORDS.iter().any(|w| p.contains(w))
        || is_trivial(&p)
        || DEFAULT_PASSWORDS.contains(&p.as_str())
        || p.contains("password")
        || p.contains("passwd")
        || (u.len() >= 3 && p.contains(&u))
        || p.len() < 6
}

fn is_body_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// True when the text is templated or a placeholder (see the module docs).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || is_templated(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let body = strip_known_prefix(v);
    body.chars().count() < 8
        || is_trivial(body)
        // A sequential or repeated part (`master-key-123456`, `mcp-abc-123`): made up by hand.
        || body
            .split(['-', '_', '.'])
            .any(|seg| seg.len() >= 3 && is_trivial(seg))
}

pub fn is_templated(v: &str) -> bool {
    v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.starts_with('$')
        || (v.contains('<') && v.contains('>'))
        || v.starts_with("os.environ/")
        || v.starts_with("oidc/")
}

fn strip_known_prefix(v: &str) -> &str {
    for s in SHAPES {
        if let Some(b) = v.strip_prefix(s.prefix) {
            return b;
        }
    }
    v
}

/// A sequential or repeated run: most neighbours step by one (`1234`, `abcd`, `9` → `0` or
/// `a`), or the text repeats one character.
fn is_trivial(body: &str) -> bool {
    let b: Vec<u8> = body
        .bytes()
        .filter(|c| *c != b'-' && *c != b'_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if b.len() < 2 {
        return true;
    }
    let distinct = {
        let mut d = b.clone();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    if distinct <= 2 {
        return true;
    }
    let steps = b
        .windows(2)
        .filter(|w| {
            w[1] == w[0].wrapping_add(1)
                || (w[0] == b'9' && (w[1] == b'0' || w[1] == b'a'))
                || (w[0] == b'0' && w[1] == b'a')
                || (w[0] == b'z' && w[1] == b'a')
        })
        .count();
    steps * 10 >= (b.len() - 1) * 7
}

/// A provider key's body: mixed case with digits (base62/base64url keys), or lowercase hex of
/// 32+ characters (DeepSeek); and random-looking.
fn shape_random(body: &str) -> bool {
    let upper = body.bytes().any(|c| c.is_ascii_uppercase());
    let lower = body.bytes().any(|c| c.is_ascii_lowercase());
    let hex = body.len() >= 32
        && body
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    ((upper && lower) || hex) && looks_random(body)
}

/// A random-looking body: letters and digits, enough distinct characters, no sequential run.
fn looks_random(body: &str) -> bool {
    let letter = body.bytes().any(|c| c.is_ascii_alphabetic());
    let digit = body.bytes().any(|c| c.is_ascii_digit());
    let mut d: Vec<u8> = body.bytes().collect();
    d.sort_unstable();
    d.dedup();
    letter && digit && d.len() * 3 >= body.len().min(48) && !is_trivial(body)
}

/// Provider keys and private keys inside a string, by shape.
pub fn find_shapes(s: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut next = 0;
    // Candidate positions come from one regex over the prefixes; each is then checked in full.
    for m in prefixes().find_iter(s) {
        let i = m.start();
        if i < next || (i > 0 && is_body_char(bytes[i - 1])) {
            continue;
        }
        if m.as_str() == "-----BEGIN" {
            let Some(rest) = s[i..].find("PRIVATE KEY-----") else {
                continue;
            };
            let from = i + rest;
            let end = s[from..]
                .find("-----END")
                .and_then(|e| s[from + e..].find("KEY-----").map(|k| from + e + k + 8))
                .unwrap_or(s.len());
            out.push(Found {
                start: i,
                end,
                kind: Kind::PrivateKey,
            });
            next = end;
            continue;
        }
        if let Some((sh, end)) = SHAPES.iter().find_map(|sh| match_shape(s, i, sh)) {
            out.push(Found {
                start: i,
                end,
                kind: Kind::ProviderKey(sh.provider),
            });
            next = end;
        }
    }
    out
}

fn prefixes() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let mut alts: Vec<String> = SHAPES.iter().map(|s| regex::escape(s.prefix)).collect();
        alts.push("-----BEGIN".into());
        alts.sort();
        alts.dedup();
        Regex::new(&alts.join("|")).expect("valid pattern")
    })
}

fn match_shape<'a>(s: &str, at: usize, sh: &'a Shape) -> Option<(&'a Shape, usize)> {
    let rest = s.get(at..)?;
    if !rest.starts_with(sh.prefix) {
        return None;
    }
    let body_start = at + sh.prefix.len();
    let body_len = s.as_bytes()[body_start..]
        .iter()
        .take_while(|b| is_body_char(**b))
        .count();
    let body = &s[body_start..body_start + body_len];
    if body_len < sh.min || sh.exact.is_some_and(|e| body_len != e) {
        return None;
    }
    if sh.upper_digits_only {
        if !body
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || is_trivial(body)
        {
            return None;
        }
    } else if !shape_random(body) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    Some((sh, body_start + body_len))
}

fn db_url() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            // ASCII classes only: Unicode ones make the regex slow to build.
            r"(?i)(?-u:\b)(?:postgres(?:ql)?(?:\+[a-z0-9_]+)?|mysql(?:\+[a-z0-9_]+)?|mariadb|rediss?|mongodb(?:\+srv)?|amqps?|mssql|sqlserver)://([^ \t\r\n:/@'\x22]+):([^ \t\r\n@'\x22]+)@([^ \t\r\n/:'\x22?]+)",
        )
        .expect("valid pattern")
    })
}

/// Database URL passwords in a string: `(found, reportable)`. A templated password is not
/// returned; a default one (see [`is_default_password`]) neither; one of a database on the
/// developer's own machine is returned as not reportable (it is still masked).
pub fn find_db_passwords(s: &str) -> Vec<(Found, bool)> {
    let mut out = Vec::new();
    for c in db_url().captures_iter(s) {
        let (user, pw, host) = (&c[1], c.get(2).expect("group"), &c[3]);
        if is_templated(pw.as_str()) || is_default_password(pw.as_str(), Some(user)) {
            continue;
        }
        let reportable = !matches!(
            host.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]"
        );
        out.push((
            Found {
                start: pw.start(),
                end: pw.end(),
                kind: Kind::DatabasePassword,
            },
            reportable,
        ));
    }
    out
}

/// What a key name says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyClass {
    Master,
    /// A password: any value that is not a default.
    Password,
    /// A key or token: a random-looking value.
    Credential,
    Other,
}

pub fn classify_key(key: &str) -> KeyClass {
    // camelCase to snake_case (`masterkeySecretName` → `masterkey_secret_name`).
    let mut k = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            k.push('_');
        }
        prev_lower = c.is_ascii_lowercase();
        k.push(c.to_ascii_lowercase());
    }
    let k = k.replace('-', "_");
    if matches!(
        k.as_str(),
        "master_key" | "masterkey" | "litellm_master_key" | "proxy_master_key"
    ) {
        return KeyClass::Master;
    }
    let not_a_value = [
        "_name", "_ref", "_file", "_path", "_env", "_url", "_id", "_header", "_type", "_mode",
    ];
    if not_a_value.iter().any(|s| k.ends_with(s))
        || k.starts_with("max_")
        || k.contains("tokens")
        || k.ends_with("secretkey") && k.contains("masterkey")
    {
        return KeyClass::Other;
    }
    if k.contains("password") || k.contains("passwd") || k.ends_with("_pw") || k.ends_with("_pass")
    {
        return KeyClass::Password;
    }
    let credential = k.contains("api_key")
        || k.contains("apikey")
        || k.contains("secret")
        || k.contains("password")
        || k.contains("passwd")
        || k.ends_with("token")
        || k.contains("access_key")
        || k.contains("private_key")
        || k.ends_with("_key")
            && [
                "auth",
                "license",
                "salt",
                "encryption",
                "signing",
                "session",
            ]
            .iter()
            .any(|w| k.contains(w));
    if credential {
        KeyClass::Credential
    } else {
        KeyClass::Other
    }
}

/// A literal value under a credential-like key: is it a secret worth reporting?
pub fn value_is_secret(class: KeyClass, value: &str) -> Option<Kind> {
    let v = value.trim();
    if v.is_empty() || is_placeholder(v) {
        return None;
    }
    match class {
        KeyClass::Master => Some(Kind::MasterKey),
        KeyClass::Password => (!is_default_password(v, None)
            && !v.contains(char::is_whitespace)
            && v.chars().count() >= 8)
            .then(|| Kind::Credential(String::new())),
        KeyClass::Credential => {
            let plain = !v.contains(char::is_whitespace)
                && !v.contains("://")
                && !v.starts_with(['/', '.', '~'])
                && !v.contains('\\');
            (plain && v.chars().count() >= 16 && looks_random(v))
                .then(|| Kind::Credential(String::new()))
        }
        KeyClass::Other => None,
    }
}

/// Every secret in a string: provider shapes, private keys and database passwords (`bool`:
/// reportable, see [`find_db_passwords`]).
pub fn find_all(s: &str) -> Vec<(Found, bool)> {
    let mut out: Vec<(Found, bool)> = find_shapes(s).into_iter().map(|f| (f, true)).collect();
    for (f, r) in find_db_passwords(s) {
        if !out.iter().any(|(o, _)| o.start < f.end && f.start < o.end) {
            out.push((f, r));
        }
    }
    out.sort_by_key(|(f, _)| f.start);
    out
}

/// Byte ranges to mask in a file's raw text: provider shapes, private keys and database
/// passwords, wherever they appear (this is a safety net that needs no parsing).
pub fn text_ranges(text: &str) -> Vec<(usize, usize)> {
    find_all(text)
        .into_iter()
        .map(|(f, _)| (f.start, f.end))
        .collect()
}

/// Removes the text of every recorded secret from what the diagnostics say. A fix whose new
/// text would contain a secret is dropped (printing it would leak the secret; changing it would
/// corrupt the file).
pub fn scrub_diagnostics(sources: &SourceMap, diags: &mut [Diagnostic]) {
    let secrets = sources.secret_texts();
    if secrets.is_empty() {
        return;
    }
    let scrub = |s: &mut String| {
        if secrets.iter().any(|t| s.contains(t)) {
            for t in &secrets {
                *s = s.replace(t, MASK);
            }
        }
    };
    for d in diags {
        scrub(&mut d.message);
        for l in &mut d.labels {
            scrub(&mut l.message);
        }
        if let Some(h) = &mut d.help {
            scrub(h);
        }
        for n in &mut d.notes {
            scrub(n);
        }
        if let Some(f) = &mut d.fix {
            scrub(&mut f.message);
            if f.edits
                .iter()
                .any(|e| secrets.iter().any(|t| e.content.contains(t)))
            {
                d.fix = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_shapes() {
        let key = "sk-proj-Q3vT9xLm2PzR8sKw4YbN7cJd1FhG6aUe0VoXiWq5";
        let f = find_shapes(&format!("Bearer {key} tail"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Kind::ProviderKey("OpenAI"));
        assert_eq!(&format!("Bearer {key} tail")[f[0].start..f[0].end], key);
        assert!(find_shapes("sk-1234").is_empty());
        assert!(find_shapes("sk-1234567890abcdef1234567890abcdef").is_empty());
        assert!(find_shapes("sk-litellm-master-key-123456").is_empty());
        assert_eq!(find_shapes("sk-Mwo8Vu-yqtdy2yssBiXAtq0").len(), 1);
        assert!(find_shapes("sk-your-openai-key-goes-here-please").is_empty());
        assert!(find_shapes("task-Q3vT9xLm2PzR8sKw4YbN7cJd1FhG6").is_empty());
        assert_eq!(
            find_shapes("AKIAZ7Q3VT9XLM2PZR8S")[0].kind,
            Kind::ProviderKey("AWS")
        );
        assert!(find_shapes("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert_eq!(
            find_shapes("AIzaSyQ3vT9xLm2PzR8sKw4YbN7cJd1FhG6aUe0")[0].kind,
            Kind::ProviderKey("Google")
        );
    }

    #[test]
    fn placeholders() {
        for p in [
            "sk-1234",
            "sk-12345",
            "sk-7654",
            "sk-local",
            "sk-litellm-master-dev",
            "sk-1234567890abcdef1234567890abcdef",
            "<your-key>",
            "changeme",
            "fake-key",
            "${LITELLM_MASTER_KEY:-sk-1234}",
            "os.environ/OPENAI_API_KEY",
            "xxxxxxxxxxxx",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in ["sk-scribia-litellm", "sk-sidecar-1", "dobby-proxy"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn database_urls() {
        let f = find_db_passwords("postgresql://app:Zq8-wLm2x@db.internal:5432/litellm");
        assert_eq!(f.len(), 1);
        assert!(f[0].1);
        assert!(find_db_passwords("postgresql://user:password@localhost:5432/litellm").is_empty());
        let f = find_db_passwords("postgresql://user:Zq8-wLm2x@localhost:5432/litellm");
        assert!(!f[0].1);
        assert!(
            find_db_passwords("postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@h/db")
                .is_empty()
        );
        assert!(
            find_db_passwords("postgresql://litellm:litellm@litellm-db:5432/litellm").is_empty()
        );
        assert!(
            find_db_passwords("postgresql://llmproxy:dbpassword9090@db:5432/litellm").is_empty()
        );
    }

    #[test]
    fn keys() {
        assert_eq!(classify_key("master_key"), KeyClass::Master);
        assert_eq!(classify_key("OPENAI_API_KEY"), KeyClass::Credential);
        assert_eq!(classify_key("max_tokens"), KeyClass::Other);
        assert_eq!(classify_key("masterkeySecretName"), KeyClass::Other);
        assert!(
            value_is_secret(KeyClass::Credential, "VGuAC8axfOnFXKBB7irpNDOKcDjOlnyB").is_some()
        );
        assert!(value_is_secret(KeyClass::Credential, "NoTaGrEaTpAsSwOrD").is_none());
        assert!(value_is_secret(KeyClass::Credential, "not-needed").is_none());
        assert!(value_is_secret(KeyClass::Credential, "insight-mesh-mcp-abc-123").is_none());
        assert!(value_is_secret(KeyClass::Credential, "S4Mho07/pPwkNfn80qzujQ==").is_some());
        assert_eq!(classify_key("POSTGRES_PASSWORD"), KeyClass::Password);
        assert!(value_is_secret(KeyClass::Password, "litellm2026").is_some());
        assert!(value_is_secret(KeyClass::Password, "password").is_none());
        assert!(value_is_secret(KeyClass::Password, "litellm_password11").is_none());
        assert!(is_placeholder("sk-litellm-master-key-123456"));
    }
}
