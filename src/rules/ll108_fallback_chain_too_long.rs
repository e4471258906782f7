//! ## What it does
//! Follows chains of `fallbacks` (`a: [b]`, `b: [c]`, ...) the way LiteLLM counts them and
//! reports groups whose own fallbacks can never run when they are reached as a fallback,
//! because `max_fallbacks` (default 5; `router_settings.max_fallbacks` or
//! `litellm_settings.max_fallbacks`) is used up by then.
//!
//! ## Why is this bad?
//! Every fallback attempt raises the request's fallback depth by one: each target tried in a
//! list, and each hop of a chain. Once the depth reaches `max_fallbacks`, a group that fails
//! raises its error instead of consulting its own fallbacks. The backups listed further down the
//! chain look configured but are never reached from the group the client asked for.
//!
//! ## Example
//! ```yaml
//! router_settings:
//!   max_fallbacks: 1
//!   fallbacks:
//!     - a: [b]
//!     - b: [c]     # never used when a request for `a` falls back to `b`
//! ```
//!
//! ## Fix
//! List the backups directly in the first group's entry, or raise `max_fallbacks`.

use std::collections::HashMap;

use super::{Context, Rule, RuleMeta};
use crate::config::FallbackKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL108",
        name: "fallback-chain-too-long",
        severity: Severity::Warning,
        summary: "fallbacks down a chain that `max_fallbacks` never lets run",
        source: include_str!("ll108_fallback_chain_too_long.rs"),
        fixable: false,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let cfg = ctx.config;
    let max = cfg.max_fallbacks.value.max(0) as usize;
    // group -> (entry key span, targets in order, self-references removed)
    let mut graph: HashMap<&str, (Span, Vec<&str>)> = HashMap::new();
    let mut order = Vec::new();
    for l in cfg.effective(FallbackKind::General) {
        for e in l.entries.iter().filter(|e| e.group != "*") {
            if graph.contains_key(e.group.as_str()) {
                continue; // LiteLLM uses the first entry for a group
            }
            order.push(e.group.as_str());
            graph.insert(
                &e.group,
                (
                    e.group_span,
                    e.targets
                        .iter()
                        .filter(|t| t.name != e.group)
                        .map(|t| t.name.as_str())
                        .collect(),
                ),
            );
        }
    }
    for &start in &order {
        // Smallest depth at which each group is attempted when `start` is requested.
        let mut depth: HashMap<&str, usize> = HashMap::from([(start, 0)]);
        let mut queue = vec![start];
        let mut steps = 0;
        while let Some(g) = queue.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            let d = depth[g];
            if d >= max {
                continue; // this group's fallbacks do not run
            }
            let Some((_, targets)) = graph.get(g) else {
                continue;
            };
            for (i, &t) in targets.iter().enumerate() {
                let td = d + i + 1;
                if depth.get(t).is_none_or(|&old| td < old) {
                    depth.insert(t, td);
                    queue.push(t);
                }
            }
        }
        let mut starved: Vec<(&str, usize, Span)> = depth
            .iter()
            .filter(|&(g, &d)| {
                *g != start && d >= max && graph.get(g).is_some_and(|(_, t)| !t.is_empty())
            })
            .map(|(g, &d)| (*g, d, graph[g].0))
            .collect();
        starved.sort_by_key(|s| (s.2, s.0));
        if starved.is_empty() {
            continue;
        }
        let names: Vec<String> = starved
            .iter()
            .map(|(g, d, _)| format!("`{g}` (attempt {d})"))
            .collect();
        let mut d = Diagnostic::new(
            &RULE.meta,
            graph[start].0,
            format!(
                "when `{start}` fails over, max_fallbacks ({max}) is used up before the fallbacks of {} can run",
                names.join(", ")
            ),
        );
        for (g, _, span) in &starved {
            d = d.label(
                *span,
                format!("`{g}`'s fallbacks: never reached from `{start}`"),
            );
        }
        if let Some(s) = cfg.max_fallbacks.span {
            d = d.label(s, "max_fallbacks set here");
        }
        out.push(d.help(format!(
            "list the backups directly in `{start}`'s entry, or raise `max_fallbacks`"
        )));
    }
}
