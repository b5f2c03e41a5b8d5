//! `baremetal driver list|show`, as python-ironicclient's `osc/v1/baremetal_driver.py`.

use crate::columns::{DRIVER_DETAILED_RESOURCE, DRIVER_RESOURCE};
use crate::fields;
use crate::MAX_MICROVERSION;
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{Args, Host, Reply, Request, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "baremetal driver list" => list(host, args),
        "baremetal driver show" => show(host, args),
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
