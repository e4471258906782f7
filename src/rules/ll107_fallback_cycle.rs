//! ## What it does
//! Finds `fallbacks` entries that name their own group, and chains of fallbacks that loop back
//! (`a → b → a`).
//!
//! ## Why is this bad?
//! LiteLLM skips a target equal to the group that failed, so a self-reference does nothing: the
//! entry looks like a backup but is not one. A cycle is followed hop by hop (each hop with its
//! own retries) until `max_fallbacks` is reached, multiplying upstream calls when both groups
//! are failing, and the client finally gets the last hop's error.
//!
//! ## Example
//! ```yaml
//! # litellm-version: 1.81.16
//! router_settings:
//!   fallbacks:
//!     - gpt-4o: [claude]
//!     - claude: [gpt-4o]
//! ```
//! checked with `--litellm-version 1.81.16` (or a pin of that version).
//!
//! From 1.97.0 the fallback walk records the groups it attempted and skips them, so a cycle is
//! walked once (`rules/router/behavior.toml`, read in the released source): a cycle is
//! reported only on older releases (and not below 1.74.14, the oldest examined).
//!
//! A cycle is reported at severity `info` (it does not fail the run): mutual backups are a
//! common, deliberate pattern, and `max_fallbacks` bounds the bouncing. A self-reference is a
//! warning.
//!
//! ## Fix
//! Point fallbacks at a group outside the loop, ideally a different provider.

use std::collections::HashMap;

use super::{Context, Rule, RuleMeta};
use crate::config::FallbackKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

const WALKED_ONCE: &str = "fallback_walk_skips_attempted_groups";

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL107",
        name: "fallback-cycle",
        severity: Severity::Warning,
        summary: "a fallback that names its own group, or a loop of fallbacks",
        source: include_str!("ll107_fallback_cycle.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    // group -> [(target, target span, entry key span)]
    let mut graph: HashMap<&str, Vec<(&str, Span, Span)>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for l in cfg.effective(FallbackKind::General) {
        for e in &l.entries {
            if e.group == "*" {
                continue;
            }
            if !graph.contains_key(e.group.as_str()) {
                order.push(&e.group);
            }
            let edges = graph.entry(&e.group).or_default();
            for t in &e.targets {
                if t.name == e.group {
                    out.push(
                        Diagnostic::new(&RULE.meta, t.span, format!("`{}` falls back to itself; LiteLLM skips this target, so it is no backup", t.name))
                            .label(e.group_span, "the group that fails")
                            .help("name a different model group, ideally on another provider"),
                    );
                } else {
                    edges.push((&t.name, t.span, e.group_span));
                }
            }
        }
    }
    // From 1.97.0 the fallback walk skips a group it already attempted, so a cycle is walked
    // once: no bouncing to report. Below the releases examined, no claim.
    let (v, assumed) = crate::version::judged(
        ctx.version.version,
        crate::router_facts::facts().examined_to,
    );
    if crate::router_facts::holds(WALKED_ONCE, v) != Some(false) {
        return;
    }
    // Report each cycle once, at the edge that closes it, starting from the first group in file order.
    let mut covered: Vec<&str> = Vec::new();
    for &start in &order {
        let mut stack: Vec<(&str, Vec<&str>, Vec<Span>)> = vec![(start, vec![start], vec![])];
        let mut steps = 0;
        while let Some((node, path, spans)) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            for &(t, tspan, _) in graph.get(node).map(Vec::as_slice).unwrap_or(&[]) {
                if t == start {
                    if path.iter().all(|g| covered.contains(g)) {
                        continue;
                    }
                    covered.extend(path.iter().copied());
                    let chain: Vec<&str> = path.iter().copied().chain([start]).collect();
                    let mut d = Diagnostic::new(
                        &RULE.meta,
                        tspan,
                        format!(
                            "fallback cycle {}: when these groups fail together (a shared outage, a quota hit on both) LiteLLM bounces between them until max_fallbacks ({}) is used up, each hop with its own retries",
                            chain.join(" → "),
                            cfg.max_fallbacks.value
                        ),
                    )
                    .severity(Severity::Info);
                    for s in &spans {
                        d = d.label(*s, "part of the cycle");
                    }
                    d = d.note(crate::router_facts::cite(WALKED_ONCE, v));
                    if let Some(n) = &assumed {
                        d = d.note(n.clone());
                    }
                    let since = crate::router_facts::since(WALKED_ONCE).expect("a lower bound");
                    out.push(d.help(format!("end the chain at a group that does not fall back into it, or upgrade LiteLLM to {since} or later, which walks a cycle once")));
                } else if !path.contains(&t) {
                    let mut p = path.clone();
                    p.push(t);
                    let mut s = spans.clone();
                    s.push(tspan);
                    stack.push((t, p, s));
                }
            }
        }
    }
}
