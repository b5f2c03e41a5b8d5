//! A template osc plugin: one command that lists Neutron networks through the host.

use osc_plugin_sdk::{export_plugin, json, Args, Host, Reply, Request, Result, Value};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    match command {
        "hello network list" => network_list(host, args),
        other => Err(format!("hello: unknown command {other}").into()),
    }
}

fn network_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = Request::get("network", "/networks");
    if let Some(n) = args.str("name") {
        req = req.query("name", n);
    }
    // The host adds the endpoint, token and retries; `ok()` turns an error status into a
    // one-line error with the service's message.
    let body = host.request(req)?.ok()?.json()?;
    let mut columns = vec!["ID", "Name", "Subnets"];
    if args.flag("long") {
        columns.push("Status");
    }
    let rows = body["networks"]
        .as_array()
        .ok_or("unexpected answer from Neutron")?
        .iter()
        .map(|n| {
            let mut row = vec![n["id"].clone(), n["name"].clone(), n["subnets"].clone()];
            if args.flag("long") {
                row.push(n.get("status").cloned().unwrap_or(Value::Null));
            }
            row
        })
        .collect();
    host.debug(&format!("listed networks with {}", json!(columns)));
    Ok(Reply::list(columns).rows(rows).style("Subnets", "list"))
}

export_plugin!(manifest: "../manifest.json", handler: run);
