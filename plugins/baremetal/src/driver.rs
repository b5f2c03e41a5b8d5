//! `baremetal driver list|show`, as python-ironicclient's `osc/v1/baremetal_driver.py`.

use crate::columns::{DRIVER_DETAILED_RESOURCE, DRIVER_RESOURCE, PASSTHRU_FIELDS};
use crate::fields;
use crate::MAX_MICROVERSION;
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{Args, Host, Reply, Request, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "baremetal driver list" => list(host, args),
        "baremetal driver show" => show(host, args),
        "baremetal driver property list" => properties(host, args, "properties"),
        "baremetal driver raid property list" => {
            properties(host, args, "raid/logical_disk_properties")
        }
        "baremetal driver passthru list" => get(host, args, "vendor_passthru/methods")
            .map(|m| crate::node_ops::passthru_methods(&m, PASSTHRU_FIELDS)),
        "baremetal driver passthru call" => passthru_call(host, args),
        _ => return None,
    })
}

/// ironicclient's `convert_list_props_to_comma_separated`: lists shown as "a, b".
fn commas(mut v: Value) -> Value {
    if let Some(m) = v.as_object_mut() {
        for val in m.values_mut() {
            if let Value::Array(a) = val {
                let s: Vec<String> = a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .collect();
                *val = Value::String(s.join(", "));
            }
        }
    }
    v
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = Request::get("baremetal", "/drivers").max_microversion(MAX_MICROVERSION);
    if let Some(t) = args.str("type") {
        req = req.query("type", t);
    }
    let columns: Vec<String> = if args.flag("long") {
        req = req.query("detail", "True");
        DRIVER_DETAILED_RESOURCE
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else if let Some(f) = fields::selected(args) {
        req = req.query("fields", f.join(","));
        f
    } else {
        DRIVER_RESOURCE.iter().map(|s| s.to_string()).collect()
    };
    let body = host.request(req)?.ok()?.json()?;
    let mut drivers: Vec<Value> = body["drivers"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(commas)
        .collect();
    fields::sort(&mut drivers, Some("name"))?;
    Ok(fields::table(&drivers, &columns))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("driver")?;
    let mut req = Request::get("baremetal", format!("/drivers/{}", encode_segment(name)))
        .max_microversion(MAX_MICROVERSION);
    if let Some(f) = fields::selected(args) {
        req = req.query("fields", f.join(","));
    }
    let mut d = host.request(req)?.ok()?.json()?;
    if let Some(m) = d.as_object_mut() {
        m.remove("links");
        m.remove("properties");
    }
    Ok(osc_plugin_sdk::verbs::sorted_reply(&commas(d), &[], &[]))
}

/// `GET /drivers/<driver>/<sub>`.
fn get(host: &Host, args: &Args, sub: &str) -> Result<Value> {
    let path = format!("/drivers/{}/{sub}", encode_segment(args.req("driver")?));
    host.request(Request::get("baremetal", path).max_microversion(MAX_MICROVERSION))?
        .ok()?
        .json()
}

/// A driver's (RAID logical disk) properties: `property`, `description`, sorted.
fn properties(host: &Host, args: &Args, sub: &str) -> Result<Reply> {
    let props = get(host, args, sub)?;
    let mut rows: Vec<Vec<Value>> = props
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| vec![Value::String(k.clone()), v.clone()])
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
    Ok(Reply::list(["property", "description"]).rows(rows))
}

/// `driver passthru call`: the answer's fields.
fn passthru_call(host: &Host, args: &Args) -> Result<Reply> {
    let path = format!(
        "/drivers/{}/vendor_passthru/{}",
        encode_segment(args.req("driver")?),
        encode_segment(args.req("method")?)
    );
    let answer = crate::node_ops::passthru(host, args, path)?;
    Ok(match answer {
        Some(v @ Value::Object(_)) => osc_plugin_sdk::verbs::sorted_reply(&v, &[], &[]),
        Some(other) => Reply::show().field("result", other),
        None => Reply::show(),
    })
}
