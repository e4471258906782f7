//! Links client call sites (from [`crate::python`]) to the proxy config they talk to.
//!
//! A call talks to the proxy when its base URL says so (a literal or env-default URL that is not
//! a provider's public endpoint, or an environment variable whose name names LiteLLM or a
//! proxy), or when its base URL is not known statically and the repository has exactly one
//! proxy config. Among several configs, the one that defines the requested model group wins
//! when exactly one does.

use crate::config::Config;
use crate::python::{BaseUrl, ClientCall, is_provider_endpoint};
use crate::source::FileId;

/// A call site matched to a config, and why.
#[derive(Clone, Debug)]
pub struct Linked {
    pub file: FileId,
    pub call: ClientCall,
    /// Which config it was matched to and why (shown in notes).
    pub reason: String,
}

/// Whether the call's target is the proxy: `Some(true)` yes, `Some(false)` no, `None` unknown.
pub fn targets_proxy(c: &ClientCall) -> Option<bool> {
    if c.direct_sdk {
        return Some(false);
    }
    match &c.base_url {
        BaseUrl::Literal(s) => Some(!is_provider_endpoint(&s.value)),
        BaseUrl::Env { name, .. } => {
            let n = name.to_ascii_uppercase();
            (n.contains("LITELLM") || n.contains("PROXY") || n.contains("GATEWAY")).then_some(true)
        }
        BaseUrl::Missing { .. } => Some(false),
        BaseUrl::Unknown => None,
    }
}

/// Matches every call to at most one config; returns, per config index, its calls.
pub fn link(
    calls: &[(FileId, &ClientCall)],
    configs: &[&Config],
    config_path: impl Fn(&Config) -> String,
) -> Vec<Vec<Linked>> {
    let mut out: Vec<Vec<Linked>> = configs.iter().map(|_| vec![]).collect();
    // Configs built from a `litellm.Router(...)` in Python serve only the calls on that router.
    let in_code = |c: &Config| config_path(c).ends_with(".py");
    let proxies: Vec<usize> = (0..configs.len())
        .filter(|i| !in_code(configs[*i]))
        .collect();
    for (file, call) in calls {
        if let Some(ctor) = call.router {
            if let Some(i) = (0..configs.len())
                .find(|i| configs[*i].file == *file && configs[*i].root.span == ctor)
            {
                out[i].push(Linked {
                    file: *file,
                    call: (*call).clone(),
                    reason: "checked against the `litellm.Router(...)` this call goes through"
                        .to_string(),
                });
            }
            continue;
        }
        let proxy = targets_proxy(call);
        if proxy == Some(false) {
            continue;
        }
        let why_proxy = match &call.base_url {
            BaseUrl::Literal(s) => format!("its base URL `{}` is not a provider endpoint", s.value),
            BaseUrl::Env { name, .. } => format!("its base URL comes from `{name}`"),
            _ => String::new(),
        };
        let choice = if proxies.len() == 1 {
            let only = proxies[0];
            if proxy.is_none() && why_proxy.is_empty() {
                Some((
                    only,
                    "the only proxy config in the checked files".to_string(),
                ))
            } else {
                Some((
                    only,
                    format!("{why_proxy}, and it is the only proxy config"),
                ))
            }
        } else {
            let model = call.model.as_ref().map(|m| m.value.as_str());
            let defining: Vec<usize> = proxies
                .iter()
                .copied()
                .filter(|i| model.is_some_and(|m| configs[*i].resolves(m)))
                .collect();
            (defining.len() == 1).then(|| {
                (
                    defining[0],
                    format!(
                        "the only proxy config that defines `{}`",
                        model.unwrap_or_default()
                    ),
                )
            })
        };
        if let Some((i, why)) = choice {
            out[i].push(Linked {
                file: *file,
                call: (*call).clone(),
                reason: format!("checked against `{}`: {why}", config_path(configs[i])),
            });
        }
    }
    out
}
