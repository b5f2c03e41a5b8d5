//! Python's `str()` and `repr()` of JSON-shaped values, as cliff prints them.
//!
//! cliff hands raw values to prettytable, `csv` and `str.join`, which all go through Python's
//! `str()`: `None`, `True`, `1e-05`, `['a', 'b']`, `{'k': None}`. Scripts parse that text, so it
//! is reproduced exactly, including the quote Python picks for each string and its escapes.

use serde_json::{Number, Value};
use unicode_general_category::{get_general_category, GeneralCategory};

/// Python's `str(value)`.
pub fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        _ => {
            let mut out = String::new();
            push_repr(&mut out, value);
            out
        }
    }
}

/// Python's `repr(value)`.
pub fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    push_repr(&mut out, value);
    out
}

/// Appends Python's `repr(value)` to `out`.
pub fn push_repr(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&number_str(n)),
        Value::String(s) => push_str_repr(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_str_repr(out, k);
                out.push_str(": ");
                push_repr(out, v);
            }
            out.push('}');
        }
    }
}

/// Python's `str()` of a number: integers as is, floats as `float.__repr__`.
pub fn number_str(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python's `repr(float)`: the shortest round-tripping digits, in fixed notation when the
/// decimal exponent is in `-4..16` (always with a fractional part) and otherwise scientific
/// with a signed, at least two-digit exponent (`1e-05`, `1.5e+16`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Python's repr.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    }
    out
}

/// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
pub fn push_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c => {
                let u = c as u32;
                if u <= 0xff {
                    out.push_str(&format!("\\x{u:02x}"));
                } else if u <= 0xffff {
                    out.push_str(&format!("\\u{u:04x}"));
                } else {
                    out.push_str(&format!("\\U{u:08x}"));
                }
            }
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable()` for one character: everything but the "Other" and
/// "Separator" categories, with the ASCII space as the one printable separator.
pub fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
    )
}

/// Python truthiness of a JSON value (`None`, `False`, `0`, `0.0`, `''`, `[]`, `{}` are false).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `repr()` of a list of strings (`['a', 'b']`), used in cliff's error messages.
pub fn repr_str_list(items: &[String]) -> String {
    let mut out = String::from("[");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str_repr(&mut out, s);
    }
    out.push(']');
    out
}

/// Python's `repr()` of a tuple of strings (`('a', 'b')`, `('a',)`, `()`).
pub fn repr_str_tuple(items: &[String]) -> String {
    let mut out = String::from("(");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str_repr(&mut out, s);
    }
    if items.len() == 1 {
        out.push(',');
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars() {
        assert_eq!(py_str(&json!(null)), "None");
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(false)), "False");
        assert_eq!(py_str(&json!(42)), "42");
        assert_eq!(py_str(&json!(-7)), "-7");
        assert_eq!(py_str(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(py_str(&json!("plain 'text'")), "plain 'text'");
    }

    #[test]
    fn floats() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789.125, "123456789.125"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1.5e-7, "1.5e-07"),
            (1e100, "1e+100"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "{f:e}");
        }
    }

    #[test]
    fn containers() {
        assert_eq!(py_str(&json!(["a", "b"])), "['a', 'b']");
        assert_eq!(py_str(&json!([])), "[]");
        assert_eq!(py_str(&json!({})), "{}");
        assert_eq!(
            py_str(&json!({"k": "v", "n": 1, "x": null, "f": 1.0, "b": [true]})),
            "{'k': 'v', 'n': 1, 'x': None, 'f': 1.0, 'b': [True]}"
        );
        assert_eq!(py_str(&json!([[1, 2], {"a": []}])), "[[1, 2], {'a': []}]");
    }

    #[test]
    fn string_quotes_and_escapes() {
        let r = |s: &str| py_repr(&json!(s));
        assert_eq!(r("it's"), "\"it's\"");
        assert_eq!(r("say \"hi\""), "'say \"hi\"'");
        assert_eq!(r("both ' and \""), "'both \\' and \"'");
        assert_eq!(r("a\\b"), "'a\\\\b'");
        assert_eq!(r("l1\nl2\tx\r"), "'l1\\nl2\\tx\\r'");
        assert_eq!(r("\x00\x1b\x7f"), "'\\x00\\x1b\\x7f'");
        assert_eq!(
            r("caf\u{e9} \u{65e5}\u{672c} \u{1f600}"),
            "'caf\u{e9} \u{65e5}\u{672c} \u{1f600}'"
        );
        assert_eq!(r("nb\u{a0}sp"), "'nb\\xa0sp'");
        assert_eq!(r("\u{200b}\u{2028}\u{3000}"), "'\\u200b\\u2028\\u3000'");
        assert_eq!(r("\u{e000}"), "'\\ue000'");
        assert_eq!(r("\u{f0000}"), "'\\U000f0000'");
        assert_eq!(r("\u{85}"), "'\\x85'");
    }

    #[test]
    fn truthiness() {
        for v in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [
            json!(true),
            json!(1),
            json!(-0.5),
            json!(" "),
            json!([0]),
            json!({"a": 0}),
        ] {
            assert!(truthy(&v), "{v}");
        }
    }

    #[test]
    fn error_reprs() {
        assert_eq!(
            repr_str_list(&["x".into(), "it's".into()]),
            "['x', \"it's\"]"
        );
        assert_eq!(repr_str_tuple(&["ID".into()]), "('ID',)");
        assert_eq!(
            repr_str_tuple(&["ID".into(), "Name".into()]),
            "('ID', 'Name')"
        );
        assert_eq!(repr_str_tuple(&[]), "()");
    }
}
