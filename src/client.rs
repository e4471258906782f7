//! Links client call sites (from [`crate::python`]) to the proxy config they talk to.
//!
//! A call is linked only on evidence that it talks to a LiteLLM proxy: a base URL whose host says
//! LiteLLM, an address an environment serves the proxy at (a compose service and its published
//! ports), the proxy's default local address (port 4000), a variable whose name says LiteLLM or
//! proxy, or a variable compose sets to such a URL. A base URL that is unknown, a provider's
//! endpoint, another server (vLLM on :8000, OpenRouter, a Kong ingress) or an env default that
//! is none of these links to nothing. Among several configs, the one that defines the requested
//! model group wins when exactly one does.

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

/// What the repository says about where its proxy answers: the addresses environments serve it
/// at, and the URL-valued variables compose sets.
#[derive(Clone, Debug, Default)]
pub struct ProxyEvidence {
    /// (host, port) pairs, lower-case hosts.
    pub addresses: Vec<(String, u16)>,
    /// (`NAME`, URL) pairs.
    pub url_vars: Vec<(String, String)>,
}

/// The `litellm` CLI's default port.
const DEFAULT_PORT: u16 = 4000;

fn local_host(h: &str) -> bool {
    matches!(
        h,
        "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "host.docker.internal"
    )
}

/// Host (lower case) and port of a URL (`None` when the port is not written).
fn host_port(url: &str) -> Option<(String, Option<u16>)> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().ok())
        }
        _ => (authority, None),
    };
    Some((host.to_ascii_lowercase(), port))
}

/// A variable name that says it holds the LiteLLM proxy's address (`LITELLM_BASE_URL`,
/// `settings.proxy_url`); not the HTTP proxy variables.
pub fn name_says_proxy(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    let http_proxy = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"]
        .iter()
        .any(|p| n.ends_with(p));
    n.contains("LITELLM") || (n.contains("PROXY") && !http_proxy)
}

impl ProxyEvidence {
    /// Whether a URL names the proxy: its host says LiteLLM, or it is an address an environment
    /// serves the proxy at, or a local address on the proxy's default port.
    pub fn is_proxy_url(&self, url: &str) -> Option<String> {
        if is_provider_endpoint(url) {
            return None;
        }
        let (host, port) = host_port(url)?;
        if host.contains("litellm") {
            return Some(format!("its base URL `{url}` names LiteLLM"));
        }
        let served = self.addresses.iter().any(|(h, p)| {
            (*h == host || (local_host(h) && local_host(&host))) && port.is_none_or(|x| x == *p)
        });
        if served && port.is_some() {
            return Some(format!(
                "its base URL `{url}` is where an environment of this repository serves the proxy"
            ));
        }
        if local_host(&host) && port == Some(DEFAULT_PORT) {
            return Some(format!(
                "its base URL `{url}` is the proxy's default local address"
            ));
        }
        None
    }

    fn var_value(&self, name: &str) -> Option<&str> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.url_vars
            .iter()
            .find(|(n, _)| n == name || n.eq_ignore_ascii_case(short))
            .map(|(_, v)| v.as_str())
    }

    /// What a base URL read from variable `name` says: `Some(why)` when its name says proxy or
    /// compose sets it to the proxy's URL, `Some(None)` when compose sets it elsewhere, `None`
    /// when nothing is known about it.
    fn via_variable(&self, name: &str) -> Option<Option<String>> {
        if name_says_proxy(name) {
            return Some(Some(format!("its base URL comes from `{name}`")));
        }
        let v = self.var_value(name)?;
        Some(
            self.is_proxy_url(v)
                .map(|_| format!("its base URL comes from `{name}`, which compose sets to `{v}`")),
        )
    }

    /// Why the call talks to the LiteLLM proxy, or `None` when nothing says it does.
    pub fn why_proxy(&self, c: &ClientCall) -> Option<String> {
        if c.direct_sdk {
            return None;
        }
        match &c.base_url {
            BaseUrl::Literal(s) => self.is_proxy_url(&s.value),
            BaseUrl::Env { name, .. } => self.via_variable(name).flatten(),
            BaseUrl::EnvDefault { name, default } => self.via_variable(name).unwrap_or_else(|| {
                self.is_proxy_url(&default.value)
                    .map(|why| format!("{why} (the default of `{name}`)"))
            }),
            BaseUrl::Implied(why) => Some(why.clone()),
            BaseUrl::Missing { .. } | BaseUrl::Unknown => None,
        }
    }
}

/// Matches every call to at most one config; returns, per config index, its calls.
pub fn link(
    calls: &[(FileId, &ClientCall)],
    configs: &[&Config],
    evidence: &ProxyEvidence,
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
        // A call is linked to a proxy only on evidence that it talks to one.
        let Some(why_proxy) = evidence.why_proxy(call) else {
            continue;
        };
        let choice = if proxies.len() == 1 {
            Some((
                proxies[0],
                format!("{why_proxy}, and it is the only proxy config"),
            ))
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
                        "{why_proxy}, and it is the only proxy config that defines `{}`",
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
