//! The rule registry. One rule per file; each file's `//!` comment is the rule's documentation
//! (what it does, why is this bad, example, fix), read at run time from the file itself so that
//! `litellm-lint rule CODE`, the generated docs and SARIF metadata share one source.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use crate::version::VersionContext;

pub mod ll001_yaml_syntax_error;
pub mod ll002_duplicate_key;
pub mod ll003_file_unreadable;
pub mod ll004_yaml_too_complex;
pub mod ll005_include_not_found;
pub mod ll006_unused_suppression;
pub mod ll007_blanket_suppression;
pub mod ll101_streaming_fallback_ineffective;
pub mod ll102_mid_stream_error_unhandled;
pub mod ll103_streaming_error_no_fallback_hang;
pub mod ll104_fallback_target_unknown;
pub mod ll105_fallbacks_shadowed;
pub mod ll106_fallback_invalid_shape;
pub mod ll107_fallback_cycle;
pub mod ll108_fallback_chain_too_long;
pub mod ll109_stream_timeout_not_enforced;
pub mod ll110_stream_retries_not_applied;
pub mod ll201_retries_disabled;
pub mod ll202_rate_limit_backoff_missing;
pub mod ll203_retries_multiplied;
pub mod ll204_cooldown_time_zero;
pub mod ll205_allowed_fails_single_deployment;
pub mod ll206_timeout_unset;
pub mod ll207_stream_timeout_exceeds_timeout;
pub mod ll208_usage_routing_without_limits;
pub mod ll209_timeout_default;
pub mod ll210_shared_state_missing;
pub mod ll211_timeout_short_for_reasoning;
pub mod ll301_preview_model_without_backup;
pub mod ll302_fallback_shares_quota;
pub mod ll303_model_deprecated;
pub mod ll304_model_unknown;
pub mod ll401_config_drift;
pub mod ll402_env_var_missing;
pub mod ll403_litellm_version_drift;
pub mod ll404_image_unpinned;
pub mod ll405_include_not_shipped;
pub mod ll406_litellm_version_unreleased;
pub mod ll501_unknown_key;
pub mod ll502_misplaced_key;
pub mod ll503_invalid_value;
pub mod ll504_include_replaces_section;
pub mod ll505_env_ref_in_list;
pub mod ll506_env_ref_unresolved;
pub mod ll601_hardcoded_secret;
pub mod ll602_litellm_release_unsafe;
pub mod ll701_client_unknown_model;
pub mod ll702_client_streaming_without_effective_fallback;
pub mod ll703_client_fallback_unknown;
pub mod ll704_client_disable_fallbacks_ignored;
pub mod ll705_client_retries_multiplied;
pub mod ll706_provider_without_base_url;
pub mod ll707_sdk_stream_fallbacks_ineffective;
pub mod ll708_client_fallback_mid_stream;
pub mod resilience_common;
pub mod streaming_common;

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line, shown in `litellm-lint rules`.
    pub summary: &'static str,
    /// The rule's source file, whose `//!` comment is its documentation.
    pub source: &'static str,
    pub fixable: bool,
}

/// Documentation lines that start with this are part of a runnable example but are not shown:
/// `#~ model_list:` gives an example fragment the context it needs (see CONTRIBUTING.md).
pub const HIDDEN_LINE: &str = "#~";

impl RuleMeta {
    /// The documentation as written: the leading `//!` lines of the rule's file, hidden example
    /// lines included.
    pub fn raw_doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            if let Some(rest) = line.strip_prefix("//!") {
                out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                out.push('\n');
            } else if !line.trim().is_empty() {
                break;
            }
        }
        out
    }

    /// The documentation as shown: without the hidden example lines.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.raw_doc().lines() {
            if !line.starts_with(HIDDEN_LINE) {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// The text of one `## Section` of the documentation, without its heading.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        doc_section(&self.doc(), heading)
    }

    /// The rule's documentation page: what `litellm-lint rule CODE` prints and what
    /// `rules/<CODE>-<name>.md` holds.
    pub fn page(&self) -> String {
        format!(
            "# {} {}\n\n{}\n\n- Default severity: {}\n- Fixable: {}\n\n{}",
            self.code,
            self.name,
            self.summary,
            self.severity.as_str(),
            if self.fixable { "yes" } else { "no" },
            self.doc().trim_end()
        )
    }

    /// The published documentation page of the rule.
    pub fn url(&self) -> String {
        crate::diagnostic::rule_url(self.code, self.name)
    }
}

/// What a config rule sees.
pub struct Context<'a> {
    pub config: &'a Config,
    pub sources: &'a SourceMap,
    pub version: &'a VersionContext,
    /// The date deprecation dates are compared with.
    pub today: crate::models::Date,
    /// Client call sites matched to this config.
    pub clients: &'a [crate::client::Linked],
    /// The config belongs to a test suite (found under `tests/`, `fixtures/`, ... by a folder
    /// walk; a file named on the command line is judged in full): the rules in
    /// `TEST_SUITE_QUIET` stay quiet.
    pub test_suite: bool,
    /// Quoted names in the project's Python code that mentions LiteLLM: a key or value the
    /// config holds that the project's own code names is the project's to read or register
    /// (a custom routing strategy, a key a script reads), not a mistake.
    pub project_names: &'a std::collections::BTreeSet<String>,
    /// What the project's Python code that mentions LiteLLM or an OpenAI client shows about
    /// streaming: `None` without such code, else whether any of it streams.
    pub project_streams: Option<bool>,
    /// Some environment of the project (compose, a Dockerfile, Helm, CI) runs this config.
    pub served: bool,
    /// The config is rendered before the proxy reads it (a template name, or `envsubst` in
    /// the project's scripts, Dockerfiles, compose files or workflows).
    pub rendered: bool,
}

/// No project names (configs judged outside a project's code).
pub static NO_NAMES: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();

/// What a rule on one Python file sees.
pub struct PyContext<'a> {
    pub file: crate::source::FileId,
    pub py: &'a crate::python::PyFile,
    /// Every proxy config of the run.
    pub configs: &'a [&'a Config],
    pub sources: &'a SourceMap,
    pub version: &'a VersionContext,
}

pub type PyCheckFn = fn(&PyContext, &mut Vec<Diagnostic>);

pub type CheckFn = fn(&Context, &mut Vec<Diagnostic>);

pub struct Rule {
    pub meta: RuleMeta,
    /// `None` for input rules, which the loader emits, and for the environment and secret
    /// rules (LL4xx, LL601), which `env::Environments::check` runs over all environments.
    pub check: Option<CheckFn>,
}

pub static RULES: &[&Rule] = &[
    &ll001_yaml_syntax_error::RULE,
    &ll002_duplicate_key::RULE,
    &ll003_file_unreadable::RULE,
    &ll004_yaml_too_complex::RULE,
    &ll005_include_not_found::RULE,
    &ll006_unused_suppression::RULE,
    &ll007_blanket_suppression::RULE,
    &ll101_streaming_fallback_ineffective::RULE,
    &ll102_mid_stream_error_unhandled::RULE,
    &ll103_streaming_error_no_fallback_hang::RULE,
    &ll104_fallback_target_unknown::RULE,
    &ll105_fallbacks_shadowed::RULE,
    &ll106_fallback_invalid_shape::RULE,
    &ll107_fallback_cycle::RULE,
    &ll108_fallback_chain_too_long::RULE,
    &ll109_stream_timeout_not_enforced::RULE,
    &ll110_stream_retries_not_applied::RULE,
    &ll201_retries_disabled::RULE,
    &ll202_rate_limit_backoff_missing::RULE,
    &ll203_retries_multiplied::RULE,
    &ll204_cooldown_time_zero::RULE,
    &ll205_allowed_fails_single_deployment::RULE,
    &ll206_timeout_unset::RULE,
    &ll207_stream_timeout_exceeds_timeout::RULE,
    &ll208_usage_routing_without_limits::RULE,
    &ll209_timeout_default::RULE,
    &ll210_shared_state_missing::RULE,
    &ll211_timeout_short_for_reasoning::RULE,
    &ll301_preview_model_without_backup::RULE,
    &ll302_fallback_shares_quota::RULE,
    &ll303_model_deprecated::RULE,
    &ll304_model_unknown::RULE,
    &ll401_config_drift::RULE,
    &ll402_env_var_missing::RULE,
    &ll403_litellm_version_drift::RULE,
    &ll404_image_unpinned::RULE,
    &ll405_include_not_shipped::RULE,
    &ll406_litellm_version_unreleased::RULE,
    &ll501_unknown_key::RULE,
    &ll502_misplaced_key::RULE,
    &ll503_invalid_value::RULE,
    &ll504_include_replaces_section::RULE,
    &ll505_env_ref_in_list::RULE,
    &ll506_env_ref_unresolved::RULE,
    &ll601_hardcoded_secret::RULE,
    &ll602_litellm_release_unsafe::RULE,
    &ll701_client_unknown_model::RULE,
    &ll702_client_streaming_without_effective_fallback::RULE,
    &ll703_client_fallback_unknown::RULE,
    &ll704_client_disable_fallbacks_ignored::RULE,
    &ll705_client_retries_multiplied::RULE,
    &ll706_provider_without_base_url::RULE,
    &ll707_sdk_stream_fallbacks_ineffective::RULE,
    &ll708_client_fallback_mid_stream::RULE,
];

/// Rules that run only when selected by their exact code or name (`--extend-select LL209`),
/// not by a prefix or by default: useful, but too common to report on every config.
pub const OPT_IN: &[&str] = &["LL209"];

/// The text of one `## Section` of a rule's documentation, without its heading.
pub fn doc_section(doc: &str, heading: &str) -> Option<String> {
    let mut lines = doc
        .lines()
        .skip_while(|l| l.trim() != format!("## {heading}"));
    lines.next()?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    Some(body.join("\n").trim().to_string())
}

pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// Rules that look at one Python file on its own (their `Rule::check` is `None`).
pub static PYTHON_RULES: &[PyCheckFn] = &[
    ll706_provider_without_base_url::check,
    ll707_sdk_stream_fallbacks_ineffective::check,
    ll708_client_fallback_mid_stream::check,
];

pub fn run_python_rules(ctx: &PyContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in PYTHON_RULES {
        check(ctx, &mut out);
    }
    hedge(&mut out, ctx.version.version, ctx.sources);
    out
}

pub fn run_config_rules(ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in RULES {
        if ctx.test_suite && TEST_SUITE_QUIET.contains(&r.meta.code) {
            continue;
        }
        if let Some(check) = r.check {
            let before = out.len();
            check(ctx, &mut out);
            if MERGE_REPEATS.contains(&r.meta.code) {
                let mine = out.split_off(before);
                out.extend(merge_repeats(mine));
            }
            hedge(&mut out[before..], ctx.version.version, ctx.sources);
        }
    }
    out
}

/// The data a version-dependent rule's claims rest on, and the releases it was examined over.
pub fn examined_for(code: &str) -> Option<crate::version::Examined> {
    use crate::version::Examined;
    match code {
        "LL101" | "LL102" | "LL103" | "LL109" | "LL110" | "LL702" | "LL707" | "LL708" => {
            Some(Examined {
                from: crate::streaming::examined_from(),
                to: crate::streaming::examined_to(),
                what: "streaming behavior",
            })
        }
        "LL107" | "LL205" | "LL210" => {
            let f = crate::router_facts::facts();
            Some(Examined {
                from: f.examined_from,
                to: f.examined_to,
                what: "the router's behavior",
            })
        }
        "LL303" | "LL304" => Some(crate::models::examined()),
        "LL106" | "LL501" | "LL502" | "LL503" | "LL504" => Some(Examined {
            from: crate::structure::examined_from(),
            to: crate::structure::examined_to(),
            what: "what the proxy reads from its config",
        }),
        // Every other claim about what the proxy does with a config or a call rests on the
        // source read for the key data (the same releases).
        c if ["LL1", "LL2", "LL3", "LL5", "LL7"]
            .iter()
            .any(|p| c.starts_with(p)) =>
        {
            Some(Examined {
                from: crate::structure::examined_from(),
                to: crate::structure::examined_to(),
                what: "LiteLLM's source",
            })
        }
        _ => None,
    }
}

/// Findings that rest on data examined up to an older release than the one in use (or, with
/// no pin, than the newest release) say so, one severity lower: the newer release may differ.
pub fn hedge(
    diags: &mut [Diagnostic],
    version: Option<crate::version::Version>,
    sources: &SourceMap,
) {
    let newest = crate::releases::releases().newest;
    for d in diags {
        let Some(mut ex) = examined_for(d.code) else {
            continue;
        };
        // Streaming behavior was examined per provider: a finding on a deployment's model
        // rests on that provider's row (elsewhere, on what every row was examined up to).
        if ex.what == "streaming behavior" {
            ex.to = crate::streaming::examined_to_for(sources.get(d.span.file).slice(d.span));
        }
        if let crate::version::Edge::Beyond(note) = ex.edge(version, newest) {
            d.severity = match d.severity {
                Severity::Error => Severity::Warning,
                _ => Severity::Info,
            };
            d.notes.push(note);
        }
    }
}

/// Rules quiet on a test suite's config. Those that judge how a config serves traffic
/// (streaming recovery, retries, cooldowns, rate limits, the models' lifecycle): a test suite
/// picks its models, retries and limits to exercise code. And those that judge its keys and
/// values against LiteLLM's releases (LL501-LL503): a test suite's config is written for the
/// code under test, which for LiteLLM itself or a fork of it is newer than any release (a
/// routing strategy or deployment key added in the same commit). Syntax, includes, fallback
/// targets and secrets are still checked.
const TEST_SUITE_QUIET: [&str; 25] = [
    "LL101", "LL102", "LL103", "LL107", "LL108", "LL109", "LL110", "LL201", "LL202", "LL203",
    "LL204", "LL205", "LL206", "LL207", "LL208", "LL209", "LL210", "LL211", "LL301", "LL302",
    "LL303", "LL304", "LL501", "LL502", "LL503",
];

/// Rules whose findings repeat one mistake per deployment or per list item (`stream` in every
/// `litellm_params`, a list under every alias): one finding per file and mistake.
const MERGE_REPEATS: [&str; 4] = ["LL106", "LL203", "LL502", "LL503"];

/// A message with its quoted paths cut to their last key (`model_list[3].litellm_params.stream`
/// → `stream`): findings with the same shape are the same mistake repeated.
fn shape(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                return part.to_string();
            }
            // Keys of user-named maps (`model_group_alias.<alias>`) are not part of the shape.
            if part.contains("model_group_alias.") {
                return "`model_group_alias.*`".to_string();
            }
            let last = part.rsplit('.').next().unwrap_or(part);
            let mut out = String::with_capacity(last.len());
            let mut in_index = false;
            for c in last.chars() {
                match c {
                    '[' => in_index = true,
                    ']' => in_index = false,
                    _ if !in_index => out.push(c),
                    _ => {}
                }
            }
            format!("`{out}`")
        })
        .collect()
}

/// Merges findings of one rule that have the same shape in the same file into the first: the
/// others become labels (with their own message), and their fix edits join the first's fix.
fn merge_repeats(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<(String, Diagnostic, usize)> = Vec::new();
    for d in diags {
        let key = shape(&d.message);
        match out
            .iter_mut()
            .find(|(k, first, _)| *k == key && first.span.file == d.span.file)
        {
            Some((_, first, n)) => {
                *n += 1;
                let mut label = d.message.clone();
                if label.chars().count() > 160 {
                    label = label.chars().take(160).collect::<String>() + "…";
                }
                first.labels.push(crate::diagnostic::Label {
                    span: d.span,
                    message: format!("the same here: {label}"),
                });
                if let (Some(f), Some(g)) = (first.fix.as_mut(), d.fix)
                    && f.applicability == g.applicability
                {
                    f.edits.extend(g.edits);
                }
            }
            None => out.push((key, d, 1)),
        }
    }
    out.into_iter()
        .map(|(_, mut d, n)| {
            if n > 1 {
                d.notes.push(format!(
                    "the same mistake appears {n} times in this file; each place is labelled"
                ));
            }
            d
        })
        .collect()
}

/// The replacement text for a scalar at `span`, keeping its quoting style.
pub fn scalar_replacement(sources: &SourceMap, span: crate::source::Span, new: &str) -> String {
    let old = sources.get(span.file).slice(span);
    match old.chars().next() {
        Some('"') => format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\"")),
        Some('\'') => format!("'{}'", new.replace('\'', "''")),
        _ => new.to_string(),
    }
}

/// The rules on the pins the version detection finds (LL406, LL602).
pub fn check_pins(
    pins: &[(crate::source::FileId, crate::detect::Pin)],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) {
    ll406_litellm_version_unreleased::check(pins, sources, out);
    ll602_litellm_release_unsafe::check(pins, sources, out);
}

/// The version text of a pin in its line (`1.82.7` in `litellm==1.82.7`, in
/// `main-v1.82.7-stable`), else the whole line.
pub fn pin_version_span(
    sources: &SourceMap,
    file: crate::source::FileId,
    pin: &crate::detect::Pin,
) -> crate::source::Span {
    let src = sources.get(file);
    let i = pin
        .line
        .saturating_sub(1)
        .min(src.line_count().saturating_sub(1));
    let start = src.line_start(i);
    let line = src.line_text(i);
    let Some(v) = pin.version else {
        return crate::source::Span::new(file, start, start + line.len());
    };
    let text = v.to_string();
    // The version where the pin stands in the line (after `litellm`), not a number before it.
    let from = line.to_ascii_lowercase().find("litellm").unwrap_or(0);
    match line[from..].find(&text) {
        Some(j) => crate::source::Span::new(file, start + from + j, start + from + j + text.len()),
        None => crate::source::Span::new(file, start, start + line.len()),
    }
}

/// Whether a pin is an image tag (not a pip or lock-file pin).
pub fn pin_is_image(pin: &crate::detect::Pin) -> bool {
    let name = crate::source::file_name_lower(&pin.file);
    let lock = matches!(
        name.as_str(),
        "uv.lock" | "poetry.lock" | "pipfile.lock" | "pyproject.toml"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"));
    !lock && !pin.raw.contains("==") && !pin.raw.contains("litellm@")
}
