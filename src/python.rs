//! Python client code: parse with tree-sitter-python (tolerant of half-edited files) and extract
//! the calls that reach a LiteLLM proxy or the LiteLLM SDK, with spans.
//!
//! Recognized shapes (litellm-reference §5): the openai SDK (`OpenAI`/`AsyncOpenAI`/
//! `AzureOpenAI` clients, `chat.completions.create`, `responses.create`), pydantic-ai (`Agent`
//! with `OpenAIChatModel`/`OpenAIModel`/`OpenAIResponsesModel` + `OpenAIProvider`/
//! `LiteLLMProvider`, `'litellm:<name>'` strings, `FallbackModel`, `run_stream`,
//! `run_stream_sync`, `iter`, `run(..., event_stream_handler=...)`), the litellm SDK
//! (`litellm.completion`/`acompletion`, `litellm_proxy/<group>` models) and langchain
//! (`ChatOpenAI`, `ChatLiteLLM`, `.stream`/`.astream`, `.with_fallbacks`).
//!
//! Indirection resolved: names assigned once in the file (module constants, locals,
//! `self.x = ...`), `os.environ.get("X", "default")` / `os.getenv("X", "default")`, and
//! keyword arguments passed through a dict literal (`**kwargs` of a literal dict).

use std::collections::HashMap;

use tree_sitter::{Node, Parser, Tree};

use crate::source::{FileId, Span};

/// A string found in the code, with where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// Where a client sends its requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseUrl {
    /// A literal URL (possibly an env default).
    Literal(Str),
    /// `os.environ["X"]`, `os.getenv("X")` without a default, or a Python name whose value
    /// is not known statically: the name only.
    Env { name: String, span: Span },
    /// The client was built without a base URL (the public OpenAI endpoint, or
    /// `OPENAI_BASE_URL`).
    Missing { ctor: Span },
    /// `os.getenv("X", "https://…")`: the variable, and the default used when it is unset.
    EnvDefault { name: String, default: Str },
    /// Not written, but the client names LiteLLM itself (a `litellm:` pydantic-ai model string):
    /// what says so.
    Implied(String),
    /// Not resolvable statically.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    OpenAi,
    PydanticAi,
    LitellmSdk,
    LangChain,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::OpenAi => "openai SDK",
            Framework::PydanticAi => "pydantic-ai",
            Framework::LitellmSdk => "litellm SDK",
            Framework::LangChain => "langchain",
        }
    }
}

/// One call that sends a model request.
#[derive(Clone, Debug)]
pub struct ClientCall {
    pub framework: Framework,
    /// The call expression (`agent.run_stream(...)`, `client.chat.completions.create(...)`).
    pub span: Span,
    /// The model name sent (prefixes such as `litellm_proxy/` or `litellm:` removed).
    pub model: Option<Str>,
    /// The call streams (and where that is decided).
    pub stream: Option<Span>,
    pub base_url: BaseUrl,
    /// The client's `max_retries` when set explicitly.
    pub max_retries: Option<(i64, Span)>,
    /// The openai-SDK-based client the call goes through (its constructor), when known:
    /// without `max_retries` it retries twice.
    pub sdk_client: Option<Span>,
    /// Fallbacks sent in the request (`extra_body={"fallbacks": [...]}` or the SDK's
    /// `fallbacks=`).
    pub request_fallbacks: Option<(Vec<Str>, Span)>,
    /// `disable_fallbacks` sent in the request.
    pub disable_fallbacks: Option<Span>,
    /// A client-side fallback wrapper (`FallbackModel`, `.with_fallbacks`).
    pub client_fallback: Option<Span>,
    /// The litellm SDK calling a provider directly (not through a proxy).
    pub direct_sdk: bool,
    /// The call goes through a `litellm.Router(...)` built in this file (its constructor).
    pub router: Option<Span>,
    /// The code expects this call to fail or checks first that it can succeed: it stands in
    /// `with pytest.raises(...)` / `self.assertRaises(...)`, or its function tests whether the
    /// model is in a list (`if model not in models: return`) before it. No rule reports a
    /// failing request there.
    pub expected_or_guarded: bool,
}

/// What one Python file holds.
#[derive(Debug, Default)]
pub struct PyFile {
    pub calls: Vec<ClientCall>,
    /// `LiteLLMProvider(...)` / `OpenAIProvider(...)` built without a base URL: the constructor
    /// span, its name, and the model name used with it when known.
    pub providers_without_base: Vec<(Span, String, Option<Str>)>,
    /// Comments: (span, text, line index, own line).
    pub comments: Vec<(Span, String)>,
    /// The file has syntax errors (the parse is partial).
    pub has_errors: bool,
    /// Quoted names in the file (`"owebui_meta"`, `'llmrouter-knn'`: identifier-like string
    /// literals): keys and values the project's own code reads or registers.
    pub names: Vec<String>,
    /// The file streams somewhere (`stream=True`, `.stream(`/`.astream(`, `run_stream`), through
    /// whatever client: evidence that the project's code makes streaming requests.
    pub streams: bool,
    /// The file mentions LiteLLM or an OpenAI client (it was parsed).
    pub mentions: bool,
    /// `litellm.Router(...)` constructors whose `model_list` is a literal, as a config tree
    /// (`model_list` at the top, the other keywords under `router_settings`) whose spans point
    /// into this file.
    pub routers: Vec<crate::yaml::Node>,
}

impl PyFile {
    /// Nothing to check or report in this file: no call site, Router, provider, or
    /// suppression comment.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
            && self.routers.is_empty()
            && self.providers_without_base.is_empty()
            && !self
                .comments
                .iter()
                .any(|(_, t)| t.contains("litellm-lint"))
    }
}

/// Words one of the recognized shapes needs in the file's text (an import or a call). Files
/// without any are not parsed: most of a repository's Python has nothing to do with LLMs.
const MARKERS: &[&str] = &[
    "openai",
    "OpenAI",
    "litellm",
    "LiteLLM",
    "pydantic_ai",
    "langchain",
    "Chat",
    "completions.create",
    "responses.create",
    "run_stream",
    "Agent",
    "ignore[",
];

/// Parses a Python file and extracts its client calls.
pub fn analyze(text: &str, file: FileId) -> PyFile {
    if !MARKERS.iter().any(|m| text.contains(m)) {
        return PyFile {
            streams: streams_somewhere(text),
            ..PyFile::default()
        };
    }
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return PyFile::default();
    }
    let Some(tree) = parser.parse(text, None) else {
        return PyFile::default();
    };
    let mut out = Analyzer::new(text, file, &tree).run();
    out.names = quoted_names(text);
    out.streams = out.calls.iter().any(|c| c.stream.is_some()) || streams_somewhere(text);
    out.mentions = true;
    out
}

/// Whether a Python text asks for a stream in any of the usual spellings.
fn streams_somewhere(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r#"stream\s*=\s*True|["']stream["']\s*:\s*True|\.a?stream(_events)?\(|run_stream"#,
        )
        .expect("valid")
    })
    .is_match(text)
}

/// Identifier-like quoted strings of a Python text (3 to 64 characters of letters, digits, `_`,
/// `-` and `.`), once each.
fn quoted_names(text: &str) -> Vec<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r#"["']([A-Za-z_][A-Za-z0-9_.\-]{2,63})["']"#).expect("valid")
    });
    let mut names: Vec<String> = re.captures_iter(text).map(|c| c[1].to_string()).collect();
    names.sort();
    names.dedup();
    names
}

/// A value an expression evaluates to, as far as we can tell.
#[derive(Clone, Debug)]
enum Val<'t> {
    Str(Str),
    Int(i64, Span),
    Bool(bool, Span),
    /// A call of a known constructor or function: its last dotted name and node.
    Call(String, Node<'t>),
    Dict(Node<'t>),
    List(Node<'t>),
    Env(String, Span),
    Unknown,
}

struct Analyzer<'t> {
    text: &'t str,
    file: FileId,
    tree: &'t Tree,
    /// Names assigned exactly once: name → value expression.
    assigned: HashMap<String, Option<Node<'t>>>,
    out: PyFile,
}

const MAX_DEPTH: usize = 12;

impl<'t> Analyzer<'t> {
    fn new(text: &'t str, file: FileId, tree: &'t Tree) -> Self {
        Analyzer {
            text,
            file,
            tree,
            assigned: HashMap::new(),
            out: PyFile::default(),
        }
    }

    fn span(&self, n: Node) -> Span {
        Span::new(self.file, n.start_byte(), n.end_byte())
    }

    fn src(&self, n: Node) -> &'t str {
        &self.text[n.start_byte()..n.end_byte()]
    }

    fn run(mut self) -> PyFile {
        let root = self.tree.root_node();
        self.out.has_errors = root.has_error();
        let mut nodes = Vec::new();
        collect(root, &mut nodes);
        // Pass 1: assignments and comments.
        for &n in &nodes {
            match n.kind() {
                "assignment" => {
                    if let (Some(left), Some(right)) = (
                        n.child_by_field_name("left"),
                        n.child_by_field_name("right"),
                    ) && matches!(left.kind(), "identifier" | "attribute")
                    {
                        let name = self.src(left).to_string();
                        self.assigned
                            .entry(name)
                            .and_modify(|v| *v = None)
                            .or_insert(Some(right));
                    }
                }
                "comment" => {
                    let s = self.span(n);
                    self.out.comments.push((s, self.src(n).to_string()));
                }
                _ => {}
            }
        }
        // Pass 2: calls.
        for &n in &nodes {
            if n.kind() == "call" {
                self.call(n);
            }
        }
        // Pass 3: calls the code expects to fail, or guards with a check of the model.
        let root = self.tree.root_node();
        let mut calls = std::mem::take(&mut self.out.calls);
        for c in &mut calls {
            if let Some(n) = root.descendant_for_byte_range(c.span.start, c.span.end) {
                c.expected_or_guarded =
                    self.expects_failure(n) || self.guarded(n, c.model.as_ref());
            }
        }
        self.out.calls = calls;
        self.out
    }

    /// Whether `n` stands in `with pytest.raises(...)` or `with self.assertRaises(...)`.
    fn expects_failure(&self, n: Node<'t>) -> bool {
        let mut at = n.parent();
        while let Some(p) = at {
            if p.kind() == "with_statement" {
                let head = p
                    .child_by_field_name("body")
                    .map_or(self.src(p), |b| &self.text[p.start_byte()..b.start_byte()]);
                if ["raises(", "assertRaises(", "assertRaisesRegex("]
                    .iter()
                    .any(|m| head.contains(m))
                {
                    return true;
                }
            }
            if p.kind() == "function_definition" {
                return false;
            }
            at = p.parent();
        }
        false
    }

    /// Whether the function around `n` tests, before `n`, whether the call's model is in some
    /// list (`if "m" not in models`, `if model in available`): the call is made only when the
    /// proxy serves the model.
    fn guarded(&self, n: Node<'t>, model: Option<&Str>) -> bool {
        let Some(model) = model else { return false };
        let mut func = n.parent();
        while let Some(p) = func {
            if p.kind() == "function_definition" {
                break;
            }
            func = p.parent();
        }
        let Some(func) = func else { return false };
        let mut nodes = Vec::new();
        collect(func, &mut nodes);
        // Names bound to the model's text in the function (`test_model = "gpt-5-nano"`).
        let quoted = |x: Node<'t>| self.string(x).is_some_and(|s| s.value == model.value);
        let holds_model = |x: Node<'t>| {
            quoted(x)
                || (x.kind() == "identifier"
                    && nodes.iter().any(|a| {
                        a.kind() == "assignment"
                            && a.child_by_field_name("left")
                                .is_some_and(|l| self.src(l) == self.src(x))
                            && a.child_by_field_name("right").is_some_and(quoted)
                    }))
        };
        nodes.iter().any(|c| {
            c.kind() == "comparison_operator"
                && c.start_byte() < n.start_byte()
                && {
                    let mut w = c.walk();
                    c.children(&mut w)
                        .any(|op| matches!(op.kind(), "in" | "not in"))
                }
                && c.named_child(0).is_some_and(holds_model)
        })
    }

    /// The dotted name of a call's function (`client.chat.completions.create`).
    fn callee(&self, call: Node<'t>) -> Option<(String, Node<'t>)> {
        let f = call.child_by_field_name("function")?;
        Some((self.src(f).split_whitespace().collect::<String>(), f))
    }

    /// Keyword arguments of a call, including those of a `**{...}` dict literal (or a name
    /// bound to one).
    fn kwargs(&self, call: Node<'t>) -> Vec<(String, Node<'t>)> {
        let mut out = Vec::new();
        let Some(args) = call.child_by_field_name("arguments") else {
            return out;
        };
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        a.child_by_field_name("name"),
                        a.child_by_field_name("value"),
                    ) {
                        out.push((self.src(k).to_string(), v));
                    }
                }
                "dictionary_splat" => {
                    if let Some(inner) = a.named_child(0)
                        && let Val::Dict(d) = self.eval(inner, 0)
                    {
                        for (k, v) in self.dict_pairs(d) {
                            out.push((k, v));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn kwarg(&self, call: Node<'t>, name: &str) -> Option<Node<'t>> {
        self.kwargs(call)
            .into_iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    fn positional(&self, call: Node<'t>, i: usize) -> Option<Node<'t>> {
        let args = call.child_by_field_name("arguments")?;
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| {
                !matches!(
                    a.kind(),
                    "keyword_argument" | "dictionary_splat" | "list_splat" | "comment"
                )
            })
            .nth(i)
    }

    fn dict_pairs(&self, d: Node<'t>) -> Vec<(String, Node<'t>)> {
        let mut out = Vec::new();
        let mut c = d.walk();
        for p in d.named_children(&mut c) {
            if p.kind() == "pair"
                && let (Some(k), Some(v)) =
                    (p.child_by_field_name("key"), p.child_by_field_name("value"))
                && let Val::Str(s) = self.eval(k, 0)
            {
                out.push((s.value, v));
            }
        }
        out
    }

    fn string(&self, n: Node<'t>) -> Option<Str> {
        if n.kind() != "string" {
            return None;
        }
        let mut c = n.walk();
        let mut value = String::new();
        for ch in n.named_children(&mut c) {
            match ch.kind() {
                "string_content" => value.push_str(self.src(ch)),
                "interpolation" => return None,
                "escape_sequence" => value.push_str(self.src(ch)),
                _ => {}
            }
        }
        Some(Str {
            value,
            span: self.span(n),
        })
    }

    fn eval(&self, n: Node<'t>, depth: usize) -> Val<'t> {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        match n.kind() {
            "string" => self.string(n).map_or(Val::Unknown, Val::Str),
            "integer" => self
                .src(n)
                .replace('_', "")
                .parse()
                .map_or(Val::Unknown, |i| Val::Int(i, self.span(n))),
            "true" => Val::Bool(true, self.span(n)),
            "false" => Val::Bool(false, self.span(n)),
            "parenthesized_expression" | "await" => n
                .named_child(0)
                .map_or(Val::Unknown, |c| self.eval(c, depth + 1)),
            "dictionary" => Val::Dict(n),
            "list" | "tuple" => Val::List(n),
            "identifier" | "attribute" => {
                let name = self.src(n);
                match self.assigned.get(name) {
                    Some(Some(v)) if v.id() != n.id() => self.eval(*v, depth + 1),
                    _ => Val::Unknown,
                }
            }
            "subscript" => {
                // os.environ["X"]
                let value = n.child_by_field_name("value").map(|v| self.src(v));
                if value == Some("os.environ")
                    && let Some(k) = n.child_by_field_name("subscript")
                    && let Some(s) = self.string(k)
                {
                    return Val::Env(s.value, self.span(n));
                }
                Val::Unknown
            }
            "call" => {
                let Some((name, _)) = self.callee(n) else {
                    return Val::Unknown;
                };
                if let Some((var, default)) = self.getenv_args(n) {
                    if let Some(d) = default {
                        let v = self.eval(d, depth + 1);
                        if matches!(v, Val::Str(_)) {
                            return v;
                        }
                    }
                    if let Some(s) = var.and_then(|k| self.string(k)) {
                        return Val::Env(s.value, self.span(n));
                    }
                    return Val::Unknown;
                }
                let last = name.rsplit('.').next().unwrap_or(&name).to_string();
                Val::Call(last, n)
            }
            _ => Val::Unknown,
        }
    }

    fn eval_kw(&self, call: Node<'t>, name: &str) -> Val<'t> {
        self.kwarg(call, name)
            .map_or(Val::Unknown, |v| self.eval(v, 0))
    }

    fn truthy_kw(&self, call: Node<'t>, name: &str) -> Option<Span> {
        match self.eval_kw(call, name) {
            Val::Bool(true, s) => Some(s),
            _ => None,
        }
    }

    fn max_retries(&self, ctor: Node<'t>) -> Option<(i64, Span)> {
        match self.eval_kw(ctor, "max_retries") {
            Val::Int(i, s) => Some((i, s)),
            _ => None,
        }
    }

    /// The variable-name and default arguments of an `os.getenv(...)` / `os.environ.get(...)`
    /// call, or `None` when `n` is no such call.
    fn getenv_args(&self, n: Node<'t>) -> Option<(Option<Node<'t>>, Option<Node<'t>>)> {
        let (name, _) = self.callee(n)?;
        if !matches!(name.as_str(), "os.environ.get" | "os.getenv" | "getenv") {
            return None;
        }
        Some((
            self.positional(n, 0),
            self.positional(n, 1).or_else(|| self.kwarg(n, "default")),
        ))
    }

    /// `os.getenv("X", "default")` / `os.environ.get("X", "default")`, also through names
    /// assigned from it: the variable's name and the default.
    fn env_default(&self, n: Node<'t>, depth: usize) -> Option<(String, Str)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match n.kind() {
            "identifier" | "attribute" => match self.assigned.get(self.src(n)) {
                Some(Some(v)) if v.id() != n.id() => self.env_default(*v, depth + 1),
                _ => None,
            },
            "parenthesized_expression" => self.env_default(n.named_child(0)?, depth + 1),
            "call" => {
                let (var, default) = self.getenv_args(n)?;
                let var = self.string(var?)?;
                match self.eval(default?, depth + 1) {
                    Val::Str(s) => Some((var.value, s)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn base_url_of(&self, ctor: Node<'t>, keys: &[&str]) -> BaseUrl {
        for k in keys {
            if let Some(v) = self.kwarg(ctor, k) {
                if let Some((name, default)) = self.env_default(v, 0) {
                    return BaseUrl::EnvDefault { name, default };
                }
                return match self.eval(v, 0) {
                    Val::Str(s) => BaseUrl::Literal(s),
                    Val::Env(name, span) => BaseUrl::Env { name, span },
                    // A value we cannot resolve, held by a name that says what it is
                    // (`settings.litellm_base_url`, `PROXY_URL`).
                    _ if matches!(v.kind(), "identifier" | "attribute") => BaseUrl::Env {
                        name: self.src(v).to_string(),
                        span: self.span(v),
                    },
                    _ => BaseUrl::Unknown,
                };
            }
        }
        BaseUrl::Missing {
            ctor: self.span(ctor),
        }
    }

    /// Fallbacks and `disable_fallbacks` in an `extra_body` dict.
    fn extra_body(&self, call: Node<'t>) -> (Option<(Vec<Str>, Span)>, Option<Span>) {
        let Val::Dict(d) = self.eval_kw(call, "extra_body") else {
            return (None, None);
        };
        let mut fallbacks = None;
        let mut disable = None;
        for (k, v) in self.dict_pairs(d) {
            match k.as_str() {
                "fallbacks" => fallbacks = self.str_list(v),
                "disable_fallbacks" => {
                    if let Val::Bool(true, s) = self.eval(v, 0) {
                        disable = Some(s);
                    }
                }
                _ => {}
            }
        }
        (fallbacks, disable)
    }

    fn str_list(&self, v: Node<'t>) -> Option<(Vec<Str>, Span)> {
        let Val::List(l) = self.eval(v, 0) else {
            return None;
        };
        let mut c = l.walk();
        let items: Vec<Str> = l
            .named_children(&mut c)
            .filter_map(|i| match self.eval(i, 0) {
                Val::Str(s) => Some(s),
                // The client-side form {"model": "name", ...}.
                Val::Dict(d) => self
                    .dict_pairs(d)
                    .into_iter()
                    .find(|(k, _)| k == "model")
                    .and_then(|(_, m)| match self.eval(m, 0) {
                        Val::Str(s) => Some(s),
                        _ => None,
                    }),
                _ => None,
            })
            .collect();
        Some((items, self.span(l)))
    }

    fn call(&mut self, n: Node<'t>) {
        let Some((name, f)) = self.callee(n) else {
            return;
        };
        let last = name.rsplit('.').next().unwrap_or(&name).to_string();
        // Providers built without a base URL.
        if matches!(last.as_str(), "LiteLLMProvider" | "OpenAIProvider") {
            let keys: &[&str] = if last == "LiteLLMProvider" {
                &["api_base", "openai_client"]
            } else {
                &["base_url", "openai_client"]
            };
            if keys.iter().all(|k| self.kwarg(n, k).is_none()) && self.positional(n, 0).is_none() {
                self.out
                    .providers_without_base
                    .push((self.span(n), last.clone(), None));
            }
        }
        if last == "Router"
            && (name == "litellm.Router" || name == "Router" || name == "router.Router")
        {
            if let Some(root) = self.router_config(n) {
                self.out.routers.push(root);
            }
            return;
        }
        if matches!(last.as_str(), "completion" | "acompletion")
            && let Some(Val::Call(ctor, c)) = self.receiver(f, 1).map(|o| self.eval(o, 0))
            && ctor == "Router"
        {
            self.router_call(n, c);
            return;
        }
        if name.ends_with("chat.completions.create") || name.ends_with("responses.create") {
            self.openai_call(n, f);
        } else if matches!(name.as_str(), "litellm.completion" | "litellm.acompletion") {
            self.litellm_call(n);
        } else if matches!(
            last.as_str(),
            "run_stream" | "run_stream_sync" | "iter" | "run" | "run_sync" | "run_stream_events"
        ) {
            self.pydantic_call(n, f, &last);
        } else if matches!(
            last.as_str(),
            "stream" | "astream" | "invoke" | "ainvoke" | "astream_events"
        ) {
            self.langchain_call(n, f, &last);
        }
    }

    /// A `Router(...)` call as a config tree, when its `model_list` is a literal list.
    fn router_config(&self, call: Node<'t>) -> Option<crate::yaml::Node> {
        use crate::yaml::{Entry, Node as YNode, Style, Value};
        use std::rc::Rc;
        let args = call.child_by_field_name("arguments")?;
        let mut c = args.walk();
        let mut top = Vec::new();
        let mut router = Vec::new();
        let mut router_span = None;
        for a in args.named_children(&mut c) {
            if a.kind() != "keyword_argument" {
                continue;
            }
            let (Some(k), Some(v)) = (
                a.child_by_field_name("name"),
                a.child_by_field_name("value"),
            ) else {
                continue;
            };
            let key = self.src(k).to_string();
            let Some(value) = self.to_node(v, 0) else {
                continue;
            };
            let entry = Entry {
                key: YNode {
                    value: Value::Str(key.clone()),
                    span: self.span(k),
                    style: Style::Plain,
                },
                value,
            };
            if key == "model_list" {
                top.push(entry);
            } else {
                router_span.get_or_insert(self.span(k));
                router.push(entry);
            }
        }
        // Only a literal model list makes this a config we can judge.
        if !top.iter().any(|e| e.value.as_seq().is_some()) {
            return None;
        }
        if !router.is_empty() {
            let span = router_span.unwrap_or(self.span(call));
            top.push(Entry {
                key: YNode {
                    value: Value::Str("router_settings".into()),
                    span,
                    style: Style::Plain,
                },
                value: YNode {
                    value: Value::Map(Rc::new(router)),
                    span: self.span(args),
                    style: Style::Plain,
                },
            });
        }
        Some(YNode {
            value: Value::Map(Rc::new(top)),
            span: self.span(call),
            style: Style::Plain,
        })
    }

    /// A Python literal as a tree node (`None` for what is not known statically).
    fn to_node(&self, n: Node<'t>, depth: usize) -> Option<crate::yaml::Node> {
        use crate::yaml::{Entry, Node as YNode, Style, Value};
        use std::rc::Rc;
        if depth > MAX_DEPTH {
            return None;
        }
        let plain = |value: Value, span: Span| YNode {
            value,
            span,
            style: Style::Plain,
        };
        match n.kind() {
            "float" => {
                return self
                    .src(n)
                    .replace('_', "")
                    .parse()
                    .ok()
                    .map(|f| plain(Value::Float(f), self.span(n)));
            }
            "none" => return Some(plain(Value::Null, self.span(n))),
            _ => {}
        }
        Some(match self.eval(n, 0) {
            Val::Str(s) => YNode {
                value: Value::Str(s.value),
                span: s.span,
                style: Style::Quoted,
            },
            Val::Int(i, span) => plain(Value::Int(i), span),
            Val::Bool(b, span) => plain(Value::Bool(b), span),
            Val::Env(name, span) => plain(Value::Str(format!("os.environ/{name}")), span),
            Val::Dict(d) => {
                let mut c = d.walk();
                let mut entries = Vec::new();
                for p in d.named_children(&mut c) {
                    if p.kind() != "pair" {
                        continue;
                    }
                    let (Some(k), Some(v)) =
                        (p.child_by_field_name("key"), p.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    let (Some(key), Some(value)) = (self.string(k), self.to_node(v, depth + 1))
                    else {
                        continue;
                    };
                    entries.push(Entry {
                        key: YNode {
                            value: Value::Str(key.value),
                            span: key.span,
                            style: Style::Quoted,
                        },
                        value,
                    });
                }
                plain(Value::Map(Rc::new(entries)), self.span(d))
            }
            Val::List(l) => {
                let mut c = l.walk();
                let items: Vec<YNode> = l
                    .named_children(&mut c)
                    .filter_map(|i| self.to_node(i, depth + 1))
                    .collect();
                plain(Value::Seq(Rc::new(items)), self.span(l))
            }
            Val::Call(..) | Val::Unknown => return None,
        })
    }

    /// `router.completion(...)` / `router.acompletion(...)` on a `Router(...)` of this file.
    fn router_call(&mut self, n: Node<'t>, ctor: Node<'t>) {
        let model = match self.eval_kw(n, "model") {
            Val::Str(s) => Some(s),
            _ => None,
        };
        let request_fallbacks = self.kwarg(n, "fallbacks").and_then(|v| self.str_list(v));
        self.out.calls.push(ClientCall {
            framework: Framework::LitellmSdk,
            span: self.span(n),
            model,
            stream: self.truthy_kw(n, "stream"),
            base_url: BaseUrl::Unknown,
            max_retries: None,
            sdk_client: None,
            request_fallbacks,
            disable_fallbacks: None,
            client_fallback: None,
            direct_sdk: false,
            router: Some(self.span(ctor)),
            expected_or_guarded: false,
        });
    }

    /// The object a method is called on: `x` in `x.chat.completions.create`.
    fn receiver(&self, f: Node<'t>, depth: usize) -> Option<Node<'t>> {
        let mut obj = f;
        for _ in 0..depth {
            obj = obj.child_by_field_name("object")?;
        }
        Some(obj)
    }

    fn openai_call(&mut self, n: Node<'t>, f: Node<'t>) {
        let hops = if self.src(f).ends_with("responses.create") {
            2
        } else {
            3
        };
        let client = self.receiver(f, hops).map(|o| self.eval(o, 0));
        let (base_url, max_retries, sdk_client) = match &client {
            Some(Val::Call(ctor, c))
                if matches!(
                    ctor.as_str(),
                    "OpenAI" | "AsyncOpenAI" | "AzureOpenAI" | "AsyncAzureOpenAI"
                ) =>
            {
                let key: &[&str] = if ctor.contains("Azure") {
                    &["azure_endpoint", "base_url"]
                } else {
                    &["base_url"]
                };
                (
                    self.base_url_of(*c, key),
                    self.max_retries(*c),
                    Some(self.span(*c)),
                )
            }
            _ => (BaseUrl::Unknown, None, None),
        };
        let model = match self.eval_kw(n, "model") {
            Val::Str(s) => Some(s),
            _ => None,
        };
        let (request_fallbacks, disable_fallbacks) = self.extra_body(n);
        self.out.calls.push(ClientCall {
            framework: Framework::OpenAi,
            span: self.span(n),
            model,
            stream: self.truthy_kw(n, "stream"),
            base_url,
            max_retries,
            sdk_client,
            request_fallbacks,
            disable_fallbacks,
            client_fallback: None,
            direct_sdk: false,
            router: None,
            expected_or_guarded: false,
        });
    }

    fn litellm_call(&mut self, n: Node<'t>) {
        let Val::Str(mut model) = self.eval_kw(n, "model") else {
            return;
        };
        let mut direct = true;
        let mut base_url = BaseUrl::Unknown;
        if let Some(rest) = model.value.strip_prefix("litellm_proxy/") {
            model.value = rest.to_string();
            direct = false;
            base_url = self.base_url_of(n, &["api_base", "base_url"]);
            if let BaseUrl::Missing { ctor } = base_url {
                // The SDK's `litellm_proxy/` provider reads LITELLM_PROXY_API_BASE.
                base_url = BaseUrl::Env {
                    name: "LITELLM_PROXY_API_BASE".into(),
                    span: ctor,
                };
            }
        }
        let request_fallbacks = self.kwarg(n, "fallbacks").and_then(|v| self.str_list(v));
        self.out.calls.push(ClientCall {
            framework: Framework::LitellmSdk,
            span: self.span(n),
            model: Some(model),
            stream: self.truthy_kw(n, "stream"),
            base_url,
            max_retries: None,
            sdk_client: None,
            request_fallbacks,
            disable_fallbacks: None,
            client_fallback: None,
            direct_sdk: direct,
            router: None,
            expected_or_guarded: false,
        });
    }

    /// Resolves a pydantic-ai model (object or `'provider:name'` string) to the model name sent,
    /// the base URL, and a `FallbackModel` span.
    fn pydantic_model(
        &mut self,
        m: Node<'t>,
        depth: usize,
    ) -> Option<(Option<Str>, BaseUrl, Option<Span>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.eval(m, 0) {
            Val::Str(s) => {
                let (prefix, name) = s.value.split_once(':')?;
                if !matches!(
                    prefix,
                    "litellm" | "openai" | "openai-chat" | "openai-responses"
                ) {
                    return None;
                }
                let base = if prefix == "litellm" {
                    BaseUrl::Implied(format!("the model string `{}` names LiteLLM", s.value))
                } else {
                    BaseUrl::Unknown
                };
                let name = Str {
                    value: name.to_string(),
                    span: s.span,
                };
                Some((Some(name), base, None))
            }
            Val::Call(ctor, c)
                if matches!(
                    ctor.as_str(),
                    "OpenAIChatModel" | "OpenAIModel" | "OpenAIResponsesModel"
                ) =>
            {
                let name = self
                    .positional(c, 0)
                    .or_else(|| self.kwarg(c, "model_name"))
                    .and_then(|x| match self.eval(x, 0) {
                        Val::Str(s) => Some(s),
                        _ => None,
                    });
                let base = match self.eval_kw(c, "provider") {
                    Val::Call(p, pc) if p == "LiteLLMProvider" => {
                        let b = self.base_url_of(pc, &["api_base"]);
                        self.attach_model(pc, &name);
                        b
                    }
                    Val::Call(p, pc) if p == "OpenAIProvider" => {
                        let b = self.base_url_of(pc, &["base_url"]);
                        self.attach_model(pc, &name);
                        b
                    }
                    _ => BaseUrl::Unknown,
                };
                Some((name, base, None))
            }
            Val::Call(ctor, c) if ctor == "FallbackModel" => {
                let first = self.positional(c, 0)?;
                let (name, base, _) = self.pydantic_model(first, depth + 1)?;
                Some((name, base, Some(self.span(c))))
            }
            _ => None,
        }
    }

    /// Records the model name used with a provider built without a base URL.
    fn attach_model(&mut self, provider: Node<'t>, name: &Option<Str>) {
        let span = self.span(provider);
        if let Some(p) = self
            .out
            .providers_without_base
            .iter_mut()
            .find(|(s, _, _)| *s == span)
        {
            p.2 = name.clone();
        }
    }

    fn pydantic_call(&mut self, n: Node<'t>, f: Node<'t>, method: &str) {
        let Some(Val::Call(ctor, agent)) = self.receiver(f, 1).map(|o| self.eval(o, 0)) else {
            return;
        };
        if ctor != "Agent" {
            return;
        }
        let model_node = self
            .kwarg(n, "model")
            .or_else(|| self.kwarg(agent, "model"))
            .or_else(|| self.positional(agent, 0));
        let Some((model, base_url, client_fallback)) =
            model_node.and_then(|m| self.pydantic_model(m, 0))
        else {
            return;
        };
        let streamed = match method {
            "run_stream" | "run_stream_sync" | "iter" | "run_stream_events" => {
                Some(self.span(f.child_by_field_name("attribute").unwrap_or(f)))
            }
            _ => self
                .kwarg(n, "event_stream_handler")
                .or_else(|| self.kwarg(agent, "event_stream_handler"))
                .map(|h| self.span(h)),
        };
        self.out.calls.push(ClientCall {
            framework: Framework::PydanticAi,
            span: self.span(n),
            model,
            stream: streamed,
            base_url,
            max_retries: None,
            sdk_client: None,
            request_fallbacks: None,
            disable_fallbacks: None,
            client_fallback,
            direct_sdk: false,
            router: None,
            expected_or_guarded: false,
        });
    }

    fn langchain_call(&mut self, n: Node<'t>, f: Node<'t>, method: &str) {
        let Some(recv) = self.receiver(f, 1) else {
            return;
        };
        let mut client_fallback = None;
        let mut v = self.eval(recv, 0);
        // `llm.with_fallbacks([...])`: the primary is the receiver of with_fallbacks.
        if let Val::Call(name, c) = &v
            && name == "with_fallbacks"
        {
            client_fallback = Some(self.span(*c));
            if let Some(fun) = c.child_by_field_name("function")
                && let Some(inner) = fun.child_by_field_name("object")
            {
                v = self.eval(inner, 0);
            }
        }
        let Val::Call(ctor, c) = v else {
            return;
        };
        let streams_by_method = matches!(method, "stream" | "astream" | "astream_events");
        let stream = if streams_by_method {
            Some(self.span(f.child_by_field_name("attribute").unwrap_or(f)))
        } else {
            self.truthy_kw(c, "streaming")
        };
        match ctor.as_str() {
            "ChatOpenAI" | "AzureChatOpenAI" => {
                let model = match self.eval_kw(c, "model").clone() {
                    Val::Str(s) => Some(s),
                    _ => match self.eval_kw(c, "model_name") {
                        Val::Str(s) => Some(s),
                        _ => None,
                    },
                };
                let base_url = self.base_url_of(c, &["base_url", "openai_api_base"]);
                let (request_fallbacks, disable_fallbacks) = self.extra_body(c);
                self.out.calls.push(ClientCall {
                    framework: Framework::LangChain,
                    span: self.span(n),
                    model,
                    stream,
                    base_url,
                    max_retries: self.max_retries(c),
                    sdk_client: Some(self.span(c)),
                    request_fallbacks,
                    disable_fallbacks,
                    client_fallback,
                    direct_sdk: false,
                    router: None,
                    expected_or_guarded: false,
                });
            }
            "ChatLiteLLM" => {
                let Val::Str(mut model) = self.eval_kw(c, "model") else {
                    return;
                };
                let direct = match model.value.strip_prefix("litellm_proxy/") {
                    Some(rest) => {
                        model.value = rest.to_string();
                        false
                    }
                    None => true,
                };
                self.out.calls.push(ClientCall {
                    framework: Framework::LangChain,
                    span: self.span(n),
                    model: Some(model),
                    stream,
                    base_url: self.base_url_of(c, &["api_base"]),
                    max_retries: None,
                    sdk_client: None,
                    request_fallbacks: None,
                    disable_fallbacks: None,
                    client_fallback,
                    direct_sdk: direct,
                    router: None,
                    expected_or_guarded: false,
                });
            }
            _ => {}
        }
    }
}

/// Every node, depth-first, without recursion (deeply nested code must not overflow).
fn collect<'t>(root: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut c = n.walk();
        let children: Vec<Node> = n.named_children(&mut c).collect();
        stack.extend(children.into_iter().rev());
        if out.len() > 2_000_000 {
            break;
        }
    }
}

/// A URL that reaches a provider directly rather than a LiteLLM proxy.
pub fn is_provider_endpoint(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    [
        "api.openai.com",
        "api.anthropic.com",
        "generativelanguage.googleapis.com",
        "aiplatform.googleapis.com",
        "api.mistral.ai",
        "api.groq.com",
        "api.deepseek.com",
        "api.x.ai",
        "openrouter.ai",
        "api.together.xyz",
        "api.fireworks.ai",
        "openai.azure.com",
    ]
    .iter()
    .any(|h| u.contains(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(src: &str) -> PyFile {
        analyze(src, FileId(0))
    }

    #[test]
    fn openai_sdk_with_constants_and_env_defaults() {
        let src = r#"
import os
from openai import OpenAI
BASE = os.environ.get("LITELLM_URL", "http://litellm:4000/v1")
MODEL = "fast"
client = OpenAI(base_url=BASE, max_retries=5)
def go():
    return client.chat.completions.create(model=MODEL, stream=True, messages=[],
        extra_body={"fallbacks": ["backup", {"model": "other"}], "disable_fallbacks": True})
"#;
        let f = calls(src);
        assert_eq!(f.calls.len(), 1);
        let c = &f.calls[0];
        assert_eq!(c.model.as_ref().unwrap().value, "fast");
        assert!(c.stream.is_some());
        assert_eq!(c.max_retries.map(|m| m.0), Some(5));
        match &c.base_url {
            BaseUrl::EnvDefault { name, default } => {
                assert_eq!(default.value, "http://litellm:4000/v1");
                assert_eq!(name, "LITELLM_URL");
            }
            b => panic!("{b:?}"),
        }
        let fb: Vec<_> = c
            .request_fallbacks
            .as_ref()
            .unwrap()
            .0
            .iter()
            .map(|s| s.value.clone())
            .collect();
        assert_eq!(fb, ["backup", "other"]);
        assert!(c.disable_fallbacks.is_some());
    }

    #[test]
    fn pydantic_ai_agent_run_stream() {
        let src = r#"
from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider
model = OpenAIChatModel("gemini-flash", provider=OpenAIProvider(base_url="http://localhost:4000/v1"))
agent = Agent(model)
async def main():
    async with agent.run_stream("hi") as result:
        async for t in result.stream_text():
            print(t)
    await agent.run("x")
"#;
        let f = calls(src);
        assert_eq!(f.calls.len(), 2, "{:?}", f.calls);
        assert!(f.calls[0].stream.is_some() != f.calls[1].stream.is_some());
        assert!(
            f.calls
                .iter()
                .all(|c| c.model.as_ref().unwrap().value == "gemini-flash")
        );
        assert!(f.providers_without_base.is_empty());
    }

    #[test]
    fn provider_without_base_and_litellm_strings() {
        let src = r#"
from pydantic_ai import Agent
from pydantic_ai.providers.litellm import LiteLLMProvider
from pydantic_ai.models.openai import OpenAIChatModel
agent = Agent(OpenAIChatModel("smart", provider=LiteLLMProvider(api_key="k")))
agent2 = Agent("litellm:fast", event_stream_handler=handler)
agent.run_sync("x")
agent2.run("y")
"#;
        let f = calls(src);
        assert_eq!(f.providers_without_base.len(), 1);
        assert_eq!(
            f.providers_without_base[0].2.as_ref().unwrap().value,
            "smart"
        );
        assert_eq!(f.calls.len(), 2);
        assert!(f.calls[1].stream.is_some());
        assert_eq!(f.calls[1].model.as_ref().unwrap().value, "fast");
    }

    #[test]
    fn litellm_sdk_and_langchain() {
        let src = r#"
import litellm
from langchain_openai import ChatOpenAI
resp = await litellm.acompletion(model="gemini/gemini-3-flash-preview", messages=m, stream=True, fallbacks=["openai/gpt-5.2"])
proxied = litellm.completion(model="litellm_proxy/fast", messages=m)
llm = ChatOpenAI(model="fast", base_url="http://litellm:4000", max_retries=3)
for chunk in llm.with_fallbacks([other]).stream("hi"):
    pass
"#;
        let f = calls(src);
        assert_eq!(f.calls.len(), 3, "{:?}", f.calls);
        assert!(f.calls[0].direct_sdk && f.calls[0].stream.is_some());
        assert_eq!(f.calls[1].model.as_ref().unwrap().value, "fast");
        assert!(!f.calls[1].direct_sdk);
        assert!(f.calls[2].client_fallback.is_some() && f.calls[2].stream.is_some());
    }

    #[test]
    fn litellm_router_in_code_becomes_a_config() {
        let src = r#"
import litellm
router = litellm.Router(
    model_list=[{"model_name": "fast", "litellm_params": {"model": "gemini/gemini-2.5-flash", "rpm": 10}}],
    fallbacks=[{"fast": ["backup"]}],
    num_retries=0,
    timeout=1.5,
)
async def go():
    await router.acompletion(model="fast", messages=[], stream=True)
"#;
        let f = calls(src);
        assert_eq!(f.routers.len(), 1);
        let root = &f.routers[0];
        let rs = root.get("router_settings").unwrap();
        assert_eq!(rs.get("num_retries").unwrap().as_i64(), Some(0));
        assert_eq!(rs.get("timeout").unwrap().as_f64(), Some(1.5));
        let dep = &root.get("model_list").unwrap().as_seq().unwrap()[0];
        assert_eq!(dep.get("model_name").unwrap().as_str(), Some("fast"));
        // Spans point into the Python file.
        let s = dep.get("model_name").unwrap().span;
        assert_eq!(&src[s.start..s.end], "\"fast\"");
        assert_eq!(f.calls.len(), 1);
        assert!(f.calls[0].router.is_some() && f.calls[0].stream.is_some());
    }

    #[test]
    fn base_url_names_that_say_proxy() {
        let src = "from openai import OpenAI\nfrom .settings import settings\nclient = OpenAI(base_url=settings.litellm_base_url)\nclient.chat.completions.create(model='fast')\n";
        let f = calls(src);
        assert!(
            matches!(&f.calls[0].base_url, BaseUrl::Env { name, .. } if name == "settings.litellm_base_url")
        );
        assert!(
            crate::client::ProxyEvidence::default()
                .why_proxy(&f.calls[0])
                .is_some()
        );
    }

    #[test]
    fn half_edited_files_still_yield_calls() {
        let src = "client = OpenAI(base_url='http://litellm:4000')\ndef broken(:\n    pass\nclient.chat.completions.create(model='fast', stream=True)\nx = = 3\n";
        let f = calls(src);
        assert!(f.has_errors);
        assert_eq!(f.calls.len(), 1);
    }
}
