//! Helm values files with `proxy_config:` (the LiteLLM chart, or an umbrella chart one level
//! up). The chart renders `proxy_config` alone into a ConfigMap mounted at
//! `/etc/litellm/config.yaml` and starts the proxy with `--config` on it. Variables: `envVars`,
//! `extraEnvVars`, the chart's own (`HOST`, `PORT`, `PROXY_MASTER_KEY`, the database and Redis
//! ones when enabled), and `environmentSecrets`/`environmentConfigMaps`, whose keys live in the
//! cluster (so the environment may provide anything). The image: `image.repository`/`image.tag`;
//! an empty tag means the chart's `appVersion` (read from a `Chart.yaml` next to the values
//! when there is one).

use super::{ConfigUse, EnvKind, Environment, Host, ImageUse, Mount, Pin};
use crate::config::Config;
use crate::source::Span;
use crate::version::Version;
use crate::yaml::{Node, Value};

pub const CONFIG_PATH: &str = "/etc/litellm/config.yaml";

/// The mapping that holds `proxy_config` (the values root or one level down).
fn chart_values(root: &Node, key: Span) -> Option<Node> {
    if root
        .entry("proxy_config")
        .is_some_and(|e| e.key.span == key)
    {
        return Some(root.clone());
    }
    root.as_map()?.iter().find_map(|e| {
        e.value
            .entry("proxy_config")
            .filter(|pc| pc.key.span == key)
            .map(|_| e.value.clone())
    })
}

fn names_in(node: Option<&Node>) -> Vec<(String, Span)> {
    let Some(n) = node else { return vec![] };
    match &n.value {
        Value::Map(entries) => entries
            .iter()
            .map(|e| (e.key.key_string(), e.key.span))
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let name = i.get("name")?;
                Some((name.as_str()?.to_string(), name.span))
            })
            .collect(),
        _ => vec![],
    }
}

fn non_empty_list(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn environment(host: &mut Host, cfg: &Config, key: Span, envs: &mut Vec<Environment>) {
    let path = host.sources().get(cfg.file).path.clone();
    let display = crate::check::display_path(&path);
    let Some(root) = host.yaml(&path).and_then(|(_, r)| r) else {
        return;
    };
    let Some(values) = chart_values(&root, key) else {
        return;
    };
    let mut e = Environment::new(
        format!("{display}#helm"),
        format!("the Helm values `{display}`"),
        EnvKind::Deploy,
        key,
    );
    e.inline_config = true;
    // Several pods: `replicaCount`, or an autoscaler that may add them.
    let autoscaling = values.get("autoscaling");
    if let Some(r) = values.get("replicaCount")
        && let Some(n) = r.as_i64().filter(|n| *n > 1)
    {
        e.replicas = Some((n as u64, r.span, format!("`replicaCount: {n}`")));
    } else if autoscaling
        .and_then(|a| a.get("enabled"))
        .is_some_and(|n| n.as_bool() == Some(true))
        && let Some(m) = autoscaling.and_then(|a| a.get("maxReplicas"))
        && let Some(n) = m.as_i64().filter(|n| *n > 1)
    {
        e.replicas = Some((n as u64, m.span, format!("`autoscaling.maxReplicas: {n}`")));
    }
    e.container = true;
    e.workdir = Some("/app".into());
    e.configs.push(ConfigUse {
        path: path.clone(),
        span: key,
        container_path: Some(CONFIG_PATH.into()),
        file: Some(cfg.file),
    });
    e.mounts.push(Mount {
        host: Some(path.clone()),
        target: CONFIG_PATH.into(),
        dir: false,
        span: key,
        how: "ConfigMap",
    });
    // Extra mounts the values add: whatever they hold is in the container.
    if let Some(vm) = values.get("volumeMounts").and_then(Node::as_seq) {
        for m in vm {
            if let Some(p) = m.get("mountPath").and_then(Node::as_str) {
                e.mounts.push(Mount {
                    host: None,
                    target: p.to_string(),
                    dir: m.get("subPath").is_none(),
                    span: m.span,
                    how: "volumeMounts",
                });
            }
        }
    }
    // Image and version.
    let image = values.get("image");
    let repo = image
        .and_then(|i| i.get("repository"))
        .and_then(|r| r.as_str().map(|s| (s.to_string(), r.span)));
    let tag_node = image.and_then(|i| i.get("tag"));
    let tag = tag_node.and_then(|t| match &t.value {
        Value::Str(s) if !s.is_empty() => Some(s.clone()),
        Value::Float(_) | Value::Int(_) => Some(t.key_string()),
        _ => None,
    });
    let litellm_repo = repo
        .as_ref()
        .is_none_or(|(r, _)| super::parse_image(r).is_some());
    // `image: ghcr.io/berriai/litellm:v1.81.0`, one string instead of `repository`/`tag`.
    let whole = image.and_then(|i| Some((super::parse_image(i.as_str()?), i.span)));
    if let Some((parsed, span)) = whole {
        if let Some(parsed) = parsed {
            e.run_image(parsed, span);
        }
    } else if litellm_repo {
        let span = tag_node
            .map(|t| t.span)
            .or(repo.as_ref().map(|r| r.1))
            .unwrap_or(key);
        let chart_default = tag.is_none();
        e.images.push(ImageUse {
            repository: repo.as_ref().map_or_else(
                || "ghcr.io/berriai/litellm-database".into(),
                |r| r.0.clone(),
            ),
            tag: tag.clone(),
            digest: false,
            variable: false,
            chart_default,
            span,
        });
        e.version = match &tag {
            Some(t) => Some(Pin {
                version: super::tag_version(t),
                raw: t.clone(),
                span,
            }),
            None => chart_app_version(host, &path).map(|(v, raw, s)| Pin {
                version: Some(v),
                raw,
                span: s,
            }),
        };
    }
    // Variables.
    for (n, s) in names_in(values.get("envVars"))
        .into_iter()
        .chain(names_in(values.get("extraEnvVars")))
    {
        e.provides.add(&n, s);
    }
    for n in ["HOST", "PORT", "PROXY_MASTER_KEY"] {
        e.provides.add(n, key);
    }
    let db = values.get("db");
    let flag = |n: Option<&Node>, k: &str, default: bool| {
        n.and_then(|d| d.get(k))
            .and_then(Node::as_bool)
            .unwrap_or(default)
    };
    if flag(db, "deployStandalone", true) || flag(db, "useExisting", false) {
        for n in [
            "DATABASE_USERNAME",
            "DATABASE_PASSWORD",
            "DATABASE_HOST",
            "DATABASE_NAME",
            "DATABASE_URL",
        ] {
            e.provides.add(n, key);
        }
    }
    if flag(values.get("redis"), "enabled", false) {
        for n in ["REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"] {
            e.provides.add(n, key);
        }
    }
    let secrets = non_empty_list(values.get("environmentSecrets"));
    let maps = non_empty_list(values.get("environmentConfigMaps"));
    if !secrets.is_empty() || !maps.is_empty() {
        let what: Vec<String> = secrets
            .iter()
            .map(|s| format!("Secret `{s}`"))
            .chain(maps.iter().map(|m| format!("ConfigMap `{m}`")))
            .collect();
        e.provides.open(format!(
            "the keys of {} (environmentSecrets/environmentConfigMaps) are in the cluster, not in the repository",
            what.join(", ")
        ));
    }
    envs.push(e);
}

/// `appVersion` of a `Chart.yaml` next to the values file.
fn chart_app_version(host: &mut Host, values: &std::path::Path) -> Option<(Version, String, Span)> {
    let chart = super::compose::folder(values).join("Chart.yaml");
    let (_, root) = host.yaml(&chart)?;
    let node = root?.get("appVersion")?.clone();
    let raw = match &node.value {
        Value::Str(s) => s.clone(),
        _ => node.key_string(),
    };
    Some((super::tag_version(&raw)?, raw, node.span))
}
