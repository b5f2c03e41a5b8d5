//! What gnocchiclient and aodhclient share: cliff's `dict2columns` (every field, in the
//! object's order),
//! `list2cols`, UUID checks, `iso8601.parse_date`, and aodhclient's search query language.

use osc_plugin_sdk::{json, Error, Map, Reply, Result, Value};

/// cliff 4's `dict2columns`: every field, in the order of the (reshaped) object, which is
/// the service's order with the fields the client moved at the end.
pub fn show(obj: &Value) -> Reply {
    let mut r = Reply::show();
    for (k, v) in obj.as_object().into_iter().flatten() {
        r = r.field(k.clone(), v.clone());
    }
    r
}

/// `list2cols`: the given keys of each object, null where one lacks it.
pub fn list(cols: &[&str], objs: &[Value]) -> Reply {
    let rows = objs
        .iter()
        .map(|o| {
            cols.iter()
                .map(|c| o.get(*c).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect();
    Reply::list(cols.iter().copied()).rows(rows)
}

/// `oslo_utils.uuidutils.is_uuid_like` / `uuid.UUID(x)`: 32 hex digits, dashes optional.
pub fn is_uuid(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    let t = s
        .trim_start_matches("urn:uuid:")
        .trim_matches(|c| c == '{' || c == '}');
    hex.len() >= 32
        && t.chars().filter(|c| *c != '-').count() == 32
        && t.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// The objects of a JSON array answer.
pub fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        _ => Vec::new(),
    }
}

/// `iso8601.parse_date(s, local)` then `isoformat()`: `2024-01-02`, `2024-01-02T10:20`,
/// `2024-01-02 10:20:30.5Z`, `20240102T102030+0100`… A missing zone is the local one, which
/// is UTC here (osc runs the plugin without a time-zone database). None when it does not parse.
pub fn parse_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, n: usize| -> Option<u32> {
        let part = s.get(*i..*i + n)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *i += n;
        part.parse().ok()
    };
    let sep = |i: &mut usize, c: u8| {
        if b.get(*i) == Some(&c) {
            *i += 1;
        }
    };
    let year = num(&mut i, 4)?;
    sep(&mut i, b'-');
    let month = num(&mut i, 2).unwrap_or(1);
    sep(&mut i, b'-');
    let day = num(&mut i, 2).unwrap_or(1);
    let (mut h, mut m, mut sec, mut frac) = (0, 0, 0, String::new());
    if matches!(b.get(i), Some(b'T') | Some(b' ')) {
        i += 1;
        h = num(&mut i, 2)?;
        sep(&mut i, b':');
        m = num(&mut i, 2).unwrap_or(0);
        sep(&mut i, b':');
        sec = num(&mut i, 2).unwrap_or(0);
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            frac = s[start..i].to_string();
            if frac.is_empty() {
                return None;
            }
        }
    }
    let zone = match s.get(i..)? {
        "" | "Z" | "z" => "+00:00".to_string(),
        z if (z.starts_with('+') || z.starts_with('-')) => {
            let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
            if !(digits.len() == 2 || digits.len() == 4)
                || !digits.bytes().all(|c| c.is_ascii_digit())
            {
                return None;
            }
            let mm = if digits.len() == 4 {
                &digits[2..]
            } else {
                "00"
            };
            format!("{}{}:{}", &z[..1], &digits[..2], mm)
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day < 1
        || day > days[month as usize - 1]
        || h > 23
        || m > 59
        || sec > 59
    {
        return None;
    }
    let micro = if frac.is_empty() {
        String::new()
    } else {
        let mut f: String = frac.chars().take(6).collect();
        while f.len() < 6 {
            f.push('0');
        }
        if f == "000000" {
            String::new()
        } else {
            format!(".{f}")
        }
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{sec:02}{micro}{zone}"
    ))
}

/// An argparse `type=` failure, in argparse's words.
pub fn invalid(option: &str, kind: &str, value: &str) -> Error {
    Error::other(format!(
        "argument {option}: invalid {kind} value: '{value}'"
    ))
}

/// aodhclient's `search_query_builder`: its pyparsing grammar (`a=1 and (b!=x or not c>2)`)
/// into Aodh's complex query, bug for bug: what follows the first complete expression is
/// ignored (`name=pr-a1` is `name=pr`: identifiers are letters, digits and `_`), `none…`,
/// `true…` and `false…` prefixes are null and booleans, numbers are floats, operands of
/// `and`/`or` are listed last first; errors are pyparsing's.
pub fn search_query(q: &str) -> Result<Value> {
    let mut p = Pp {
        s: q.chars().collect(),
        pos: 0,
    };
    let node = p.or_expr()?;
    Ok(node.into_value())
}

/// `str(Group(comparison_term + operator + comparison_term))` in pyparsing 3.
const CONDITION: &str = r#"Group:({Forward: {Re:('None|none|null') | Re:('False|True|false|true') | Combine:({W:(0-9A-Fa-f){8} {'-' W:(0-9A-Fa-f){4}} {'-' W:(0-9A-Fa-f){4}} {'-' W:(0-9A-Fa-f){4}} '-' W:(0-9A-Fa-f){12}}) | W:(A-Za-z, 0-9A-Z_a-z) | Re:('[+-]?\d+(:?\.\d*)?(:?[eE][+-]?\d+)?') | string enclosed in '"' | string enclosed in "'"} Re:('>=|<=|!=|>|<|=|==|eq|ne|lt|gt|ge|le') Forward: {Re:('None|none|null') | Re:('False|True|false|true') | Combine:({W:(0-9A-Fa-f){8} {'-' W:(0-9A-Fa-f){4}} {'-' W:(0-9A-Fa-f){4}} {'-' W:(0-9A-Fa-f){4}} '-' W:(0-9A-Fa-f){12}}) | W:(A-Za-z, 0-9A-Z_a-z) | Re:('[+-]?\d+(:?\.\d*)?(:?[eE][+-]?\d+)?') | string enclosed in '"' | string enclosed in "'"}})"#;

const OPERATORS: &[&str] = &[
    ">=", "<=", "!=", ">", "<", "=", "==", "eq", "ne", "lt", "gt", "ge", "le",
];

enum Node {
    Cond(Value, String, Value),
    Not(Box<Node>),
    Many(&'static str, Vec<Node>),
}

impl Node {
    /// `_parsed_query2dict`.
    fn into_value(self) -> Value {
        match self {
            Node::Cond(field, op, value) => {
                let key = match field {
                    Value::String(s) => s,
                    Value::Null => "null".into(),
                    other => other.to_string(),
                };
                let mut inner = Map::new();
                inner.insert(key, value);
                let mut m = Map::new();
                m.insert(op, Value::Object(inner));
                Value::Object(m)
            }
            Node::Not(n) => json!({"not": n.into_value()}),
            Node::Many(op, mut items) => {
                let last = items.pop().map(Node::into_value).unwrap_or_default();
                let mut list = match last {
                    Value::Object(mut m)
                        if m.get(op)
                            .is_some_and(|v| v.as_array().is_some_and(|a| !a.is_empty())) =>
                    {
                        match m.shift_remove(op) {
                            Some(Value::Array(a)) => a,
                            _ => Vec::new(),
                        }
                    }
                    other => vec![other],
                };
                list.extend(items.into_iter().rev().map(Node::into_value));
                let mut m = Map::new();
                m.insert(op.into(), Value::Array(list));
                Value::Object(m)
            }
        }
    }
}

struct Pp {
    s: Vec<char>,
    pos: usize,
}

impl Pp {
    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(|c| " \t\n\r".contains(*c)) {
            self.pos += 1;
        }
    }
    fn lit(&mut self, l: &str) -> bool {
        self.ws();
        let n = l.chars().count();
        if self.s.len() >= self.pos + n
            && self.s[self.pos..self.pos + n].iter().copied().eq(l.chars())
        {
            self.pos += n;
            return true;
        }
        false
    }
    /// pyparsing's `ParseException` text.
    fn error(&self, msg: &str, loc: usize) -> Error {
        let found = if self.s.is_empty() {
            String::new()
        } else if loc >= self.s.len() {
            ", found end of text".into()
        } else {
            let word: String = self.s[loc..]
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .take(16)
                .collect();
            let word = if word.is_empty() {
                self.s[loc].to_string()
            } else {
                word
            };
            format!(", found {}", py_repr(&json!(word)))
        };
        let line = self.s[..loc].iter().filter(|c| **c == '\n').count() + 1;
        let col = loc
            - self.s[..loc]
                .iter()
                .rposition(|c| *c == '\n')
                .map_or(0, |i| i + 1)
            + 1;
        Error::other(format!(
            "{msg}{found}  (at char {loc}), (line:{line}, col:{col})"
        ))
    }
    fn or_expr(&mut self) -> Result<Node> {
        self.many("or", Self::and_expr)
    }
    fn and_expr(&mut self) -> Result<Node> {
        self.many("and", Self::operand)
    }
    fn many(&mut self, op: &'static str, next: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        let first = next(self)?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            if !self.lit(op) {
                self.pos = save;
                break;
            }
            items.push(next(self)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Many(op, items)
        })
    }
    fn operand(&mut self) -> Result<Node> {
        if self.lit("not") {
            return Ok(Node::Not(Box::new(self.operand()?)));
        }
        self.ws();
        let start = self.pos;
        if let Some(c) = self.condition()? {
            return Ok(c);
        }
        self.pos = start;
        if self.lit("(") {
            let inner = self.or_expr()?;
            if !self.lit(")") {
                return Err(self.error(
                    "Unbalanced parentheses or expression syntax error",
                    self.pos,
                ));
            }
            return Ok(inner);
        }
        Err(self.error(&format!("Expected {CONDITION}"), start))
    }
    fn condition(&mut self) -> Result<Option<Node>> {
        let Some(field) = self.term()? else {
            return Ok(None);
        };
        self.ws();
        let Some(op) = OPERATORS.iter().find(|o| {
            let n = o.len();
            self.s.len() >= self.pos + n
                && self.s[self.pos..self.pos + n].iter().copied().eq(o.chars())
        }) else {
            return Ok(None);
        };
        self.pos += op.len();
        let Some(value) = self.term()? else {
            return Ok(None);
        };
        Ok(Some(Node::Cond(field, op.to_string(), value)))
    }
    /// `null | boolean | uuid | identifier | number | quoted_string`, the first that matches.
    fn term(&mut self) -> Result<Option<Value>> {
        self.ws();
        let rest: String = self.s[self.pos..].iter().collect();
        for (words, v) in [
            (&["None", "none", "null"][..], Value::Null),
            (&["False", "false"][..], json!(false)),
            (&["True", "true"][..], json!(true)),
        ] {
            if let Some(w) = words.iter().find(|w| rest.starts_with(**w)) {
                self.pos += w.len();
                return Ok(Some(v));
            }
        }
        let hex = |n: usize, from: usize| {
            rest.get(from..from + n)
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        if hex(8, 0)
            && [8, 13, 18, 23]
                .iter()
                .all(|i| rest.as_bytes().get(*i) == Some(&b'-'))
            && hex(4, 9)
            && hex(4, 14)
            && hex(4, 19)
            && hex(12, 24)
        {
            self.pos += 36;
            return Ok(Some(json!(rest[..36])));
        }
        let cs = &self.s[self.pos..];
        if cs.first().is_some_and(char::is_ascii_alphabetic) {
            let n = cs
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            self.pos += n;
            return Ok(Some(json!(cs[..n].iter().collect::<String>())));
        }
        if let Some(n) = number_len(cs) {
            let text: String = cs[..n].iter().collect();
            self.pos += n;
            let f: f64 = text.parse().map_err(|_| {
                Error::other(format!("could not convert string to float: '{text}'"))
            })?;
            return Ok(Some(json!(f)));
        }
        if let Some(q) = cs.first().filter(|c| **c == '"' || **c == '\'') {
            if let Some(end) = cs[1..].iter().position(|c| c == q || *c == '\n') {
                if cs[1 + end] == *q {
                    let inner: String = cs[1..1 + end].iter().collect();
                    self.pos += end + 2;
                    let inner = inner
                        .replace("\\t", "\t")
                        .replace("\\n", "\n")
                        .replace("\\f", "\u{c}")
                        .replace("\\r", "\r");
                    return Ok(Some(json!(inner)));
                }
            }
        }
        Ok(None)
    }
}

/// `[+-]?\d+(:?\.\d*)?(:?[eE][+-]?\d+)?` (the `:?` is aodhclient's).
fn number_len(cs: &[char]) -> Option<usize> {
    let digits = |from: usize| {
        cs[from.min(cs.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(matches!(cs.first(), Some('+') | Some('-')));
    let d = digits(i);
    if d == 0 {
        return None;
    }
    i += d;
    let colon = |j: usize| j + usize::from(cs.get(j) == Some(&':'));
    let j = colon(i);
    if cs.get(j) == Some(&'.') {
        i = j + 1 + digits(j + 1);
    }
    let j = colon(i);
    if matches!(cs.get(j), Some('e') | Some('E')) {
        let k = j + 1 + usize::from(matches!(cs.get(j + 1), Some('+') | Some('-')));
        let d = digits(k);
        if d > 0 {
            i = k + d;
        }
    }
    Some(i)
}

/// A JSON value as Python's `str()` shows it (`True`, `None`, `{'a': 1}`).
pub fn py(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr()`: a string in single quotes, or double ones when it holds a single quote
/// and no double one.
fn py_repr(v: &Value) -> String {
    match v {
        Value::String(s) if s.contains('\'') && !s.contains('"') => format!("\"{s}\""),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        other => py(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_iso8601_reads_them() {
        assert_eq!(
            parse_date("2024-01-02").as_deref(),
            Some("2024-01-02T00:00:00+00:00")
        );
        assert_eq!(
            parse_date("2024-01-02T10:20").as_deref(),
            Some("2024-01-02T10:20:00+00:00")
        );
        assert_eq!(
            parse_date("2024-01-02 10:20:30.5+01").as_deref(),
            Some("2024-01-02T10:20:30.500000+01:00")
        );
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("now"), None);
        assert_eq!(parse_date("-5day"), None);
    }

    #[test]
    fn search_queries_as_aodhclient_builds_them() {
        // Each expectation is what aodhclient 3.12 (pyparsing 3.3) builds from the query.
        let cases = [
            ("name=foo", json!({"=": {"name": "foo"}})),
            (
                "a=1 and (b!=\"x y\" or not c>=2)",
                json!({"and": [{"or": [{"not": {">=": {"c": 2.0}}}, {"!=": {"b": "x y"}}]}, {"=": {"a": 1.0}}]}),
            ),
            (
                "a=1 or b=2 or c=null",
                json!({"or": [{"=": {"c": null}}, {"=": {"b": 2.0}}, {"=": {"a": 1.0}}]}),
            ),
            ("a=1 b=2", json!({"=": {"a": 1.0}})),
            ("a=pr-a1 or name=b", json!({"=": {"a": "pr"}})),
            ("a=nonexistent", json!({"=": {"a": null}})),
            ("notes=1", json!({"not": {"=": {"es": 1.0}}})),
            ("foo=Truely", json!({"=": {"foo": true}})),
            ("a eqb", json!({"eq": {"a": "b"}})),
            ("1e3=2", json!({"=": {"1000.0": 2.0}})),
            ("a=-3.5e2", json!({"=": {"a": -350.0}})),
            (
                "a = 12345678-1234-1234-1234-123456789012x",
                json!({"=": {"a": "12345678-1234-1234-1234-123456789012"}}),
            ),
            (
                "a=1 and (b=1 and c=1)",
                json!({"and": [{"=": {"c": 1.0}}, {"=": {"b": 1.0}}, {"=": {"a": 1.0}}]}),
            ),
            (
                "a=1 or b=2 and c=3",
                json!({"or": [{"and": [{"=": {"c": 3.0}}, {"=": {"b": 2.0}}]}, {"=": {"a": 1.0}}]}),
            ),
        ];
        for (q, want) in cases {
            assert_eq!(search_query(q).unwrap(), want, "{q}");
        }
        let err = |q: &str| search_query(q).unwrap_err().to_string();
        assert!(err("name=").starts_with("Expected Group:({Forward: {Re:('None|none|null')"));
        assert!(err("name=").ends_with("}}), found 'name'  (at char 0), (line:1, col:1)"));
        assert!(err("").ends_with("}})  (at char 0), (line:1, col:1)"));
        assert!(err("a=1 and").ends_with(", found end of text  (at char 7), (line:1, col:8)"));
        assert!(err("a=1 and not x").ends_with(", found 'x'  (at char 12), (line:1, col:13)"));
        assert_eq!(
            err("(a=1"),
            "Unbalanced parentheses or expression syntax error, found end of text  (at char 4), (line:1, col:5)"
        );
        assert_eq!(err("x=1:.5"), "could not convert string to float: '1:.5'");
        assert!(err("a==1").ends_with("found 'a'  (at char 0), (line:1, col:1)"));
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("90d58eea-70d7-4294-a49a-170dcdf44c3c"));
        assert!(is_uuid("90d58eea70d74294a49a170dcdf44c3c"));
        assert!(!is_uuid("cpu"));
    }
}
