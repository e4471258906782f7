//! Source files, byte spans and line/column conversion, and the masked view of a file that
//! every renderer prints (secrets replaced by `****`, see `secrets.rs`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }
    /// The smallest span covering both (same file assumed; `self` wins otherwise).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span::new(
            self.file,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }
}

/// A `#` comment of a source file (YAML or Python), from its `#` to the end of the line.
#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Span,
    /// Text after the `#`.
    pub text: String,
    /// 0-based line.
    pub line: usize,
    /// True when nothing but whitespace precedes the comment on its line.
    pub own_line: bool,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One loaded file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user named it or as discovered (used for display).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// Byte ranges never printed (sorted, disjoint): secrets, and values of `.env` files.
    secrets: Vec<(usize, usize)>,
    /// The ranges that are secrets (not only hidden): their text is also removed from
    /// messages ([`SourceMap::scrub`]).
    scrubbed: Vec<(usize, usize)>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        let mut f = SourceFile {
            path,
            line_starts,
            secrets: vec![],
            scrubbed: vec![],
            text: String::new(),
        };
        for (s, e) in crate::secrets::text_ranges(&text) {
            f.secrets.push((s, e));
            f.scrubbed.push((s, e));
        }
        f.text = text;
        f
    }

    /// Records a secret's byte range (snapped to char boundaries, merged with overlaps): it
    /// is never printed, and its text is removed from messages.
    pub fn add_secret(&mut self, start: usize, end: usize) {
        let (s, e) = (self.clamp(start), self.clamp(end));
        if e <= s {
            return;
        }
        if !self.scrubbed.contains(&(s, e)) {
            self.scrubbed.push((s, e));
        }
        self.add_masked(s, e);
    }

    /// Records a range that is never printed (a `.env` value), without treating its text as a
    /// secret elsewhere.
    pub fn add_masked(&mut self, start: usize, end: usize) {
        let (s, e) = (self.clamp(start), self.clamp(end));
        if e <= s {
            return;
        }
        self.secrets.push((s, e));
        self.secrets.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.secrets.len());
        for &(a, b) in &self.secrets {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.secrets = merged;
    }

    pub fn secrets(&self) -> &[(usize, usize)] {
        &self.secrets
    }

    /// The text with every secret replaced by `****`.
    pub fn masked_text(&self) -> Cow<'_, str> {
        if self.secrets.is_empty() {
            return Cow::Borrowed(&self.text);
        }
        let mut out = String::with_capacity(self.text.len());
        let mut pos = 0;
        for &(s, e) in &self.secrets {
            out.push_str(&self.text[pos..s]);
            out.push_str(crate::secrets::MASK);
            pos = e;
        }
        out.push_str(&self.text[pos..]);
        Cow::Owned(out)
    }

    /// Maps a byte offset of the text to the masked text. An offset inside a secret goes to the
    /// start of its `****` (or to its end, for the end of a range).
    pub fn masked_offset(&self, offset: usize, is_end: bool) -> usize {
        let mut delta: isize = 0;
        for &(s, e) in &self.secrets {
            if offset <= s {
                break;
            }
            let mask = crate::secrets::MASK.len() as isize;
            if offset >= e {
                delta += mask - (e - s) as isize;
            } else {
                let at = (s as isize + delta) as usize;
                return if is_end { at + mask as usize } else { at };
            }
        }
        (offset as isize + delta) as usize
    }

    /// A byte range of the text mapped to the masked text.
    pub fn masked_range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.masked_offset(self.clamp(start), false);
        let e = self.masked_offset(self.clamp(end), true).max(s);
        s..e
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line_index: usize) -> usize {
        self.line_starts
            .get(line_index)
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of a 0-based line, without its line break.
    pub fn line_text(&self, line_index: usize) -> &str {
        let start = self.line_start(line_index);
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Clamps an offset into the text and onto a char boundary.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    pub fn slice(&self, span: Span) -> &str {
        let s = self.clamp(span.start);
        let e = self.clamp(span.end).max(s);
        &self.text[s..e]
    }
}

/// Every file loaded during one run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Path → file, so a lookup does not scan every file loaded.
    by_path: std::collections::HashMap<PathBuf, FileId>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_path.entry(path.clone()).or_insert(id);
        self.files.push(SourceFile::new(path, text));
        id
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    /// Records a secret's byte range in a file (see [`SourceFile::add_secret`]).
    pub fn add_secret(&mut self, span: Span) {
        self.files[span.file.0 as usize].add_secret(span.start, span.end);
    }
    /// Records a range that is never printed (see [`SourceFile::add_masked`]).
    pub fn add_masked(&mut self, span: Span) {
        self.files[span.file.0 as usize].add_masked(span.start, span.end);
    }
    /// The text of every secret (6+ bytes, longest first), for removing it from messages.
    pub fn secret_texts(&self) -> Vec<&str> {
        let mut secrets: Vec<&str> = self
            .files
            .iter()
            .flat_map(|f| f.scrubbed.iter().map(|&(a, b)| &f.text[a..b]))
            .filter(|t| t.len() >= 6)
            .collect();
        secrets.sort_by_key(|t| std::cmp::Reverse(t.len()));
        secrets.dedup();
        secrets
    }
    /// The text with every recorded secret's text replaced by `****`.
    pub fn scrub<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let secrets = self.secret_texts();
        if !secrets.iter().any(|t| s.contains(t)) {
            return Cow::Borrowed(s);
        }
        let mut out = s.to_string();
        for t in secrets {
            out = out.replace(t, crate::secrets::MASK);
        }
        Cow::Owned(out)
    }
}

/// Converts character offsets (as saphyr reports them) to byte offsets.
pub struct CharToByte {
    /// Byte offset of every char boundary, only built for non-ASCII text.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharToByte {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            CharToByte {
                table: None,
                len: text.len(),
            }
        } else {
            let mut t: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            t.push(text.len());
            CharToByte {
                table: Some(t),
                len: text.len(),
            }
        }
    }
    pub fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

/// A file of a test suite or harness (a `tests/`, `test/`, `e2e/`, `fixtures/` or `testdata/`
/// folder on its path, or a name with the word `test`, `tests` or `e2e` in it): its models, keys and services exist to exercise code, not to serve.
pub fn is_test_path(path: &std::path::Path) -> bool {
    // A file named as a test's (`config.otel-test.yaml`, `test_config.yaml`, `e2e.yaml`).
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem
        .split(['-', '_', '.'])
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "test" | "tests" | "e2e"))
    {
        return true;
    }
    path.components().any(|c| {
        matches!(
            c.as_os_str()
                .to_str()
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("tests" | "test" | "e2e" | "fixtures" | "testdata")
        )
    })
}

/// The most bytes litellm-lint reads from one file or from stdin.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a regular file's text, at most `MAX_FILE_BYTES`: a device (`/dev/zero`), a FIFO or a
/// socket is refused before it is opened, and a file that grows past the limit while it is read
/// is refused too, so no input can keep the run waiting or fill memory.
pub fn read_bounded(path: &std::path::Path) -> Result<String, String> {
    utf8(read_bytes_bounded(path)?, &format!("`{}`", path.display()))
}

/// UTF-8 text from bytes read from `what` (`` `path` `` or `stdin`), or why not.
pub fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{what} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads at most `MAX_FILE_BYTES` from `r`: `None` when there is more.
fn read_capped(r: impl std::io::Read, hint: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(hint);
    r.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// [`read_bounded`] without the UTF-8 check.
pub fn read_bytes_bounded(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(format!("`{}` is a folder, not a file", path.display()));
    }
    if !meta.is_file() {
        return Err(format!(
            "`{}` is not a regular file (a device, a FIFO or a socket): not read",
            path.display()
        ));
    }
    let too_large = |n: u64| {
        format!(
            "`{}` is {} MB, larger than the {} MB a file may be",
            path.display(),
            n / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let f = std::fs::File::open(path).map_err(cannot)?;
    read_capped(f, meta.len() as usize)
        .map_err(cannot)?
        .ok_or_else(|| too_large(MAX_FILE_BYTES + 1))
}

/// Reads stdin, at most `MAX_FILE_BYTES`.
pub fn read_stdin_bounded() -> Result<String, String> {
    let bytes = read_capped(std::io::stdin(), 0)
        .map_err(|e| format!("cannot read stdin: {e}"))?
        .ok_or_else(|| {
            format!(
                "stdin is larger than the {} MB a file may be",
                MAX_FILE_BYTES / (1024 * 1024)
            )
        })?;
    utf8(bytes, "stdin")
}

/// A path's file name, lowercased (`""` when it has none).
pub fn file_name_lower(path: &std::path::Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A dotenv file with real values by its name (`.env`, `.env.production`, `prod.env`), not a
/// template of one (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`,
/// `.env.defaults`).
pub fn is_dotenv_name(path: &std::path::Path) -> bool {
    let name = file_name_lower(path);
    (name == ".env" || name.starts_with(".env.") || name.ends_with(".env"))
        && ![
            "example", "sample", "template", "tmpl", "dist", "defaults", "tpl",
        ]
        .iter()
        .any(|w| name.contains(w))
}

/// A template by its name (`config.yaml.tmpl`, `config.template.yaml`, `config.tpl.yaml`): it is
/// rendered before use, so `${VAR}` in it is filled in.
pub fn is_template_name(path: &std::path::Path) -> bool {
    file_name_lower(path)
        .split('.')
        .any(|w| matches!(w, "tmpl" | "template" | "tpl" | "j2" | "jinja"))
}

/// A Docker Compose file by its name (`docker-compose*.yml`, `compose*.yaml`): its `include:`
/// is Compose's own, so it is a LiteLLM config only with a LiteLLM section at the top.
pub fn is_compose_name(path: &std::path::Path) -> bool {
    let name = file_name_lower(path);
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}
