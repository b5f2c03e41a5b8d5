//! Replays a learned command description against Neutron.
//!
//! A description holds the calls OSC makes (`find_network`, `create_subnet`, `networks`,
//! ...), the resource behind each (path and JSON keys), the body or query of each call
//! for the bare command (`body`), what each option adds to it (`options.<name>.adds`, with
//! the sample value OSC was given in place of the user's), and the output columns
//! (`[display name, Neutron field, style]`). Placeholders: `P_<arg>` and `S_<arg>` stand
//! for argument values, `S_<key>` for keys of `key=value` options, and
//! `LOOKUP:<resource>:<placeholder>` for "the ID of the resource with this name or ID".

use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};
use std::cell::RefCell;
use std::collections::HashMap;

const NET: &str = "network";

pub struct Engine<'a, 'h> {
    host: &'a Host<'h>,
    table: &'a Value,
    command: &'a str,
    spec: &'a Value,
    args: &'a Args,
    lookups: RefCell<HashMap<(String, String), Value>>,
    /// The target of a set/unset, for options computed from its current state.
    current: RefCell<Option<Value>>,
}

/// Deep merge: objects recursively, arrays appended, scalars replaced.
fn merge(into: &mut Value, add: &Value) {
    match (into, add) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => a.extend(b.iter().cloned()),
        (slot, v) => *slot = v.clone(),
    }
}

/// Merges per-call payloads: the i-th invocation of a call with the i-th.
fn merge_calls(out: &mut Map<String, Value>, add: &Value) {
    let Some(add) = add.as_object() else { return };
    for (call, invocations) in add {
        let slot = out
            .entry(call.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        match (slot, invocations) {
            (Value::Array(have), Value::Array(new)) => {
                for (i, inv) in new.iter().enumerate() {
                    match have.get_mut(i) {
                        Some(h) => merge(h, inv),
                        None => have.push(inv.clone()),
                    }
                }
            }
            (slot, v) => *slot = v.clone(),
        }
    }
}

/// Deletes `[call, index, key, ...]` from the payloads.
fn remove_path(out: &mut Map<String, Value>, path: &Value) {
    let Some(parts) = path.as_array() else { return };
    let Some((last, init)) = parts.split_last() else {
        return;
    };
    let Some(first) = init.first().and_then(Value::as_str) else {
        return;
    };
    let mut cur = match out.get_mut(first) {
        Some(v) => v,
        None => return,
    };
    for p in &init[1..] {
        let next = match p {
            Value::Number(n) => n.as_u64().and_then(|i| cur.get_mut(i as usize)),
            Value::String(k) => cur.get_mut(k.as_str()),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    if let (Some(obj), Some(k)) = (cur.as_object_mut(), last.as_str()) {
        obj.remove(k);
    }
}

/// `k=v,k2=v2` as OSC's KeyValue actions parse it.
fn parse_kv(s: &str) -> Map<String, Value> {
    let mut m = Map::new();
    for part in s.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            m.insert(format!("S_{}", k.trim().replace('-', "_")), json!(v));
        }
    }
    m
}

fn resource_label(class: &str) -> String {
    class.to_string()
}

impl<'a, 'h> Engine<'a, 'h> {
    pub fn new(
        host: &'a Host<'h>,
        table: &'a Value,
        command: &'a str,
        spec: &'a Value,
        args: &'a Args,
    ) -> Self {
        Engine {
            host,
            table,
            command,
            spec,
            args,
            lookups: RefCell::new(HashMap::new()),
            current: RefCell::new(None),
        }
    }

    fn finder(&self, res: &str) -> Option<&'a Value> {
        self.table["_finders"].get(res)
    }

    fn resource_of_call(&self, call: &str) -> Option<&'a Value> {
        self.spec["resources"].get(call)
    }

    /// The ID of a resource given by name or ID, as openstacksdk's `find` does.
    fn lookup(&self, res: &str, value: &str) -> Result<Value> {
        let key = (res.to_string(), value.to_string());
        if let Some(v) = self.lookups.borrow().get(&key) {
            return Ok(v.clone());
        }
        let found = self.find(res, value)?;
        let id = found.get("id").cloned().unwrap_or(Value::Null);
        self.lookups.borrow_mut().insert(key, id.clone());
        Ok(id)
    }

    /// Finds one resource by ID, then by name; one line when none or several match.
    fn find(&self, res: &str, value: &str) -> Result<Value> {
        let (service, path, key, keys, class) = match res {
            "project" => (
                "identity",
                "/projects".to_string(),
                "project".to_string(),
                "projects".to_string(),
                "Project".to_string(),
            ),
            "domain" => (
                "identity",
                "/domains".to_string(),
                "domain".to_string(),
                "domains".to_string(),
                "Domain".to_string(),
            ),
            _ => {
                let f = self
                    .finder(res)
                    .ok_or_else(|| Error::other(format!("network plugin: cannot look up {res}")))?;
                (
                    NET,
                    f["path"].as_str().unwrap_or("").to_string(),
                    f["key"].as_str().unwrap_or("").to_string(),
                    f["keys"].as_str().unwrap_or("").to_string(),
                    f["class"].as_str().unwrap_or(res).to_string(),
                )
            }
        };
        if path.contains("%(") {
            return Err(Error::other(format!(
                "network plugin: looking up a {class} is not supported yet"
            )));
        }
        let by_id = self
            .host
            .request(Request::get(service, format!("{path}/{}", enc(value))))?;
        if by_id.is_success() {
            let v = by_id.json()?;
            if let Some(obj) = v.get(&key) {
                return Ok(obj.clone());
            }
        } else if by_id.status != 404 && by_id.status != 400 {
            by_id.ok()?;
        }
        let list = self
            .host
            .request(Request::get(service, path.clone()).query("name", value))?
            .ok()?
            .json()?;
        let items = list[&keys].as_array().cloned().unwrap_or_default();
        match items.len() {
            1 => Ok(items[0].clone()),
            0 => Err(Error::other(format!(
                "No {} found for {value}",
                resource_label(&class)
            ))),
            _ => Err(Error::other(format!(
                "More than one {} exists with the name '{value}'.",
                resource_label(&class)
            ))),
        }
    }

    /// Replaces placeholders in a template with argument values (and looks up IDs).
    fn subst(&self, t: &Value, vals: &Map<String, Value>) -> Result<Value> {
        Ok(match t {
            Value::String(s) => {
                if let Some(rest) = s.strip_prefix("LOOKUP:") {
                    let (res, ph) = rest.split_once(':').unwrap_or((rest, ""));
                    match vals.get(ph).or_else(|| vals.get(&ph.to_ascii_uppercase())) {
                        Some(Value::String(v)) => self.lookup(res, v)?,
                        Some(other) => other.clone(),
                        None => Value::Null,
                    }
                } else if let Some(v) = vals.get(s.as_str()) {
                    v.clone()
                } else if let Some(v) = vals
                    .iter()
                    .find(|(k, _)| k.to_lowercase() == *s)
                    .map(|(_, v)| v)
                {
                    // OSC lower-cases some values (gateway, protocol).
                    match v {
                        Value::String(x) => json!(x.to_lowercase()),
                        o => o.clone(),
                    }
                } else {
                    t.clone()
                }
            }
            Value::Number(n) => vals
                .get(&format!("#{n}"))
                .cloned()
                .unwrap_or_else(|| t.clone()),
            Value::Array(a) => {
                // A placeholder for a repeated option stands for all its values.
                let mut out = Vec::new();
                for x in a {
                    match (x, self.subst(x, vals)?) {
                        (Value::String(_), Value::Array(many)) => out.extend(many),
                        (_, one) => out.push(one),
                    }
                }
                Value::Array(out)
            }
            Value::Object(o) => {
                let mut m = Map::new();
                for (k, v) in o {
                    let k2 = match vals.get(k.as_str()) {
                        Some(Value::String(s)) => s.clone(),
                        _ => k.clone(),
                    };
                    m.insert(k2, self.subst(v, vals)?);
                }
                Value::Object(m)
            }
            other => other.clone(),
        })
    }

    /// Placeholder values of the positional arguments and of the options' samples.
    fn base_values(&self, positional: Option<&str>) -> Map<String, Value> {
        let mut m = Map::new();
        for (name, v) in &self.args.0 {
            if self.is_positional(name) {
                let v = match (positional, v) {
                    (Some(p), _) => json!(p),
                    (None, Value::Array(a)) => a.first().cloned().unwrap_or(Value::Null),
                    (None, o) => o.clone(),
                };
                m.insert(format!("P_{name}"), v);
                continue;
            }
            m.insert(format!("S_{name}"), v.clone());
            let sample = self.spec["samples"][name.as_str()]
                .get(0)
                .and_then(Value::as_str)
                .unwrap_or("");
            if let Value::String(s) = v {
                if sample.contains('=') {
                    m.extend(parse_kv(s));
                    continue;
                }
            }
            if !sample.is_empty() {
                m.insert(sample.to_string(), v.clone());
                if let Ok(n) = sample.parse::<i64>() {
                    let as_int = match v {
                        Value::String(s) => s
                            .parse::<i64>()
                            .map(|i| json!(i))
                            .unwrap_or_else(|_| v.clone()),
                        o => o.clone(),
                    };
                    m.insert(format!("#{n}"), as_int);
                }
            }
        }
        m
    }

    fn is_positional(&self, name: &str) -> bool {
        self.spec["base"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t.as_str() == Some(&format!("P_{name}")))
    }

    /// The merged body/query per call for the given arguments.
    fn payloads(&self, positional: Option<&str>) -> Result<Map<String, Value>> {
        let base_vals = self.base_values(positional);
        let mut out = Map::new();
        if let Some(b) = self.spec["body"].as_object() {
            for (call, v) in b {
                out.insert(call.clone(), self.subst(v, &base_vals)?);
            }
        }
        let Some(opts) = self.spec["options"].as_object() else {
            return Ok(out);
        };
        let mut removals: Vec<&Value> = Vec::new();
        for (name, o) in opts {
            if !self.args.has(name) || self.is_positional(name) {
                continue;
            }
            if self.manual_option(name, &mut out)? {
                continue;
            }
            removals.extend(o["removes"].as_array().into_iter().flatten());
            let Some(adds) = o.get("adds") else {
                let why = o["error"].as_str().unwrap_or("not learned");
                return Err(Error::other(format!(
                    "network plugin: option --{} is not supported yet ({why})",
                    name.replace('_', "-")
                )));
            };
            let sample = o["sample"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .unwrap_or("");
            let values: Vec<Value> = match self.args.value(name) {
                Some(Value::Array(a)) => a.clone(),
                Some(v) => vec![v.clone()],
                None => Vec::new(),
            };
            for v in &values {
                let mut vals = base_vals.clone();
                if sample.contains('=') {
                    if let Value::String(s) = v {
                        vals.extend(parse_kv(s));
                    }
                } else if !sample.is_empty() {
                    vals.insert(sample.to_string(), v.clone());
                    if let Ok(n) = sample.parse::<i64>() {
                        vals.insert(format!("#{n}"), v.clone());
                    }
                }
                let add = self.subst(adds, &vals)?;
                merge_calls(&mut out, &add);
            }
        }
        for path in removals {
            remove_path(&mut out, path);
        }
        Ok(out)
    }

    /// Options whose effect depends on the value's shape, which the learned table cannot
    /// express (port ranges, ICMP type and code). Returns true when handled.
    fn manual_option(&self, name: &str, out: &mut Map<String, Value>) -> Result<bool> {
        if self.command.ends_with(" unset") {
            return self.unset_list_option(name, out);
        }
        let rule = self.command.ends_with("security group rule create");
        if !rule || !matches!(name, "dst_port" | "icmp_type" | "icmp_code") {
            return Ok(false);
        }
        let call = if self.command.starts_with("default ") {
            "create_default_security_group_rule"
        } else {
            "create_security_group_rule"
        };
        let key = if self.command.starts_with("default ") {
            "default_security_group_rule"
        } else {
            "security_group_rule"
        };
        let int = |s: &str| {
            s.trim().parse::<i64>().map_err(|_| {
                Error::other(format!(
                    "argument --{}: invalid port {s:?}",
                    name.replace('_', "-")
                ))
            })
        };
        let fields: Vec<(&str, Value)> = match name {
            "dst_port" => {
                let v = self.args.req("dst_port")?;
                let (a, b) = v.split_once(':').unwrap_or((v, v));
                vec![
                    ("port_range_min", json!(int(a)?)),
                    ("port_range_max", json!(int(b)?)),
                ]
            }
            "icmp_type" => vec![("port_range_min", json!(self.args.int("icmp_type")?))],
            _ => vec![("port_range_max", json!(self.args.int("icmp_code")?))],
        };
        let mut add = Map::new();
        for (k, v) in fields {
            add.insert(k.to_string(), v);
        }
        merge_calls(out, &json!({call: [{key: add}]}));
        Ok(true)
    }

    fn columns(&self) -> Vec<(String, Option<String>, String)> {
        // Options that change the columns (--long, a group filter...): the one given
        // last in the manifest wins, --long first of all.
        let mut cols = self.spec["columns"].as_array();
        if let Some(opts) = self.spec["options"].as_object() {
            for (name, o) in opts {
                if name != "long" && self.args.has(name) {
                    if let Some(c) = o["columns"].as_array().filter(|c| !c.is_empty()) {
                        cols = Some(c);
                    }
                }
            }
        }
        if self.args.flag("long") {
            if let Some(c) = self.spec["options"]["long"]["columns"]
                .as_array()
                .filter(|c| !c.is_empty())
            {
                cols = Some(c);
            }
        }
        cols.into_iter()
            .flatten()
            .filter_map(|c| {
                Some((
                    c.get(0)?.as_str()?.to_string(),
                    c.get(1).and_then(Value::as_str).map(str::to_string),
                    c.get(2)
                        .and_then(Value::as_str)
                        .unwrap_or("raw")
                        .to_string(),
                ))
            })
            .collect()
    }

    fn style_name(s: &str) -> &str {
        match s {
            "list" | "UnsortedListColumn" => "list",
            "dict" => "dict",
            "list_dict" => "list_dict",
            "dict_list" => "dict_list",
            _ => "raw",
        }
    }

    /// Converts fields the SDK types (ints, bools) when Neutron sent them as strings, as
    /// openstacksdk does before OSC sees them.
    fn typed(&self, obj: &Value) -> Value {
        let mut o = obj.clone();
        let Some(m) = o.as_object_mut() else { return o };
        for r in self.spec["resources"]
            .as_object()
            .into_iter()
            .flat_map(|x| x.values())
        {
            for k in r["ints"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if let Some(Value::String(s)) = m.get(k) {
                    if let Ok(n) = s.trim().parse::<i64>() {
                        m.insert(k.to_string(), json!(n));
                    }
                }
            }
            for k in r["bools"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if let Some(Value::String(s)) = m.get(k) {
                    let b = s.eq_ignore_ascii_case("true");
                    if b || s.eq_ignore_ascii_case("false") {
                        m.insert(k.to_string(), json!(b));
                    }
                }
            }
        }
        o
    }

    fn show_reply(&self, obj: &Value) -> Reply {
        let obj = &self.typed(obj);
        let mut cols = self.columns();
        // Columns OSC builds from the resource itself come sorted and include attributes
        // the SDK does not know but Neutron returned (openstacksdk keeps unknown body
        // attributes for network resources); fixed column lists are not sorted.
        let dynamic = cols.windows(2).all(|w| w[0].0 <= w[1].0);
        if dynamic {
            let known: Vec<&str> = cols.iter().filter_map(|c| c.1.as_deref()).collect();
            let extra: Vec<String> = obj
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .filter(|k| {
                    !known.contains(&k.as_str()) && !matches!(k.as_str(), "tenant_id" | "location")
                })
                .filter(|k| !cols.iter().any(|c| &c.0 == k))
                .collect();
            for k in extra {
                cols.push((k.clone(), Some(k), "raw".into()));
            }
            cols.sort_by(|a, b| a.0.cmp(&b.0));
        }
        // OSC hides a router's ha, distributed and evpn_vni when they are unset
        // (openstackclient/network/v2/router.py _get_columns).
        if self.command.starts_with("router ") {
            cols.retain(|(d, k, _)| {
                !(matches!(d.as_str(), "ha" | "distributed" | "evpn_vni")
                    && k.as_deref()
                        .and_then(|k| obj.get(k))
                        .is_none_or(Value::is_null))
            });
        }
        let mut r = Reply::show();
        for (display, key, style) in cols {
            // Columns OSC computes itself (key unknown) may have been added under their
            // name; otherwise OSC's get_item_properties shows "".
            let v = match key.as_deref() {
                Some(k) => obj.get(k).cloned().unwrap_or(Value::Null),
                None => obj.get(&display).cloned().unwrap_or_else(|| json!("")),
            };
            r = r
                .field(display.clone(), v)
                .style(&display, Self::style_name(&style));
        }
        r
    }

    fn list_reply(&self, items: &[Value]) -> Reply {
        let mut cols = self.columns();
        if self.command == "router list" {
            // OSC shows Distributed and HA only when some router has them set.
            cols.retain(|(d, k, _)| {
                !matches!(d.as_str(), "Distributed" | "HA")
                    || items.iter().any(|o| {
                        k.as_deref()
                            .and_then(|k| o.get(k))
                            .is_some_and(|v| !v.is_null())
                    })
            });
        }
        let mut r = Reply::list(cols.iter().map(|c| c.0.clone()));
        for (display, _, style) in &cols {
            r = r.style(display, Self::style_name(style));
        }
        let rule_list = self.command.ends_with("security group rule list");
        let availability = self.command == "ip availability list";
        let rows = items
            .iter()
            .map(|o| self.typed(o))
            .map(|o| if rule_list { with_rule_ranges(&o) } else { o })
            .map(|o| {
                if availability {
                    with_availability_details(&o)
                } else {
                    o
                }
            })
            .map(|o| {
                cols.iter()
                    .map(|(d, k, _)| {
                        // Computed columns were added under their display name.
                        let computed = if rule_list || availability {
                            o.get(d.as_str())
                        } else {
                            None
                        };
                        computed
                            .or_else(|| k.as_deref().and_then(|k| o.get(k)))
                            .cloned()
                            .unwrap_or(Value::Null)
                    })
                    .collect()
            })
            .collect();
        r.rows(rows)
    }

    fn res_path(&self, call: &str) -> Result<(String, String, String)> {
        let r = self
            .resource_of_call(call)
            .ok_or_else(|| Error::other(format!("network plugin: no resource for {call}")))?;
        let path = self.fill_path(call, r["path"].as_str().unwrap_or(""))?;
        Ok((
            path,
            r["key"].as_str().unwrap_or("").to_string(),
            r["keys"].as_str().unwrap_or("").to_string(),
        ))
    }

    /// Fills `%(parent_id)s` in a nested resource's path with the parent's ID: the call
    /// was given the parent, whose learned form names its lookup (`LOOKUP:router:P_router`).
    fn fill_path(&self, call: &str, path: &str) -> Result<String> {
        let Some(start) = path.find("%(") else {
            return Ok(path.to_string());
        };
        let end = path[start..]
            .find(")s")
            .map(|e| start + e + 2)
            .unwrap_or(path.len());
        let args = self.spec["calls"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c[0] == call)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        let Some(i) = args.find("LOOKUP:") else {
            return Err(Error::other(format!(
                "network plugin: {} is not supported yet (nested resource {path})",
                self.command
            )));
        };
        let token: String = args[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let id = self.subst(&json!(token), &self.base_values(None))?;
        let id = id.as_str().ok_or_else(|| {
            Error::other(format!(
                "network plugin: cannot find the parent of {}",
                self.command
            ))
        })?;
        Ok(format!("{}{}{}", &path[..start], enc(id), &path[end..]))
    }

    /// The call that finds the command's target from its positional argument.
    fn target_call(&self) -> Option<(String, String)> {
        let calls: Vec<&Value> = self.spec["calls"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let mut first = None;
        for c in calls {
            let name = c[0].as_str().unwrap_or("").to_string();
            let args: Vec<&str> = c[1]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let child = args
                .iter()
                .find(|a| a.starts_with("P_"))
                .map(|a| a[2..].to_string());
            // A nested child (`delete_port_forwarding(<floating ip>, P_id)`) wins over its parent.
            if self.nested(&name).is_some() && args.len() > 1 {
                if let Some(ch) = child {
                    return Some((name, ch));
                }
            }
            let is_find = name.starts_with("find_") || name.starts_with("get_");
            if is_find && first.is_none() && args.len() == 1 {
                if let Some(ch) = child {
                    first = Some((name, ch));
                }
            }
        }
        if first.is_none() {
            // Deleted by ID without a lookup (`network agent delete`).
            for c in self.spec["calls"].as_array().into_iter().flatten() {
                let name = c[0].as_str().unwrap_or("");
                let arg = c[1].get(0).and_then(Value::as_str).unwrap_or("");
                if name.starts_with("delete_") && arg.starts_with("P_") {
                    return Some((name.to_string(), arg[2..].to_string()));
                }
            }
        }
        first
    }

    fn nested(&self, call: &str) -> Option<&'a Value> {
        self.resource_of_call(call)
            .filter(|r| r["path"].as_str().is_some_and(|p| p.contains("%(")))
    }

    fn target(&self, value: &str) -> Result<Value> {
        let (call, _) = self.target_call().ok_or_else(|| {
            Error::other(format!("network plugin: {} has no target", self.command))
        })?;
        if let Some(r) = self.nested(&call) {
            // Nested: GET <parent path>/<child>/<id>.
            let path = self.fill_path(&call, r["path"].as_str().unwrap_or(""))?;
            let v = self
                .host
                .request(Request::get(NET, format!("{path}/{}", enc(value))))?
                .ok()?
                .json()?;
            return Ok(v.get(r["key"].as_str().unwrap_or("")).cloned().unwrap_or(v));
        }
        let res = call.trim_start_matches("find_").trim_start_matches("get_");
        self.find(res, value)
    }

    /// The collection path, finder name and plural key of the command's target.
    fn target_collection(&self) -> Result<(String, String, String)> {
        let (call, _) = self.target_call().ok_or_else(|| {
            Error::other(format!("network plugin: {} has no target", self.command))
        })?;
        if let Some(r) = self.nested(&call) {
            let path = self.fill_path(&call, r["path"].as_str().unwrap_or(""))?;
            return Ok((
                path,
                String::new(),
                r["keys"].as_str().unwrap_or("").to_string(),
            ));
        }
        let res = call
            .trim_start_matches("find_")
            .trim_start_matches("get_")
            .to_string();
        let f = self
            .finder(&res)
            .ok_or_else(|| Error::other(format!("network plugin: cannot find {res}")))?;
        Ok((
            f["path"].as_str().unwrap_or("").to_string(),
            res,
            f["keys"].as_str().unwrap_or("").to_string(),
        ))
    }

    pub fn run(&self) -> Result<Reply> {
        let verb = self.command.rsplit(' ').next().unwrap_or("");
        let calls: Vec<String> = self.spec["calls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c[0].as_str().map(str::to_string))
            .collect();
        if self.spec.get("body").is_none() {
            return Err(Error::other(format!(
                "network plugin: {} is not supported yet",
                self.command
            )));
        }
        match verb {
            "list" => self.do_list(&calls),
            "show" => self.do_show(),
            "delete" => self.do_delete(),
            "create" => self.do_create(),
            "set" | "unset" => self.do_update(),
            _ => self.do_other(),
        }
    }

    fn listing_call(&self, calls: &[String]) -> Option<String> {
        calls
            .iter()
            .find(|c| {
                !c.starts_with("find_")
                    && !c.starts_with("get_")
                    && !c.starts_with("create_")
                    && !c.starts_with("update_")
                    && !c.starts_with("delete_")
                    && self.resource_of_call(c).is_some()
            })
            .cloned()
    }

    /// A trunk's subports (`network subport list --trunk`, `network trunk subport list`).
    fn subports(&self) -> Result<Reply> {
        let t = self.lookup("trunk", self.args.req("trunk")?)?;
        let v = self
            .host
            .request(Request::get(
                NET,
                format!("/trunks/{}/get_subports", enc(t.as_str().unwrap_or(""))),
            ))?
            .ok()?
            .json()?;
        let rows = v["sub_ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                vec![
                    s["port_id"].clone(),
                    s["segmentation_type"].clone(),
                    s["segmentation_id"].clone(),
                ]
            })
            .collect();
        Ok(Reply::list(["Port", "Segmentation Type", "Segmentation ID"]).rows(rows))
    }

    fn do_list(&self, calls: &[String]) -> Result<Reply> {
        if matches!(
            self.command,
            "network subport list" | "network trunk subport list"
        ) {
            return self.subports();
        }
        let call = self.listing_call(calls).ok_or_else(|| {
            Error::other(format!(
                "network plugin: {} is not supported yet",
                self.command
            ))
        })?;
        let (path, _, keys) = self.res_path(&call)?;
        let payloads = self.payloads(None)?;
        let mut req = Request::get(NET, path.clone());
        if let Some(q) = payloads
            .get(&call)
            .and_then(|v| v.get(0))
            .and_then(Value::as_object)
        {
            for (k, v) in q {
                match v {
                    Value::Null => {}
                    Value::Array(a) => {
                        for x in a {
                            req = req.query(k, scalar(x));
                        }
                    }
                    x => req = req.query(k, scalar(x)),
                }
            }
        }
        let mut items = Vec::new();
        let mut next = Some(req);
        // Follow Neutron's `next` links, as openstacksdk's listing does.
        while let Some(r) = next.take() {
            let v = self.host.request(r)?.ok()?.json()?;
            items.extend(v[&keys].as_array().cloned().unwrap_or_default());
            let link = v[format!("{keys}_links")]
                .as_array()
                .and_then(|l| l.iter().find(|x| x["rel"] == "next"))
                .and_then(|x| x["href"].as_str())
                .map(str::to_string);
            if let (Some(href), false) = (link, self.args.has("limit")) {
                next = Some(Request::get(NET, href));
            }
        }
        Ok(self.list_reply(&items))
    }

    fn first_positional(&self) -> Result<String> {
        let (_, name) = self.target_call().ok_or_else(|| {
            Error::other(format!("network plugin: {} has no target", self.command))
        })?;
        self.args
            .str(&name)
            .map(str::to_string)
            .ok_or_else(|| Error::other(format!("missing argument {name}")))
    }

    fn do_show(&self) -> Result<Reply> {
        let mut obj = self.target(&self.first_positional()?)?;
        if self.command == "router show" {
            // As OSC: the router's non-gateway ports, one entry per fixed IP.
            let id = obj["id"].as_str().unwrap_or("").to_string();
            let ports = self
                .host
                .request(Request::get(NET, "/ports").query("device_id", &id))?
                .ok()?
                .json()?;
            let mut info = Vec::new();
            for p in ports["ports"].as_array().into_iter().flatten() {
                if p["device_owner"] == "network:router_gateway" {
                    continue;
                }
                for ip in p["fixed_ips"].as_array().into_iter().flatten() {
                    info.push(json!({"port_id": p["id"], "ip_address": ip["ip_address"], "subnet_id": ip["subnet_id"]}));
                }
            }
            obj["interfaces_info"] = Value::Array(info);
        }
        Ok(self.show_reply(&obj))
    }

    fn do_delete(&self) -> Result<Reply> {
        let (_, name) = self.target_call().ok_or_else(|| {
            Error::other(format!("network plugin: {} has no target", self.command))
        })?;
        let (path, res, keys) = self.target_collection()?;
        let values = self.args.list(&name);
        let mut failed = 0;
        let by_id = self
            .target_call()
            .is_some_and(|(c, _)| c.starts_with("delete_"));
        for v in &values {
            let found = if by_id {
                Ok(json!({"id": v}))
            } else {
                self.target(v)
            };
            let r = found.and_then(|o| {
                let id = o["id"].as_str().unwrap_or("").to_string();
                self.host
                    .request(Request::delete(NET, format!("{path}/{}", enc(&id))))?
                    .ok()
                    .map(|_| ())
            });
            if let Err(e) = r {
                failed += 1;
                let what = if res.is_empty() {
                    keys.trim_end_matches('s').replace('_', " ")
                } else {
                    res.replace('_', " ")
                };
                self.host.warn(&format!(
                    "Failed to delete {what} with name or ID '{v}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::other(format!(
                "{failed} of {} {} failed to delete.",
                values.len(),
                keys.replace('_', " ")
            )));
        }
        Ok(Reply::None)
    }

    fn apply_tags(&self, path: &str, id: &str, current: &Value) -> Result<()> {
        let mut tags: Vec<String> = current["tags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let unset = self.command.ends_with(" unset");
        let before = tags.clone();
        if unset {
            if self.args.flag("all_tag") {
                tags.clear();
            }
            let drop = self.args.list("tag");
            tags.retain(|t| !drop.contains(t));
        } else {
            if self.args.flag("no_tag") {
                tags.clear();
            }
            for t in self.args.list("tag") {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        if tags != before {
            self.host
                .request(
                    Request::put(NET, format!("{path}/{}/tags", enc(id)))
                        .json(json!({"tags": tags})),
                )?
                .ok()?;
        }
        Ok(())
    }

    fn tag_options_learned_as_calls(&self) -> bool {
        ["tag", "no_tag", "all_tag"].iter().any(|o| {
            self.spec["options"][*o]["adds"]["other"]
                .as_array()
                .is_some_and(|a| a.iter().any(|c| c[0] == "set_tags"))
                || (self.spec["options"][*o]["adds"] == json!({})
                    && *o == "tag"
                    && self.command.ends_with(" unset"))
        })
    }

    fn do_create(&self) -> Result<Reply> {
        let payloads = self.payloads(None)?;
        let Some((call, body)) = payloads.iter().find(|(c, _)| c.starts_with("create_")) else {
            return Err(Error::other(format!(
                "network plugin: {} is not supported yet",
                self.command
            )));
        };
        let (path, key, _) = self.res_path(call)?;
        let body = body.get(0).cloned().unwrap_or_else(|| json!({}));
        let created = self
            .host
            .request(Request::post(NET, path.clone()).json(body))?
            .ok()?
            .json()?;
        let mut obj = created.get(&key).cloned().unwrap_or(created);
        if self.tag_options_learned_as_calls() && (self.args.has("tag") || self.args.flag("no_tag"))
        {
            let id = obj["id"].as_str().unwrap_or("").to_string();
            self.apply_tags(&path, &id, &obj)?;
            let again = self
                .host
                .request(Request::get(NET, format!("{path}/{}", enc(&id))))?
                .ok()?
                .json()?;
            obj = again.get(&key).cloned().unwrap_or(obj);
        }
        Ok(self.show_reply(&obj))
    }

    fn do_update(&self) -> Result<Reply> {
        let (path, _, _) = self.target_collection()?;
        let target = self.target(&self.first_positional()?)?;
        *self.current.borrow_mut() = Some(target.clone());
        let id = target["id"].as_str().unwrap_or("").to_string();
        let payloads = self.payloads(None)?;
        for (c, body) in &payloads {
            if !c.starts_with("update_") {
                continue;
            }
            let body = body.get(0).cloned().unwrap_or_else(|| json!({}));
            if body.as_object().is_some_and(|o| {
                o.values()
                    .all(|v| v.as_object().is_some_and(|x| x.is_empty()))
            }) {
                continue;
            }
            self.host
                .request(Request::put(NET, format!("{path}/{}", enc(&id))).json(body))?
                .ok()?;
        }
        if self.command.starts_with("address group ") && self.args.has("address") {
            let action = if self.command.ends_with(" set") {
                "add_addresses"
            } else {
                "remove_addresses"
            };
            self.host
                .request(
                    Request::put(NET, format!("{path}/{}/{action}", enc(&id)))
                        .json(json!({"addresses": self.args.list("address")})),
                )?
                .ok()?;
        }
        if self.tag_options_learned_as_calls()
            && (self.args.has("tag") || self.args.flag("no_tag") || self.args.flag("all_tag"))
        {
            self.apply_tags(&path, &id, &target)?;
        }
        Ok(Reply::None)
    }

    /// `unset` options that remove entries from a list field: the new list is the
    /// target's current one without the entries the user names (as OSC computes it).
    fn unset_list_option(&self, name: &str, out: &mut Map<String, Value>) -> Result<bool> {
        // (command, option) -> (resource key, field, how an entry is named)
        let (key, field, kind): (&str, &str, &[(&str, &str)]) = match (self.command, name) {
            ("subnet unset", "allocation_pool") => (
                "subnet",
                "allocation_pools",
                &[("start", "start"), ("end", "end")],
            ),
            ("subnet unset", "host_route") => (
                "subnet",
                "host_routes",
                &[("destination", "destination"), ("gateway", "nexthop")],
            ),
            ("subnet unset", "dns_nameserver") => ("subnet", "dns_nameservers", &[]),
            ("subnet unset", "service_type") => ("subnet", "service_types", &[]),
            ("port unset", "fixed_ip") => (
                "port",
                "fixed_ips",
                &[("subnet", "subnet_id"), ("ip_address", "ip_address")],
            ),
            ("port unset", "allowed_address") => (
                "port",
                "allowed_address_pairs",
                &[("ip_address", "ip_address"), ("mac_address", "mac_address")],
            ),
            ("port unset", "security_group") => ("port", "security_groups", &[]),
            ("router unset", "route") => (
                "router",
                "routes",
                &[("destination", "destination"), ("gateway", "nexthop")],
            ),
            _ => return Ok(false),
        };
        let current = self.current.borrow().clone().unwrap_or(Value::Null);
        let mut list: Vec<Value> = current[field].as_array().cloned().unwrap_or_default();
        for v in self.args.list(name) {
            if kind.is_empty() {
                let v = if name == "security_group" {
                    self.lookup("security_group", &v)?
                } else {
                    json!(v)
                };
                list.retain(|x| *x != v);
                continue;
            }
            let kv = parse_kv(&v);
            let mut want = Map::new();
            for (arg_key, field_key) in kind {
                if let Some(x) = kv.get(&format!("S_{arg_key}")) {
                    let x = match (*arg_key, x) {
                        ("subnet", Value::String(s)) => self.lookup("subnet", s)?,
                        _ => x.clone(),
                    };
                    want.insert(field_key.to_string(), x);
                }
            }
            list.retain(|entry| !want.iter().all(|(k, x)| entry.get(k) == Some(x)));
        }
        let call = format!("update_{key}");
        let mut body = Map::new();
        body.insert(field.to_string(), Value::Array(list));
        let mut outer = Map::new();
        outer.insert(key.to_string(), Value::Object(body));
        merge_calls(out, &json!({ call: [Value::Object(outer)] }));
        Ok(true)
    }

    /// Router interface and route commands (calls OSC makes through SDK helpers).
    fn do_other(&self) -> Result<Reply> {
        let c = self.command;
        let router_action = |action: &str, body: Value| -> Result<Reply> {
            let id = self.lookup("router", self.args.req("router")?)?;
            let id = id.as_str().unwrap_or("").to_string();
            self.host
                .request(Request::put(NET, format!("/routers/{}/{action}", enc(&id))).json(body))?
                .ok()?;
            Ok(Reply::None)
        };
        match c {
            "router add subnet" | "router remove subnet" => {
                let s = self.lookup("subnet", self.args.req("subnet")?)?;
                let action = if c.contains(" add ") {
                    "add_router_interface"
                } else {
                    "remove_router_interface"
                };
                router_action(action, json!({"subnet_id": s}))
            }
            "router add port" | "router remove port" => {
                let p = self.lookup("port", self.args.req("port")?)?;
                let action = if c.contains(" add ") {
                    "add_router_interface"
                } else {
                    "remove_router_interface"
                };
                router_action(action, json!({"port_id": p}))
            }
            "router add route" | "router remove route" => {
                let mut routes = Vec::new();
                for r in self.args.list("route") {
                    let kv = parse_kv(&r);
                    routes.push(json!({"destination": kv.get("S_destination"), "nexthop": kv.get("S_gateway")}));
                }
                let action = if c.contains(" add ") {
                    "add_extraroutes"
                } else {
                    "remove_extraroutes"
                };
                let id = self.lookup("router", self.args.req("router")?)?;
                let id = id.as_str().unwrap_or("").to_string();
                let v = self
                    .host
                    .request(
                        Request::put(NET, format!("/routers/{}/{action}", enc(&id)))
                            .json(json!({"router": {"routes": routes}})),
                    )?
                    .ok()?
                    .json()?;
                Ok(self.show_reply(v.get("router").unwrap_or(&v)))
            }
            "network agent add network" | "network agent remove network" => {
                if !self.args.flag("dhcp") {
                    return Ok(Reply::None);
                }
                let agent = self.args.req("agent_id")?;
                let net = self.lookup("network", self.args.req("network")?)?;
                let net = net.as_str().unwrap_or("");
                let base = format!("/agents/{}/dhcp-networks", enc(agent));
                let req = if c.contains(" add ") {
                    Request::post(NET, base).json(json!({"network_id": net}))
                } else {
                    Request::delete(NET, format!("{base}/{}", enc(net)))
                };
                self.host.request(req)?.ok()?;
                Ok(Reply::None)
            }
            "network agent add router" | "network agent remove router" => {
                if !self.args.flag("l3") {
                    return Ok(Reply::None);
                }
                let agent = self.args.req("agent_id")?;
                let r = self.lookup("router", self.args.req("router")?)?;
                let r = r.as_str().unwrap_or("");
                let base = format!("/agents/{}/l3-routers", enc(agent));
                let req = if c.contains(" add ") {
                    Request::post(NET, base).json(json!({"router_id": r}))
                } else {
                    Request::delete(NET, format!("{base}/{}", enc(r)))
                };
                self.host.request(req)?.ok()?;
                Ok(Reply::None)
            }
            "network flavor add profile" | "network flavor remove profile" => {
                let f = self.lookup("flavor", self.args.req("flavor")?)?;
                let f = f.as_str().unwrap_or("");
                let p = self.lookup("service_profile", self.args.req("service_profile")?)?;
                let p = p.as_str().unwrap_or("");
                let base = format!("/flavors/{}/service_profiles", enc(f));
                let req = if c.contains(" add ") {
                    Request::post(NET, base).json(json!({"service_profile": {"id": p}}))
                } else {
                    Request::delete(NET, format!("{base}/{}", enc(p)))
                };
                self.host.request(req)?.ok()?;
                Ok(Reply::None)
            }
            "network trunk subport add" | "network trunk subport remove" => {
                let t = self.lookup("trunk", self.args.req("trunk")?)?;
                let t = t.as_str().unwrap_or("");
                let port = self.lookup("port", self.args.req("port")?)?;
                let mut sub = json!({"port_id": port});
                if let Some(v) = self.args.str("segmentation_type") {
                    sub["segmentation_type"] = json!(v);
                }
                if let Some(v) = self.args.int("segmentation_id")? {
                    sub["segmentation_id"] = json!(v);
                }
                let action = if c.ends_with(" add") {
                    "add_subports"
                } else {
                    "remove_subports"
                };
                self.host
                    .request(
                        Request::put(NET, format!("/trunks/{}/{action}", enc(t)))
                            .json(json!({"sub_ports": [sub]})),
                    )?
                    .ok()?;
                Ok(Reply::None)
            }
            "router add gateway" | "router remove gateway" => {
                let r = self.lookup("router", self.args.req("router")?)?;
                let r = r.as_str().unwrap_or("");
                let net = self.lookup("network", self.args.req("external_gateways")?)?;
                let mut gw = json!({"network_id": net});
                let mut ips = Vec::new();
                for f in self.args.list("fixed_ip") {
                    let kv = parse_kv(&f);
                    let mut ip = Map::new();
                    if let Some(Value::String(sn)) = kv.get("S_subnet") {
                        ip.insert("subnet_id".into(), self.lookup("subnet", sn)?);
                    }
                    if let Some(a) = kv.get("S_ip_address") {
                        ip.insert("ip_address".into(), a.clone());
                    }
                    ips.push(Value::Object(ip));
                }
                if !ips.is_empty() {
                    gw["external_fixed_ips"] = Value::Array(ips);
                }
                let action = if c.contains(" add ") {
                    "add_external_gateways"
                } else {
                    "remove_external_gateways"
                };
                let v = self
                    .host
                    .request(
                        Request::put(NET, format!("/routers/{}/{action}", enc(r)))
                            .json(json!({"router": {"external_gateways": [gw]}})),
                    )?
                    .ok()?
                    .json()?;
                Ok(self.show_reply(v.get("router").unwrap_or(&v)))
            }
            "network onboard subnet" | "subnet pool add network" => {
                let pool = self.lookup("subnet_pool", self.args.req("subnetpool")?)?;
                let net = self.lookup("network", self.args.req("network")?)?;
                self.host
                    .request(
                        Request::put(
                            NET,
                            format!(
                                "/subnetpools/{}/onboard_network_subnets",
                                enc(pool.as_str().unwrap_or(""))
                            ),
                        )
                        .json(json!({"network_id": net})),
                    )?
                    .ok()?;
                Ok(Reply::None)
            }
            _ => Err(Error::other(format!(
                "network plugin: {c} is not supported yet"
            ))),
        }
    }
}

/// Security group rule listings show computed "IP Range" and "Port Range" columns
/// (openstackclient.network.utils.format_remote_ip_prefix / format_network_port_range).
fn with_rule_ranges(rule: &Value) -> Value {
    let mut r = rule.clone();
    let ip = match &rule["remote_ip_prefix"] {
        Value::Null => match rule["ethertype"].as_str() {
            Some("IPv4") => json!("0.0.0.0/0"),
            Some("IPv6") => json!("::/0"),
            _ => Value::Null,
        },
        v => v.clone(),
    };
    let num = |v: &Value| match v {
        Value::Null => None,
        Value::Number(n) if n.as_i64() == Some(0) => None,
        other => Some(match other {
            Value::String(s) => s.clone(),
            o => o.to_string(),
        }),
    };
    let (min, max) = (num(&rule["port_range_min"]), num(&rule["port_range_max"]));
    let icmp = matches!(
        rule["protocol"].as_str(),
        Some("icmp" | "icmpv6" | "ipv6-icmp" | "1" | "58")
    );
    let range = if icmp {
        let mut s = String::new();
        if let Some(t) = &min {
            s.push_str(&format!("type={t}"));
        }
        if let Some(c) = &max {
            s.push_str(&format!(":code={c}"));
        }
        s
    } else if min.is_some() || max.is_some() {
        let lo = min.clone().or_else(|| max.clone()).unwrap_or_default();
        let hi = max.or(min).unwrap_or_default();
        format!("{lo}:{hi}")
    } else {
        String::new()
    };
    if let Some(o) = r.as_object_mut() {
        o.insert("IP Range".into(), ip);
        o.insert("Port Range".into(), json!(range));
    }
    r
}

/// `ip availability list` shows four fields of `ip_availability_details` ("" without the
/// network-ip-availability-details extension).
fn with_availability_details(o: &Value) -> Value {
    let mut r = o.clone();
    let d = &o["ip_availability_details"];
    if let Some(m) = r.as_object_mut() {
        for (display, field) in [
            ("Total IPs in Subnet", "total_ips_in_subnet"),
            (
                "Total IPs in Allocation Pool",
                "total_ips_in_allocation_pool",
            ),
            ("Used IPs in Subnet", "used_ips_in_subnet"),
            ("Used IPs in Allocation Pool", "used_ips_in_allocation_pool"),
        ] {
            m.insert(
                display.to_string(),
                d.get(field).cloned().unwrap_or_else(|| json!("")),
            );
        }
    }
    r
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Percent-encodes one path segment.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
