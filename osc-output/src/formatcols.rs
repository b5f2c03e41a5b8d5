//! osc_lib's `format_columns` classes: what a styled cell shows to humans (`human_readable`,
//! used only by the table formatter) and hands to machines (`machine_readable`, used by every
//! other formatter, which `str()` it for csv, value and shell).

use crate::pyops::{py_lt, try_stable_sort};
use crate::pystr::{float_repr, push_repr, py_str, truthy};
use crate::{Cell, Style};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// `FormattableColumn.machine_readable()` for the cell's style; raw cells are their value.
pub fn machine_readable(cell: &Cell) -> Cow<'_, Value> {
    let v = &cell.value;
    match cell.style {
        Style::Raw | Style::Size | Style::Custom | Style::Json | Style::Yaml => Cow::Borrowed(v),
        // `[x for x in value or []]`
        Style::List => match v {
            _ if !truthy(v) => Cow::Owned(Value::Array(Vec::new())),
            Value::String(s) => Cow::Owned(Value::Array(
                s.chars().map(|c| Value::String(c.into())).collect(),
            )),
            Value::Object(m) => Cow::Owned(Value::Array(
                m.keys().map(|k| Value::String(k.clone())).collect(),
            )),
            _ => Cow::Borrowed(v),
        },
        // `dict(value or {})`
        Style::Dict | Style::DictList => {
            if truthy(v) {
                Cow::Borrowed(v)
            } else {
                Cow::Owned(Value::Object(Map::new()))
            }
        }
        // `[dict(x) for x in value or []]`
        Style::ListDict => {
            if truthy(v) {
                Cow::Borrowed(v)
            } else {
                Cow::Owned(Value::Array(Vec::new()))
            }
        }
    }
}

/// What the table formatter prints for the cell, before cliff's `\r` clean-up: `str(value)`
/// for raw cells, `human_readable()` for styled ones.
pub fn human_readable(cell: &Cell) -> String {
    let v = &cell.value;
    match cell.style {
        Style::Raw => py_str(v),
        Style::List => match v {
            Value::Null => String::new(),
            _ => format_list(v),
        },
        // format_dict(None) returns None, which prettytable prints as `None`.
        Style::Dict => match v {
            Value::Object(m) => format_dict(m, ""),
            _ => py_str(v),
        },
        Style::ListDict => match v {
            Value::Null => String::new(),
            Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    Value::Object(m) => format_dict(m, ""),
                    other => py_str(other),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            other => py_str(other),
        },
        Style::DictList => match v {
            Value::Null => String::new(),
            Value::Object(m) => format_dict_of_list(m),
            other => py_str(other),
        },
        Style::Size => format_size(v),
        Style::Json => {
            let mut out = String::new();
            crate::json::dump_readable(&mut out, v);
            out
        }
        Style::Yaml => crate::yaml_safe_dump(v),
        Style::Custom => cell.human.clone().unwrap_or_else(|| py_str(v)),
    }
}

/// `utils.format_list`: `', '.join(sorted(data))`.
fn format_list(v: &Value) -> String {
    let owned: Vec<Value>;
    let items: &[Value] = match v {
        Value::Array(a) => a,
        // Iterating a str gives its characters and a dict its keys.
        Value::String(s) => {
            owned = s.chars().map(|c| Value::String(c.into())).collect();
            &owned
        }
        Value::Object(m) => {
            owned = m.keys().map(|k| Value::String(k.clone())).collect();
            &owned
        }
        other => return py_str(other),
    };
    let mut sorted: Vec<&Value> = items.iter().collect();
    if try_stable_sort(&mut sorted, |a, b| py_lt(a, b)).is_err() {
        // Python raises here; keep the given order rather than fail the whole output.
        sorted = items.iter().collect();
    }
    let mut out = String::new();
    for (i, item) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str_value(&mut out, item);
    }
    out
}

/// Appends Python's `str(value)`.
fn push_str_value(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        other => push_repr(out, other),
    }
}

/// `utils.format_dict`: `k1='v1', k2='v2'` sorted by key, nested dicts flattened as `a.b='c'`.
fn format_dict(map: &Map<String, Value>, prefix: &str) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut out = String::new();
    for k in keys {
        let key: Cow<'_, str> = if prefix.is_empty() {
            Cow::Borrowed(k)
        } else {
            Cow::Owned(format!("{prefix}.{k}"))
        };
        match &map[k] {
            Value::Object(inner) => {
                out.push_str(&format_dict(inner, &key));
                out.push_str(", ");
            }
            Value::Null => {
                out.push_str(&key);
                out.push_str("=, ");
            }
            other => {
                out.push_str(&key);
                out.push_str("='");
                push_str_value(&mut out, other);
                out.push_str("', ");
            }
        }
    }
    // `output[:-2]` drops the trailing ", " (and leaves an empty string empty).
    let cut = out.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
    out.truncate(cut);
    out
}

/// `utils.format_dict_of_list`: `key=a, b; key2=c` sorted by key, `None` lists skipped.
fn format_dict_of_list(map: &Map<String, Value>) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut groups = Vec::new();
    for k in keys {
        let v = &map[k];
        if v.is_null() {
            continue;
        }
        groups.push(format!("{k}={}", format_list(v)));
    }
    groups.join("; ")
}

/// `utils.format_size`: decimal units (`1.5K`, `20G`), one decimal, trailing zeros stripped.
pub fn format_size(v: &Value) -> String {
    let size = match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => match parse_py_float(s) {
            Some(f) => f,
            None => return s.clone(),
        },
        other => return py_str(other),
    };
    const SUFFIX: [&str; 8] = ["", "K", "M", "G", "T", "P", "E", "Z"];
    let mut size = size;
    let mut index = 0;
    // Python would loop forever on inf and fail past 'Z'; stop at the last suffix instead.
    while size >= 1000.0 && index + 1 < SUFFIX.len() {
        index += 1;
        size /= 1000.0;
    }
    let padded = if size.is_finite() {
        format!("{size:.1}")
    } else {
        float_repr(size)
    };
    let stripped = padded.trim_end_matches('0').trim_end_matches('.');
    format!("{stripped}{}", SUFFIX[index])
}

/// Python's `float(str)` for the common spellings (surrounding whitespace, `_` separators).
fn parse_py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    let cleaned: String = t.chars().filter(|&c| c != '_').collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.trim_start_matches(['+', '-']) {
        "inf" | "infinity" | "nan" => {}
        body if body.chars().any(|c| c.is_ascii_alphabetic() && c != 'e') => return None,
        _ => {}
    }
    cleaned.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes() {
        let f = |v: Value| format_size(&v);
        assert_eq!(f(json!(null)), "0");
        assert_eq!(f(json!(0)), "0");
        assert_eq!(f(json!(999)), "999");
        assert_eq!(f(json!(1000)), "1K");
        assert_eq!(f(json!(1500)), "1.5K");
        assert_eq!(f(json!(999999)), "1000K");
        assert_eq!(f(json!(1073741824)), "1.1G");
        assert_eq!(f(json!("2048")), "2K");
    }

    #[test]
    fn dicts() {
        let m = json!({"b": "x", "a": {"z": 1, "y": null}, "c": [1, "q"], "d": {}});
        let Value::Object(m) = m else { unreachable!() };
        assert_eq!(format_dict(&m, ""), "a.y=, a.z='1', b='x', c='[1, 'q']', ");
        let e = Map::new();
        assert_eq!(format_dict(&e, ""), "");
    }

    #[test]
    fn lists() {
        assert_eq!(format_list(&json!(["b", "a", "C"])), "C, a, b");
        assert_eq!(format_list(&json!([])), "");
    }
}
