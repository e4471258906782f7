//! ## What it does
//! Reports `os.environ/NAME` strings that stand directly in a list, such as
//! `allowed_ips: [os.environ/OFFICE_IP]`.
//!
//! ## Why is this bad?
//! The proxy resolves `os.environ/` references with one pass over the config that descends
//! into mappings, and into mappings inside lists, but leaves plain strings inside lists as they
//! are (`ProxyConfig._check_for_os_environ_vars`, litellm 1.83.9 and 1.109.1). The setting
//! receives the literal text `os.environ/NAME`, not the variable's value.
//!
//! ## Example
//! ```yaml
//! general_settings:
//!   allowed_ips: [os.environ/OFFICE_IP]
//! ```
//!
//! ## Fix
//! Write the value itself in the list, or give the whole setting one reference to a variable
//! that holds the full value where the setting accepts a string.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL505",
        name: "env-ref-in-list",
        severity: Severity::Warning,
        summary: "an `os.environ/NAME` inside a list of strings: the proxy never resolves it",
        source: include_str!("ll505_env_ref_in_list.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for r in ctx.config.env_refs.iter().filter(|r| r.in_list) {
        out.push(
            Diagnostic::new(
                &RULE.meta,
                r.span,
                format!(
                    "`os.environ/{}` is inside a list, where the proxy does not resolve it: the setting gets this text, not the variable's value",
                    r.name
                ),
            )
            .note("the proxy resolves `os.environ/` in mapping values, including mappings inside lists, but not plain strings inside lists")
            .help("write the value itself in the list"),
        );
    }
}
