//! `database instance …`: python-troveclient's database_instances commands.

use crate::api::{self, BACKUPS, INSTANCES, MODULES};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

const LIST: &[&str] = &[
    "ID",
    "Name",
    "Datastore",
    "Datastore Version",
    "Status",
    "Operating Status",
    "Public",
    "Addresses",
    "Flavor ID",
    "Size",
    "Role",
];
const ADMIN_EXTRA: &[&str] = &["Server ID", "Tenant ID"];

/// `get_instances_info`: the row fields of a listed instance.
fn list_info(v: Value) -> Value {
    let mut m = api::fields(v);
    m.insert(
        "flavor_id".into(),
        m.get("flavor").map(|f| f["id"].clone()).unwrap_or_default(),
    );
    let size = m
        .get("volume")
        .map(|v| v["size"].clone())
        .unwrap_or(json!("-"));
    m.insert("size".into(), size);
    let role = if m.contains_key("replicas") {
        "primary"
    } else if m.contains_key("replica_of") {
        "replica"
    } else {
        ""
    };
    m.insert("role".into(), json!(role));
    if let Some(ds) = m.get("datastore").cloned() {
        if ds.get("version").is_some_and(|v| !v.is_null() && v != "") {
            m.insert("datastore_version".into(), ds["version"].clone());
        }
        m.insert("datastore".into(), ds["type"].clone());
    }
    if let Some(access) = m.get("access").cloned() {
        m.insert(
            "public".into(),
            access.get("is_public").cloned().unwrap_or(json!(false)),
        );
    }
    m.entry("addresses").or_insert(json!(""));
    m.entry("operating_status").or_insert(json!(""));
    Value::Object(m)
}

/// `set_attributes_for_print_detail`: an instance as `show` and `create` print it.
pub fn detail(v: Value) -> Value {
    let mut m = api::fields(v);
    let flavor = m.get("flavor").map(|f| f["id"].clone());
    if let Some(f) = flavor {
        m.insert("flavor".into(), f);
    }
    if let Some(vol) = m.get("volume").cloned() {
        m.insert("volume".into(), vol["size"].clone());
        if let Some(used) = vol.get("used") {
            m.insert("volume_used".into(), used.clone());
        }
    }
    if let Some(Value::Array(ips)) = m.get("ip") {
        let joined: Vec<String> = ips.iter().map(api::text).collect();
        m.insert("ip".into(), json!(joined.join(", ")));
    }
    if let Some(ds) = m.get("datastore").cloned() {
        m.insert("datastore".into(), ds["type"].clone());
        m.insert("datastore_version".into(), ds["version"].clone());
        m.insert(
            "datastore_version_number".into(),
            ds.get("version_number").cloned().unwrap_or(Value::Null),
        );
    }
    for key in ["configuration", "replica_of"] {
        if let Some(c) = m.get(key).cloned() {
            m.insert(key.into(), c["id"].clone());
        }
    }
    if let Some(Value::Array(r)) = m.get("replicas") {
        let ids: Vec<String> = r.iter().map(|x| api::text(&x["id"])).collect();
        m.insert("replicas".into(), json!(ids.join(", ")));
    }
    if let Some(n) = m.get("networks").cloned() {
        m.insert("networks".into(), n["name"].clone());
        m.insert("networks_id".into(), n["id"].clone());
    }
    if let Some(f) = m.remove("fault") {
        m.insert("fault".into(), f["message"].clone());
        m.insert("fault_date".into(), f["created"].clone());
        if f.get("details").is_some_and(|d| !d.is_null() && d != "") {
            m.insert("fault_details".into(), f["details"].clone());
        }
    }
    if let Some(a) = m.remove("access") {
        m.insert(
            "public".into(),
            a.get("is_public").cloned().unwrap_or(json!(false)),
        );
        m.insert(
            "allowed_cidrs".into(),
            a.get("allowed_cidrs").cloned().unwrap_or(json!([])),
        );
    }
    m.remove("links");
    Value::Object(m)
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let admin = args.flag("all_projects") || args.has("project_id");
    let mut query = vec![(
        "include_clustered".to_string(),
        if args.flag("include_clustered") || args.flag("include_clustered_") {
            "True"
        } else {
            "False"
        }
        .to_string(),
    )];
    let path = if admin {
        // troveclient's management list asks for the instances not deleted.
        query.push(("deleted".into(), "False".into()));
        if let Some(p) = args.str("project_id") {
            query.push(("project_id".into(), p.into()));
        }
        "/mgmt/instances"
    } else {
        "/instances"
    };
    let items = api::paginated(host, path, "instances", &query, args)?;
    let rows: Vec<Value> = items.into_iter().map(list_info).collect();
    let mut cols = LIST.to_vec();
    if admin {
        cols.extend_from_slice(ADMIN_EXTRA);
    }
    Ok(api::table(&cols, &rows))
}

/// `--nic net-id=..,subnet-id=..,ip-address=..`.
fn nic(spec: &str) -> Result<Value> {
    let mut m = Map::new();
    for field in spec.split(',') {
        let Some((k, v)) = field.trim().split_once('=') else {
            return Err(Error::other(format!(
                "Invalid --nic value '{spec}': expected key=value pairs"
            )));
        };
        let key = match k.trim() {
            "net-id" => "network_id",
            "subnet-id" => "subnet_id",
            "ip-address" => "ip_address",
            other => return Err(Error::other(format!("{other} is not allowed."))),
        };
        if !v.trim().is_empty() {
            m.insert(key.into(), json!(v.trim()));
        }
    }
    Ok(Value::Object(m))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let replica_of = args.str("replica_of");
    let flavor = args.str("flavor");
    if replica_of.is_none() && flavor.is_none() {
        return Err(Error::other("Please specify a flavor"));
    }
    if replica_of.is_some() && flavor.is_some() {
        host.warn("Warning: Flavor is ignored for creating replica.");
    }
    let mut b = Map::new();
    b.insert("name".into(), json!(args.req("name")?));
    if let (None, Some(f)) = (replica_of, flavor) {
        b.insert("flavorRef".into(), api::flavor_ref(host, f)?);
    }
    match args.int("size")? {
        Some(s) if s <= 0 => {
            return Err(Error::other(format!(
                "Volume size '{s}' must be an integer and greater than 0."
            )))
        }
        Some(s) => {
            b.insert(
                "volume".into(),
                json!({"size": s, "type": args.str("volume_type")}),
            );
        }
        None => {}
    }
    let dbs = args.list("databases");
    let databases = api::names(&dbs);
    if !dbs.is_empty() {
        b.insert("databases".into(), databases.clone());
    }
    let mut users = Vec::new();
    for u in args.list("users") {
        let mut parts = u.split(':');
        let (Some(n), Some(p)) = (parts.next(), parts.next()) else {
            return Err(Error::other(format!(
                "Invalid --users value '{u}': expected <user:password>"
            )));
        };
        users.push(json!({"name": n, "password": p, "databases": databases}));
    }
    if !users.is_empty() {
        b.insert("users".into(), Value::Array(users));
    }
    if let Some(bk) = args.str("backup") {
        let id = api::find_id(host, &BACKUPS, bk)?;
        b.insert("restorePoint".into(), json!({"backupRef": id}));
    }
    if let Some(az) = args.str("availability_zone") {
        b.insert("availability_zone".into(), json!(az));
    }
    let mut ds = Map::new();
    for (arg, key) in [
        ("datastore", "type"),
        ("datastore_version", "version"),
        ("datastore_version_number", "version_number"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            ds.insert(key.into(), json!(v));
        }
    }
    if !ds.is_empty() {
        b.insert("datastore".into(), Value::Object(ds));
    }
    if let Some(n) = args.str("nic") {
        b.insert("nics".into(), json!([nic(n)?]));
    }
    if let Some(c) = args.str("configuration").filter(|c| !c.is_empty()) {
        b.insert("configuration".into(), json!(c));
    }
    let mut count = args.int("replica_count")?;
    if let Some(r) = replica_of {
        let id = api::find_id(host, &INSTANCES, r)?;
        b.insert("replica_of".into(), json!(id));
        count = Some(count.filter(|c| *c != 0).unwrap_or(1));
    }
    if let Some(c) = count.filter(|c| *c != 0) {
        b.insert("replica_count".into(), json!(c));
    }
    let modules: Vec<Value> = args
        .list("module")
        .iter()
        .map(|m| api::find_id(host, &MODULES, m).map(|id| json!({"id": id})))
        .collect::<Result<_>>()?;
    if !modules.is_empty() {
        b.insert("modules".into(), Value::Array(modules));
    }
    if let Some(l) = args.str("locality") {
        if replica_of.is_some() {
            return Err(Error::other(
                "Cannot specify locality when adding replicas to existing master.",
            ));
        }
        b.insert("locality".into(), json!(l));
    }
    if let Some(r) = args.str("region").filter(|r| !r.is_empty()) {
        b.insert("region_name".into(), json!(r));
    }
    let mut access = json!({"is_public": args.flag("is_public")});
    let cidrs = args.list("allowed_cidr");
    if !cidrs.is_empty() {
        access["allowed_cidrs"] = json!(cidrs);
    }
    b.insert("access".into(), access);
    let created = api::call(host, "POST", "/instances", Some(json!({"instance": b})))?;
    Ok(api::record(&detail(api::member(created, "instance")?)))
}

/// `Instances.update`: a PUT of the instance's changed members.
pub fn update_body(
    configuration: Option<&str>,
    remove_configuration: bool,
    name: Option<&str>,
    detach: bool,
    public: Option<bool>,
    cidrs: Option<Vec<String>>,
) -> Result<Value> {
    if configuration.is_some_and(|c| !c.is_empty()) && remove_configuration {
        return Err(Error::other(
            "Cannot attach and detach configuration simultaneously.",
        ));
    }
    let mut b = Map::new();
    if remove_configuration {
        b.insert("configuration".into(), Value::Null);
    }
    if let Some(c) = configuration {
        b.insert("configuration".into(), json!(c));
    }
    if let Some(n) = name {
        b.insert("name".into(), json!(n));
    }
    if detach {
        b.insert("replica_of".into(), Value::Null);
    }
    if public.is_some() || cidrs.is_some() {
        let mut a = Map::new();
        if let Some(p) = public {
            a.insert("is_public".into(), json!(p));
        }
        if let Some(c) = cidrs {
            a.insert("allowed_cidrs".into(), json!(c));
        }
        b.insert("access".into(), Value::Object(a));
    }
    Ok(json!({ "instance": b }))
}

pub fn put(host: &Host, id: &str, body: Value) -> Result<Reply> {
    api::call(host, "PUT", format!("/instances/{id}"), Some(body))?;
    Ok(Reply::None)
}

fn update(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::ref_id(host, &INSTANCES, args.req("instance")?)?;
    let public = if args.flag("is_public") {
        Some(true)
    } else if args.flag("is_private") {
        Some(false)
    } else {
        None
    };
    let cidrs = args.has("allowed_cidr").then(|| args.list("allowed_cidr"));
    let body = update_body(
        args.str("configuration"),
        args.flag("remove_configuration") || args.flag("remove_configuration_"),
        args.str("name"),
        args.flag("detach_replica_source") || args.flag("detach_replica_source_"),
        public,
        cidrs,
    )?;
    put(host, &id, body)
}

fn instance_action(host: &Host, args: &Args, verb: &str, arg: Value) -> Result<Reply> {
    let id = api::find_id(host, &INSTANCES, args.req("instance")?)?;
    api::action(host, format!("/instances/{id}/action"), verb, arg)?;
    Ok(Reply::None)
}

fn mgmt_action(host: &Host, args: &Args, verb: &str, arg: Value) -> Result<Reply> {
    let id = api::ref_id(host, &INSTANCES, args.req("instance")?)?;
    api::action(host, format!("/mgmt/instances/{id}/action"), verb, arg)?;
    Ok(Reply::None)
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let ids = api::deleter_ids(
        host,
        &INSTANCES,
        "database instance",
        &args.list("instance"),
    )?;
    let force = args.flag("force");
    api::delete_each(host, "database instance", &ids, |id| {
        if force {
            api::action(
                host,
                format!("/instances/{id}/action"),
                "reset_status",
                json!({}),
            )?;
        }
        api::call(host, "DELETE", format!("/instances/{id}"), None).map(drop)
    })
}

fn force_delete(host: &Host, args: &Args) -> Result<Reply> {
    let given = args.req("instance")?;
    let id = api::find_id(host, &INSTANCES, given)?;
    api::action(
        host,
        format!("/instances/{id}/action"),
        "reset_status",
        json!({}),
    )?;
    let r = api::call(host, "DELETE", format!("/instances/{id}"), None);
    api::wrap(r, format!("Failed to delete instance {given}"))?;
    Ok(Reply::None)
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let verb = command.strip_prefix("database instance ")?;
    Some(match verb {
        "list" => list(host, args),
        "show" => show(host, args),
        "create" => create(host, args),
        "delete" => delete(host, args),
        "force delete" => force_delete(host, args),
        "update" => update(host, args),
        "reset status" => instance_action(host, args, "reset_status", json!({})),
        "restart" => instance_action(host, args, "restart", json!({})),
        "promote" => instance_action(host, args, "promote_to_replica_source", json!({})),
        "eject" => instance_action(host, args, "eject_replica_source", json!({})),
        "resize volume" => match args.int("size") {
            Ok(size) => instance_action(host, args, "resize", json!({"volume": {"size": size}})),
            Err(e) => Err(e),
        },
        "resize flavor" => resize_flavor(host, args),
        "upgrade" => upgrade(host, args),
        "detach" => api::find_id(host, &INSTANCES, args.req("instance").unwrap_or_default())
            .and_then(|id| {
                let body = update_body(None, false, None, true, None, None)?;
                put(host, &id, body)
            }),
        "reboot" => mgmt_action(host, args, "reboot", json!({})),
        "rebuild" => match args.req("image") {
            Ok(image) => mgmt_action(host, args, "rebuild", json!({ "image_id": image })),
            Err(e) => Err(e),
        },
        _ => return None,
    })
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let inst = api::find(host, &INSTANCES, args.req("instance")?)?;
    Ok(api::record(&detail(inst)))
}

fn resize_flavor(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::ref_id(host, &INSTANCES, args.req("instance")?)?;
    let flavor = api::flavor_ref(host, args.req("flavor")?)?;
    api::action(
        host,
        format!("/instances/{id}/action"),
        "resize",
        json!({ "flavorRef": flavor }),
    )?;
    Ok(Reply::None)
}

fn upgrade(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::find_id(host, &INSTANCES, args.req("instance")?)?;
    let v = args.req("datastore_version")?;
    api::call(
        host,
        "PATCH",
        format!("/instances/{id}"),
        Some(json!({"instance": {"datastore_version": v}})),
    )?;
    Ok(Reply::None)
}
