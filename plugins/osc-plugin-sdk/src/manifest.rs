//! The manifest's schema, checked strictly, and the argument rules osc applies before a
//! plugin runs: typed values (`int`, `float`, `bool`, `dict`, `list`), choices, required
//! and exclusive arguments. osc itself validates manifests with [`validate`] and converts
//! values with [`convert`], and [`crate::testing::FakeHost::run`] parses a command line
//! with the same rules, so a plugin tested against the fake host sees what osc sends it.

use serde_json::{json, Map, Value};

/// Keys of the manifest object.
pub const MANIFEST_KEYS: &[&str] = &[
    "name",
    "version",
    "abi",
    "layer",
    "services",
    "description",
    "group",
    "commands",
];
/// Keys of a command.
/// `stdout: true` lets the command write to osc's stdout itself (`object save --file -`);
/// otherwise whatever a plugin prints goes to stderr. `formats` names formatters of the
/// command's own beside cliff's (`-f log`, `-f dot`: the plugin renders them, reading
/// [`crate::Args::format`]); `format` is the default formatter (`yaml`, `json`, `log`...)
/// when it is not `table`.
pub const COMMAND_KEYS: &[&str] = &[
    "name", "about", "kind", "args", "columns", "stdout", "format", "formats",
];
/// Keys of an argument.
pub const ARG_KEYS: &[&str] = &[
    "name",
    "long",
    "short",
    "value",
    "help",
    "flag",
    "multiple",
    "required",
    "choices",
    "default",
    "type",
    "exclusive",
    "multiple_values",
    "missing",
    "hidden",
];
/// Keys of a styled column.
pub const COLUMN_KEYS: &[&str] = &["name", "style"];
/// Argument types osc checks and converts.
pub const TYPES: &[&str] = &["string", "int", "float", "bool", "dict", "list"];
/// Column styles.
pub const STYLES: &[&str] = &[
    "raw",
    "list",
    "dict",
    "list_dict",
    "dict_list",
    "size",
    "json",
    "yaml",
];
/// The formatters of list and show commands (cliff's).
pub const LIST_FORMATS: &[&str] = &["csv", "json", "table", "value", "yaml"];
pub const SHOW_FORMATS: &[&str] = &["json", "shell", "table", "value", "yaml"];
/// Command kinds.
pub const KINDS: &[&str] = &["list", "show", "command"];

fn ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn keys(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("bad manifest: {at}unknown key {k:?}")),
        None => Ok(()),
    }
}

fn want(v: &Value, key: &str, kind: &str, at: &str) -> Result<(), String> {
    let Some(x) = v.get(key) else { return Ok(()) };
    let ok = match kind {
        "string" => x.is_string(),
        "bool" => x.is_boolean(),
        "int" => x.is_u64(),
        "strings" => x.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        "array" => x.is_array(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let what = match kind {
            "strings" => "an array of strings",
            "array" => "an array",
            "int" => "a non-negative integer",
            "bool" => "true or false",
            _ => "a string",
        };
        Err(format!("bad manifest: {at}{key:?} must be {what}"))
    }
}

/// Checks a manifest (the bytes of `osc_plugin_manifest`, NUL-terminated or not) the way
/// osc does when it finds the plugin: unknown keys, wrong value types, unknown argument
/// types, kinds and styles, bad names, repeated commands or arguments. The error is one
/// line naming the key.
pub fn validate(bytes: &[u8]) -> Result<Value, String> {
    let v: Value =
        serde_json::from_slice(without_nul(bytes)).map_err(|e| format!("bad manifest: {e}"))?;
    check_head(&v)?;
    let mut seen = std::collections::HashSet::new();
    for c in v["commands"].as_array().into_iter().flatten() {
        let cname = check_command(c)?;
        if !seen.insert(cname) {
            return Err(format!("bad manifest: command {cname:?} declared twice"));
        }
    }
    Ok(v)
}

/// [`validate`] for running one command of a manifest that was validated whole when osc
/// found the plugin: the top-level keys and that command are checked as strictly, the
/// other commands are only skipped over (parsing all of a large manifest on every run
/// would cost a plugin command more than a built-in). The result has that command alone
/// in `commands` (none when the manifest lacks it).
pub fn validate_one(bytes: &[u8], command: &str) -> Result<Value, String> {
    use serde_json::value::RawValue;
    let top: std::collections::BTreeMap<String, &RawValue> =
        serde_json::from_slice(without_nul(bytes)).map_err(|e| format!("bad manifest: {e}"))?;
    let mut head = Map::new();
    let mut commands = None;
    for (k, raw) in top {
        if k == "commands" {
            let list: Vec<&RawValue> = serde_json::from_str(raw.get())
                .map_err(|_| "bad manifest: \"commands\" must be an array".to_string())?;
            commands = Some(list);
            head.insert(k, Value::Array(Vec::new()));
        } else {
            let v = serde_json::from_str(raw.get()).map_err(|e| format!("bad manifest: {e}"))?;
            head.insert(k, v);
        }
    }
    let mut v = Value::Object(head);
    check_head(&v)?;
    // Only a command whose text holds its name as a JSON string can be it: a cheap filter
    // before parsing (names are words of [A-Za-z0-9_-], so they need no escaping).
    let quoted = format!("\"{command}\"");
    for raw in commands.into_iter().flatten() {
        if !raw.get().contains(&quoted) {
            continue;
        }
        let c: Value = serde_json::from_str(raw.get()).map_err(|e| format!("bad manifest: {e}"))?;
        if c.get("name").and_then(Value::as_str) == Some(command) {
            check_command(&c)?;
            v["commands"] = Value::Array(vec![c]);
            break;
        }
    }
    Ok(v)
}

fn without_nul(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

/// The manifest's own keys (everything but the commands' contents).
fn check_head(v: &Value) -> Result<(), String> {
    let m = v.as_object().ok_or("bad manifest: not a JSON object")?;
    keys(m, MANIFEST_KEYS, "")?;
    for k in ["name", "version", "commands"] {
        if !m.contains_key(k) {
            return Err(format!("bad manifest: missing key {k:?}"));
        }
    }
    for (k, kind) in [
        ("name", "string"),
        ("version", "string"),
        ("description", "string"),
        ("group", "string"),
        ("services", "strings"),
        ("commands", "array"),
        ("layer", "int"),
    ] {
        want(v, k, kind, "")?;
    }
    let name = v["name"].as_str().unwrap_or("");
    if !ident(name) {
        return Err(format!("bad manifest: invalid plugin name {name:?}"));
    }
    let abi_ok = v["abi"]
        .as_array()
        .is_some_and(|a| a.len() == 2 && a.iter().all(|n| n.as_u64().is_some_and(|n| n < 65536)));
    if !abi_ok {
        return Err("bad manifest: \"abi\" must be [major, minor]".into());
    }
    if let Some(l) = v.get("layer").and_then(Value::as_u64) {
        if !(1..=9).contains(&l) {
            return Err(format!("bad manifest: layer {l} is not between 1 and 9"));
        }
    }
    Ok(())
}

/// One command, strictly; its name on success.
fn check_command(c: &Value) -> Result<&str, String> {
    let obj = c
        .as_object()
        .ok_or("bad manifest: a command is not an object")?;
    let cname = c["name"].as_str().unwrap_or("");
    let at = format!("command {cname:?}: ");
    if cname.split(' ').any(|w| !ident(w)) {
        return Err(format!("bad manifest: invalid command name {cname:?}"));
    }
    keys(obj, COMMAND_KEYS, &at)?;
    for (k, kind) in [
        ("about", "string"),
        ("kind", "string"),
        ("args", "array"),
        ("columns", "array"),
        ("stdout", "bool"),
        ("format", "string"),
        ("formats", "strings"),
    ] {
        want(c, k, kind, &at)?;
    }
    let own: Vec<&str> = c["formats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(f) = own.iter().find(|f| !ident(f)) {
        return Err(format!("bad manifest: {at}invalid format name {f:?}"));
    }
    let standard = match c["kind"].as_str() {
        Some("list") => LIST_FORMATS,
        Some("show") => SHOW_FORMATS,
        _ => &[][..],
    };
    if standard.is_empty() && (c.get("format").is_some() || !own.is_empty()) {
        return Err(format!(
            "bad manifest: {at}\"format\" and \"formats\" need a list or show command"
        ));
    }
    if let Some(f) = c["format"].as_str() {
        if !standard.contains(&f) && !own.contains(&f) {
            return Err(format!("bad manifest: {at}unknown default format {f:?}"));
        }
    }
    if let Some(k) = c["kind"].as_str() {
        if !KINDS.contains(&k) {
            return Err(format!("bad manifest: {at}unknown kind {k:?}"));
        }
    }
    for col in c["columns"].as_array().into_iter().flatten() {
        if col.is_string() {
            continue;
        }
        let o = col
            .as_object()
            .ok_or_else(|| format!("bad manifest: {at}a column must be a string or an object"))?;
        keys(o, COLUMN_KEYS, &at)?;
        want(col, "name", "string", &at)?;
        want(col, "style", "string", &at)?;
        if let Some(s) = col["style"].as_str() {
            if !STYLES.contains(&s) {
                return Err(format!("bad manifest: {at}unknown column style {s:?}"));
            }
        }
    }
    let mut names = std::collections::HashSet::new();
    for a in c["args"].as_array().into_iter().flatten() {
        let o = a
            .as_object()
            .ok_or_else(|| format!("bad manifest: {at}an argument is not an object"))?;
        let aname = a["name"].as_str().unwrap_or("");
        let at = format!("{at}argument {aname:?}: ");
        keys(o, ARG_KEYS, &at)?;
        for k in [
            "name",
            "long",
            "value",
            "help",
            "default",
            "type",
            "exclusive",
            "missing",
            "short",
        ] {
            want(a, k, "string", &at)?;
        }
        for k in ["flag", "multiple", "multiple_values", "required", "hidden"] {
            want(a, k, "bool", &at)?;
        }
        want(a, "choices", "strings", &at)?;
        if !ident(aname) || !names.insert(aname) {
            return Err(format!(
                "bad manifest: command {cname:?} has a bad or repeated argument {aname:?}"
            ));
        }
        if let Some(l) = a["long"].as_str() {
            if !l.starts_with("--") || !ident(&l[2..]) {
                return Err(format!("bad manifest: {at}invalid option {l:?}"));
            }
        }
        if let Some(s) = a["short"].as_str() {
            if s.chars().count() != 1 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!("bad manifest: {at}invalid short option {s:?}"));
            }
        }
        if let Some(t) = a["type"].as_str() {
            if !TYPES.contains(&t) {
                return Err(format!(
                    "bad manifest: {at}unknown type {t:?} (known: {})",
                    TYPES.join(", ")
                ));
            }
        }
        if let (Some(d), Some(t)) = (a["default"].as_str(), a["type"].as_str()) {
            convert(Some(t), d).map_err(|e| format!("bad manifest: {at}default: {e}"))?;
        }
    }
    Ok(cname)
}

/// Converts one command-line value to the JSON osc sends for an argument of type `ty`:
/// `int` and `float` numbers (negative ones too), `bool` (true/false, yes/no, on/off,
/// 1/0), `dict` (`key=value` -> `{"key": "value"}`), `list` (`a,b` -> `["a", "b"]`),
/// anything else a string. The error is argparse's wording.
pub fn convert(ty: Option<&str>, raw: &str) -> Result<Value, String> {
    match ty {
        Some("int") => raw
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("invalid int value: '{raw}'")),
        Some("float") => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("invalid float value: '{raw}'")),
        Some("bool") => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" | "y" | "t" => Ok(Value::Bool(true)),
            "false" | "no" | "off" | "0" | "n" | "f" => Ok(Value::Bool(false)),
            _ => Err(format!("invalid bool value: '{raw}'")),
        },
        Some("dict") => match raw.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok(json!({k: v})),
            _ => Err(format!("Expected 'key=value' type, but got: {raw}")),
        },
        Some("list") => Ok(Value::Array(
            raw.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        )),
        _ => Ok(Value::String(raw.to_string())),
    }
}

/// Folds the converted values of a repeated argument: dicts merge (later keys win), lists
/// concatenate, other types become an array.
pub fn fold(ty: Option<&str>, values: Vec<Value>) -> Value {
    match ty {
        Some("dict") => {
            let mut m = Map::new();
            for v in values {
                if let Value::Object(o) = v {
                    m.extend(o);
                }
            }
            Value::Object(m)
        }
        Some("list") => Value::Array(
            values
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(a) => a,
                    other => vec![other],
                })
                .collect(),
        ),
        _ => Value::Array(values),
    }
}

/// True for tokens that are values even though they start with `-` (`-3`, `-0.5`), as
/// argparse treats them when no option looks like a number.
pub fn is_negative_number(s: &str) -> bool {
    s.len() > 1 && s.starts_with('-') && s[1..].parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_types_are_named() {
        let base = |arg: &str| {
            format!(
                r#"{{"name":"x","version":"1","abi":[1,0],"commands":[{{"name":"x y","args":[{arg}]}}]}}"#
            )
        };
        let e = validate(base(r#"{"name":"a","requried":true}"#).as_bytes()).unwrap_err();
        assert_eq!(
            e,
            r#"bad manifest: command "x y": argument "a": unknown key "requried""#
        );
        let e = validate(base(r#"{"name":"a","type":"decimal"}"#).as_bytes()).unwrap_err();
        assert!(e.contains("unknown type \"decimal\""), "{e}");
        let e = validate(base(r#"{"name":"a","flag":"yes"}"#).as_bytes()).unwrap_err();
        assert!(e.contains("\"flag\" must be true or false"), "{e}");
        let e = validate(
            br#"{"name":"x","version":"1","abi":[1,0],"commands":[{"name":"x y","colums":[]}]}"#,
        )
        .unwrap_err();
        assert_eq!(e, r#"bad manifest: command "x y": unknown key "colums""#);
        assert!(validate(base(r#"{"name":"a","type":"float"}"#).as_bytes()).is_ok());
    }

    #[test]
    fn one_command_is_checked_and_the_others_skipped() {
        // "b c" is broken, but only "a b" runs: it is not parsed.
        let m = br#"{"name":"x","version":"1","abi":[1,0],"commands":[{"name":"b c","args":[{"name":"q","bad":1}]},{"name":"a b","about":"mentions \"b c\"","kind":"list"}]}"#;
        let v = validate_one(m, "a b").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v["commands"].as_array().map(Vec::len), Some(1));
        assert_eq!(v["commands"][0]["kind"], "list");
        assert_eq!(v["name"], "x");
        // The command asked for is checked as strictly as by validate.
        let e = validate_one(m, "b c").unwrap_err();
        assert!(e.contains(r#"unknown key "bad""#), "{e}");
        // Only a real name matches: "a" appears in "a b" and in text, not as a name.
        let v = validate_one(m, "a").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v["commands"], json!([]));
        // The manifest's own keys are checked.
        let e = validate_one(
            br#"{"name":"x","version":"1","abi":[1],"commands":[]}"#,
            "a b",
        )
        .unwrap_err();
        assert!(e.contains("abi"), "{e}");
        assert!(validate_one(
            br#"{"name":"x","version":"1","abi":[1,0],"commands":{}}"#,
            "a"
        )
        .unwrap_err()
        .contains("must be an array"));
    }

    #[test]
    fn default_and_own_formats_are_checked() {
        let cmd = |extra: &str| {
            format!(
                r#"{{"name":"x","version":"1","abi":[1,0],"commands":[{{"name":"x y",{extra}}}]}}"#
            )
        };
        let ok = [
            r#""kind":"list","format":"log","formats":["log"]"#,
            r#""kind":"show","format":"yaml""#,
            r#""kind":"list","formats":["dot"]"#,
        ];
        for extra in ok {
            assert!(validate(cmd(extra).as_bytes()).is_ok(), "{extra}");
        }
        let bad = [
            (
                r#""kind":"list","format":"log""#,
                r#"unknown default format "log""#,
            ),
            (
                r#""kind":"list","format":"shell""#,
                r#"unknown default format "shell""#,
            ),
            (
                r#""kind":"command","format":"json""#,
                "need a list or show command",
            ),
            (
                r#""kind":"list","formats":["a b"]"#,
                r#"invalid format name "a b""#,
            ),
            (
                r#""kind":"list","formats":"log""#,
                "must be an array of strings",
            ),
        ];
        for (extra, want) in bad {
            let e = validate(cmd(extra).as_bytes()).unwrap_err();
            assert!(e.contains(want), "{extra}: {e}");
        }
    }

    #[test]
    fn values_convert_like_argparse() {
        assert_eq!(convert(Some("int"), "-3"), Ok(json!(-3)));
        assert_eq!(convert(Some("float"), "-0.5"), Ok(json!(-0.5)));
        assert_eq!(convert(Some("bool"), "No"), Ok(json!(false)));
        assert_eq!(convert(Some("dict"), "a=b=c"), Ok(json!({"a": "b=c"})));
        assert_eq!(convert(Some("list"), "a,b"), Ok(json!(["a", "b"])));
        assert!(convert(Some("int"), "1.5").is_err());
        assert!(convert(Some("dict"), "novalue").is_err());
        assert_eq!(
            fold(Some("dict"), vec![json!({"a": "1"}), json!({"b": "2"})]),
            json!({"a": "1", "b": "2"})
        );
        assert!(is_negative_number("-3") && !is_negative_number("-x"));
    }
}
