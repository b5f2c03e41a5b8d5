//! The designateclient commands that are not plain CRUD of one collection: zones (names
//! resolved with or without the final dot, tasks), recordsets within a zone, zone export and
//! import files, transfer requests and accepts, shares, quotas, limits and PTR records.

use crate::api::{self, call, request, seg, show, table, zone_id, Fmt};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

const ZONE_COLS: &[&str] = &["id", "name", "type", "serial", "status", "action"];
const ZONE_LONG: &[&str] = &["ttl", "pool_id", "email", "attributes", "masters"];
const RS_COLS: &[&str] = &["id", "name", "type", "records", "status", "action"];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "zone list" => zone_list(host, args),
        "zone show" => zone_path(host, args, "id", "")
            .and_then(|p| call(host, request("GET", p, args)))
            .map(|z| show(Fmt::Zone, z)),
        "zone create" => zone_create(host, args),
        "zone set" => zone_set(host, args),
        "zone delete" => zone_delete(host, args),
        "zone nameservers list" => zone_path(host, args, "id", "/nameservers")
            .and_then(|p| call(host, request("GET", p, args)))
            .map(|b| items(b, "nameservers"))
            .map(|n| table(Fmt::Plain, n, &["hostname", "priority"])),
        "zone abandon" => zone_task(host, args, "id", "abandon", None, "Z {} abandoned"),
        "zone axfr" => zone_task(host, args, "id", "xfr", None, "Scheduled AXFR for zone {}"),
        "zone move" => {
            let mut body = Map::new();
            if let Some(p) = args.str("pool_id").filter(|p| !p.is_empty()) {
                body.insert("pool_id".into(), json!(p));
            }
            let msg = "Scheduled move for zone {}";
            zone_task(host, args, "zone_id", "pool_move", Some(body), msg)
        }
        "zone export create" => zone_path(host, args, "zone_id", "/tasks/export")
            .and_then(|p| call(host, request("POST", p, args)))
            .map(|e| logged(host, "Zone Export {} was created", e))
            .map(|e| show(Fmt::Plain, e)),
        "zone export showfile" => export_file(host, args),
        "zone import create" => import_create(host, args),
        "zone transfer request create" => transfer_create(host, args),
        "zone transfer accept request" => {
            let body = json!({"key": args.str("key"),
                              "zone_transfer_request_id": args.str("transfer_id")});
            let req = request("POST", "/zones/tasks/transfer_accepts", args).json(body);
            call(host, req).map(|a| show(Fmt::Raw, a))
        }
        "zone share create" => zone_path(host, args, "zone", "/shares")
            .and_then(|p| {
                let body = json!({"target_project_id": args.str("target_project_id")});
                call(host, request("POST", p, args).json(body))
            })
            .map(|s| logged(host, "Zone {} was shared", s))
            .map(api::show_unsorted),
        "zone share list" => share_list(host, args),
        "zone share show" => zone_path(host, args, "zone", "/shares/")
            .and_then(|p| {
                let p = p + &seg(args.req("shared_zone_id")?);
                call(host, request("GET", p, args))
            })
            .map(api::show_unsorted),
        "zone share delete" => zone_path(host, args, "zone", "/shares/")
            .and_then(|p| {
                let p = p + &seg(args.req("shared_zone_id")?);
                call(host, request("DELETE", p, args))
            })
            .map(|_| Reply::None),
        "recordset list" => recordset_list(host, args),
        "recordset show" => recordset_path(host, args)
            .and_then(|p| call(host, request("GET", p, args)))
            .map(|r| show(Fmt::Recordset, r)),
        "recordset create" => recordset_create(host, args),
        "recordset set" => recordset_path(host, args).and_then(|p| {
            let body = crate::set_body(
                args,
                &[
                    ("description", "description"),
                    ("ttl", "ttl"),
                    ("record", "records"),
                ],
            );
            call(host, request("PUT", p, args).json(body)).map(|r| show(Fmt::Recordset, r))
        }),
        "recordset delete" => recordset_path(host, args)
            .and_then(|p| call(host, request("DELETE", p, args)))
            .map(|r| show(Fmt::Recordset, r)),
        "ptr record list" => api::list_all(host, args, "/reverse/floatingips", "floatingips", &[])
            .map(|f| table(Fmt::Plain, f, &["id", "ptrdname", "description", "ttl"])),
        "ptr record show" => ptr_path(args)
            .and_then(|p| call(host, request("GET", p, args)))
            .map(|f| show(Fmt::Plain, f)),
        "ptr record set" => ptr_set(host, args),
        "ptr record unset" => ptr_path(args)
            .and_then(|p| {
                call(
                    host,
                    request("PATCH", p, args).json(json!({"ptrdname": null})),
                )
            })
            .map(|_| Reply::None),
        "dns quota list" => quota_list(host, args),
        "dns quota set" => quota_set(host, args),
        "dns quota reset" => quota_project(host, args)
            .and_then(|(p, a)| call(host, request("DELETE", format!("/quotas/{}", seg(&p)), &a)))
            .map(|_| Reply::None),
        "dns limit list" => call(host, request("GET", "/limits", args)).map(|l| {
            let mut rows: Vec<Vec<Value>> = l
                .as_object()
                .map(|m| m.iter().map(|(k, v)| vec![json!(k), v.clone()]).collect())
                .unwrap_or_default();
            rows.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
            Reply::list(["Limit", "Value"]).rows(rows)
        }),
        _ => return None,
    })
}

fn items(mut body: Value, key: &str) -> Vec<Value> {
    match body.get_mut(key).map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

fn logged(host: &Host, msg: &str, obj: Value) -> Value {
    host.info(&msg.replace("{}", obj["id"].as_str().unwrap_or("")));
    obj
}

/// `/zones/<id><rest>` for the zone named by argument `arg`.
fn zone_path(host: &Host, args: &Args, arg: &str, rest: &str) -> Result<String> {
    let id = zone_id(host, args, args.req(arg)?)?;
    Ok(format!("/zones/{}{rest}", seg(&id)))
}

fn zone_list(host: &Host, args: &Args) -> Result<Reply> {
    let filters = ["type", "name", "ttl", "description", "email", "status"];
    let mut q = Vec::new();
    for f in filters {
        match args.value(f) {
            Some(Value::String(s)) => q.push((f.to_string(), s.clone())),
            Some(Value::Number(n)) => q.push((f.to_string(), n.to_string())),
            _ => {}
        }
    }
    let zones = api::list_all(host, args, "/zones", "zones", &q)?;
    let mut cols: Vec<&str> = ZONE_COLS.to_vec();
    if args.flag("long") {
        cols.extend(ZONE_LONG);
    }
    if args.flag("all_projects") {
        cols.insert(1, "project_id");
    }
    Ok(table(Fmt::Plain, zones, &cols))
}

/// A zone name as Designate stores it: fully qualified, with the final dot.
pub fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

fn zone_create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let ty = args.str("type").unwrap_or("PRIMARY");
    let mut body = Map::new();
    body.insert("name".into(), json!(fqdn(name)));
    body.insert("type".into(), json!(ty));
    if let Some(d) = args.str("description").filter(|d| !d.is_empty()) {
        body.insert("description".into(), json!(d));
    }
    if let Some(a) = api::attributes(args)? {
        body.insert("attributes".into(), a);
    }
    match ty {
        "PRIMARY" => {
            let email = args
                .str("email")
                .filter(|e| !e.is_empty())
                .ok_or_else(|| Error::Other("Zone type PRIMARY requires --email.".into()))?;
            body.insert("email".into(), json!(email));
            if let Some(t) = args.value("ttl") {
                body.insert("ttl".into(), t.clone());
            }
        }
        "SECONDARY" => {
            let masters = args.list("masters");
            if !masters.is_empty() {
                body.insert("masters".into(), json!(masters));
            }
        }
        other => {
            return Err(Error::Other(format!(
                "Type {other} is not supported. Please choose between PRIMARY or SECONDARY"
            )))
        }
    }
    let req = request("POST", "/zones", args).json(Value::Object(body));
    Ok(show(Fmt::Zone, call(host, req)?))
}

fn zone_set(host: &Host, args: &Args) -> Result<Reply> {
    let body = crate::set_body(
        args,
        &[
            ("email", "email"),
            ("ttl", "ttl"),
            ("description", "description"),
            ("masters", "masters"),
        ],
    );
    let p = zone_path(host, args, "id", "")?;
    Ok(show(
        Fmt::Zone,
        call(host, request("PATCH", p, args).json(body))?,
    ))
}

fn zone_delete(host: &Host, args: &Args) -> Result<Reply> {
    let p = zone_path(host, args, "id", "")?;
    let mut req = request("DELETE", p, args);
    if args.flag("delete_shares") {
        req = req.header("X-Designate-Delete-Shares", "true");
    }
    let z = call(host, req)?;
    host.info(&format!("Zone {} was deleted", args.req("id")?));
    Ok(show(Fmt::Zone, z))
}

fn zone_task(
    host: &Host,
    args: &Args,
    arg: &str,
    task: &str,
    body: Option<Map<String, Value>>,
    msg: &str,
) -> Result<Reply> {
    let p = zone_path(host, args, arg, &format!("/tasks/{task}"))?;
    let mut req = request("POST", p, args);
    if let Some(b) = body {
        req = req.json(Value::Object(b));
    }
    call(host, req)?;
    host.info(&msg.replace("{}", args.req(arg)?));
    Ok(Reply::None)
}

fn export_file(host: &Host, args: &Args) -> Result<Reply> {
    let p = format!(
        "/zones/tasks/exports/{}/export",
        seg(args.req("zone_export_id")?)
    );
    let mut resp = host.request(request("GET", p, args).header("Accept", "text/dns"))?;
    let text = resp.text()?;
    if !resp.is_success() {
        return Err(Error::Other(api::error_message(resp.status, &text)));
    }
    Ok(Reply::show().field("data", text))
}

fn import_create(host: &Host, args: &Args) -> Result<Reply> {
    let path = args.req("zone_file_path")?;
    let contents = std::fs::read_to_string(path).map_err(|e| {
        Error::Other(format!(
            "[Errno {}] {e}: '{path}'",
            e.raw_os_error().unwrap_or(0)
        ))
    })?;
    let req = request("POST", "/zones/tasks/imports", args);
    let req = match api::attributes(args)? {
        Some(a) => req.json(json!({"zonefile": contents, "attributes": a})),
        None => req.text(contents).content_type("text/dns"),
    };
    let imp = call(host, req)?;
    let imp = logged(host, "Zone Import {} was created", imp);
    Ok(show(Fmt::Plain, imp))
}

fn transfer_create(host: &Host, args: &Args) -> Result<Reply> {
    let p = zone_path(host, args, "zone_id", "/tasks/transfer_requests")?;
    let mut body = Map::new();
    body.insert(
        "target_project_id".into(),
        json!(args.str("target_project_id")),
    );
    if let Some(d) = args.str("description") {
        body.insert("description".into(), json!(d));
    }
    let req = request("POST", p, args).json(Value::Object(body));
    Ok(show(Fmt::Raw, call(host, req)?))
}

fn share_list(host: &Host, args: &Args) -> Result<Reply> {
    let p = zone_path(host, args, "zone", "/shares")?;
    let mut q = Vec::new();
    if let Some(t) = args.str("target_project_id") {
        q.push(("target_project_id".to_string(), t.to_string()));
    }
    let shares = api::list_all(host, args, &p, "shared_zones", &q)?;
    let mut cols = vec!["id", "zone_id", "target_project_id"];
    if args.flag("all_projects") {
        cols.insert(1, "project_id");
    }
    Ok(table(Fmt::Plain, shares, &cols))
}

/// The zone's and the recordset's IDs (names resolved: a recordset name without the final
/// dot is looked up as given, as designateclient does).
fn recordset_path(host: &Host, args: &Args) -> Result<String> {
    let zone = zone_id(host, args, args.req("zone_id")?)?;
    let rs_path = format!("/zones/{}/recordsets", seg(&zone));
    let given = args.req("id")?;
    let mut rs = api::resolve(host, args, &rs_path, "recordsets", given);
    if matches!(rs, Err(Error::NotFound(_))) && !given.ends_with('.') {
        // "www" within the zone: its full name.
        let zone_name = call(host, request("GET", format!("/zones/{}", seg(&zone)), args))?["name"]
            .as_str()
            .map(str::to_string);
        if let Some(z) = zone_name {
            if let Ok(id) =
                api::resolve(host, args, &rs_path, "recordsets", &format!("{given}.{z}"))
            {
                rs = Ok(id);
            }
        }
    }
    Ok(format!("{rs_path}/{}", seg(&rs?)))
}

fn recordset_list(host: &Host, args: &Args) -> Result<Reply> {
    let filters = [
        "type",
        "name",
        "data",
        "ttl",
        "description",
        "status",
        "action",
    ];
    let mut q = Vec::new();
    for f in filters {
        match args.value(f) {
            Some(Value::String(s)) => q.push((f.to_string(), s.clone())),
            Some(Value::Number(n)) => q.push((f.to_string(), n.to_string())),
            _ => {}
        }
    }
    let zone = args.req("zone_id")?;
    let mut cols: Vec<&str> = RS_COLS.to_vec();
    let rs = if zone == "all" {
        cols.insert(2, "zone_name");
        api::list_all(host, args, "/recordsets", "recordsets", &q)?
    } else {
        let id = zone_id(host, args, zone)?;
        let p = format!("/zones/{}/recordsets", seg(&id));
        api::list_all(host, args, &p, "recordsets", &q)?
    };
    if args.flag("all_projects") && rs.first().is_some_and(|r| r.get("project_id").is_some()) {
        cols.insert(1, "project_id");
    }
    if args.flag("long") {
        cols.extend(["ttl", "version", "description"]);
    }
    Ok(table(Fmt::Recordset, rs, &cols))
}

fn recordset_create(host: &Host, args: &Args) -> Result<Reply> {
    let records = args.list("record");
    if records.is_empty() {
        return Err(osc_plugin_sdk::verbs::usage(
            "one of the arguments --record is required",
        ));
    }
    let zone = args.req("zone_id")?;
    let mut name = args.req("name")?.to_string();
    let (zone_id, zone_name) = if api::is_uuid_like(zone) && name.ends_with('.') {
        (zone.to_string(), None)
    } else {
        let id = zone_id(host, args, zone)?;
        let z = call(host, request("GET", format!("/zones/{}", seg(&id)), args))?;
        (id, z["name"].as_str().map(str::to_string))
    };
    if !name.ends_with('.') {
        if let Some(z) = zone_name {
            name = format!("{name}.{z}");
        }
    }
    let mut body = Map::new();
    body.insert("name".into(), json!(name));
    body.insert("type".into(), json!(args.str("type")));
    body.insert("records".into(), json!(records));
    if let Some(t) = args.value("ttl") {
        body.insert("ttl".into(), t.clone());
    }
    if let Some(d) = args.str("description") {
        body.insert("description".into(), json!(d));
    }
    let p = format!("/zones/{}/recordsets", seg(&zone_id));
    let req = request("POST", p, args).json(Value::Object(body));
    Ok(show(Fmt::Recordset, call(host, req)?))
}

fn ptr_path(args: &Args) -> Result<String> {
    Ok(format!(
        "/reverse/floatingips/{}",
        seg(args.req("floatingip_id")?)
    ))
}

fn ptr_set(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    body.insert("ptrdname".into(), json!(args.req("ptrdname")?));
    // designateclient passes the arguments themselves: `--no-description` sends nothing.
    if let Some(d) = args.str("description") {
        body.insert("description".into(), json!(d));
    }
    if let Some(t) = args.value("ttl") {
        body.insert("ttl".into(), t.clone());
    }
    let req = request("PATCH", ptr_path(args)?, args).json(Value::Object(body));
    Ok(show(Fmt::Plain, call(host, req)?))
}

/// The token's project, when it can be told (the plugin does not see the token): the only
/// one `/v3/auth/projects` lists, else Neutron's answer to `GET /quotas/project`.
fn own_project(host: &Host) -> Option<String> {
    let get = |service: &str, path: &str| -> Option<Value> {
        let req = osc_plugin_sdk::Request::get(service, path);
        host.request(req).ok()?.ok().ok()?.json().ok()
    };
    if let Some(b) = get("identity", "/auth/projects") {
        if let Some([p]) = b["projects"].as_array().map(Vec::as_slice) {
            return p["id"].as_str().map(str::to_string);
        }
    }
    get("network", "/quotas/project")?["project"]["project_id"]
        .as_str()
        .map(str::to_string)
}

/// The project a quota change (`set`, `reset`) is about and the arguments its request uses,
/// as designateclient has it: `--project-id`, else the token's project; `X-Auth-All-Projects`
/// unless `--project-id` names the token's project (so always without it).
fn quota_project(host: &Host, args: &Args) -> Result<(String, Args)> {
    let own = own_project(host);
    let given = args.str("project_id").map(str::to_string);
    let mut a = args.clone();
    if given.is_none() || given != own {
        a.0.insert("all_projects".into(), json!(true));
    }
    let p = given
        .or(own)
        .ok_or_else(|| Error::Other("cannot tell the token's project: give --project-id".into()))?;
    Ok((p, a))
}

/// `dns quota list`: another project than the token's with `X-Auth-All-Projects`; without
/// `--project-id`, the token's project (`/quotas` answers for it).
fn quota_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = args.clone();
    let path = match args.str("project_id") {
        Some(p) => {
            if own_project(host).as_deref() != Some(p) {
                a.0.insert("all_projects".into(), json!(true));
            }
            format!("/quotas/{}", seg(p))
        }
        None => "/quotas".to_string(),
    };
    Ok(show(Fmt::Raw, call(host, request("GET", path, &a))?))
}

fn quota_set(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    for k in [
        "api_export_size",
        "recordset_records",
        "zone_records",
        "zone_recordsets",
        "zones",
    ] {
        if let Some(v) = args.value(k) {
            body.insert(k.into(), v.clone());
        }
    }
    let (p, a) = quota_project(host, args)?;
    let req = request("PATCH", format!("/quotas/{}", seg(&p)), &a).json(Value::Object(body));
    Ok(show(Fmt::Raw, call(host, req)?))
}
