//! Inventories of resource providers (`inventory.py`).

use crate::api::{seg, Api, Call};
use crate::{props, record, table};
use osc_plugin_sdk::{json, Args, Error, Map, Reply, Result, Value};

/// `INVENTORY_FIELDS`, in osc-placement's order.
pub const FIELDS: &[&str] = &[
    "allocation_ratio",
    "min_unit",
    "max_unit",
    "reserved",
    "step_size",
    "total",
];

fn rp_path(uuid: &str) -> String {
    format!("/resource_providers/{}", seg(uuid))
}

/// Python's `int(value)`, with its error.
pub fn py_int(v: &str) -> Result<i64> {
    let t = v.trim().replace('_', "");
    t.parse::<i64>().map_err(|_| {
        Error::other(format!(
            "invalid literal for int() with base 10: {}",
            crate::api::py_repr(v)
        ))
    })
}

/// Python's `float(value)`, with its error.
pub fn py_float(v: &str) -> Result<f64> {
    v.trim().parse::<f64>().map_err(|_| {
        Error::other(format!(
            "could not convert string to float: {}",
            crate::api::py_repr(v)
        ))
    })
}

/// `parse_resource_argument`: `CLASS=value` (the total) or `CLASS:field=value`.
pub fn parse_resource(resource: &str) -> Result<(String, String, Value)> {
    let parts: Vec<&str> = resource.split('=').collect();
    if parts.len() != 2 {
        return Err(Error::other(
            "Resource argument must have \"name=value\" format",
        ));
    }
    let (name, value) = (parts[0], parts[1]);
    let np: Vec<&str> = name.split(':').collect();
    let (name, field) = match np.as_slice() {
        [n, f] => (*n, *f),
        [n] => (*n, "total"),
        _ => return Err(Error::other("Resource argument can contain only one colon")),
    };
    if name.is_empty() || field.is_empty() || value.is_empty() {
        return Err(Error::other("Name, field and value must be not empty"));
    }
    if !FIELDS.contains(&field) {
        return Err(Error::other(format!("Unknown inventory field {field}")));
    }
    let value = if field == "allocation_ratio" {
        json!(py_float(value)?)
    } else {
        json!(py_int(value)?)
    };
    Ok((name.to_string(), field.to_string(), value))
}

/// Rows of `fields` (`resource_class` first) over `{"inventories": {class: {...}}}`.
fn rows(fields: &[&str], resources: &Value, rp: Option<&str>) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    for (k, v) in resources["inventories"].as_object().into_iter().flatten() {
        let mut inv = Map::new();
        inv.insert("resource_class".into(), json!(k));
        for (f, x) in v.as_object().into_iter().flatten() {
            inv.insert(f.clone(), x.clone());
        }
        let mut row = Vec::new();
        if let Some(rp) = rp {
            row.push(json!(rp));
        }
        row.extend(props(&Value::Object(inv), fields));
        out.push(row);
    }
    out
}

pub fn set(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let aggregate = args.flag("aggregate");
    let rps: Vec<Value> = if aggregate {
        let call = Call::get("/resource_providers").query("member_of", uuid);
        let v = api.get_checked(&call, |api| api.require("1.3"))?;
        let rps = v["resource_providers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if rps.is_empty() {
            return Err(Error::other(format!(
                "No resource providers found in aggregate with uuid {uuid}."
            )));
        }
        rps
    } else {
        vec![api.json(&Call::get(rp_path(uuid)))?]
    };
    let resources_arg = args.list("resource");
    let mut done: Vec<(String, Value)> = Vec::new();
    let mut failed = 0;
    for rp in &rps {
        let rp_uuid = rp["uuid"].as_str().unwrap_or_default().to_string();
        let url = format!("{}/inventories", rp_path(&rp_uuid));
        let mut payload = if args.flag("amend") {
            let mut p = api.json(&Call::get(url.clone()))?;
            if !p["inventories"].is_object() {
                p["inventories"] = json!({});
            }
            p
        } else {
            json!({"inventories": {}, "resource_provider_generation": rp["generation"]})
        };
        for r in &resources_arg {
            let (name, field, value) = parse_resource(r)?;
            let inv = &mut payload["inventories"][&name];
            if !inv.is_object() {
                *inv = json!({});
            }
            inv[&field] = value;
        }
        let result = if args.flag("dry_run") {
            Ok(payload)
        } else {
            api.json(&Call::new("PUT", url).json(payload))
        };
        match result {
            Ok(r) => done.push((rp_uuid, r)),
            Err(e) if aggregate => {
                api.host.warn(&format!(
                    "Failed to set inventory for resource provider {rp_uuid}: {e}."
                ));
                failed += 1;
            }
            Err(e) => return Err(e),
        }
    }
    if failed > 0 {
        return Err(Error::other(format!(
            "Failed to set inventory for {failed} of {} resource providers.",
            rps.len()
        )));
    }
    let mut fields = vec!["resource_class"];
    fields.extend(FIELDS);
    if aggregate {
        let mut all = Vec::new();
        for (rp, r) in &done {
            all.extend(rows(&fields, r, Some(rp)));
        }
        let mut f = vec!["resource_provider"];
        f.extend(fields);
        Ok(table(&f, all))
    } else {
        let first = done.first().map(|(_, r)| r.clone()).unwrap_or_default();
        Ok(table(&fields, rows(&fields, &first, None)))
    }
}

pub fn class_set(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let class = args.req("resource_class")?;
    let ratio = match args.str("allocation_ratio") {
        Some(r) => Some(py_float(r).map_err(|_| {
            Error::other(format!(
                "argument --allocation_ratio: invalid float value: {}",
                crate::api::py_repr(r)
            ))
        })?),
        None => None,
    };
    let rp = api.json(&Call::get(rp_path(uuid)))?;
    let mut payload = json!({"resource_provider_generation": rp["generation"]});
    for f in FIELDS {
        if *f == "allocation_ratio" {
            if let Some(r) = ratio {
                payload[*f] = json!(r);
            }
        } else if let Some(v) = args.int(f)? {
            payload[*f] = json!(v);
        }
    }
    let path = format!("{}/inventories/{}", rp_path(uuid), seg(class));
    let v = api.json(&Call::new("PUT", path).json(payload))?;
    Ok(record(FIELDS, &v))
}

pub fn delete(api: &Api, args: &Args) -> Result<Reply> {
    api.version()?;
    let uuid = args.req("uuid")?;
    let class = args.str("resource_class");
    if class.is_none() && !api.at_least("1.5")? {
        return Err(Error::other(
            "the following arguments are required: --resource-class",
        ));
    }
    let path = match class {
        Some(c) => format!("{}/inventories/{}", rp_path(uuid), seg(c)),
        None => format!("{}/inventories", rp_path(uuid)),
    };
    api.call(&Call::new("DELETE", path))?;
    Ok(Reply::None)
}

fn used(usages: &Value, class: &str) -> Result<Value> {
    usages["usages"]
        .get(class)
        .cloned()
        .ok_or_else(|| Error::other(crate::api::py_repr(class)))
}

pub fn show(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let class = args.req("resource_class")?;
    let path = format!("{}/inventories/{}", rp_path(uuid), seg(class));
    let mut inv = api.json(&Call::get(path))?;
    let usages = api.json(&Call::get(format!("{}/usages", rp_path(uuid))))?;
    inv["used"] = used(&usages, class)?;
    let mut f = FIELDS.to_vec();
    f.push("used");
    Ok(record(&f, &inv))
}

pub fn list(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let mut invs = api.json(&Call::get(format!("{}/inventories", rp_path(uuid))))?;
    let usages = api.json(&Call::get(format!("{}/usages", rp_path(uuid))))?;
    if let Some(m) = invs["inventories"].as_object_mut() {
        for (class, inv) in m.iter_mut() {
            inv["used"] = used(&usages, class)?;
        }
    }
    let mut fields = vec!["resource_class"];
    fields.extend(FIELDS);
    fields.push("used");
    Ok(table(&fields, rows(&fields, &invs, None)))
}
