//! The rules' documentation, checked against the code.
//!
//! - `rules/<CODE>-<name>.md` and the rule table in README.md are generated from each rule's
//!   `//!` comment and metadata; the test fails when they are stale. Regenerate with
//!   `UPDATE_DOCS=1 cargo test --test docs`.
//! - Every documented example runs: each ```yaml (or ```python) block under `## Example` must
//!   trigger its rule; each one under `## Fix` must not, and must have no error at all. The
//!   conventions (hidden `#~` lines, `# litellm-version:`, `# file:`) are described in
//!   CONTRIBUTING.md.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use litellm_lint::check::{self, Options, Outcome};
use litellm_lint::diagnostic::Severity;
use litellm_lint::rules::{HIDDEN_LINE, RULES, RuleMeta, doc_section};

/// Rules whose examples are not run, with the reason. Keep this short: almost every example can
/// be a real config, with hidden lines for the context it needs.
const EXEMPT: &[(&str, &str)] = &[
    (
        "LL003",
        "the example is a file that cannot be read (UTF-16, binary, 50 MB), not a YAML block; \
         tests/bad_input.rs covers it",
    ),
    (
        "LL004",
        "the example is 300 levels deep, too long to show; tests/bad_input.rs covers it",
    ),
];

const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test docs";
const README_START: &str = "<!-- rules:start -->";
const README_END: &str = "<!-- rules:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The rule file whose text is `meta.source`, relative to the repository root.
fn source_file(meta: &RuleMeta) -> String {
    let dir = root().join("src").join("rules");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
        .into_iter()
        .find(|n| fs::read_to_string(dir.join(n)).is_ok_and(|t| t == meta.source))
        .map(|n| format!("src/rules/{n}"))
        .unwrap_or_else(|| panic!("{}: no file under src/rules has its source", meta.code))
}

fn page_path(meta: &RuleMeta) -> String {
    format!("rules/{}-{}.md", meta.code, meta.name)
}

fn rule_page(meta: &RuleMeta) -> String {
    format!(
        "<!-- Generated from {} by `{REGENERATE}`: edit the rule's doc comment, not this page. -->\n\n{}\n",
        source_file(meta),
        meta.page()
    )
}

fn readme_table() -> String {
    let mut t = String::new();
    writeln!(
        t,
        "<!-- generated from the rules' source by `{REGENERATE}` -->"
    )
    .unwrap();
    t.push_str("| code | name | severity | fix | what |\n|---|---|---|---|---|\n");
    for r in RULES {
        let m = &r.meta;
        writeln!(
            t,
            "| [{}]({}) | {} | {} | {} | {} |",
            m.code,
            page_path(m),
            m.name,
            m.severity.as_str(),
            if m.fixable { "yes" } else { "" },
            m.summary.replace('|', "\\|")
        )
        .unwrap();
    }
    t
}

/// README.md with the text between the rule-table markers replaced.
fn readme_with_table(readme: &str) -> String {
    let start = readme
        .find(README_START)
        .unwrap_or_else(|| panic!("README.md has no `{README_START}` marker"))
        + README_START.len();
    let end = readme
        .find(README_END)
        .unwrap_or_else(|| panic!("README.md has no `{README_END}` marker"));
    assert!(
        start <= end,
        "README.md: `{README_END}` before `{README_START}`"
    );
    format!("{}\n{}{}", &readme[..start], readme_table(), &readme[end..])
}

#[test]
fn generated_docs_are_current() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut want: BTreeMap<PathBuf, String> = BTreeMap::new();
    for r in RULES {
        want.insert(root().join(page_path(&r.meta)), rule_page(&r.meta));
    }
    let readme_path = root().join("README.md");
    let readme = fs::read_to_string(&readme_path).unwrap();
    want.insert(readme_path, readme_with_table(&readme));

    let docs_dir = root().join("rules");
    let mut extra: Vec<PathBuf> = fs::read_dir(&docs_dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("LL"))
                })
                .filter(|p| !want.contains_key(p))
                .collect()
        })
        .unwrap_or_default();
    extra.sort();

    let mut stale = Vec::new();
    for (path, text) in &want {
        if fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if update {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, text).unwrap();
            }
            stale.push(path.strip_prefix(root()).unwrap().display().to_string());
        }
    }
    for path in &extra {
        if update {
            fs::remove_file(path).unwrap();
        }
        stale.push(format!(
            "{} (no rule has this code and name)",
            path.strip_prefix(root()).unwrap().display()
        ));
    }
    if update {
        // Straight to stderr: the test harness would swallow `eprintln!` of a passing test.
        let mut err = std::io::stderr();
        for s in &stale {
            let _ = writeln!(err, "updated: {s}");
        }
    } else {
        assert!(
            stale.is_empty(),
            "generated docs are stale:\n  {}\nRegenerate them with `{REGENERATE}` and commit the result.",
            stale.join("\n  ")
        );
    }
}

/// One runnable fenced block of a rule's documentation.
struct Block {
    lang: String,
    /// The text with hidden lines un-hidden.
    text: String,
}

/// The ```yaml and ```python blocks of a documentation section; other fences (text, sh, toml)
/// are only shown.
fn runnable_blocks(section: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in section.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (None, Some(info)) => {
                current = Some(Block {
                    lang: info.trim().to_string(),
                    text: String::new(),
                })
            }
            (Some(_), Some(_)) => {
                let b = current.take().unwrap();
                if b.lang == "yaml" || b.lang == "python" {
                    out.push(b);
                }
            }
            (Some(b), None) => {
                let shown = match line.strip_prefix(HIDDEN_LINE) {
                    Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                    None => line,
                };
                b.text.push_str(shown);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "unclosed code fence in:\n{section}");
    out
}

/// The files of an example and the LiteLLM version to check it at.
struct Example {
    files: Vec<(String, String)>,
    version: Option<String>,
}

fn example(block: &Block) -> Example {
    let default = if block.lang == "python" {
        "app.py"
    } else {
        "config.yaml"
    };
    let mut files = vec![(default.to_string(), String::new())];
    let mut version = None;
    for line in block.text.lines() {
        if let Some(name) = line.strip_prefix("# file:") {
            files.push((name.trim().to_string(), String::new()));
            continue;
        }
        if let Some(v) = line.strip_prefix("# litellm-version:") {
            version = Some(v.trim().to_string());
        }
        let text = &mut files.last_mut().unwrap().1;
        text.push_str(line);
        text.push('\n');
    }
    // Lines before the first `# file:` (say, a `# litellm-version:` line) are no file of their own.
    let only_comments = files[0]
        .1
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if files.len() > 1 && only_comments {
        files.remove(0);
    }
    Example { files, version }
}

/// Writes the example into a fresh folder (a repository of its own, so no pin outside it is
/// found) and checks it: the one file by name, or the folder as `litellm-lint check .` would.
/// The rule is selected by its code, so that an opt-in rule runs too.
fn run_example(code: &str, ex: &Example) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in &ex.files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let paths = if ex.files.len() == 1 {
        vec![dir.path().join(&ex.files[0].0)]
    } else {
        vec![dir.path().to_path_buf()]
    };
    check::run(&Options {
        paths,
        litellm_version: ex.version.clone(),
        extend_select: vec![code.to_string()],
        ..Options::default()
    })
}

fn describe(code: &str, section: &str, i: usize, block: &Block, o: &Outcome) -> String {
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code).collect();
    format!(
        "{code} `## {section}` block {}:\n{}\n-> {codes:?}\n{}",
        i + 1,
        block.text.trim_end(),
        common::human(o)
    )
}

#[test]
fn documented_examples_run() {
    for (code, _) in EXEMPT {
        assert!(
            litellm_lint::rules::find(code).is_some(),
            "EXEMPT names {code}, which is not a rule"
        );
    }
    let mut failures = Vec::new();
    for r in RULES {
        let code = r.meta.code;
        if EXEMPT.iter().any(|(c, _)| *c == code) {
            continue;
        }
        let doc = r.meta.raw_doc();
        let examples = runnable_blocks(&doc_section(&doc, "Example").unwrap_or_default());
        if examples.is_empty() {
            failures.push(format!(
                "{code}: no ```yaml block under `## Example` (add one, or exempt the rule in \
                 tests/docs.rs with a reason)"
            ));
        }
        for (i, block) in examples.iter().enumerate() {
            let o = run_example(code, &example(block));
            if !o.diagnostics.iter().any(|d| d.code == code) {
                failures.push(format!(
                    "expected {}",
                    describe(code, "Example", i, block, &o)
                ));
            }
        }
        let fixes = runnable_blocks(&doc_section(&doc, "Fix").unwrap_or_default());
        for (i, block) in fixes.iter().enumerate() {
            let o = run_example(code, &example(block));
            if o.input_errors
                || o.diagnostics
                    .iter()
                    .any(|d| d.code == code || d.severity == Severity::Error)
            {
                failures.push(format!(
                    "expected no {code} and no error in {}",
                    describe(code, "Fix", i, block, &o)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} documented example(s) do not do what the docs say:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn example_conventions() {
    let section =
        "Prose.\n```yaml\n#~ model_list: []\nrouter_settings: {}\n```\n```text\nshown only\n```\n";
    let blocks = runnable_blocks(section);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].text, "model_list: []\nrouter_settings: {}\n");
    let ex = example(&blocks[0]);
    assert_eq!(ex.files.len(), 1);
    assert_eq!(ex.files[0].0, "config.yaml");
    assert_eq!(ex.version, None);

    let ex = example(&Block {
        lang: "yaml".into(),
        text: "# litellm-version: 1.81.0\n# file: a.yaml\nx: 1\n# file: sub/b.yaml\ny: 2\n".into(),
    });
    assert_eq!(ex.version.as_deref(), Some("1.81.0"));
    let names: Vec<&str> = ex.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a.yaml", "sub/b.yaml"]);
    assert_eq!(ex.files[1].1, "y: 2\n");

    for r in RULES {
        assert!(
            !r.meta.doc().lines().any(|l| l.starts_with(HIDDEN_LINE)),
            "{}: hidden lines shown",
            r.meta.code
        );
    }
}
