//! ## What it does
//! For every environment that loads a config, checks that each `os.environ/NAME` of the config
//! (includes too) is among the variables the environment provides: compose `environment:`
//! (list or map) and `env_file:`, the Dockerfile's `ENV`, a workflow's `env:` at workflow, job
//! and step level (and `$GITHUB_ENV` writes, `export`s), `docker run -e`/`--env-file`, Helm
//! `envVars`/`extraEnvVars` and the chart's own variables. It also checks that every
//! `${NAME}` a compose service needs is set by its interpolation source (the `.env` next to the
//! compose file, or the CI job's variables when a job runs `docker compose up`).
//!
//! Environments whose variables cannot all be seen are skipped: Helm values with
//! `environmentSecrets`/`environmentConfigMaps` (the keys are in the cluster), GitLab jobs
//! (CI/CD variables from the project settings), an `env_file` missing from the repository
//! without a `.env.example`, a workflow step that loads variables through an action, an image
//! run somewhere the repository does not describe. So is a config that reads its secrets
//! from a secret manager (`general_settings.key_management_system`).
//!
//! ## Why is this bad?
//! A variable that is not set resolves to `None` without any error or warning (litellm
//! `get_secret`). The proxy starts normally and fails only when a request uses that
//! deployment: a 401 from the provider, or, for `api_base`, requests quietly sent to the
//! provider's default endpoint (BerriAI/litellm#6332). A `${NAME}` that compose cannot
//! resolve becomes an empty string, with only a warning at `docker compose up`.
//!
//! ## Example
//! ```yaml
//! # config.yaml
//! model_list:
//!   - model_name: claude
//!     litellm_params: {model: anthropic/claude-sonnet-4-5, api_key: os.environ/ANTHROPIC_API_KEY}
//! # docker-compose.yml
//! services:
//!   litellm:
//!     image: ghcr.io/berriai/litellm:main-v1.95.0-stable
//!     volumes: ["./config.yaml:/app/config.yaml"]
//!     command: ["--config", "/app/config.yaml"]
//!     environment:
//!       OPENAI_API_KEY: ${OPENAI_API_KEY}
//! ```
//!
//! ## Fix
//! Provide the variable in that environment (for example `ANTHROPIC_API_KEY:
//! ${ANTHROPIC_API_KEY}` under the service's `environment:` and the name in `.env`, or
//! `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}` in the job's `env:`), or remove the
//! reference if the environment does not need the deployment.

use crate::diagnostic::{Diagnostic, Severity};
use crate::env::{EnvContext, EnvKind, Environment};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "LL402",
        name: "env-var-missing",
        severity: Severity::Warning,
        summary: "an `os.environ/NAME` (or compose `${NAME}`) that an environment does not provide",
        source: include_str!("ll402_env_var_missing.rs"),
        fixable: false,
    },
    check: None,
};

fn how_to_provide(e: &Environment, name: &str) -> String {
    if e.unset_passthrough.iter().any(|n| n == name) {
        return format!(
            "`-e {name}` passes on the job's `{name}`, which the job does not set: add `{name}: ${{{{ secrets.{name} }}}}` to the job's (or the step's) `env:`"
        );
    }
    if e.id.contains("#helm") {
        return format!(
            "add `{name}` to `envVars`, or to a Kubernetes Secret listed in `environmentSecrets`"
        );
    }
    match e.kind {
        EnvKind::Ci if e.id.contains(".gitlab-ci") => {
            format!("add `{name}` to the job's `variables:` (or as a CI/CD variable)")
        }
        EnvKind::Ci if !e.container => {
            format!("add `{name}: ${{{{ secrets.{name} }}}}` to the job's (or the step's) `env:`")
        }
        EnvKind::Ci if e.interpolation_source.is_none() => {
            format!(
                "pass `{name}` to the container (`env:` of the service, `-e {name}` of `docker run`)"
            )
        }
        _ => format!(
            "add `{name}: ${{{name}}}` under the service's `environment:` (and `{name}` to the `.env` file)"
        ),
    }
}

pub fn check(ctx: &EnvContext, out: &mut Vec<Diagnostic>) {
    for e in ctx.envs {
        let relevant = e.in_scope
            || e.configs
                .iter()
                .any(|c| c.file.is_some_and(|f| ctx.is_checked(f)));
        if !relevant {
            continue;
        }
        if e.provides.open.is_none() {
            for cu in &e.configs {
                let Some(cfg) = cu.file.and_then(|f| ctx.config(f)) else {
                    continue;
                };
                let secret_manager = cfg
                    .section("general_settings")
                    .and_then(|g| g.get("key_management_system"))
                    .is_some_and(|v| v.is_truthy());
                if secret_manager {
                    continue;
                }
                // `environment_variables` of the config are exported before `model_list` is read.
                let exported: Vec<String> = cfg
                    .section("environment_variables")
                    .and_then(|n| n.as_map())
                    .map(|m| m.iter().map(|x| x.key.key_string()).collect())
                    .unwrap_or_default();
                let mut reported: Vec<&str> = Vec::new();
                for r in cfg.env_refs.iter().filter(|r| !r.in_list) {
                    if e.provides.has(&r.name)
                        || exported.contains(&r.name)
                        || reported.contains(&r.name.as_str())
                        || r.name.is_empty()
                    {
                        continue;
                    }
                    reported.push(&r.name);
                    let uses = cfg.env_refs.iter().filter(|x| x.name == r.name).count();
                    let mut d = Diagnostic::new(
                        &RULE.meta,
                        r.span,
                        format!(
                            "`{}` is not set in {}: the proxy reads `os.environ/{}` as None and requests that need it fail",
                            r.name, e.name, r.name
                        ),
                    )
                    .label(e.span, format!("{} is defined here", e.name))
                    .help(how_to_provide(e, &r.name));
                    if uses > 1 {
                        d = d.note(format!(
                            "`os.environ/{}` is used {uses} times in this config",
                            r.name
                        ));
                    }
                    out.push(d);
                }
            }
        }
        if let Some((src_name, src)) = &e.interpolation_source
            && src.open.is_none()
        {
            for i in &e.interpolation {
                if src.has(&i.name) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &RULE.meta,
                        i.span,
                        format!(
                            "`${{{}}}` in {} is not set by {src_name}: compose substitutes an empty string",
                            i.name, e.name
                        ),
                    )
                    .label(e.span, format!("{} is defined here", e.name))
                    .help(format!(
                        "set `{}` in {src_name}, or give a default (`${{{}:-value}}`)",
                        i.name, i.name
                    )),
                );
            }
        }
    }
}
