//! Python's `json.dump(obj, indent=2)` (or `indent=None` for `--noindent`): `ensure_ascii`
//! escapes, `float.__repr__` numbers, `[]`/`{}` for empty containers.

use crate::pystr::number_str;
use serde_json::Value;

/// Appends `json.dumps(value, indent=2 or None)`.
pub fn dump(out: &mut String, value: &Value, indent: bool) {
    write_value(out, value, if indent { Some(0) } else { None }, false);
}

/// Appends `json.dumps(value, indent=2, ensure_ascii=False, separators=(', ', ': '))`, the
/// human form of a JSON column (python-heatclient's `JsonColumn`): every item line but the
/// last ends in `", "`, and only `"`, `\\` and control characters are escaped.
pub fn dump_readable(out: &mut String, value: &Value) {
    write_value(out, value, Some(0), true);
}

fn newline(out: &mut String, level: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', 2 * level));
}

fn write_value(out: &mut String, value: &Value, level: Option<usize>, readable: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&number_str(n)),
        Value::String(s) => write_str(out, s, readable),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separator(out, i, level, readable);
                write_value(out, item, level.map(|l| l + 1), readable);
            }
            if let Some(l) = level {
                newline(out, l);
            }
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                separator(out, i, level, readable);
                write_str(out, k, readable);
                out.push_str(": ");
                write_value(out, v, level.map(|l| l + 1), readable);
            }
            if let Some(l) = level {
                newline(out, l);
            }
            out.push('}');
        }
    }
}

/// Appends `json.dumps(dict(entries), ...)` for a dict given as unique `(key, value)` pairs.
pub fn dump_map(out: &mut String, entries: &[(&str, &Value)], indent: bool) {
    write_map(out, entries, if indent { Some(0) } else { None });
}

/// Appends `json.dumps([dict(e) for e in items], ...)`.
pub fn dump_maps(out: &mut String, items: &[Vec<(&str, &Value)>], indent: bool) {
    let level = if indent { Some(0) } else { None };
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        separator(out, i, level, false);
        write_map(out, item, level.map(|l| l + 1));
    }
    if let Some(l) = level {
        newline(out, l);
    }
    out.push(']');
}

fn write_map(out: &mut String, entries: &[(&str, &Value)], level: Option<usize>) {
    if entries.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (k, v)) in entries.iter().enumerate() {
        separator(out, i, level, false);
        write_str(out, k, false);
        out.push_str(": ");
        write_value(out, v, level.map(|l| l + 1), false);
    }
    if let Some(l) = level {
        newline(out, l);
    }
    out.push('}');
}

/// Item separator: `,` (`, ` when `readable`) + newline and indent when indenting, else `, `.
fn separator(out: &mut String, i: usize, level: Option<usize>, readable: bool) {
    match level {
        Some(l) => {
            if i > 0 {
                out.push_str(if readable { ", " } else { "," });
            }
            newline(out, l + 1);
        }
        None if i > 0 => out.push_str(", "),
        None => {}
    }
}

/// `py_encode_basestring_ascii`: everything outside printable ASCII becomes `\uXXXX`
/// (UTF-16 surrogate pairs above the BMP); `readable` (`ensure_ascii=False`,
/// `py_encode_basestring`): only control characters below U+0020 do.
fn write_str(out: &mut String, s: &str, readable: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c if readable && c >= ' ' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(v: Value, indent: bool) -> String {
        let mut s = String::new();
        dump(&mut s, &v, indent);
        s
    }

    #[test]
    fn indented() {
        assert_eq!(
            d(json!([{"a": 1, "b": [], "c": {}, "d": ["x"]}]), true),
            "[\n  {\n    \"a\": 1,\n    \"b\": [],\n    \"c\": {},\n    \"d\": [\n      \"x\"\n    ]\n  }\n]"
        );
        assert_eq!(d(json!([]), true), "[]");
    }

    #[test]
    fn readable_as_heatclient_json_formatter() {
        let mut s = String::new();
        dump_readable(&mut s, &json!({"a": [1, "é\u{1}"], "b": {}}));
        assert_eq!(
            s,
            "{\n  \"a\": [\n    1, \n    \"é\\u0001\"\n  ], \n  \"b\": {}\n}"
        );
    }

    #[test]
    fn compact_and_escapes() {
        assert_eq!(
            d(json!({"a": [1, 2.0], "b": null}), false),
            "{\"a\": [1, 2.0], \"b\": null}"
        );
        assert_eq!(
            d(json!("é\u{1f600}\x7f\x01\"\\"), false),
            "\"\\u00e9\\ud83d\\ude00\\u007f\\u0001\\\"\\\\\""
        );
    }
}
