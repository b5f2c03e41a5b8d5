//! What gnocchiclient and aodhclient share: cliff's `dict2columns` (every field, sorted),
//! `list2cols`, UUID checks, `iso8601.parse_date`, and aodhclient's search query language.

use osc_plugin_sdk::{json, Error, Map, Reply, Result, Value};

/// cliff `dict2columns`: every field, sorted by name.
pub fn show(obj: &Value) -> Reply {
    osc_plugin_sdk::verbs::sorted_reply(obj, &[], &[])
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

/// aodhclient's `search_query_builder`: `a=1 and (b!=x or not c>2)` into Aodh's complex
/// query (`{"and": [{"=": {"a": 1.0}}, ...]}`). Values: null/None, booleans, UUIDs,
/// identifiers and quoted strings, numbers (as floats), `[lists]`.
pub fn search_query(q: &str) -> Result<Value> {
    let toks = tokenize(q)?;
    let mut p = Parser { toks, pos: 0 };
    let v = p.or()?;
    if p.pos != p.toks.len() {
        return Err(bad_query(q));
    }
    Ok(v)
}

fn bad_query(q: &str) -> Error {
    Error::other(format!("Invalid query: {q}"))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Op(String),
    Word(String),
    Val(Value),
    Open,
    Close,
}

const OPS: &[&str] = &[">=", "<=", "!=", "==", ">", "<", "="];
const WORD_OPS: &[&str] = &["eq", "ne", "lt", "gt", "ge", "le"];

fn tokenize(q: &str) -> Result<Vec<Tok>> {
    let mut out = Vec::new();
    let cs: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else if c == '"' || c == '\'' {
            let end = cs[i + 1..]
                .iter()
                .position(|x| *x == c)
                .ok_or_else(|| bad_query(q))?;
            out.push(Tok::Val(Value::String(
                cs[i + 1..i + 1 + end].iter().collect(),
            )));
            i += end + 2;
        } else if let Some(op) = OPS
            .iter()
            .find(|o| cs[i..].starts_with(&o.chars().collect::<Vec<_>>()))
        {
            out.push(Tok::Op(op.to_string()));
            i += op.len();
        } else if c == '[' {
            let end = cs[i..]
                .iter()
                .position(|x| *x == ']')
                .ok_or_else(|| bad_query(q))?;
            let inner: String = cs[i + 1..i + end].iter().collect();
            let mut items = Vec::new();
            for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match tokenize(part)?.as_slice() {
                    [Tok::Val(v)] => items.push(v.clone()),
                    [Tok::Word(w)] => items.push(json!(w)),
                    _ => return Err(bad_query(q)),
                }
            }
            out.push(Tok::Val(Value::Array(items)));
            i += end + 1;
        } else {
            let start = i;
            while i < cs.len() && !cs[i].is_whitespace() && !"()\"'[]<>=!".contains(cs[i]) {
                i += 1;
            }
            if i == start {
                return Err(bad_query(q));
            }
            let w: String = cs[start..i].iter().collect();
            out.push(word(&w));
        }
    }
    Ok(out)
}

fn word(w: &str) -> Tok {
    if WORD_OPS.contains(&w) {
        return Tok::Op(w.into());
    }
    if matches!(w, "None" | "none" | "null") {
        return Tok::Val(Value::Null);
    }
    if matches!(w, "True" | "true" | "False" | "false") {
        return Tok::Val(json!(w.eq_ignore_ascii_case("true")));
    }
    if matches!(w, "and" | "or" | "not") {
        return Tok::Word(w.into());
    }
    if !w.starts_with(|c: char| c.is_ascii_alphabetic()) {
        if let Ok(f) = w.parse::<f64>() {
            return Tok::Val(json!(f));
        }
    }
    Tok::Val(Value::String(w.into()))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        self.toks.get(self.pos) == Some(&Tok::Word(w.into()))
    }
    fn binary(&mut self, w: &str, next: fn(&mut Self) -> Result<Value>) -> Result<Value> {
        let first = next(self)?;
        if !self.peek_word(w) {
            return Ok(first);
        }
        let mut all = vec![first];
        while self.peek_word(w) {
            self.pos += 1;
            all.push(next(self)?);
        }
        let mut m = Map::new();
        m.insert(w.into(), Value::Array(all));
        Ok(Value::Object(m))
    }
    fn or(&mut self) -> Result<Value> {
        self.binary("or", Self::and)
    }
    fn and(&mut self) -> Result<Value> {
        self.binary("and", Self::not)
    }
    fn not(&mut self) -> Result<Value> {
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(json!({"not": self.not()?}));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Value> {
        let err = || Error::other("Invalid query: expected a condition".to_string());
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let v = self.or()?;
                if self.toks.get(self.pos) != Some(&Tok::Close) {
                    return Err(err());
                }
                self.pos += 1;
                Ok(v)
            }
            Some(Tok::Val(Value::String(field))) => {
                let (Some(Tok::Op(op)), Some(Tok::Val(v))) = (
                    self.toks.get(self.pos + 1).cloned(),
                    self.toks.get(self.pos + 2).cloned(),
                ) else {
                    return Err(err());
                };
                self.pos += 3;
                let mut inner = Map::new();
                inner.insert(field, v);
                let mut m = Map::new();
                m.insert(op, Value::Object(inner));
                Ok(Value::Object(m))
            }
            _ => Err(err()),
        }
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
        assert_eq!(
            search_query("name=foo").unwrap(),
            json!({"=": {"name": "foo"}})
        );
        assert_eq!(
            search_query("a=1 and (b!=\"x y\" or not c>=2)").unwrap(),
            json!({"and": [{"=": {"a": 1.0}}, {"or": [{"!=": {"b": "x y"}}, {"not": {">=": {"c": 2.0}}}]}]})
        );
        assert_eq!(
            search_query("a=1 or b=2 or c=null").unwrap()["or"]
                .as_array()
                .map(Vec::len),
            Some(3)
        );
        assert!(search_query("name=").is_err());
        assert!(search_query("(a=1").is_err());
        assert!(search_query("a=1 b=2").is_err());
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("90d58eea-70d7-4294-a49a-170dcdf44c3c"));
        assert!(is_uuid("90d58eea70d74294a49a170dcdf44c3c"));
        assert!(!is_uuid("cpu"));
    }
}
