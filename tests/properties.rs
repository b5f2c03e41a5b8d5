//! Generated input for osc's parsers (property-based, bounded so the suite stays fast):
//! clouds.yaml / secure.yaml / clouds-public.yaml documents, paged listing bodies, error
//! bodies, plugin manifests and plugin results, `key=value` and typed option values.
//! The property everywhere: never a panic; a rejection is one line, naming where the input
//! is wrong (the file, the key or the value).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{json, Map, Value};

const CASES: u32 = 48;

/// Keys osc's configuration and plugin code read, so documents reach past the first check.
const KEYS: &[&str] = &[
    "clouds",
    "fake",
    "auth",
    "auth_url",
    "username",
    "password",
    "project_name",
    "region_name",
    "regions",
    "name",
    "values",
    "profile",
    "auth_type",
    "interface",
    "api_timeout",
    "verify",
    "cacert",
    "public-clouds",
    "name",
    "version",
    "abi",
    "layer",
    "services",
    "commands",
    "about",
    "kind",
    "args",
    "long",
    "short",
    "type",
    "columns",
    "key",
    "header",
    "list",
    "show",
    "fields",
    "rows",
    "next",
    "links",
    "images",
    "href",
    "rel",
    "error",
    "message",
    "errors",
    "detail",
    "title",
    "NeutronError",
    "badRequest",
    "error_message",
    "faultstring",
    "items",
    "status",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[ -~\u{1b}\n]{0,12}".prop_map(Value::from),
        prop::sample::select(KEYS).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// A YAML document: a generated structure, or text with YAML's punctuation.
fn yaml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        json_value().prop_map(|v| serde_yaml_ng::to_string(&v).unwrap()),
        json_value()
            .prop_map(|v| json!({"clouds": {"fake": v}}))
            .prop_map(|v| serde_yaml_ng::to_string(&v).unwrap()),
        "[a-z:{}\\[\\],&*!|>'\"%@` \n-]{0,80}",
    ]
}

fn one_line(what: &str, msg: &str) {
    assert!(!msg.trim().is_empty(), "{what}: empty message");
    assert!(
        !msg.trim_end().contains('\n'),
        "{what}: not one line: {msg:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    /// clouds.yaml, secure.yaml and clouds-public.yaml: loading and resolving the cloud
    /// never panics; a rejection is one line, and a parse error names the file.
    #[test]
    fn cloud_configuration(clouds in yaml_text(), secure in yaml_text(), public in yaml_text()) {
        use osc_core::config::{resolve, ConfigFiles, Env, FileSet};
        let dir = tempfile::tempdir().unwrap();
        let mut set = FileSet { clouds: None, secure: None, public: None };
        for (name, text, slot) in [
            ("clouds.yaml", &clouds, &mut set.clouds),
            ("secure.yaml", &secure, &mut set.secure),
            ("clouds-public.yaml", &public, &mut set.public),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            *slot = Some(p);
        }
        match ConfigFiles::load(&set) {
            Err(e) => {
                let m = e.to_string();
                one_line("load", &m);
                prop_assert!(m.contains(dir.path().to_str().unwrap()), "names no file: {}", m);
            }
            Ok(files) => {
                let env = Env { vars: [("OS_CLOUD".to_string(), "fake".to_string())].into_iter().collect() };
                if let Err(e) = resolve(&files, &env, &Default::default()) {
                    one_line("resolve", &e.to_string());
                }
            }
        }
    }

    /// A page of a listing: parsing any body never panics; a JSON body of another shape
    /// is an error or an empty page, never a crash.
    #[test]
    fn listing_pages(v in json_value(), junk in prop::collection::vec(any::<u8>(), 0..64)) {
        use osc_api::page::{parse, Fields};
        let body = serde_json::to_vec(&json!({"images": v.clone(), "next": v})).unwrap();
        for bytes in [body.as_slice(), junk.as_slice()] {
            for fields in [Fields::All, Fields::Only(&["id", "name", "flavor.original_name"])] {
                if let Err(e) = parse(bytes, "images", fields) {
                    one_line("page", &e.to_string());
                }
            }
        }
    }

    /// Error bodies: the message is one line without control characters.
    #[test]
    fn error_bodies(v in json_value(), text in "[ -~\u{1b}\u{7f}\n\t<>]{0,80}") {
        for body in [v.to_string(), json!({"error": v.clone()}).to_string(), json!({"error_message": v.to_string()}).to_string(), text] {
            if let Some(m) = osc_api::error_body::error_message(&body) {
                prop_assert!(!m.is_empty());
                prop_assert!(!m.chars().any(char::is_control), "{:?}", m);
            }
            let e = osc_api::error_body::http_error(500, &body, Some("req-1")).to_string();
            prop_assert!(!e.chars().any(char::is_control), "{:?}", e);
        }
    }

    /// Plugin manifests: validation never panics and a refusal is one line.
    #[test]
    fn plugin_manifests(v in json_value(), cmd in json_value(), arg in json_value()) {
        let mut m = json!({"name": "p", "version": "1", "abi": [1, 0], "commands": [
            {"name": "x y", "kind": "show", "args": [arg]}, cmd
        ]});
        if let Value::Object(extra) = &v {
            for (k, val) in extra { m[k] = val.clone(); }
        }
        for doc in [m.to_string(), v.to_string()] {
            if let Err(e) = osc_plugin_sdk::manifest::validate(doc.as_bytes()) {
                one_line("manifest", &e);
            }
        }
    }

    /// Plugin results: turning any reply into output never panics; a refusal is one line.
    #[test]
    fn plugin_results(v in json_value(), rows in json_value()) {
        let spec: osc_plugin_host::manifest::CommandSpec = serde_json::from_value(json!({
            "name": "x list", "kind": "list",
            "columns": ["ID", "Name"]
        })).unwrap();
        for reply in [v.clone(), json!({"list": {"columns": v.clone(), "rows": rows.clone()}}), json!({"show": {"fields": rows}}), json!({"list": v})] {
            if let Err(e) = osc_plugin_host::command::to_output(reply, &spec) {
                one_line("result", &e);
            }
        }
    }

    /// `key=value` options and typed plugin option values: never a panic; the error
    /// quotes the value.
    #[test]
    fn option_grammars(raw in "[ -~=,\u{e9}]{0,24}", ty in prop::sample::select(&["int", "float", "bool", "dict", "list", "string"][..])) {
        match osc_core::lookup::parse_kv(&raw) {
            Ok((k, _)) => prop_assert!(!k.is_empty() && raw.contains('=')),
            Err(e) => { one_line("key=value", &e); prop_assert!(e.contains(&raw)); }
        }
        if let Err(e) = osc_plugin_sdk::manifest::convert(Some(ty), &raw) {
            one_line("convert", &e);
            prop_assert!(e.contains(&raw), "{}", e);
        }
        if let Err(e) = osc_core::lookup::non_negative(&raw) {
            one_line("non-negative", &e);
        }
    }
}
