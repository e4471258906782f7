//! The JSON Schema and the known-keys data cover every key the LiteLLM reference lists for the
//! newest examined release (`tests/data/reference-keys.toml`, extracted from the reference by
//! `scripts/extract_reference_keys.py`).

use litellm_lint::structure::{KeyStatus, Section, known_keys};
use serde_json::Value;

fn reference() -> toml::Table {
    toml::from_str(include_str!("data/reference-keys.toml")).unwrap()
}

fn keys(t: &toml::Table, section: &str) -> Vec<String> {
    t[section]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn schema() -> Value {
    serde_json::from_str(litellm_lint::structure::SCHEMA_TEXT).unwrap()
}

#[test]
fn schema_and_known_keys_cover_the_reference() {
    let t = reference();
    let schema = schema();
    let mut missing = vec![];
    for (name, section) in [
        ("router_settings", Section::Router),
        ("litellm_settings", Section::Litellm),
        ("general_settings", Section::General),
    ] {
        let props = schema["properties"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("schema has no properties for {name}"));
        let listed = keys(&t, name);
        // The release the reference read this section from.
        let at = litellm_lint::version::Version::parse(t[name]["version"].as_str().unwrap());
        assert!(
            listed.len() > 30,
            "{name}: only {} keys extracted",
            listed.len()
        );
        for key in listed {
            let set_by_proxy = known_keys()
                .spec(section, &key)
                .is_some_and(|k| !k.settable);
            if !props.contains_key(&key) && !set_by_proxy {
                missing.push(format!("schema: {name}.{key}"));
            }
            if known_keys().status(section, &key, at) != KeyStatus::Known {
                missing.push(format!("known-keys: {name}.{key}"));
            }
        }
    }
    assert!(missing.is_empty(), "not covered:\n{}", missing.join("\n"));
}

#[test]
fn every_schema_property_has_a_description() {
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                let has = p.get("description").is_some()
                    || p.get("$ref")
                        .is_some_and(|_| p.get("description").is_some());
                if !has {
                    out.push(format!("{path}.{k}"));
                }
                walk(p, &format!("{path}.{k}"), out);
            }
        }
        if let Some(defs) = v.get("$defs").and_then(Value::as_object) {
            for (k, d) in defs {
                walk(d, &format!("$defs.{k}"), out);
            }
        }
    }
    let mut out = vec![];
    walk(&schema(), "$", &mut out);
    assert!(
        out.is_empty(),
        "properties without a description:\n{}",
        out.join("\n")
    );
}
