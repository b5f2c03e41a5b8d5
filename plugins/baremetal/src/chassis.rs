//! `baremetal chassis …`, as python-ironicclient's `osc/v1/baremetal_chassis.py`.

use crate::columns::{CHASSIS_DETAILED_RESOURCE, CHASSIS_RESOURCE};
use crate::resource::{self, Detail, Spec};
use osc_plugin_sdk::{Args, Host, Map, Reply, Result};

const CHASSIS: Spec = Spec {
    noun: "chassis",
    path: "/chassis",
    key: "chassis",
    columns: CHASSIS_RESOURCE,
    detailed: CHASSIS_DETAILED_RESOURCE,
    detail: Detail::Path,
    hidden: &["links", "nodes"],
};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command.strip_prefix("baremetal chassis ")? {
        "list" => CHASSIS.list(host, args, Vec::new()),
        "show" => args
            .req("chassis")
            .and_then(|c| CHASSIS.show(host, args, c)),
        "create" => create(host, args),
        "delete" => CHASSIS.delete(host, &args.list("chassis")),
        "set" => set(host, args),
        "unset" => unset(host, args),
        _ => return None,
    })
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    resource::copy(
        &mut body,
        args,
        &[("description", "description"), ("uuid", "uuid")],
    );
    if let Some(e) = resource::kv_dict(args, "extra")? {
        body.insert("extra".into(), e);
    }
    CHASSIS.create(host, body)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let mut ops = Vec::new();
    if let Some(d) = args.str("description").filter(|d| !d.is_empty()) {
        ops.push(resource::add(&format!("description={d}"))?);
    }
    for e in args.list("extra") {
        ops.push(resource::add(&format!("extra/{e}"))?);
    }
    CHASSIS.patch(host, args.req("chassis")?, ops, "set")
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let mut ops = Vec::new();
    if args.flag("description") {
        ops.push(resource::remove("description"));
    }
    for e in args.list("extra") {
        ops.push(resource::remove(&format!("extra/{e}")));
    }
    CHASSIS.patch(host, args.req("chassis")?, ops, "unset")
}
