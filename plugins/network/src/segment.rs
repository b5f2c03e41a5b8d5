//! `network segment` and `network segment range`, as OSC's `network_segment.py` and
//! `network_segment_range.py`.

use crate::common::NETWORKS;
use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Error, Host, Map, Reply, Request, Resource, Result, Value};

const SEGMENTS: Resource = Resource::new(NET, "/segments", "segment", "segments").sdk("Segment");
const RANGES: Resource = Resource::new(
    NET,
    "/network_segment_ranges",
    "network_segment_range",
    "network_segment_ranges",
)
.sdk("NetworkSegmentRange");

const SEGMENT_SHOW: &[Col] = &[
    col("description", "description"),
    col("id", "id"),
    col("name", "name"),
    col("network_id", "network_id"),
    col("network_type", "network_type"),
    col("physical_network", "physical_network"),
    col("segmentation_id", "segmentation_id"),
];
/// Fields OSC hides (the SDK's `location` is never in a body).
const HIDDEN: &[&str] = &["tenant_id"];
const SEGMENT_LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Network", "network_id"),
    col("Network Type", "network_type"),
    col("Segment", "segmentation_id"),
];
const SEGMENT_LONG: &[Col] = &[col("Physical Network", "physical_network")];

/// Shown after [`with_ranges`]: `available` as ranges, `used` as project: ranges.
const RANGE_SHOW: &[Col] = &[
    col("available", "available"),
    col("default", "default"),
    col("id", "id"),
    col("maximum", "maximum"),
    col("minimum", "minimum"),
    col("name", "name"),
    col("network_type", "network_type"),
    col("physical_network", "physical_network"),
    col("project_id", "project_id"),
    col("shared", "shared"),
    col("used", "used"),
];
const RANGE_LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Default", "default"),
    col("Shared", "shared"),
    col("Project ID", "project_id"),
    col("Network Type", "network_type"),
    col("Physical Network", "physical_network"),
    col("Minimum ID", "minimum"),
    col("Maximum ID", "maximum"),
];
const RANGE_LONG: &[Col] = &[col("Used", "used"), col("Available", "available")];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network segment create" => create_segment(host, args),
        "network segment delete" => delete_segments(host, args),
        "network segment list" => list_segments(host, args),
        "network segment set" => set_segment(host, args),
        "network segment show" => show_segment(host, args),
        "network segment range create" => create_range(host, args),
        "network segment range delete" => delete_ranges(host, args),
        "network segment range list" => list_ranges(host, args),
        "network segment range set" => set_range(host, args),
        "network segment range show" => show_range(host, args),
        _ => return None,
    })
}

fn create_segment(host: &Host, args: &Args) -> Result<Reply> {
    let network = NETWORKS.find_id(host, args.req("network")?)?;
    let body = Body::new()
        .arg("name", args, "name")
        .set("network_id", network)
        .arg("network_type", args, "network_type")
        .arg("description", args, "description")
        .arg("physical_network", args, "physical_network")
        .opt("segmentation_id", args.int("segment")?);
    let obj = common::sdk_create(
        host,
        &SEGMENTS,
        common::with_extra_properties(body, args)?.into_value(),
    )?;
    Ok(common::sdk_show(&obj, SEGMENT_SHOW, HIDDEN))
}

fn delete_segments(host: &Host, args: &Args) -> Result<Reply> {
    let names = args.list("network_segment");
    common::delete_each(
        host,
        &names,
        "network segment with ID",
        "network segments",
        |n| {
            let id = SEGMENTS.find_id(host, n)?;
            common::sdk_delete(host, &SEGMENTS, &id)
        },
    )
}

fn list_segments(host: &Host, args: &Args) -> Result<Reply> {
    let mut query = Vec::new();
    if let Some(n) = args.str("network").filter(|n| !n.is_empty()) {
        query.push(("network_id".to_string(), NETWORKS.find_id(host, n)?));
    }
    let cols = if args.flag("long") {
        [SEGMENT_LIST, SEGMENT_LONG].concat()
    } else {
        SEGMENT_LIST.to_vec()
    };
    common::list_paged(host, &SEGMENTS, args, query, &cols)
}

fn set_segment(host: &Host, args: &Args) -> Result<Reply> {
    let id = SEGMENTS.find_id(host, args.req("network_segment")?)?;
    let body = Body::new()
        .arg("description", args, "description")
        .arg("name", args, "name");
    common::sdk_update(
        host,
        &SEGMENTS,
        &id,
        common::with_extra_properties(body, args)?.into_value(),
    )?;
    Ok(Reply::None)
}

fn show_segment(host: &Host, args: &Args) -> Result<Reply> {
    let obj = SEGMENTS.find(host, args.req("network_segment")?)?;
    Ok(common::sdk_show(&obj, SEGMENT_SHOW, HIDDEN))
}

/// OSC's check that Neutron has network segment ranges, before each range command.
fn require_ranges(host: &Host, what: &str) -> Result<()> {
    let alias = "network-segment-range";
    let resp = host.request(Request::get(NET, format!("/extensions/{alias}")))?;
    if resp.is_success() {
        return Ok(());
    }
    let e = match resp.status {
        404 => format!("No Extension found for {alias}"),
        _ => resp.ok().err().map(|e| e.to_string()).unwrap_or_default(),
    };
    Err(Error::other(format!(
        "Network segment range{what} not supported by Network API: {e}"
    )))
}

/// Sorted IDs as runs: `[1, 2, 3, 7]` is `["1-3", "7"]` (OSC's `_get_ranges`).
fn ranges(ids: &[i64]) -> Vec<Value> {
    let mut ids = ids.to_vec();
    ids.sort();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        while i + 1 < ids.len() && ids[i + 1] - ids[i] == 1 {
            i += 1;
        }
        let end = ids[i];
        out.push(Value::String(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        }));
        i += 1;
    }
    out
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_i64().or_else(|| x.as_str()?.parse().ok()))
                .collect()
        })
        .unwrap_or_default()
}

/// `available` as ranges and `used` (segmentation ID: project) as project: ranges.
fn with_ranges(mut obj: Value) -> Value {
    let available = ranges(&ints(&obj["available"]));
    let mut by_project: Vec<(String, Vec<i64>)> = Vec::new();
    if let Some(used) = obj["used"].as_object() {
        for (id, project) in used {
            let project = project.as_str().unwrap_or_default().to_string();
            let id: i64 = id.parse().unwrap_or_default();
            match by_project.iter_mut().find(|(p, _)| *p == project) {
                Some((_, ids)) => ids.push(id),
                None => by_project.push((project, vec![id])),
            }
        }
    }
    let used: Map<String, Value> = by_project
        .into_iter()
        .map(|(p, ids)| (p, Value::from(ranges(&ids))))
        .collect();
    if let Some(m) = obj.as_object_mut() {
        m.insert("available".into(), Value::from(available));
        m.insert("used".into(), Value::Object(used));
    }
    obj
}

fn create_range(host: &Host, args: &Args) -> Result<Reply> {
    require_ranges(host, " create")?;
    let private = args.flag("private");
    if !private && args.has("project") {
        return Err(verbs::usage("--project is only allowed with --private"));
    }
    let network_type = args.req("network_type")?;
    if !network_type.eq_ignore_ascii_case("vlan") && args.has("physical_network") {
        return Err(verbs::usage(
            "--physical-network is only allowed with --network-type vlan",
        ));
    }
    let shared = args.flag("shared") || !private;
    let mut body = Body::new()
        .set("shared", shared)
        .set("network_type", network_type)
        .opt("minimum", args.int("minimum")?)
        .opt("maximum", args.int("maximum")?)
        .opt("name", args.str("name").filter(|n| !n.is_empty()));
    if let Some(p) = common::project(host, args)? {
        body = body.set("project_id", p);
    } else if !shared {
        body = body.set("project_id", common::token_project(host)?);
    }
    let body = body.opt(
        "physical_network",
        args.str("physical_network").filter(|p| !p.is_empty()),
    );
    let obj = common::sdk_create(
        host,
        &RANGES,
        common::with_extra_properties(body, args)?.into_value(),
    )?;
    Ok(common::sdk_show(&with_ranges(obj), RANGE_SHOW, HIDDEN))
}

fn delete_ranges(host: &Host, args: &Args) -> Result<Reply> {
    require_ranges(host, " delete")?;
    let names = args.list("network_segment_range");
    let what = "network segment range with ID";
    common::delete_each(host, &names, what, "network segment ranges", |n| {
        let id = RANGES.find_id(host, n)?;
        common::sdk_delete(host, &RANGES, &id)
    })
}

/// Whether a range's `field` is empty (no IDs), as OSC's `_is_prop_empty`.
fn empty(obj: &Value, field: &str) -> bool {
    match &obj[field] {
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

fn list_ranges(host: &Host, args: &Args) -> Result<Reply> {
    require_ranges(host, "s list")?;
    let (query, max) = common::paging(args)?;
    let filtered = ["available", "unavailable", "used", "unused"]
        .iter()
        .any(|f| args.flag(f));
    let long = args.flag("long") || filtered;
    let items: Vec<Value> = common::list_max(host, &RANGES, &query, max)?
        .into_iter()
        .filter(|r| {
            !((args.flag("available") && empty(r, "available"))
                || (args.flag("unavailable") && !empty(r, "available"))
                || (args.flag("used") && empty(r, "used"))
                || (args.flag("unused") && !empty(r, "used")))
        })
        .map(|r| if long { with_ranges(r) } else { r })
        .collect();
    let cols = if long {
        [RANGE_LIST, RANGE_LONG].concat()
    } else {
        RANGE_LIST.to_vec()
    };
    Ok(verbs::list_reply(&items, &cols))
}

fn set_range(host: &Host, args: &Args) -> Result<Reply> {
    require_ranges(host, " set")?;
    // OSC tests these for truth: 0 counts as not given.
    let minimum = args.int("minimum")?.filter(|m| *m != 0);
    let maximum = args.int("maximum")?.filter(|m| *m != 0);
    if minimum.is_some() != maximum.is_some() {
        return Err(verbs::usage("--minimum and --maximum are both required"));
    }
    let id = RANGES.find_id(host, args.req("network_segment_range")?)?;
    let body = Body::new()
        .opt("name", args.str("name").filter(|n| !n.is_empty()))
        .opt("minimum", minimum)
        .opt("maximum", maximum);
    common::sdk_update(
        host,
        &RANGES,
        &id,
        common::with_extra_properties(body, args)?.into_value(),
    )?;
    Ok(Reply::None)
}

fn show_range(host: &Host, args: &Args) -> Result<Reply> {
    require_ranges(host, " show")?;
    let obj = RANGES.find(host, args.req("network_segment_range")?)?;
    Ok(common::sdk_show(&with_ranges(obj), RANGE_SHOW, HIDDEN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use osc_plugin_sdk::json;

    #[test]
    fn ids_become_runs() {
        assert_eq!(ranges(&[7, 1, 3, 2]), vec![json!("1-3"), json!("7")]);
        assert_eq!(ranges(&[]), Vec::<Value>::new());
    }

    #[test]
    fn used_is_grouped_by_project() {
        let r = with_ranges(json!({"available": [5, 6], "used": {"1": "p", "2": "p", "4": "q"}}));
        assert_eq!(r["available"], json!(["5-6"]));
        assert_eq!(r["used"], json!({"p": ["1-2"], "q": ["4"]}));
    }
}

#[cfg(test)]
mod fake_host_tests {
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
    use osc_plugin_sdk::{json, Value};

    fn host() -> FakeHost {
        let mut h = FakeHost::new();
        h.route(
            "GET",
            "network",
            "/extensions/network-segment-range",
            |_| {
                FakeResponse::json(
                    200,
                    json!({"extension": {"alias": "network-segment-range"}}),
                )
            },
        );
        h.route("GET", "network", "/quotas/project", |_| {
            FakeResponse::json(200, json!({"project": {"project_id": "me"}}))
        });
        h.route("POST", "network", "/network_segment_ranges", |r| {
            let mut obj = r.json.clone().unwrap()["network_segment_range"].clone();
            obj["available"] = json!([1, 2, 3]);
            obj["used"] = json!({});
            FakeResponse::json(201, json!({"network_segment_range": obj}))
        });
        h
    }

    fn run(h: &mut FakeHost, cmd: &str, args: Value) -> Result<Value, (i32, String)> {
        h.invoke(crate::osc_plugin_entry_v1, cmd, args)
    }

    fn sent(h: &FakeHost) -> Value {
        h.requests.last().unwrap().json.clone().unwrap()["network_segment_range"].clone()
    }

    #[test]
    fn ranges_are_shared_unless_private_for_the_token_project() {
        let mut h = host();
        let base = json!({"name": "r", "network_type": "vxlan", "minimum": 1, "maximum": 3});
        let out = run(&mut h, "network segment range create", base.clone()).unwrap();
        assert_eq!(sent(&h)["shared"], true);
        assert_eq!(sent(&h).get("project_id"), None);
        let fields = out["show"]["fields"].as_array().unwrap();
        assert!(fields.contains(&json!(["available", ["1-3"]])));
        let mut private = base;
        private["private"] = json!(true);
        run(&mut h, "network segment range create", private).unwrap();
        assert_eq!(sent(&h)["shared"], false);
        assert_eq!(sent(&h)["project_id"], "me");
    }

    #[test]
    fn argument_checks() {
        let mut h = host();
        let args = json!({"name": "r", "network_type": "vxlan", "minimum": 1, "maximum": 3, "project": "p"});
        let e = run(&mut h, "network segment range create", args).unwrap_err();
        assert_eq!(e.1, "--project is only allowed with --private");
        let args = json!({"name": "r", "network_type": "vxlan", "minimum": 1, "maximum": 3, "physical_network": "x"});
        let e = run(&mut h, "network segment range create", args).unwrap_err();
        assert_eq!(
            e.1,
            "--physical-network is only allowed with --network-type vlan"
        );
        let e = run(
            &mut h,
            "network segment range set",
            json!({"network_segment_range": "r", "minimum": 4}),
        )
        .unwrap_err();
        assert_eq!(e.1, "--minimum and --maximum are both required");
    }

    #[test]
    fn without_the_extension() {
        let mut h = FakeHost::new();
        let e = run(&mut h, "network segment range list", json!({})).unwrap_err();
        assert_eq!(
            e.1,
            "Network segment ranges list not supported by Network API: No Extension found for network-segment-range"
        );
    }
}
