//! PyYAML's `yaml.safe_dump(data, default_flow_style=False)`: a port of the pure-Python
//! `Emitter` for the subset cliff feeds it (str/int/float/bool/None scalars, lists, dicts):
//! sorted keys, block style with `[]`/`{}` for empty collections, indentless sequences
//! under mapping keys, YAML 1.1 implicit-type quoting, non-ASCII in double quotes
//! (`allow_unicode=False`) and line folding at 80 columns.

use crate::pystr::{float_repr, number_str};
use regex::Regex;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A representation node (after the representer, before the serializer), borrowing the data.
enum Node<'a> {
    /// `is_str`: a `!!str` scalar, quoted when its plain form would read as another type.
    Scalar {
        text: Cow<'a, str>,
        is_str: bool,
    },
    Seq(&'a [Value]),
    /// Entries sorted by key (`sort_keys=True`).
    Map(Vec<(&'a str, &'a Value)>),
}

/// `SafeRepresenter.represent_data`.
fn represent(value: &Value) -> Node<'_> {
    let scalar = |text: Cow<'static, str>| Node::Scalar {
        text,
        is_str: false,
    };
    match value {
        Value::Null => scalar(Cow::Borrowed("null")),
        Value::Bool(b) => scalar(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Number(n) if n.is_f64() => {
            scalar(Cow::Owned(represent_float(n.as_f64().unwrap_or(f64::NAN))))
        }
        Value::Number(n) => scalar(Cow::Owned(number_str(n))),
        Value::String(s) => Node::Scalar {
            text: Cow::Borrowed(s),
            is_str: true,
        },
        Value::Array(items) => Node::Seq(items),
        Value::Object(map) => sorted_map(map.iter().map(|(k, v)| (k.as_str(), v))),
    }
}

/// A mapping node with its keys sorted as `sorted(mapping.items())` sorts str keys.
fn sorted_map<'a>(entries: impl Iterator<Item = (&'a str, &'a Value)>) -> Node<'a> {
    let mut entries: Vec<(&str, &Value)> = entries.collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Node::Map(entries)
}

/// `represent_float`: `repr().lower()`, `.inf`/`.nan`, and `1e+16` made `1.0e+16`.
fn represent_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let r = float_repr(f).to_lowercase();
    if !r.contains('.') && r.contains('e') {
        r.replacen('e', ".0e", 1)
    } else {
        r
    }
}

/// The YAML 1.1 implicit resolvers of `yaml.resolver.Resolver` (bool, float, int, merge,
/// null, timestamp, value), joined: a plain scalar matching any of them is not a string.
static IMPLICIT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let bool_ = r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF";
    let float = r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)";
    let int = r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+";
    let null = r"~|null|Null|NULL|";
    let ts = r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?";
    Regex::new(&format!("^(?:{bool_}|{float}|{int}|<<|{null}|{ts}|=)$")).ok()
});

fn resolves_to_str(text: &str) -> bool {
    IMPLICIT.as_ref().is_none_or(|re| !re.is_match(text))
}

/// `Emitter.analyze_scalar` (with `allow_unicode=False`).
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_flow_plain: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank_or_break(c: char) -> bool {
    matches!(
        c,
        '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn analyze(s: &[char]) -> Analysis {
    if s.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_flow_plain: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let n = s.len();
    let starts = |p: &str| s.len() >= 3 && s[..3].iter().copied().eq(p.chars());
    let mut block_ind = starts("---") || starts("...");
    let mut flow_ind = block_ind;
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut followed_by_ws = n == 1 || is_blank_or_break(s[1]);
    let (mut prev_space, mut prev_break) = (false, false);
    for (i, &ch) in s.iter().enumerate() {
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                flow_ind = true;
                block_ind = true;
            }
            if ch == '?' || ch == ':' {
                flow_ind = true;
                if followed_by_ws {
                    block_ind = true;
                }
            }
            if ch == '-' && followed_by_ws {
                flow_ind = true;
                block_ind = true;
            }
        } else {
            if ",?[]{}".contains(ch) {
                flow_ind = true;
            }
            if ch == ':' {
                flow_ind = true;
                if followed_by_ws {
                    block_ind = true;
                }
            }
            if ch == '#' && preceded_by_ws {
                flow_ind = true;
                block_ind = true;
            }
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            // Without allow_unicode every other character needs double quotes.
            special = true;
        }
        if ch == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i == n - 1 {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(ch) {
            if i == 0 {
                leading_break = true;
            }
            if i == n - 1 {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = is_blank_or_break(ch);
        followed_by_ws = i + 2 >= n || is_blank_or_break(s[i + 2]);
    }
    let (mut flow_plain, mut block_plain, mut single) = (true, true, true);
    if leading_space || leading_break || trailing_space || trailing_break {
        flow_plain = false;
        block_plain = false;
    }
    if break_space {
        flow_plain = false;
        block_plain = false;
        single = false;
    }
    if space_break || special {
        flow_plain = false;
        block_plain = false;
        single = false;
    }
    if line_breaks {
        flow_plain = false;
        block_plain = false;
    }
    if flow_ind {
        flow_plain = false;
    }
    if block_ind {
        block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_flow_plain: flow_plain,
        allow_block_plain: block_plain,
        allow_single_quoted: single,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScalarStyle {
    Plain,
    Single,
    Double,
}

const BEST_WIDTH: usize = 80;
const BEST_INDENT: usize = 2;

/// The emitter's writing state (`Emitter` attributes of the same names).
struct Emitter<'a> {
    out: &'a mut String,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    flow_level: usize,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    root_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    /// Reused character buffer for the scalar being written (the writers index characters).
    chars: Vec<char>,
}

impl<'a> Emitter<'a> {
    fn new(out: &'a mut String) -> Self {
        Emitter {
            out,
            indent: None,
            indents: Vec::new(),
            flow_level: 0,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
            root_context: false,
            mapping_context: false,
            simple_key_context: false,
            chars: Vec::new(),
        }
    }

    /// One document per `safe_dump` call: implicit start, node, end, stream end.
    fn document(&mut self, root: &Node<'_>) {
        self.node(root, true, false, false);
        self.finish_document();
    }

    fn finish_document(&mut self) {
        self.write_indent();
        if self.open_ended {
            self.write_indicator("...", true, false, false);
            self.write_indent();
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        match self.indent {
            None => self.indent = Some(if flow { BEST_INDENT } else { 0 }),
            Some(i) if !indentless => self.indent = Some(i + BEST_INDENT),
            Some(_) => {}
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    fn node(&mut self, node: &Node<'_>, root: bool, mapping: bool, simple_key: bool) {
        self.root_context = root;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match node {
            Node::Scalar { text, is_str } => {
                let mut chars = std::mem::take(&mut self.chars);
                chars.clear();
                chars.extend(text.chars());
                let a = analyze(&chars);
                self.scalar(text, &chars, &a, *is_str);
                self.chars = chars;
            }
            Node::Seq(items) if items.is_empty() || self.flow_level > 0 => {
                self.empty_flow("[", "]")
            }
            Node::Map(items) if items.is_empty() || self.flow_level > 0 => {
                self.empty_flow("{", "}")
            }
            Node::Seq(items) => {
                let indentless = self.mapping_context && !self.indention;
                self.increase_indent(false, indentless);
                for item in items.iter() {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(&represent(item), false, false, false);
                }
                self.pop_indent();
            }
            Node::Map(entries) => {
                self.increase_indent(false, false);
                for (k, v) in entries {
                    self.write_indent();
                    let key = Node::Scalar {
                        text: Cow::Borrowed(k),
                        is_str: true,
                    };
                    if is_simple_key(k) {
                        self.node(&key, false, true, true);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(&key, false, true, false);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(&represent(v), false, true, false);
                }
                self.pop_indent();
            }
        }
    }

    /// Empty collections are the only flow collections `default_flow_style=False` emits.
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.flow_level += 1;
        self.increase_indent(true, false);
        self.pop_indent();
        self.flow_level -= 1;
        self.write_indicator(close, false, false, false);
    }

    /// `expect_scalar`: the scalar is written one indentation step in.
    fn scalar(&mut self, text: &str, chars: &[char], a: &Analysis, is_str: bool) {
        self.increase_indent(true, false);
        let implicit = !is_str || resolves_to_str(text);
        let style = self.choose_style(a, implicit);
        let split = !self.simple_key_context;
        match style {
            ScalarStyle::Plain => self.write_plain(chars, split),
            ScalarStyle::Single => self.write_single_quoted(chars, split),
            ScalarStyle::Double => self.write_double_quoted(chars, split),
        }
        self.pop_indent();
    }

    fn choose_style(&self, a: &Analysis, implicit: bool) -> ScalarStyle {
        if implicit
            && !(self.simple_key_context && (a.empty || a.multiline))
            && ((self.flow_level > 0 && a.allow_flow_plain)
                || (self.flow_level == 0 && a.allow_block_plain))
        {
            return ScalarStyle::Plain;
        }
        if a.allow_single_quoted && !(self.simple_key_context && a.multiline) {
            return ScalarStyle::Single;
        }
        ScalarStyle::Double
    }

    fn write(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn write_chars(&mut self, s: &[char]) {
        self.out.extend(s.iter());
        self.column += s.len();
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_ws: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_ws {
            self.out.push(' ');
            self.column += 1;
        }
        self.out.push_str(indicator);
        self.column += indicator.chars().count();
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break(None);
        }
        if self.column < indent {
            self.whitespace = true;
            self.out
                .extend(std::iter::repeat_n(' ', indent - self.column));
            self.column = indent;
        }
    }

    fn write_line_break(&mut self, data: Option<char>) {
        self.out.push(data.unwrap_or('\n'));
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
    }

    /// Writes a run of breaks as the plain and single-quoted writers do.
    fn write_breaks(&mut self, text: &[char]) {
        if text.first() == Some(&'\n') {
            self.write_line_break(None);
        }
        for &br in text {
            self.write_line_break(Some(br));
        }
        self.write_indent();
    }

    fn write_plain(&mut self, text: &[char], split: bool) {
        if self.root_context {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
            self.column += 1;
        }
        self.whitespace = false;
        self.indention = false;
        let (mut spaces, mut breaks) = (false, false);
        let (mut start, mut end) = (0, 0);
        while end <= text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > BEST_WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
            end += 1;
        }
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let (mut start, mut end) = (0, 0);
        while end <= text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > BEST_WIDTH
                        && split
                        && start != 0
                        && end != text.len()
                    {
                        self.write_indent();
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c) || c == '\'') && start < end {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                self.column += 2;
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
            end += 1;
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("\"", true, false, false);
        let (mut start, mut end) = (0, 0);
        while end <= text.len() {
            let ch = text.get(end).copied();
            let needs_escape = match ch {
                None => true,
                Some(c) => {
                    matches!(
                        c,
                        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
                    ) || !(' '..='~').contains(&c)
                }
            };
            if needs_escape {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    let data = escape(c);
                    self.column += data.len();
                    self.write(&data);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < text.len()
                && (ch == Some(' ') || start >= end)
                && self.column as i64 + end as i64 - start as i64 > BEST_WIDTH as i64
                && split
            {
                let mut data: String = text[start.min(end)..end].iter().collect();
                data.push('\\');
                if start < end {
                    start = end;
                }
                self.column += data.chars().count();
                self.write(&data);
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if text.get(start) == Some(&' ') {
                    self.write("\\");
                    self.column += 1;
                }
            }
            end += 1;
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// `Emitter.ESCAPE_REPLACEMENTS`, then `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
fn escape(c: char) -> String {
    let short = match c {
        '\0' => "0",
        '\x07' => "a",
        '\x08' => "b",
        '\t' => "t",
        '\n' => "n",
        '\x0b' => "v",
        '\x0c' => "f",
        '\r' => "r",
        '\x1b' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{a0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    if !short.is_empty() {
        return format!("\\{short}");
    }
    let u = c as u32;
    if u <= 0xff {
        format!("\\x{u:02X}")
    } else if u <= 0xffff {
        format!("\\u{u:04X}")
    } else {
        format!("\\U{u:08X}")
    }
}

/// `check_simple_key` for a str mapping key: one line, not empty, and its text plus its
/// prepared tag (`!!str`, counted though never written) under 128 characters.
fn is_simple_key(key: &str) -> bool {
    let len = key.chars().count();
    len > 0 && len + "!!str".len() < 128 && !key.contains(is_break)
}

/// Appends `yaml.safe_dump(value, default_flow_style=False)`.
pub fn safe_dump(out: &mut String, value: &Value) {
    Emitter::new(out).document(&represent(value));
}

/// Appends `yaml.safe_dump(dict(entries), default_flow_style=False)` for a dict given as
/// unique `(key, value)` pairs.
pub fn safe_dump_map(out: &mut String, entries: &[(&str, &Value)]) {
    Emitter::new(out).document(&sorted_map(entries.iter().copied()));
}

/// Appends `yaml.safe_dump([dict(e) for e in items], default_flow_style=False)`.
pub fn safe_dump_maps(out: &mut String, items: &[Vec<(&str, &Value)>]) {
    let mut e = Emitter::new(out);
    if items.is_empty() {
        e.document(&Node::Seq(&[]));
        return;
    }
    // The root block sequence, as `Emitter::node` writes one, with map items.
    e.root_context = true;
    e.increase_indent(false, false);
    for item in items {
        e.write_indent();
        e.write_indicator("-", true, false, true);
        e.node(&sorted_map(item.iter().copied()), false, false, false);
    }
    e.pop_indent();
    e.finish_document();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dump(v: Value) -> String {
        let mut s = String::new();
        safe_dump(&mut s, &v);
        s
    }

    #[test]
    fn block_styles() {
        assert_eq!(
            dump(json!([{"b": 1, "a": [1, 2], "c": {}}])),
            "- a:\n  - 1\n  - 2\n  b: 1\n  c: {}\n"
        );
        assert_eq!(dump(json!({"k": {"x": null}})), "k:\n  x: null\n");
        assert_eq!(dump(json!([])), "[]\n");
        assert_eq!(dump(json!([[1, 2]])), "- - 1\n  - 2\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(dump(json!({"a": "123"})), "a: '123'\n");
        assert_eq!(dump(json!({"a": "yes"})), "a: 'yes'\n");
        assert_eq!(dump(json!({"a": ""})), "a: ''\n");
        assert_eq!(dump(json!({"a": "it's"})), "a: it's\n");
        assert_eq!(dump(json!({"a": "l1\nl2"})), "a: 'l1\n\n  l2'\n");
        assert_eq!(dump(json!({"a": "caf\u{e9}"})), "a: \"caf\\xE9\"\n");
        assert_eq!(
            dump(json!({"a": 1e-05, "b": 1e16, "c": 2.5})),
            "a: 1.0e-05\nb: 1.0e+16\nc: 2.5\n"
        );
        assert_eq!(
            dump(json!({"a": "- x", "b": "x: y", "c": "#c"})),
            "a: '- x'\nb: 'x: y'\nc: '#c'\n"
        );
    }
}

#[cfg(test)]
mod python_parity {
    /// `tests/fixtures/pyvalues.json`: random nested values with what PyYAML, `json.dumps` and
    /// `str()` print for them (made by `tests/fixtures/gen.py`).
    #[test]
    fn random_values_match_python() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pyvalues.json");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
        assert!(cases.len() >= 500);
        let mut bad = Vec::new();
        for c in &cases {
            let v = &c["value"];
            let mut y = String::new();
            super::safe_dump(&mut y, v);
            let mut j = String::new();
            crate::json::dump(&mut j, v, true);
            let mut jc = String::new();
            crate::json::dump(&mut jc, v, false);
            let got = [
                ("yaml", y),
                ("json", j),
                ("json_noindent", jc),
                ("str", crate::pystr::py_str(v)),
            ];
            for (key, got) in got {
                if c[key].as_str() != Some(got.as_str()) {
                    bad.push(format!(
                        "{key} of {v}:\n  want {:?}\n  got  {got:?}",
                        c[key]
                    ));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
