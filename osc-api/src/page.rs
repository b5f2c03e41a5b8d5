//! One page of a collection, parsed in a single pass from the response bytes.
//!
//! A listing's cost is JSON parsing: 20,000 servers are 26 MB of objects with some forty
//! members each, and a table shows six of them. [`parse`] keeps only the members a command
//! asks for ([`Fields::Only`]) and skips the rest without building them, and keeps nothing
//! of the body but the items and its pagination hints.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Which members of each listed object to keep.
#[derive(Clone, Copy, Debug, Default)]
pub enum Fields<'a> {
    #[default]
    All,
    /// Only these members (the others are skipped while parsing). A dotted path keeps a
    /// member of a member: `flavor.original_name` keeps `{"flavor": {"original_name": ..}}`.
    Only(&'a [&'a str]),
}

/// What to keep of a member.
enum Keep<'a> {
    Whole,
    Members(Vec<&'a str>),
}

/// What to keep of the member `k` of an object whose wanted paths are `paths`; `None`: skip it.
fn keep<'a>(paths: &[&'a str], k: &str) -> Option<Keep<'a>> {
    let mut sub = Vec::new();
    for p in paths {
        match p.strip_prefix(k) {
            Some("") => return Some(Keep::Whole),
            Some(rest) if rest.starts_with('.') => sub.push(&rest[1..]),
            _ => {}
        }
    }
    (!sub.is_empty()).then_some(Keep::Members(sub))
}

/// The items of one page and the members that say where the next page is
/// (`<key>_links`, `next`, `links`), as an object [`crate::resource::next_link`] reads.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Value>,
    pub links: Value,
}

/// Parses a collection body: `{"<key>": [...], ...}`, or a bare array when `key` is empty.
pub fn parse(bytes: &[u8], key: &str, fields: Fields) -> serde_json::Result<Page> {
    parse_with(serde_json::Deserializer::from_slice(bytes), key, fields)
}

/// [`parse`] while reading: a 26 MB listing is never held whole.
pub fn parse_reader(r: impl std::io::Read, key: &str, fields: Fields) -> serde_json::Result<Page> {
    let r = std::io::BufReader::with_capacity(1 << 16, r);
    match parse_with(serde_json::Deserializer::from_reader(r), key, fields) {
        // An empty body has no items.
        Err(e) if e.is_eof() && e.line() == 1 && e.column() == 0 => Ok(Page::default()),
        other => other,
    }
}

fn parse_with<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    key: &str,
    fields: Fields,
) -> serde_json::Result<Page> {
    let page = if key.is_empty() {
        Page {
            items: Items { fields }.deserialize(&mut de)?,
            links: Value::Null,
        }
    } else {
        Body { key, fields }.deserialize(&mut de)?
    };
    de.end()?;
    Ok(page)
}

struct Body<'a> {
    key: &'a str,
    fields: Fields<'a>,
}

impl<'de> DeserializeSeed<'de> for Body<'_> {
    type Value = Page;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Page, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Body<'_> {
    type Value = Page;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a \"{}\" list", self.key)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page, A::Error> {
        let mut page = Page::default();
        let mut links = Map::new();
        let links_key = format!("{}_links", self.key);
        while let Some(k) = map.next_key::<String>()? {
            if k == self.key {
                page.items = map.next_value_seed(Items {
                    fields: self.fields,
                })?;
            } else if k == links_key || k == "next" || k == "links" {
                links.insert(k, map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        page.links = Value::Object(links);
        Ok(page)
    }
    // Anything else (a bare list where an object was expected, null) has no items.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Page, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Page::default())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Page, E> {
        Ok(Page::default())
    }
}

struct Items<'a> {
    fields: Fields<'a>,
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = Vec<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = Vec<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Value>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        match self.fields {
            Fields::All => {
                while let Some(v) = seq.next_element_seed(Compact)? {
                    out.push(v);
                }
            }
            Fields::Only(paths) => {
                while let Some(v) = seq.next_element_seed(Item { paths })? {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }
    // `"servers": null` or an object where a list belongs: no items, as before.
    fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Value>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
}

/// An item (or a member of one) of which only `paths` are kept.
struct Item<'b, 'a> {
    paths: &'b [&'a str],
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Item<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut kept = Vec::new();
        while let Some(key) = map.next_key_seed(Key { paths: self.paths })? {
            match key {
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
                Some((k, Keep::Whole)) => kept.push((k, map.next_value_seed(Compact)?)),
                Some((k, Keep::Members(sub))) => {
                    kept.push((k, map.next_value_seed(Item { paths: &sub })?))
                }
            }
        }
        Ok(Value::Object(kept.into_iter().collect()))
    }
    // Items that are not objects are kept whole.
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Compact.visit_bool(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Compact.visit_i64(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Compact.visit_u64(v)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Compact.visit_f64(v)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Compact.visit_str(v)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Compact.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Compact.visit_seq(seq)
    }
}

/// A member's name, decided on while it is borrowed from the parser: skipped members cost
/// no allocation. `None` for a member not kept.
struct Key<'b, 'a> {
    paths: &'b [&'a str],
}

impl<'de, 'a> DeserializeSeed<'de> for Key<'_, 'a> {
    type Value = Option<(String, Keep<'a>)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for Key<'_, 'a> {
    type Value = Option<(String, Keep<'a>)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: serde::de::Error>(self, k: &str) -> Result<Self::Value, E> {
        Ok(keep(self.paths, k).map(|how| (k.to_string(), how)))
    }
}

/// Any JSON value, its objects and arrays allocated at their exact size: a listing holds
/// thousands of small objects, and a growing map's spare room is most of their memory.
struct Compact;

impl<'de> DeserializeSeed<'de> for Compact {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Compact {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            entries.push((k, map.next_value_seed(Compact)?));
        }
        Ok(Value::Object(entries.into_iter().collect()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Compact)? {
            out.push(v);
        }
        out.shrink_to_fit();
        Ok(Value::Array(out))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// The top-level members that dotted field paths read (`flavor` for
/// `flavor.original_name`), each once, for [`Fields::Only`].
pub fn top_level<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keys: Vec<&'a str> = Vec::new();
    for p in paths {
        let k = p.split('.').next().unwrap_or(p);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_the_asked_members_in_body_order() {
        let body = br#"{"servers": [{"name": "a", "id": "1", "big": {"x": [1, 2]}}, {"id": "2"}],
            "servers_links": [{"rel": "next", "href": "http://h/servers?marker=2"}], "other": 1}"#;
        let p = parse(body, "servers", Fields::Only(&["id", "name"])).unwrap();
        assert_eq!(
            p.items,
            vec![json!({"name": "a", "id": "1"}), json!({"id": "2"})]
        );
        assert_eq!(
            p.items[0].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["name", "id"]
        );
        assert_eq!(
            crate::resource::next_link(&p.links, "servers").as_deref(),
            Some("http://h/servers?marker=2")
        );
    }

    #[test]
    fn dotted_paths_keep_members_of_members() {
        let body = br#"{"servers": [{"id": "1", "flavor": {"original_name": "m1", "ram": 1,
            "extra_specs": {"a": "b"}}, "image": "", "addresses": {"n": [{"addr": "10.0.0.1"}]}}]}"#;
        let keep = [
            "id",
            "flavor.original_name",
            "flavor.id",
            "image.id",
            "addresses",
        ];
        let p = parse(body, "servers", Fields::Only(&keep)).unwrap();
        assert_eq!(
            p.items,
            vec![
                json!({"id": "1", "flavor": {"original_name": "m1"}, "image": "",
                        "addresses": {"n": [{"addr": "10.0.0.1"}]}})
            ]
        );
    }

    #[test]
    fn all_fields_keep_whole_items_and_glance_next() {
        let body = br#"{"images": [{"id": "1", "n": {"a": null}}], "next": "/v2/images?marker=1", "schema": "s"}"#;
        let p = parse(body, "images", Fields::All).unwrap();
        assert_eq!(p.items, vec![json!({"id": "1", "n": {"a": null}})]);
        assert_eq!(
            crate::resource::next_link(&p.links, "images").as_deref(),
            Some("/v2/images?marker=1")
        );
    }

    #[test]
    fn bare_arrays_and_odd_shapes() {
        let p = parse(
            br#"[{"name": "o", "bytes": 3}, "x"]"#,
            "",
            Fields::Only(&["name"]),
        )
        .unwrap();
        assert_eq!(p.items, vec![json!({"name": "o"}), json!("x")]);
        assert!(parse(br#"{"servers": null}"#, "servers", Fields::All)
            .unwrap()
            .items
            .is_empty());
        assert!(parse(br#"{"other": []}"#, "servers", Fields::All)
            .unwrap()
            .items
            .is_empty());
        assert!(parse(br#"{"servers": [1,"#, "servers", Fields::All).is_err());
        assert!(parse_reader(&b""[..], "servers", Fields::All)
            .unwrap()
            .items
            .is_empty());
        assert!(parse_reader(&b"{"[..], "servers", Fields::All).is_err());
        let p = parse_reader(
            &br#"{"s": [{"a": 1, "b": 2}]}"#[..],
            "s",
            Fields::Only(&["b"]),
        );
        assert_eq!(p.unwrap().items, vec![json!({"b": 2})]);
        assert!(parse(br#"{"servers": []} trailing"#, "servers", Fields::All).is_err());
    }
}
