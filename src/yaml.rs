//! Span-aware YAML loading with PyYAML's YAML 1.1 semantics.
//!
//! `saphyr-parser` produces the event stream (with character offsets); this module turns it into
//! a tree of [`Node`]s whose every key, value and item keeps its byte span. On top of the parser
//! it models what PyYAML (the proxy's loader) does: YAML 1.1 scalars (`yes`/`no`/`on`/`off`,
//! octal `0755`, sexagesimal ints), `<<` merge keys, last-wins duplicate keys (recorded so a rule
//! can report them), rejection of TAB characters outside scalars and comments, tolerance of
//! under-indented lines inside flow collections, and single-document streams. Aliases are shared
//! (`Rc`), never copied, so an alias bomb costs nothing until something walks it; walkers use a
//! budget ([`Node::walk`]).

use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::source::{CharToByte, FileId, Span};

/// Deepest nesting accepted. PyYAML's recursive composer fails long before real configs get here.
pub const MAX_DEPTH: usize = 256;
/// Nodes a walk may visit before it gives up (alias bombs).
pub const WALK_BUDGET: usize = 200_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Rc<Vec<Node>>),
    Map(Rc<Vec<Entry>>),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    pub style: Style,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// Comments are language-neutral (suppressions read them from YAML and, later, Python).
pub use crate::source::Comment;

#[derive(Clone, Debug)]
pub struct Duplicate {
    pub key: String,
    pub first: Span,
    pub second: Span,
}

#[derive(Debug)]
pub struct YamlDoc {
    pub root: Option<Node>,
    pub comments: Vec<Comment>,
    pub duplicates: Vec<Duplicate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum YamlErrorKind {
    Syntax,
    TooDeep,
}

#[derive(Debug, Clone)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    /// Byte offset of the problem.
    pub offset: usize,
    pub message: String,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
    /// Python truthiness, as `x or default` sees it.
    pub fn is_truthy(&self) -> bool {
        match &self.value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Seq(s) => !s.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }
    /// The entry for `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.key_string() == key)
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }
    /// How Python would print this scalar as a dict key (`str(key)`).
    pub fn key_string(&self) -> String {
        match &self.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Null => "None".into(),
            Value::Seq(_) | Value::Map(_) => "<collection>".into(),
        }
    }
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }
    /// Visits this node and every descendant (keys included) depth-first, up to `budget` nodes.
    /// Returns false when the budget ran out (an alias bomb or a huge file).
    pub fn walk(&self, budget: &mut usize, f: &mut dyn FnMut(&Node)) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        f(self);
        match &self.value {
            Value::Seq(items) => items.iter().all(|n| n.walk(budget, f)),
            Value::Map(entries) => entries
                .iter()
                .all(|e| e.key.walk(budget, f) && e.value.walk(budget, f)),
            _ => true,
        }
    }
}

/// The route of keys and indexes from `root` to the deepest node whose span holds `offset`,
/// such as `router_settings.fallbacks[0].gpt-4o`: a place that survives lines added above it.
/// Keys that are not plain words are quoted (`["a.b"]`). `None` when the offset is in no entry
/// or item (a comment between sections, the root itself).
pub fn path_at(root: &Node, offset: usize) -> Option<String> {
    fn holds(span: Span, offset: usize) -> bool {
        span.start <= offset
            && (offset < span.end || (span.start == span.end && offset == span.start))
    }
    let mut out = String::new();
    let mut node = root;
    for _ in 0..MAX_DEPTH {
        let next = match &node.value {
            Value::Map(entries) => entries
                .iter()
                .find(|e| holds(e.key.span, offset) || holds(e.value.span, offset))
                .map(|e| {
                    let k = e.key.key_string();
                    let plain = !k.is_empty()
                        && k.chars().all(|c| {
                            c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | ':' | '*')
                        });
                    if plain {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(&k);
                    } else {
                        out.push_str(&format!("[{}]", serde_json::Value::String(k)));
                    }
                    if holds(e.key.span, offset) {
                        &e.key
                    } else {
                        &e.value
                    }
                }),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find(|(_, n)| holds(n.span, offset))
                .map(|(i, n)| {
                    out.push_str(&format!("[{i}]"));
                    n
                }),
            _ => None,
        };
        match next {
            Some(n) if !std::ptr::eq(n, node) => node = n,
            _ => break,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Resolves a plain scalar the way PyYAML's resolver does (YAML 1.1).
pub fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = resolve_int(s) {
        return Value::Int(v);
    }
    if let Some(v) = resolve_float(s) {
        return Value::Float(v);
    }
    Value::Str(s.to_string())
}

fn split_sign(s: &str) -> (i64, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (-1, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (1, r)
    } else {
        (1, s)
    }
}

fn resolve_int(s: &str) -> Option<i64> {
    let (sign, body) = split_sign(s);
    if body.is_empty() {
        return None;
    }
    let digits = |b: &str, radix: u32| -> Option<i64> {
        let clean: String = b.chars().filter(|&c| c != '_').collect();
        if clean.is_empty() || !b.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        i64::from_str_radix(&clean, radix).ok()
    };
    if let Some(b) = body.strip_prefix("0b") {
        return digits(b, 2).map(|v| sign * v);
    }
    if let Some(b) = body.strip_prefix("0x") {
        return digits(b, 16).map(|v| sign * v);
    }
    if body == "0" {
        return Some(0);
    }
    if let Some(b) = body.strip_prefix('0') {
        return digits(b, 8).map(|v| sign * v);
    }
    if body.contains(':') {
        // sexagesimal: [1-9][0-9_]*(:[0-5]?[0-9])+
        let mut parts = body.split(':');
        let first = parts.next()?;
        if !first.starts_with(|c: char| ('1'..='9').contains(&c)) {
            return None;
        }
        let mut v = digits(first, 10)?;
        for p in parts {
            if p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let d: i64 = p.parse().ok()?;
            if d > 59 {
                return None;
            }
            v = v.checked_mul(60)?.checked_add(d)?;
        }
        return Some(sign * v);
    }
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return digits(body, 10).map(|v| sign * v);
    }
    None
}

fn resolve_float(s: &str) -> Option<f64> {
    // [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?   (PyYAML requires the dot and the exponent sign)
    let (sign, body) = split_sign(s);
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let dot = mantissa.find('.')?;
    let (int_part, frac_part) = (&mantissa[..dot], &mantissa[dot + 1..]);
    if !int_part.is_empty() && !int_part.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == '_')
        || !frac_part.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    if let Some(e) = exp {
        let digits = e.strip_prefix(['+', '-'])?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let clean: String = format!("{}.{}", int_part, frac_part)
        .chars()
        .filter(|&c| c != '_')
        .collect();
    let mut v: f64 = clean
        .trim_end_matches('.')
        .parse()
        .ok()
        .or_else(|| clean.parse().ok())?;
    if let Some(e) = exp {
        let n: i32 = e.parse().ok()?;
        v *= 10f64.powi(n);
    }
    Some(sign as f64 * v)
}

enum Frame {
    Seq {
        start: usize,
        end: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        end: usize,
        anchor: usize,
        keys: Vec<Node>,
        values: Vec<Node>,
    },
}

/// Maps character indices of a patched text back to the original text.
struct Patches {
    /// (original char index, number of chars inserted there), sorted.
    inserts: Vec<(usize, usize)>,
}

impl Patches {
    fn apply(&self, text: &str) -> String {
        if self.inserts.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut it = self.inserts.iter().peekable();
        for (ci, ch) in text.chars().enumerate() {
            while let Some(&&(pos, n)) = it.peek() {
                if pos == ci {
                    out.extend(std::iter::repeat_n(' ', n));
                    it.next();
                } else {
                    break;
                }
            }
            out.push(ch);
        }
        for &(_, n) in it {
            out.extend(std::iter::repeat_n(' ', n));
        }
        out
    }
    /// Patched char index → original char index.
    fn original(&self, patched: usize) -> usize {
        let mut shift = 0;
        for &(pos, n) in &self.inserts {
            let ppos = pos + shift;
            if patched < ppos {
                break;
            }
            if patched < ppos + n {
                return pos;
            }
            shift += n;
        }
        patched - shift
    }
}

struct Builder<'a> {
    file: FileId,
    c2b: &'a CharToByte,
    patches: &'a Patches,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    duplicates: Vec<Duplicate>,
    /// Byte ranges of quoted and block scalars (where TABs and `#` are content).
    scalar_ranges: Vec<(usize, usize)>,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn byte(&self, char_index: usize) -> usize {
        self.c2b.byte(self.patches.original(char_index))
    }

    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, end, .. }) => {
                *end = (*end).max(node.span.end);
                items.push(node);
            }
            Some(Frame::Map {
                keys, values, end, ..
            }) => {
                *end = (*end).max(node.span.end);
                if keys.len() == values.len() {
                    keys.push(node);
                } else {
                    values.push(node);
                }
            }
        }
    }

    fn finish_map(&mut self, start: usize, end: usize, keys: Vec<Node>, values: Vec<Node>) -> Node {
        let mut explicit: Vec<Entry> = Vec::with_capacity(keys.len());
        let mut merged: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (key, value) in keys.into_iter().zip(values) {
            if key.style == Style::Plain && key.as_str() == Some("<<") {
                // YAML 1.1 merge key: a mapping, or a list of mappings (earlier ones win).
                let sources: Vec<Node> = match &value.value {
                    Value::Map(_) => vec![value.clone()],
                    Value::Seq(items) => items
                        .iter()
                        .filter(|n| n.as_map().is_some())
                        .cloned()
                        .collect(),
                    _ => vec![],
                };
                for src in sources {
                    for e in src.as_map().unwrap_or(&[]) {
                        let k = e.key.key_string();
                        if !merged.iter().any(|m| m.key.key_string() == k) {
                            merged.push(e.clone());
                        }
                    }
                }
                continue;
            }
            let k = key.key_string();
            if let Some(&i) = seen.get(&k) {
                self.duplicates.push(Duplicate {
                    key: k,
                    first: explicit[i].key.span,
                    second: key.span,
                });
                explicit[i] = Entry { key, value };
            } else {
                seen.insert(k, explicit.len());
                explicit.push(Entry { key, value });
            }
        }
        for m in merged {
            if !seen.contains_key(&m.key.key_string()) {
                explicit.push(m);
            }
        }
        Node {
            value: Value::Map(Rc::new(explicit)),
            span: Span::new(self.file, start, end),
            style: Style::Plain,
        }
    }
}

fn style_of(s: ScalarStyle) -> Style {
    match s {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
        ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
    }
}

enum Attempt {
    Done(YamlDoc),
    Failed(YamlError),
    /// A line inside a flow collection is indented less than PyYAML's scanner ignores: retry with
    /// spaces inserted at this original char index.
    Indent {
        at: usize,
        add: usize,
    },
}

/// Parses one YAML file.
pub fn parse(text: &str, file: FileId) -> Result<YamlDoc, YamlError> {
    let c2b = CharToByte::new(text);
    let mut patches = Patches { inserts: vec![] };
    for _ in 0..64 {
        match attempt(text, file, &c2b, &patches) {
            Attempt::Done(doc) => return Ok(doc),
            Attempt::Failed(e) => return Err(e),
            Attempt::Indent { at, add } => {
                let pos = patches.inserts.partition_point(|&(p, _)| p < at);
                if patches.inserts.get(pos).is_some_and(|&(p, _)| p == at) {
                    patches.inserts[pos].1 += add;
                } else {
                    patches.inserts.insert(pos, (at, add));
                }
            }
        }
    }
    Err(YamlError {
        kind: YamlErrorKind::Syntax,
        offset: 0,
        message: "too many under-indented lines inside flow collections".into(),
    })
}

fn attempt(original: &str, file: FileId, c2b: &CharToByte, patches: &Patches) -> Attempt {
    let patched;
    let text: &str = if patches.inserts.is_empty() {
        original
    } else {
        patched = patches.apply(original);
        &patched
    };
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        file,
        c2b,
        patches,
        stack: Vec::new(),
        anchors: HashMap::new(),
        duplicates: Vec::new(),
        scalar_ranges: Vec::new(),
        root: None,
        documents: 0,
    };
    // Column of the innermost block collection and whether a flow collection is open.
    let mut flow_depth = 0usize;
    let mut block_cols: Vec<usize> = Vec::new();
    while let Some(res) = parser.next_event() {
        let (ev, span) = match res {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                let info = e.info();
                if flow_depth > 0 && info.starts_with("invalid indentation") {
                    let want = block_cols.last().map_or(1, |c| c + 1);
                    if m.col() < want {
                        let line_start = m.index() - m.col();
                        return Attempt::Indent {
                            at: patches.original(line_start),
                            add: want - m.col(),
                        };
                    }
                }
                let kind = if info.contains("recursion limit") {
                    YamlErrorKind::TooDeep
                } else {
                    YamlErrorKind::Syntax
                };
                return Attempt::Failed(YamlError {
                    kind,
                    offset: b.byte(m.index()),
                    message: pyyaml_message(info),
                });
            }
        };
        let (s, mut e) = (b.byte(span.start.index()), b.byte(span.end.index()));
        if let Event::Scalar(_, style, _, _) = &ev {
            e = scalar_end(original, s, e, *style, span.start.col());
        }
        match ev {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                b.documents += 1;
                if b.documents > 1 {
                    return Attempt::Failed(YamlError {
                        kind: YamlErrorKind::Syntax,
                        offset: s,
                        message:
                            "expected a single document in the stream, but found another document"
                                .into(),
                    });
                }
            }
            Event::Alias(id) => match b.anchors.get(&id).cloned() {
                Some(mut node) => {
                    // The alias stands here; its content stays where the anchor defined it.
                    if !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
                        node.span = Span::new(file, s, e);
                    }
                    b.push(node, 0);
                }
                None => {
                    return Attempt::Failed(YamlError {
                        kind: YamlErrorKind::Syntax,
                        offset: s,
                        message: "found undefined alias".into(),
                    });
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                let st = style_of(style);
                if st != Style::Plain {
                    b.scalar_ranges.push((s, e));
                }
                let v = match (&tag, st) {
                    (Some(t), _) if t.is_yaml_core_schema() || t.handle == "!!" => {
                        match t.suffix.as_str() {
                            "str" => Value::Str(value.to_string()),
                            "int" | "float" | "bool" | "null" => resolve_plain(&value),
                            _ => Value::Str(value.to_string()),
                        }
                    }
                    (_, Style::Plain) => resolve_plain(&value),
                    _ => Value::Str(value.to_string()),
                };
                b.push(
                    Node {
                        value: v,
                        span: Span::new(file, s, e),
                        style: st,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= MAX_DEPTH {
                    return Attempt::Failed(YamlError {
                        kind: YamlErrorKind::TooDeep,
                        offset: s,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                let is_flow = e > s && matches!(original.as_bytes().get(e - 1), Some(b'[' | b'{'));
                if is_flow {
                    flow_depth += 1;
                } else {
                    block_cols.push(span.start.col());
                }
                if matches!(ev, Event::SequenceStart(..)) {
                    b.stack.push(Frame::Seq {
                        start: s,
                        end: e,
                        anchor,
                        items: vec![],
                    });
                } else {
                    b.stack.push(Frame::Map {
                        start: s,
                        end: e,
                        anchor,
                        keys: vec![],
                        values: vec![],
                    });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let is_flow = e > s && matches!(original.as_bytes().get(e - 1), Some(b']' | b'}'));
                if is_flow {
                    flow_depth = flow_depth.saturating_sub(1);
                } else {
                    block_cols.pop();
                }
                let frame = b.stack.pop();
                let (node, anchor) = match frame {
                    Some(Frame::Seq {
                        start,
                        end,
                        anchor,
                        items,
                    }) => {
                        let end = if is_flow { e } else { end };
                        (
                            Node {
                                value: Value::Seq(Rc::new(items)),
                                span: Span::new(file, start, end),
                                style: Style::Plain,
                            },
                            anchor,
                        )
                    }
                    Some(Frame::Map {
                        start,
                        end,
                        anchor,
                        keys,
                        mut values,
                    }) => {
                        let end = if is_flow { e } else { end };
                        if values.len() < keys.len() {
                            values.push(Node {
                                value: Value::Null,
                                span: Span::new(file, end, end),
                                style: Style::Plain,
                            });
                        }
                        (b.finish_map(start, end, keys, values), anchor)
                    }
                    None => continue,
                };
                b.push(node, anchor);
            }
        }
    }
    if let Some(off) = stray_tab(original, c2b, patches, &b.scalar_ranges) {
        return Attempt::Failed(YamlError {
            kind: YamlErrorKind::Syntax,
            offset: off,
            message: "found character '\\t' that cannot start any token".into(),
        });
    }
    let comments = find_comments(original, file, &b.scalar_ranges);
    Attempt::Done(YamlDoc {
        root: b.root,
        comments,
        duplicates: b.duplicates,
    })
}

/// The real end of a quoted or block scalar (saphyr's end marker can run over a trailing comment
/// or the lines after a block scalar).
fn scalar_end(text: &str, start: usize, end: usize, style: ScalarStyle, col: usize) -> usize {
    let bytes = text.as_bytes();
    match style {
        ScalarStyle::Plain => end,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            // Skip tag/anchor text before the opening quote.
            let q = if style == ScalarStyle::SingleQuoted {
                b'\''
            } else {
                b'"'
            };
            let Some(open) = bytes[start..]
                .iter()
                .position(|&c| c == q)
                .map(|p| start + p)
            else {
                return end;
            };
            let mut i = open + 1;
            while i < bytes.len() {
                if q == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            end
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            // Content lines are blank or indented at least as far as the first content line.
            let mut last = start;
            let mut line_start = start - col.min(start);
            while line_start < bytes.len() {
                let line_end = text[line_start..]
                    .find('\n')
                    .map_or(text.len(), |p| line_start + p);
                let line = &text[line_start..line_end];
                let indent = line.len() - line.trim_start_matches(' ').len();
                if !line.trim().is_empty() {
                    if indent < col && line_start > start - col.min(start) {
                        break;
                    }
                    last = line_end;
                }
                line_start = line_end + 1;
            }
            last.max(start)
        }
    }
}

/// saphyr's wording, phrased the way PyYAML users know it where they differ.
fn pyyaml_message(info: &str) -> String {
    info.to_string()
}

fn in_ranges(ranges: &[(usize, usize)], off: usize) -> bool {
    // ranges are in document order and do not overlap
    let i = ranges.partition_point(|&(_, e)| e <= off);
    ranges.get(i).is_some_and(|&(s, _)| s <= off)
}

/// Byte offset of the first `#` starting a comment on the line holding `line_start`, if any.
fn comment_start(text: &str, line_start: usize, ranges: &[(usize, usize)]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = line_start;
    while i < bytes.len() && bytes[i] != b'\n' {
        if bytes[i] == b'#'
            && !in_ranges(ranges, i)
            && (i == line_start || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// PyYAML rejects a TAB anywhere outside quoted/block scalar content and comments.
fn stray_tab(
    text: &str,
    _c2b: &CharToByte,
    _p: &Patches,
    ranges: &[(usize, usize)],
) -> Option<usize> {
    let bytes = text.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if c != b'\t' || in_ranges(ranges, i) {
            continue;
        }
        let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
        match comment_start(text, line_start, ranges) {
            Some(h) if h < i => continue,
            _ => {}
        }
        // A TAB on a line that holds nothing else is whitespace PyYAML skips as a line break.
        let line_end = text[i..].find('\n').map_or(text.len(), |p| i + p);
        if text[line_start..line_end]
            .trim_matches([' ', '\t', '\r'])
            .is_empty()
        {
            continue;
        }
        return Some(i);
    }
    None
}

fn find_comments(text: &str, file: FileId, ranges: &[(usize, usize)]) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (line, l) in text.split('\n').enumerate() {
        if l.contains('#')
            && let Some(h) = comment_start(text, line_start, ranges)
        {
            let end = line_start + l.trim_end_matches('\r').len();
            out.push(Comment {
                span: Span::new(file, h, end),
                text: text[h + 1..end].to_string(),
                line,
                own_line: text[line_start..h].trim().is_empty(),
            });
        }
        line_start += l.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Node {
        parse(s, FileId(0)).unwrap().root.unwrap()
    }

    #[test]
    fn yaml11_scalars() {
        let n = load(
            "a: yes\nb: off\nc: 0755\nd: 1e3\ne: 1.5e+3\nf: ~\ng: '0755'\nh: 1:30\ni: 0x1F\nj: .5\n",
        );
        assert!(matches!(n.get("a").unwrap().value, Value::Bool(true)));
        assert!(matches!(n.get("b").unwrap().value, Value::Bool(false)));
        assert!(matches!(n.get("c").unwrap().value, Value::Int(493)));
        assert_eq!(n.get("d").unwrap().as_str(), Some("1e3"));
        assert_eq!(n.get("e").unwrap().as_f64(), Some(1500.0));
        assert!(n.get("f").unwrap().is_null());
        assert_eq!(n.get("g").unwrap().as_str(), Some("0755"));
        assert_eq!(n.get("h").unwrap().as_i64(), Some(90));
        assert_eq!(n.get("i").unwrap().as_i64(), Some(31));
        assert_eq!(n.get("j").unwrap().as_f64(), Some(0.5));
    }

    #[test]
    fn spans_are_bytes_after_non_ascii() {
        let text = "# é comment\nkey: value\n";
        let n = load(text);
        let e = n.entry("key").unwrap();
        assert_eq!(&text[e.key.span.start..e.key.span.end], "key");
        assert_eq!(&text[e.value.span.start..e.value.span.end], "value");
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let d = parse(
            "base: &b\n  x: 1\n  y: 2\nm:\n  <<: *b\n  y: 3\n  z: 4\n  z: 5\n",
            FileId(0),
        )
        .unwrap();
        let m = d.root.as_ref().unwrap().get("m").unwrap().clone();
        assert_eq!(m.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("y").unwrap().as_i64(), Some(3));
        assert_eq!(m.get("z").unwrap().as_i64(), Some(5));
        assert_eq!(d.duplicates.len(), 1);
        assert_eq!(d.duplicates[0].key, "z");
    }

    #[test]
    fn tabs_like_pyyaml() {
        assert!(parse("x: a\tb\n", FileId(0)).is_err());
        assert!(parse("x: 1 \t# c\n", FileId(0)).is_err());
        assert!(parse("x: \"a\tb\"\n", FileId(0)).is_ok());
        assert!(parse("x: 1 # a\tb\n", FileId(0)).is_ok());
        assert!(parse("x: |\n  a\tb\n", FileId(0)).is_ok());
    }

    #[test]
    fn flow_collection_under_indented_close() {
        let text = "a:\n  b: 1\nenv: {\n    # comment\n}\nc: 2\n";
        let d = parse(text, FileId(0)).unwrap();
        let r = d.root.unwrap();
        assert_eq!(r.get("c").unwrap().as_i64(), Some(2));
        let c = r.entry("c").unwrap();
        assert_eq!(&text[c.key.span.start..c.key.span.end], "c");
        assert_eq!(d.comments.len(), 1);
    }

    #[test]
    fn comments_found_outside_scalars() {
        let d = parse("a: 'x # y' # real\nb: http://h#x\n# own\n", FileId(0)).unwrap();
        let texts: Vec<_> = d
            .comments
            .iter()
            .map(|c| c.text.trim().to_string())
            .collect();
        assert_eq!(texts, vec!["real", "own"]);
    }

    #[test]
    fn alias_bomb_is_cheap_and_walk_is_bounded() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let root = load(&s);
        let mut budget = 10_000;
        assert!(!root.walk(&mut budget, &mut |_| {}));
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let s = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(&s, FileId(0)).unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::TooDeep);
    }

    #[test]
    fn paths_of_offsets() {
        let text = "model_list:\n  - model_name: a\nrouter_settings:\n  fallbacks: [{gpt-4o: [a, b]}]\n  \"x.y\": 1\n# end\n";
        let root = load(text);
        let at = |needle: &str| path_at(&root, text.find(needle).unwrap());
        assert_eq!(
            at("model_name").as_deref(),
            Some("model_list[0].model_name")
        );
        assert_eq!(
            at("b]").as_deref(),
            Some("router_settings.fallbacks[0].gpt-4o[1]")
        );
        assert_eq!(
            at("gpt-4o").as_deref(),
            Some("router_settings.fallbacks[0].gpt-4o")
        );
        assert_eq!(at("\"x.y\"").as_deref(), Some("router_settings[\"x.y\"]"));
        assert_eq!(at("# end"), None);
    }

    #[test]
    fn multi_document_is_an_error() {
        assert!(parse("a: 1\n---\nb: 2\n", FileId(0)).is_err());
    }
}
