//! litellm-lint: a linter and static analyzer for LiteLLM proxy deployments.
//!
//! Pipeline: discover files → load them once into span-aware trees ([`yaml`]) → build a typed
//! model of the deployment ([`config`]) → rules query the model ([`rules`]) → diagnostics
//! ([`diagnostic`]) → suppression comments ([`suppress`]), then selection and severities from
//! litellm-lint's own configuration ([`settings`]) → a baseline, when given ([`baseline`]) →
//! renderers ([`render`]).
pub mod baseline;
pub mod check;
pub mod cli;
pub mod client;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod env;
pub mod fix;
pub mod models;
pub mod python;
pub mod releases;
pub mod render;
pub mod router_facts;
pub mod rules;
pub mod secrets;
pub mod settings;
pub mod source;
pub mod streaming;
pub mod structure;
pub mod suppress;
pub mod version;
pub mod yaml;
