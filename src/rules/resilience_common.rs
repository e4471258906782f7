//! Helpers shared by the retry, cooldown and quota rules.

use crate::config::{Config, Deployment, Group};
use crate::yaml::Node;

/// Providers that are usually a local server, without provider quotas.
pub const LOCAL_SERVERS: &[&str] = &[
    "ollama",
    "ollama_chat",
    "hosted_vllm",
    "lm_studio",
    "llamafile",
    "vllm",
];

/// The group has a general fallback that names at least one target.
pub fn has_fallback(cfg: &Config, group: &str) -> bool {
    cfg.general_fallback_for(group)
        .is_some_and(|(_, e)| !e.targets.is_empty())
}

/// Groups that are not wildcards (`*`, `openai/*`).
pub fn named_groups(cfg: &Config) -> impl Iterator<Item = &Group> {
    cfg.groups.iter().filter(|g| !g.wildcard)
}

fn text(n: Option<&Node>) -> String {
    match n {
        Some(n) => match n.as_str() {
            Some(s) => s.to_string(),
            None => format!("{:?}", crate::structure::to_json(n)),
        },
        None => String::new(),
    }
}

/// What identifies a provider rate-limit pool: provider, upstream model and the credentials
/// and endpoint that select the account. Two deployments with the same key draw on the same
/// quota.
pub fn quota_key(d: &Deployment) -> Vec<String> {
    let mut k = vec![d.provider.clone(), d.provider_model.clone()];
    k.extend(credential_key(d));
    k
}

/// The account part of [`quota_key`] (without the model).
pub fn credential_key(d: &Deployment) -> Vec<String> {
    [
        "api_key",
        "api_base",
        "organization",
        "vertex_project",
        "vertex_credentials",
        "aws_access_key_id",
        "aws_profile_name",
        "aws_role_name",
        "litellm_credential_name",
        "api_version",
        "aws_region_name",
        "region_name",
        "vertex_location",
        "vertex_ai_location",
        "watsonx_region_name",
        // Tag routing sends a request only to deployments with its tags.
        "tags",
    ]
    .iter()
    .map(|p| text(d.param(p)))
    .collect()
}

/// "`a`, `b` and `c`", at most `max` names then "and N more".
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    let rest = names.len().saturating_sub(max);
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (_, 0) => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        _ => format!("{} and {rest} more", shown.join(", ")),
    }
}

/// The deployment's model in LiteLLM's model map, resolved the way `get_model_info` does
/// (`custom_llm_provider` and `api_base` change the answer), with the model's span.
pub fn catalog_lookup(
    d: &Deployment,
) -> Option<(&str, crate::source::Span, crate::models::Lookup<'static>)> {
    catalog_lookup_in(crate::models::catalog(), d)
}

/// [`catalog_lookup`] in a given release's model map.
pub fn catalog_lookup_in<'d>(
    cat: &'static crate::models::Catalog,
    d: &'d Deployment,
) -> Option<(&'d str, crate::source::Span, crate::models::Lookup<'static>)> {
    let (model, span) = (d.model.as_deref()?, d.model_span?);
    let lc = crate::models::LookupContext {
        custom_llm_provider: d.param("custom_llm_provider").and_then(|n| n.as_str()),
        api_base: d.param("api_base").and_then(|n| n.as_str()),
    };
    Some((model, span, cat.lookup_with(model, lc)))
}

/// Hosts of the providers' own APIs and the clouds that serve them (a deployment whose
/// `api_base` is elsewhere talks to another server that merely speaks the provider's API).
fn is_provider_host(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    crate::python::is_provider_endpoint(&u)
        || [
            ".azure.com",
            ".azure.net",
            "amazonaws.com",
            "googleapis.com",
        ]
        .iter()
        .any(|h| u.contains(h))
}

/// Whether a deployment sends no request to the provider its model name belongs to: a
/// `mock_response`, a placeholder `api_key` (a chart's or a test's dummy), or an `api_base`
/// that is not the provider's own API (a self-hosted or fake server, another gateway).
pub fn not_served_by_provider(d: &Deployment) -> bool {
    let placeholder_key = d
        .param("api_key")
        .and_then(|n| n.as_str())
        .is_some_and(|k| !crate::secrets::is_templated(k) && crate::secrets::is_placeholder(k));
    let elsewhere = d
        .param("api_base")
        .and_then(|n| n.as_str())
        .is_some_and(|b| !crate::secrets::is_templated(b) && !is_provider_host(b));
    d.param("mock_response").is_some() || placeholder_key || elsewhere
}
