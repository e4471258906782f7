//! The command line (see `design.md`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::check::{self, Options};
use crate::render;
use crate::rules::RULES;

/// Writes to stdout; a closed pipe (`litellm-lint rules | head`) ends the process quietly
/// instead of panicking.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

macro_rules! out {
    ($($arg:tt)*) => { emit(&format!($($arg)*)) };
}

macro_rules! outln {
    ($($arg:tt)*) => {{ emit(&format!($($arg)*)); emit("\n"); }};
}

#[derive(Parser, Debug)]
#[command(
    name = "litellm-lint",
    version,
    about = "A linter for LiteLLM proxy deployments: configs, client code and environments"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Diagnostics with source snippets (the default).
    Human,
    /// One line per diagnostic: `path:line:col: CODE [severity] message`.
    Concise,
    /// One JSON object (see the README).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning, SARIF viewers).
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
}

/// The formats of `litellm-lint rules`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Concise,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files or folders (default: the current folder).
    Check(Box<CheckArgs>),
    /// Print a rule's full documentation.
    Rule {
        /// A code (`LL104`) or a name (`fallback-target-unknown`).
        code: String,
    },
    /// Print the JSON Schema of the LiteLLM proxy config.
    Schema,
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        output_format: RulesFormat,
    },
    /// Print a shell completion script (for example
    /// `litellm-lint completions bash > ~/.local/share/bash-completion/completions/litellm-lint`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads the text from stdin.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub output_format: OutputFormat,
    /// The LiteLLM version to judge against (overrides detection).
    #[arg(long, value_name = "X.Y.Z")]
    pub litellm_version: Option<String>,
    /// Only these codes, prefixes or names (replaces `select` of the configuration file).
    #[arg(long, value_delimiter = ',', value_parser = selector)]
    pub select: Vec<String>,
    /// Skip these codes, prefixes or names (added to the configuration file's).
    #[arg(long, value_delimiter = ',', value_parser = selector)]
    pub ignore: Vec<String>,
    /// Add to the selection.
    #[arg(long, value_delimiter = ',', value_parser = selector)]
    pub extend_select: Vec<String>,
    /// An environment described explicitly: a `.env`-style file whose variable names the
    /// environment provides (only names are read; `CONFIG_FILE_PATH=...` names its config).
    #[arg(long, value_name = "PATH")]
    pub env_file: Vec<PathBuf>,
    /// Read the file's text from stdin and report it under this path (editors, pre-commit).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Apply fixes (safe ones, unless --unsafe-fixes).
    #[arg(long)]
    pub fix: bool,
    /// Show the fixes as a diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
    /// Also apply or show unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Judge model deprecation dates as of this date (YYYY-MM-DD) instead of today, for
    /// reproducible output.
    #[arg(long, value_name = "YYYY-MM-DD", hide = true)]
    pub today: Option<String>,
    /// Never use colour.
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary (human format).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also say, on stderr, which files were taken as LiteLLM configs and why.
    #[arg(long, short)]
    pub verbose: bool,
    /// Hide the findings recorded in this baseline file (see --add-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this file (JSON) and exit 0; later runs with
    /// --baseline FILE show only new findings.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub add_baseline: Option<PathBuf>,
}

/// Validates a rule selector of the command line ("did you mean" on a typo).
fn selector(s: &str) -> Result<String, String> {
    crate::settings::Selector::parse(s)
        .map(|_| s.trim().to_string())
        .map_err(|e| e.to_string())
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(args) => run_check(*args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "litellm-lint",
                &mut std::io::stdout(),
            );
            0
        }
        Command::Schema => {
            out!("{}", crate::structure::SCHEMA_TEXT);
            0
        }
        Command::Rule { code } => match crate::rules::find(&code) {
            Some(r) => {
                outln!("{}", r.meta.page());
                0
            }
            None => {
                eprintln!("error: no rule `{code}` (see `litellm-lint rules`)");
                2
            }
        },
        Command::Rules { output_format } => {
            if output_format == RulesFormat::Json {
                let v: Vec<_> = RULES
                    .iter()
                    .map(|r| serde_json::json!({"code": r.meta.code, "name": r.meta.name, "severity": r.meta.severity.as_str(), "summary": r.meta.summary, "fixable": r.meta.fixable}))
                    .collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&v).expect("serializable")
                );
            } else {
                for r in RULES {
                    outln!(
                        "{:<6} {:<40} {:<8} {}",
                        r.meta.code,
                        r.meta.name,
                        r.meta.severity.as_str(),
                        r.meta.summary
                    );
                }
            }
            0
        }
    }
}

fn run_check(args: CheckArgs) -> i32 {
    let mut opts = Options {
        paths: args.paths.clone(),
        stdin: None,
        litellm_version: args.litellm_version.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extend_select: args.extend_select.clone(),
        today: None,
        environments: vec![],
    };
    for f in &args.env_file {
        if !f.is_file() {
            eprintln!("error: `--env-file {}`: no such file", f.display());
            return 2;
        }
        opts.environments
            .push(crate::env::EnvSpec::from_env_file(f));
    }
    if let Some(t) = &args.today {
        match crate::models::Date::parse(t) {
            Some(d) => opts.today = Some(d),
            None => {
                eprintln!("error: `--today {t}` is not a date like 2026-11-23");
                return 2;
            }
        }
    }
    if let Some(v) = &args.litellm_version
        && crate::version::Version::parse(v).is_none()
    {
        eprintln!("error: `--litellm-version {v}` is not a version like 1.81.1");
        return 2;
    }
    // `-` among the paths reads stdin too (as in ruff), named `-` unless --stdin-filename says.
    let dash = opts.paths.iter().any(|p| p.as_os_str() == "-");
    opts.paths.retain(|p| p.as_os_str() != "-");
    if dash || args.stdin_filename.is_some() {
        let text = match crate::source::read_stdin_bounded() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        opts.stdin = Some((name, text));
    } else if opts.paths.is_empty() {
        opts.paths.push(PathBuf::from("."));
    }
    let color_err =
        !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
    let baseline = match &args.baseline {
        Some(file) => match crate::baseline::Baseline::load(file) {
            Ok(b) => Some((b, crate::baseline::base_dir(file))),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => None,
    };
    let mut outcome = check::run(&opts);
    if !outcome.config_errors.is_empty() {
        eprint!(
            "{}",
            render::human::render_config_errors(&outcome.config_errors, color_err)
        );
        return 2;
    }
    for e in &outcome.path_errors {
        eprintln!("error: {e}");
    }
    if let Some(file) = &args.add_baseline {
        let b = crate::baseline::Baseline::from_outcome(&outcome, &crate::baseline::base_dir(file));
        if let Err(e) = b.write(file) {
            eprintln!("error: {e}");
            return 2;
        }
        let n = b.findings.len();
        eprintln!(
            "Wrote {n} finding{} to the baseline `{}`.",
            if n == 1 { "" } else { "s" },
            check::display_path(file)
        );
        for d in outcome
            .diagnostics
            .iter()
            .filter(|d| check::is_input_error(d.code))
        {
            let (s, _) = render::range(&outcome.sources, d.span);
            eprintln!(
                "error: {}:{}:{}: {} {} (not recorded: a file that cannot be checked must be fixed)",
                render::path_of(&outcome.sources, d.span),
                s.line,
                s.column,
                d.code,
                d.message
            );
        }
        return if outcome.input_errors { 2 } else { 0 };
    }
    if let Some((b, base)) = &baseline {
        b.filter(&mut outcome, base);
    }
    if args.fix || args.diff {
        let fixed =
            crate::fix::fixed_texts(&outcome.sources, &outcome.diagnostics, args.unsafe_fixes);
        for (file, text) in &fixed {
            let src = outcome.sources.get(*file);
            let path = check::display_path(&src.path);
            if args.diff {
                // Secrets never show, not even in the diff's context lines.
                out!(
                    "{}",
                    crate::fix::unified_diff(
                        &path,
                        &src.masked_text(),
                        &crate::fix::masked(
                            &outcome.sources,
                            *file,
                            &outcome.diagnostics,
                            args.unsafe_fixes
                        )
                    )
                );
            } else if opts.stdin.as_ref().is_some_and(|(p, _)| *p == src.path) {
                out!("{text}");
            } else if let Err(e) = std::fs::write(&src.path, text) {
                eprintln!("error: cannot write `{path}`: {e}");
                return 2;
            }
        }
        if args.diff {
            return i32::from(!fixed.is_empty() && !args.exit_zero);
        }
        if !fixed.is_empty() {
            eprintln!(
                "Fixed {} file{}; run again to see what remains.",
                fixed.len(),
                if fixed.len() == 1 { "" } else { "s" }
            );
        }
    }
    if args.verbose {
        for (f, why) in &outcome.configs {
            eprintln!(
                "litellm-lint: {}: a LiteLLM config ({why})",
                crate::check::display_path(&outcome.sources.get(*f).path)
            );
        }
    }
    let color =
        !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let text = match args.output_format {
        OutputFormat::Human => render::human::render(&outcome, color, args.quiet),
        OutputFormat::Concise => render::human::render_concise(&outcome),
        OutputFormat::Json => render::json::render(&outcome),
        OutputFormat::Sarif => render::sarif::render(&outcome),
        OutputFormat::Github => render::github::render(&outcome),
        OutputFormat::Gitlab => render::gitlab::render(&outcome),
        OutputFormat::Junit => render::junit::render(&outcome),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    check::exit_code(&outcome, args.exit_zero)
}
