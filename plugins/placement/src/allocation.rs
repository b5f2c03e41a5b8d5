//! Allocations of consumers (`allocation.py`) and allocation candidates
//! (`allocation_candidate.py`).

use crate::api::{ok, py_repr, seg, Api, Call};
use crate::inventory::py_int;
use crate::provider::{deprecated, required_params};
use crate::{props, table};
use osc_plugin_sdk::{json, Args, Error, Map, Reply, Result, Value};

fn path(uuid: &str) -> String {
    format!("/allocations/{}", seg(uuid))
}

/// `parse_allocations`: `rp=<uuid>,<CLASS>=<amount>,...`, merged per provider.
pub fn parse_allocations(strings: &[String]) -> Result<Map<String, Value>> {
    let mut out: Map<String, Value> = Map::new();
    for s in strings {
        if !s.contains('=') || !s.contains(',') {
            return Err(Error::other("Incorrect allocation string format"));
        }
        let mut parsed: Map<String, Value> = Map::new();
        for (i, kv) in s.split(',').enumerate() {
            let parts: Vec<&str> = kv.split('=').collect();
            if parts.len() != 2 {
                return Err(Error::other(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    parts.len()
                )));
            }
            parsed.insert(parts[0].to_string(), json!(parts[1]));
        }
        let Some(rp) = parsed.get("rp").and_then(Value::as_str).map(str::to_string) else {
            return Err(Error::other(
                "Resource provider parameter is required for allocation string",
            ));
        };
        let mut resources = Map::new();
        for (k, v) in &parsed {
            if k != "rp" {
                resources.insert(k.clone(), json!(py_int(v.as_str().unwrap_or(""))?));
            }
        }
        match out.get_mut(&rp).and_then(Value::as_object_mut) {
            None => {
                out.insert(rp, Value::Object(resources));
            }
            Some(prev) => {
                for (k, v) in &resources {
                    if prev.get(k).is_some_and(|p| p != v) {
                        return Err(Error::other(format!(
                            "Conflict detected for resource provider {rp} resource class {k}"
                        )));
                    }
                }
                for (k, v) in resources {
                    prev.insert(k, v);
                }
            }
        }
    }
    Ok(out)
}

/// One row per provider: `dict(resource_provider=k, **props, **v)` under `fields`.
fn rows(resp: &Value, fields: &[&str], extra: &Map<String, Value>) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    for (k, v) in resp["allocations"].as_object().into_iter().flatten() {
        let mut a = Map::new();
        a.insert("resource_provider".into(), json!(k));
        for (x, y) in extra {
            a.insert(x.clone(), y.clone());
        }
        for (x, y) in v.as_object().into_iter().flatten() {
            a.insert(x.clone(), y.clone());
        }
        out.push(props(&Value::Object(a), fields));
    }
    out
}

const FIELDS: &[&str] = &["resource_provider", "generation", "resources"];

pub fn show(api: &Api, args: &Args) -> Result<Reply> {
    let resp = api.json(&Call::get(path(args.req("uuid")?)))?;
    let mut fields = FIELDS.to_vec();
    let mut extra = Map::new();
    let get = |k: &str| resp.get(k).cloned().unwrap_or(Value::Null);
    if api.at_least("1.12")? {
        fields.extend(["project_id", "user_id"]);
        extra.insert("project_id".into(), get("project_id"));
        extra.insert("user_id".into(), get("user_id"));
    }
    if api.at_least("1.38")? {
        fields.push("consumer_type");
        extra.insert("consumer_type".into(), get("consumer_type"));
    }
    Ok(table(&fields, rows(&resp, &fields, &extra)))
}

pub fn set(api: &Api, args: &Args) -> Result<Reply> {
    let v = api.version()?;
    // Required by osc-placement's parser from these versions on.
    let mut missing = Vec::new();
    if crate::api::ge(&v, "1.8") {
        for (name, opt) in [("project_id", "--project-id"), ("user_id", "--user-id")] {
            if args.str(name).is_none() {
                missing.push(opt);
            }
        }
    }
    if crate::api::ge(&v, "1.38") && args.str("consumer_type").is_none() {
        missing.push("--consumer-type");
    }
    if !missing.is_empty() {
        return Err(Error::other(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    let url = path(args.req("uuid")?);
    let generations = api.at_least("1.28")?;
    let consumer_generation = if generations {
        let p = api.json(&Call::get(url.clone()))?;
        p.get("consumer_generation").cloned().unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let allocations = parse_allocations(&args.list("allocation"))?;
    if allocations.is_empty() {
        return Err(Error::other(
            "At least one resource allocation must be specified",
        ));
    }
    let allocations = if api.at_least("1.12")? {
        let m: Map<String, Value> = allocations
            .into_iter()
            .map(|(rp, r)| (rp, json!({"resources": r})))
            .collect();
        Value::Object(m)
    } else {
        Value::Array(
            allocations
                .into_iter()
                .map(|(rp, r)| json!({"resource_provider": {"uuid": rp}, "resources": r}))
                .collect(),
        )
    };
    let mut payload = json!({"allocations": allocations});
    if generations {
        payload["consumer_generation"] = consumer_generation;
    }
    if api.at_least("1.8")? {
        payload["project_id"] = json!(args.str("project_id"));
        payload["user_id"] = json!(args.str("user_id"));
    } else if args.str("project_id").is_some() || args.str("user_id").is_some() {
        api.host.warn(
            "--project-id and --user-id options do not affect allocation for --os-placement-api-version less than 1.8",
        );
    }
    if api.at_least("1.38")? {
        payload["consumer_type"] = json!(args.str("consumer_type"));
    } else if args.str("consumer_type").is_some() {
        api.host.warn(
            "--consumer-type option does not affect allocation for --os-placement-api-version less than 1.38",
        );
    }
    api.call(&Call::new("PUT", url.clone()).json(payload))?;
    let resp = api.json(&Call::get(url))?;
    let mut fields = FIELDS.to_vec();
    let mut extra = Map::new();
    let get =
        |k: &str| -> Result<Value> { resp.get(k).cloned().ok_or_else(|| Error::other(py_repr(k))) };
    if api.at_least("1.12")? {
        fields.extend(["project_id", "user_id"]);
        extra.insert("project_id".into(), get("project_id")?);
        extra.insert("user_id".into(), get("user_id")?);
    }
    if api.at_least("1.38")? {
        fields.push("consumer_type");
        extra.insert("consumer_type".into(), get("consumer_type")?);
    }
    Ok(table(&fields, rows(&resp, &fields, &extra)))
}

pub fn unset(api: &Api, args: &Args) -> Result<Reply> {
    let url = path(args.req("uuid")?);
    let mut payload = api.get_checked(&Call::get(url.clone()), |api| api.require("1.12"))?;
    let providers = args.list("provider");
    let classes = args.list("resource_class");
    let mut allocations = payload["allocations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if !classes.is_empty() {
        let rps: Vec<String> = allocations
            .keys()
            .filter(|k| providers.is_empty() || providers.contains(k))
            .cloned()
            .collect();
        for rp in rps {
            let empty = match allocations
                .get_mut(&rp)
                .and_then(|a| a.get_mut("resources"))
                .and_then(Value::as_object_mut)
            {
                Some(res) => {
                    for rc in &classes {
                        res.remove(rc);
                    }
                    res.is_empty()
                }
                None => true,
            };
            if empty {
                allocations.remove(&rp);
            }
        }
    } else if !providers.is_empty() {
        for rp in &providers {
            allocations.remove(rp);
        }
    } else {
        allocations.clear();
    }
    if !allocations.is_empty() || api.at_least("1.28")? {
        payload["allocations"] = Value::Object(allocations);
        api.call(&Call::new("PUT", url.clone()).json(payload))?;
    } else {
        api.call(&Call::new("DELETE", url.clone()))?;
    }
    let resp = api.json(&Call::get(url))?;
    let mut fields = FIELDS.to_vec();
    fields.extend(["project_id", "user_id"]);
    let mut extra = Map::new();
    if api.at_least("1.38")? {
        fields.push("consumer_type");
        extra.insert(
            "consumer_type".into(),
            resp.get("consumer_type").cloned().unwrap_or(Value::Null),
        );
    }
    if resp["allocations"]
        .as_object()
        .is_some_and(|m| !m.is_empty())
    {
        for k in ["project_id", "user_id"] {
            let v = resp
                .get(k)
                .cloned()
                .ok_or_else(|| Error::other(py_repr(k)))?;
            extra.insert(k.into(), v);
        }
    }
    Ok(table(&fields, rows(&resp, &fields, &extra)))
}

pub fn delete(api: &Api, args: &Args) -> Result<Reply> {
    api.version()?;
    api.call(&Call::new("DELETE", path(args.req("uuid")?)))?;
    Ok(Reply::None)
}

/// The options of one request group (`--group`), as osc-placement's `AppendToGroup`
/// collects them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Group {
    pub resources: Vec<String>,
    pub required: Vec<String>,
    pub forbidden: Vec<String>,
    pub member_of: Vec<String>,
    pub aggregate_uuid: Vec<String>,
}

const GROUPED: &[(&str, &str)] = &[
    ("--resource", "resources"),
    ("--required", "required"),
    ("--forbidden", "forbidden"),
    ("--member-of", "member_of"),
    ("--aggregate-uuid", "aggregate_uuid"),
    ("--group", "group"),
];

/// The grouped options in command-line order: `(argument name, value)`. The host passes
/// each option's values but not how options interleave, which `--group` depends on, so
/// they are read again from the process's command line (the plugin runs inside osc).
pub fn ordered(argv: &[String]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a == "--" {
            break;
        }
        for (flag, name) in GROUPED {
            if a == *flag {
                if let Some(v) = argv.get(i + 1) {
                    out.push((*name, v.clone()));
                    i += 1;
                }
                break;
            }
            if let Some(v) = a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                out.push((*name, v.to_string()));
                break;
            }
        }
        i += 1;
    }
    out
}

/// The request groups in osc-placement's order (`""` for options before any `--group`), or
/// `None` when no grouped option was given.
pub fn groups(args: &Args, argv: &[String]) -> Result<Option<Vec<(String, Group)>>> {
    let mut seq = ordered(argv);
    let given: Vec<(&str, Vec<String>)> = GROUPED.iter().map(|(_, n)| (*n, args.list(n))).collect();
    let matches = given.iter().all(|(n, vals)| {
        let seen: Vec<&String> = seq.iter().filter(|(m, _)| m == n).map(|(_, v)| v).collect();
        seen.len() == vals.len() && seen.iter().zip(vals).all(|(a, b)| *a == b)
    });
    if !matches {
        if !args.list("group").is_empty() {
            return Err(Error::other(
                "cannot tell which options belong to which --group from the command line",
            ));
        }
        // Without --group the order across options does not matter.
        seq = given
            .iter()
            .flat_map(|(n, vals)| vals.iter().map(move |v| (*n, v.clone())))
            .collect();
    }
    let mut out: Vec<(String, Group)> = Vec::new();
    let mut current: Option<String> = None;
    for (name, value) in seq {
        if name == "group" {
            match out.iter_mut().find(|(g, _)| *g == value) {
                Some((_, g)) => *g = Group::default(),
                None => out.push((value.clone(), Group::default())),
            }
            current = Some(value);
            continue;
        }
        let key = match &current {
            Some(c) => c.clone(),
            None => {
                out.push((String::new(), Group::default()));
                current = Some(String::new());
                String::new()
            }
        };
        let Some((_, g)) = out.iter_mut().find(|(k, _)| *k == key) else {
            continue;
        };
        match name {
            "resources" => g.resources.push(value),
            "required" => g.required.push(value),
            "forbidden" => g.forbidden.push(value),
            "member_of" => g.member_of.push(value),
            _ => g.aggregate_uuid.push(value),
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// A check of `take_action`, in its order: a version gate or a failure whatever the version.
enum Step {
    Gate(&'static str),
    Fail(Error),
    Warn,
}

fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

pub fn candidates(api: &Api, args: &Args) -> Result<Reply> {
    let argv: Vec<String> = std::env::args().collect();
    let mut steps = vec![Step::Gate("1.10")];
    let mut call = Call::get("/allocation_candidates");
    let groups = groups(args, &argv)?;
    let groups = match groups {
        Some(g) => g,
        None => {
            steps.push(Step::Fail(Error::other(
                "At least one --resource must be specified.",
            )));
            Vec::new()
        }
    };
    if let Some(l) = args.str("limit").filter(|l| !l.is_empty()) {
        steps.push(Step::Gate("1.16"));
        match py_int(l) {
            Ok(n) => call = call.query("limit", n),
            Err(e) => steps.push(Step::Fail(e)),
        }
    }
    if groups.iter().any(|(k, _)| !k.is_empty()) {
        steps.push(Step::Gate("1.25"));
        call = call.query("group_policy", args.str("group_policy").unwrap_or("none"));
    }
    for (suffix, g) in &groups {
        if g.resources.is_empty() {
            steps.push(Step::Fail(Error::other(format!(
                "('--resources should be provided in group %s', {})",
                py_repr(suffix)
            ))));
            break;
        }
        if g.resources.iter().any(|r| r.split('=').count() != 2) {
            steps.push(Step::Fail(Error::other(
                "Arguments to --resource must be of form <resource_class>=<value>",
            )));
            break;
        }
        let r: Vec<String> = g.resources.iter().map(|r| r.replace('=', ":")).collect();
        call = call.query(&format!("resources{suffix}"), r.join(","));
        if !g.required.is_empty() {
            steps.push(Step::Gate("1.17"));
            if g.required.iter().any(|r| r.contains(',')) {
                steps.push(Step::Gate("1.39"));
            }
        }
        if !g.forbidden.is_empty() {
            steps.push(Step::Gate("1.22"));
        }
        for q in required_params(&g.required, &g.forbidden) {
            call = call.query(&format!("required{suffix}"), q);
        }
        if !g.aggregate_uuid.is_empty() {
            steps.push(Step::Gate("1.21"));
            steps.push(Step::Warn);
            call = call.query(
                &format!("member_of{suffix}"),
                format!("in:{}", g.aggregate_uuid.join(",")),
            );
        }
        if !g.member_of.is_empty() {
            steps.push(Step::Gate("1.21"));
            // A list replaces the --aggregate-uuid value, as the dict assignment does.
            let key = format!("member_of{suffix}");
            call.query.retain(|(k, _)| *k != key);
            for m in &g.member_of {
                call = call.query(&key, format!("in:{m}"));
            }
        }
    }
    let failing = steps.iter().any(|s| matches!(s, Step::Fail(_)));
    let run_steps = |api: &Api, steps: Vec<Step>| -> Result<()> {
        for s in steps {
            match s {
                Step::Gate(v) => api.require(v)?,
                Step::Fail(e) => return Err(e),
                Step::Warn => deprecated(api, "--aggregate-uuid", "--member-of"),
            }
        }
        Ok(())
    };
    if failing {
        run_steps(api, steps)?;
        return Err(Error::other("invalid arguments"));
    }
    let resp = api.send(&call)?;
    run_steps(api, steps)?;
    let resp = ok(resp)?.json()?;
    let include_traits = api.at_least("1.17")?;
    let mut rp_resources: Map<String, Value> = Map::new();
    let mut rp_traits: Map<String, Value> = Map::new();
    for (rp, s) in resp["provider_summaries"].as_object().into_iter().flatten() {
        let r: Vec<String> = s["resources"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(rc, v)| format!("{rc}={}/{}", py_str(&v["used"]), py_str(&v["capacity"])))
            .collect();
        rp_resources.insert(rp.clone(), json!(r.join(",")));
        if include_traits {
            let t: Vec<String> = s["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(py_str)
                .collect();
            rp_traits.insert(rp.clone(), json!(t.join(",")));
        }
    }
    let summary = |m: &Map<String, Value>, rp: &str| -> Result<Value> {
        m.get(rp).cloned().ok_or_else(|| Error::other(py_repr(rp)))
    };
    let mut rows = Vec::new();
    let reqs = resp["allocation_requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (i, areq) in reqs.iter().enumerate() {
        if api.at_least("1.12")? {
            for (rp, res) in areq["allocations"].as_object().into_iter().flatten() {
                let req: Vec<String> = res["resources"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(rc, v)| format!("{rc}={}", py_str(v)))
                    .collect();
                let mut row = vec![json!(i + 1), json!(req.join(",")), json!(rp)];
                row.push(summary(&rp_resources, rp)?);
                if include_traits {
                    row.push(summary(&rp_traits, rp)?);
                }
                rows.push(row);
            }
        } else {
            for a in areq["allocations"].as_array().into_iter().flatten() {
                let rp = py_str(&a["resource_provider"]["uuid"]);
                let req: Vec<String> = a["resources"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(rc, v)| format!("{rc}={}", py_str(v)))
                    .collect();
                rows.push(vec![
                    json!(i + 1),
                    json!(req.join(",")),
                    json!(rp),
                    summary(&rp_resources, &rp)?,
                ]);
            }
        }
    }
    let mut fields = vec![
        "#",
        "allocation",
        "resource provider",
        "inventory used/capacity",
    ];
    if include_traits {
        fields.push("traits");
    }
    Ok(table(&fields, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn groups_follow_the_command_line() {
        let line = argv("osc allocation candidate list --resource VCPU=1 --group 1 --resource=MEMORY_MB=8 --required A --group 2 --resource DISK_GB=1 --forbidden B");
        let args = Args(
            json!({"resources": ["VCPU=1", "MEMORY_MB=8", "DISK_GB=1"], "required": ["A"],
                   "forbidden": ["B"], "group": ["1", "2"]})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
        let g = groups(&args, &line).ok().flatten().unwrap_or_default();
        let keys: Vec<&str> = g.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["", "1", "2"]);
        assert_eq!(g[1].1.resources, ["MEMORY_MB=8"]);
        assert_eq!(g[1].1.required, ["A"]);
        assert_eq!(g[2].1.forbidden, ["B"]);
    }

    #[test]
    fn a_repeated_group_starts_again() {
        let line = argv("x --group 1 --resource A=1 --group 1 --resource B=1");
        let args = Args(
            json!({"resources": ["A=1", "B=1"], "group": ["1", "1"]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        let g = groups(&args, &line).ok().flatten().unwrap_or_default();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].1.resources, ["B=1"]);
    }

    #[test]
    fn allocations_merge_per_provider() {
        let a = parse_allocations(&["rp=r1,VCPU=1".into(), "rp=r1,MEMORY_MB=8".into()])
            .unwrap_or_default();
        assert_eq!(Value::Object(a), json!({"r1": {"VCPU": 1, "MEMORY_MB": 8}}));
        let e = parse_allocations(&["rp=r1,VCPU=1".into(), "rp=r1,VCPU=2".into()]);
        assert_eq!(
            e.err().map(|e| e.to_string()).as_deref(),
            Some("Conflict detected for resource provider r1 resource class VCPU")
        );
        let e = parse_allocations(&["VCPU=1".into()]);
        assert_eq!(
            e.err().map(|e| e.to_string()).as_deref(),
            Some("Incorrect allocation string format")
        );
    }
}
