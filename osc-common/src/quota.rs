//! `quota list|show|set|delete`: compute (Nova), volume (Cinder) and network (Neutron)
//! quotas, shaped as OSC shapes them from openstacksdk's quota resources.

use crate::util::{
    get_mv, has_service, pinned_microversion, project_or_current, sdk_to_dict, send_mv, truthy,
    unwrap_key, Attr, PROJECT, PROJECTS,
};
use osc_core::resource::{encode_segment, id_of};
use osc_core::{log, Cell, Command, Context, Error, Method, Output, Result, Session, Table};
use serde_json::{json, Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Svc {
    Compute,
    Volume,
    Network,
}

use Svc::{Compute, Network, Volume};

/// Every quota OSC knows: the key the service uses, OSC's option (and display) name, and
/// the service. In OSC's order (COMPUTE_QUOTAS, VOLUME_QUOTAS, NETWORK_QUOTAS).
pub const QUOTAS: &[(&str, &str, Svc)] = &[
    ("cores", "cores", Compute),
    ("injected_file_content_bytes", "injected-file-size", Compute),
    ("injected_file_path_bytes", "injected-path-size", Compute),
    ("injected_files", "injected-files", Compute),
    ("instances", "instances", Compute),
    ("key_pairs", "key-pairs", Compute),
    ("metadata_items", "properties", Compute),
    ("ram", "ram", Compute),
    ("server_group_members", "server-group-members", Compute),
    ("server_groups", "server-groups", Compute),
    ("backups", "backups", Volume),
    ("backup_gigabytes", "backup-gigabytes", Volume),
    ("gigabytes", "gigabytes", Volume),
    ("groups", "groups", Volume),
    ("per_volume_gigabytes", "per-volume-gigabytes", Volume),
    ("snapshots", "snapshots", Volume),
    ("volumes", "volumes", Volume),
    ("floatingip", "floating-ips", Network),
    ("security_group_rule", "secgroup-rules", Network),
    ("security_group", "secgroups", Network),
    ("network", "networks", Network),
    ("subnet", "subnets", Network),
    ("port", "ports", Network),
    ("router", "routers", Network),
    ("router_route", "router-routes", Network),
    ("rbac_policy", "rbac-policies", Network),
    ("subnetpool", "subnetpools", Network),
];

/// Volume quotas that `--volume-type` turns into per-type quotas.
const VOLUME_TYPE_QUOTAS: &[&str] = &["gigabytes", "snapshots", "volumes"];

/// openstacksdk's compute `QuotaSet` attributes, in class order.
const COMPUTE_ATTRS: &[&str] = &[
    "cores",
    "fixed_ips",
    "floating_ips",
    "force",
    "injected_file_content_bytes",
    "injected_file_path_bytes",
    "injected_files",
    "instances",
    "key_pairs",
    "metadata_items",
    "networks",
    "ram",
    "security_group_rules",
    "security_groups",
    "server_groups",
    "server_group_members",
];

/// openstacksdk's block-storage `QuotaSet` attributes, in class order.
const VOLUME_ATTRS: &[&str] = &[
    "backup_gigabytes",
    "backups",
    "gigabytes",
    "groups",
    "per_volume_gigabytes",
    "snapshots",
    "volumes",
];

/// openstacksdk's network `Quota` attributes (Python name, Neutron key), in class order.
const NETWORK_ATTRS: &[Attr] = &[
    ("check_limit", "check_limit"),
    ("floating_ips", "floatingip"),
    ("health_monitors", "healthmonitor"),
    ("listeners", "listener"),
    ("load_balancers", "loadbalancer"),
    ("l7_policies", "l7policy"),
    ("networks", "network"),
    ("pools", "pool"),
    ("ports", "port"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("rbac_policies", "rbac_policy"),
    ("router_routes", "router_route"),
    ("routers", "router"),
    ("subnets", "subnet"),
    ("subnet_pools", "subnetpool"),
    ("security_group_rules", "security_group_rule"),
    ("security_groups", "security_group"),
];

/// Nova's and Cinder's quota microversion caps in openstacksdk.
const COMPUTE_QUOTA_MV: &str = "2.56";

fn quota_path(project: &str) -> String {
    format!("/os-quota-sets/{}", encode_segment(project))
}

/// openstacksdk's common `QuotaSet`: `{"limit", "in_use", "reserved"}` values split into
/// the limit and `usage`/`reservation` maps; every body key first, then the declared
/// attributes that were absent.
fn quota_set_dict(body: Map<String, Value>, declared: &[&str]) -> Map<String, Value> {
    let mut usage = Map::new();
    let mut reservation = Map::new();
    let mut rest = Map::new();
    for (k, v) in body {
        if k == "self" {
            continue;
        }
        match v {
            Value::Object(o) => {
                if let Some(u) = o.get("in_use") {
                    usage.insert(k.clone(), u.clone());
                }
                if let Some(r) = o.get("reserved") {
                    reservation.insert(k.clone(), r.clone());
                }
                if let Some(l) = o.get("limit") {
                    rest.insert(k, l.clone());
                }
            }
            other => {
                rest.insert(k, other);
            }
        }
    }
    let mut out = Map::new();
    out.insert("reservation".into(), Value::Object(reservation));
    out.insert("usage".into(), Value::Object(usage));
    out.extend(rest);
    for k in declared.iter().chain(["id", "name"].iter()) {
        if !out.contains_key(*k) {
            out.insert(k.to_string(), Value::Null);
        }
    }
    out
}

fn compute_quotas(
    s: &Session,
    project: &str,
    detail: bool,
    default: bool,
) -> Result<Map<String, Value>> {
    if !has_service(s, "compute")? {
        return Ok(Map::new());
    }
    let mv = s
        .microversion("compute", Some(COMPUTE_QUOTA_MV))?
        .unwrap_or_default();
    let base = quota_path(project);
    let path = if default {
        format!("{base}/defaults")
    } else if detail {
        format!("{base}/detail")
    } else {
        base
    };
    let body = get_mv(s, "compute", &path, &[], &mv)?;
    let mut d = quota_set_dict(unwrap_key(body, "quota_set"), COMPUTE_ATTRS);
    if !detail {
        d.shift_remove("usage");
        d.shift_remove("reservation");
    }
    Ok(d)
}

fn volume_quotas(
    s: &Session,
    project: &str,
    detail: bool,
    default: bool,
) -> Result<Map<String, Value>> {
    if !has_service(s, "block-storage")? {
        return Ok(Map::new());
    }
    let base = quota_path(project);
    let (path, q) = if default {
        (format!("{base}/defaults"), vec![])
    } else {
        (
            base,
            vec![(
                "usage".to_string(),
                if detail { "True" } else { "False" }.to_string(),
            )],
        )
    };
    let mv = pinned_microversion(s, "block-storage")?;
    let body = get_mv(s, "block-storage", &path, &q, &mv)?;
    let mut d = quota_set_dict(unwrap_key(body, "quota_set"), VOLUME_ATTRS);
    if !detail {
        d.shift_remove("usage");
        d.shift_remove("reservation");
    }
    Ok(d)
}

fn network_quotas(
    s: &Session,
    project: &str,
    detail: bool,
    default: bool,
) -> Result<Map<String, Value>> {
    if !has_service(s, "network")? {
        return Ok(Map::new());
    }
    let p = encode_segment(project);
    if default {
        let body = unwrap_key(s.get("network", &format!("/quotas/{p}/default"))?, "quota");
        return Ok(sdk_to_dict(&body, NETWORK_ATTRS));
    }
    if !detail {
        let mut body = unwrap_key(s.get("network", &format!("/quotas/{p}"))?, "quota");
        if !body.contains_key("id") {
            // openstacksdk fetched it by ID, so the resource carries it.
            body.insert("id".into(), Value::String(project.to_string()));
        }
        return Ok(sdk_to_dict(&body, NETWORK_ATTRS));
    }
    let body = unwrap_key(s.get("network", &format!("/quotas/{p}/details"))?, "quota");
    let data = sdk_to_dict(&body, NETWORK_ATTRS);
    let mut usage = Map::new();
    let mut reservation = Map::new();
    let mut out = Map::new();
    for (k, v) in data {
        if let Value::Object(o) = v {
            let get = |f: &str| o.get(f).cloned().unwrap_or(Value::Null);
            out.insert(k.clone(), get("limit"));
            reservation.insert(k.clone(), get("reserved"));
            usage.insert(k, get("used"));
        }
    }
    let mut result = Map::new();
    result.insert("usage".into(), Value::Object(usage));
    result.insert("reservation".into(), Value::Object(reservation));
    result.extend(out);
    Ok(result)
}

/// Renames service keys to OSC's names (`key_pairs` -> `key-pairs`), as OSC's
/// `_normalize_names` does: a renamed key moves to the end.
fn normalize_names(section: &mut Map<String, Value>) {
    for (k, v, _) in QUOTAS {
        if k != v && section.get(*k).is_some_and(|x| !x.is_null()) {
            if let Some(val) = section.shift_remove(*k) {
                section.insert(v.to_string(), val);
            }
        }
    }
}

fn take_map(m: &mut Map<String, Value>, key: &str) -> Map<String, Value> {
    match m.shift_remove(key) {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

/// Show quotas for project or class.
///
/// Specify ``--os-compute-api-version 2.50`` or higher to see ``server-groups`` and
/// ``server-group-members`` output for a given quota class.
#[derive(clap::Args)]
pub struct ShowQuota {
    /// Show quotas for this project (name or ID) (defaults to current project)
    #[arg(value_name = "project")]
    project: Option<String>,
    /// Show default quotas for <project>
    #[arg(long, conflicts_with = "usage")]
    default: bool,
    /// Show details about quotas usage
    #[arg(long)]
    usage: bool,
    /// Show quotas for all services
    #[arg(long, conflicts_with_all = ["compute", "volume", "network"])]
    all: bool,
    /// Show compute quota
    #[arg(long, conflicts_with_all = ["volume", "network"])]
    compute: bool,
    /// Show volume quota
    #[arg(long, conflicts_with = "network")]
    volume: bool,
    /// Show network quota
    #[arg(long)]
    network: bool,
}

impl Command for ShowQuota {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let project = project_or_current(s, self.project.as_deref())?;
        let all = !(self.compute || self.volume || self.network);
        let want = |explicit: bool, service: &str| -> Result<bool> {
            Ok(explicit || (all && has_service(s, service)?))
        };
        let (detail, default) = (self.usage, self.default);
        let mut compute = if want(self.compute, "compute")? {
            compute_quotas(s, &project, detail, default)?
        } else {
            Map::new()
        };
        let mut volume = if want(self.volume, "block-storage")? {
            volume_quotas(s, &project, detail, default)?
        } else {
            Map::new()
        };
        let mut network = if want(self.network, "network")? {
            network_quotas(s, &project, detail, default)?
        } else {
            Map::new()
        };

        let mut info = Map::new();
        let (mut usage, mut reservation) = (Map::new(), Map::new());
        if detail {
            for section in [&mut compute, &mut volume, &mut network] {
                reservation.extend(take_map(section, "reservation"));
                usage.extend(take_map(section, "usage"));
            }
            // Keypair usage is tracked per user, not per project.
            usage.insert("key_pairs".into(), json!("N/A"));
        }
        for section in [compute, volume, network] {
            info.extend(section);
        }
        normalize_names(&mut info);
        if detail {
            normalize_names(&mut reservation);
            normalize_names(&mut usage);
        }
        for k in ["id", "location", "name", "force"] {
            info.shift_remove(k);
        }

        let mut t = if detail {
            Table::new(["Resource", "Limit", "In Use", "Reserved"])
        } else {
            Table::new(["Resource", "Limit"])
        };
        for (k, v) in info {
            let row = if detail {
                let limit = if truthy(&v) { v } else { json!(0) };
                vec![
                    Cell::raw(k.clone()),
                    Cell::raw(limit),
                    Cell::raw(usage.get(&k).cloned().unwrap_or(json!(0))),
                    Cell::raw(reservation.get(&k).cloned().unwrap_or(json!(0))),
                ]
            } else {
                vec![Cell::raw(k), Cell::raw(v)]
            };
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// The columns of `quota list` per service: the service's key and OSC's header.
const LIST_COMPUTE: &[(&str, &str)] = &[
    ("cores", "Cores"),
    ("injected_files", "Injected Files"),
    ("injected_file_content_bytes", "Injected File Content Bytes"),
    ("injected_file_path_bytes", "Injected File Path Bytes"),
    ("instances", "Instances"),
    ("key_pairs", "Key Pairs"),
    ("metadata_items", "Metadata Items"),
    ("ram", "Ram"),
    ("server_groups", "Server Groups"),
    ("server_group_members", "Server Group Members"),
];
const LIST_VOLUME: &[(&str, &str)] = &[
    ("backups", "Backups"),
    ("backup_gigabytes", "Backup Gigabytes"),
    ("gigabytes", "Gigabytes"),
    ("groups", "Groups"),
    ("per_volume_gigabytes", "Per Volume Gigabytes"),
    ("snapshots", "Snapshots"),
    ("volumes", "Volumes"),
];
const LIST_NETWORK: &[(&str, &str)] = &[
    ("floatingip", "Floating IPs"),
    ("network", "Networks"),
    ("port", "Ports"),
    ("rbac_policy", "RBAC Policies"),
    ("router_route", "Router Routes"),
    ("router", "Routers"),
    ("security_group", "Security Groups"),
    ("security_group_rule", "Security Group Rules"),
    ("subnet", "Subnets"),
    ("subnetpool", "Subnet Pools"),
];

/// List quotas for all projects with non-default quota values.
///
/// Empty output means all projects are using default quotas, which can be inspected with
/// 'openstack quota show --default'.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("service").args(["compute", "volume", "network"])))]
pub struct ListQuota {
    /// List compute quota
    #[arg(long)]
    compute: bool,
    /// List volume quota
    #[arg(long)]
    volume: bool,
    /// List network quota
    #[arg(long)]
    network: bool,
}

impl Command for ListQuota {
    fn run(self, ctx: &Context) -> Result<Output> {
        if !(self.compute || self.volume || self.network) {
            return Err(Error::usage(
                "one of the arguments --compute --volume --network is required",
            ));
        }
        let s = ctx.session()?;
        let projects = PROJECT.list(s, &[])?;
        let (service, cols, skip): (&str, &[(&str, &str)], &[u16]) = if self.compute {
            ("compute", LIST_COMPUTE, &[400, 403, 404])
        } else if self.volume {
            ("block-storage", LIST_VOLUME, &[403, 404])
        } else {
            ("network", LIST_NETWORK, &[403, 404])
        };
        let mv = match service {
            "compute" => s
                .microversion(service, Some(COMPUTE_QUOTA_MV))?
                .unwrap_or_default(),
            "block-storage" => pinned_microversion(s, service)?,
            _ => String::new(),
        };
        let fetch = |path: String, key: &str| -> Result<Map<String, Value>> {
            Ok(unwrap_key(get_mv(s, service, &path, &[], &mv)?, key))
        };
        let mut t = Table::new(std::iter::once("Project ID").chain(cols.iter().map(|(_, h)| *h)));
        for p in &projects {
            let Some(pid) = id_of(p) else { continue };
            let seg = encode_segment(&pid);
            let (cur, def) = if service == "network" {
                (format!("/quotas/{seg}"), format!("/quotas/{seg}/default"))
            } else {
                (quota_path(&pid), format!("{}/defaults", quota_path(&pid)))
            };
            let key = if service == "network" {
                "quota"
            } else {
                "quota_set"
            };
            // A project deleted since the listing (between these two requests too) is
            // passed over with a warning.
            let gone =
                |e: &Error| e.status().is_some_and(|st| skip.contains(&st)) || e.is_not_found();
            let (current, defaults) = match fetch(cur, key).and_then(|c| Ok((c, fetch(def, key)?)))
            {
                Ok(both) => both,
                Err(e) if gone(&e) => {
                    log::warn(&format!("Project {pid} not found: {e}"));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let pick = |m: &Map<String, Value>| -> Vec<Value> {
                cols.iter()
                    .map(|(k, _)| match m.get(*k) {
                        Some(Value::Object(o)) => o.get("limit").cloned().unwrap_or(Value::Null),
                        Some(v) => v.clone(),
                        None => Value::Null,
                    })
                    .collect()
            };
            let values = pick(&current);
            if values != pick(&defaults) {
                let mut row = vec![Cell::raw(pid.clone())];
                row.extend(values.into_iter().map(Cell::raw));
                t.rows.push(row);
            }
        }
        Ok(Output::List(t))
    }
}

/// Set quotas for project or class.
pub struct SetQuota {
    project: Option<String>,
    class: bool,
    default: bool,
    /// (service key, option, service, value) for each quota given.
    values: Vec<(&'static str, &'static str, Svc, i64)>,
    volume_type: Option<String>,
    force: bool,
}

impl clap::FromArgMatches for SetQuota {
    fn from_arg_matches(m: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        let values = QUOTAS
            .iter()
            .filter_map(|(k, opt, svc)| m.get_one::<i64>(opt).map(|v| (*k, *opt, *svc, *v)))
            .collect();
        Ok(SetQuota {
            project: m.get_one::<String>("project").cloned(),
            class: m.get_flag("class"),
            default: m.get_flag("default"),
            values,
            volume_type: m.get_one::<String>("volume-type").cloned(),
            force: m.get_flag("force"),
        })
    }
    fn update_from_arg_matches(
        &mut self,
        m: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for SetQuota {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        use clap::{Arg, ArgAction};
        let flag = |id: &'static str, help: &'static str| {
            Arg::new(id).long(id).action(ArgAction::SetTrue).help(help)
        };
        let mut cmd = cmd
            .arg(
                Arg::new("project")
                    .value_name("project/class")
                    .help("Set quotas for this project or class (name or ID) (defaults to current project)"),
            )
            .arg(flag(
                "class",
                "**Deprecated** Set quotas for <class>. Deprecated as quota classes were never fully implemented and only the default class is supported. (compute and volume only)",
            ).conflicts_with("default"))
            .arg(flag("default", "Set default quotas for <project>"));
        for (_, opt, _) in QUOTAS {
            cmd = cmd.arg(
                Arg::new(*opt)
                    .long(*opt)
                    .value_name(*opt)
                    .allow_negative_numbers(true)
                    .value_parser(clap::value_parser!(i64))
                    .help(format!("New value for the {opt} quota")),
            );
        }
        cmd.arg(
            Arg::new("volume-type")
                .long("volume-type")
                .value_name("volume-type")
                .help("Set quotas for a specific <volume-type>"),
        )
        .arg(
            flag(
                "force",
                "Force quota update (only supported by compute and network)",
            )
            .conflicts_with_all(["no-force", "check-limit"]),
        )
        .arg(
            flag(
                "no-force",
                "Do not force quota update (only supported by compute and network) (default)",
            )
            .conflicts_with("check-limit"),
        )
        .arg(flag("check-limit", "").hide(true))
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl Command for SetQuota {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.class {
            log::warn(
                "The '--class' option has been deprecated. Quota classes were never fully implemented and the compute and volume services only support a single 'default' quota class while the network service does not support quota classes at all. Please use 'openstack quota set --default' instead.",
            );
        }
        if (self.class || self.default) && self.force {
            return Err(Error::cmd(
                "--force cannot be used with --class or --default",
            ));
        }
        let s = ctx.session()?;
        let kwargs = |svc: Svc| -> Map<String, Value> {
            self.values
                .iter()
                .filter(|(_, _, sv, _)| *sv == svc)
                .map(|(k, _, _, v)| {
                    let key = match &self.volume_type {
                        Some(t) if svc == Volume && VOLUME_TYPE_QUOTAS.contains(k) => {
                            format!("{k}_{t}")
                        }
                        _ => k.to_string(),
                    };
                    (key, json!(v))
                })
                .collect()
        };
        let compute_on = has_service(s, "compute")?;
        let volume_on = has_service(s, "block-storage")?;
        let network_on = has_service(s, "network")?;
        let mut compute = if compute_on {
            kwargs(Compute)
        } else {
            Map::new()
        };
        if !compute.is_empty() && self.force {
            compute.insert("force".into(), json!(true));
        }
        let volume = if volume_on {
            kwargs(Volume)
        } else {
            Map::new()
        };
        let mut network = if network_on {
            kwargs(Network)
        } else {
            Map::new()
        };
        if !network.is_empty() {
            if self.force {
                network.insert("force".into(), json!(true));
            } else {
                network.insert("check_limit".into(), json!(true));
            }
        }
        let compute_mv = || -> Result<String> {
            Ok(s.microversion("compute", Some(COMPUTE_QUOTA_MV))?
                .unwrap_or_default())
        };
        let volume_mv = || pinned_microversion(s, "block-storage");

        if self.class || self.default {
            let class = encode_segment(self.project.as_deref().unwrap_or("default"));
            let path = format!("/os-quota-class-sets/{class}");
            if !compute.is_empty() {
                let body = json!({ "quota_class_set": compute });
                send_mv(s, Method::PUT, "compute", &path, Some(body), &compute_mv()?)?;
            }
            if !volume.is_empty() {
                let body = json!({ "quota_class_set": volume });
                send_mv(
                    s,
                    Method::PUT,
                    "block-storage",
                    &path,
                    Some(body),
                    &volume_mv()?,
                )?;
            }
            if !network.is_empty() {
                eprint!("Network quotas are ignored since quota classes are not supported.");
            }
            return Ok(Output::None);
        }

        let project = project_or_current(s, self.project.as_deref())?;
        if !compute.is_empty() {
            let body = json!({ "quota_set": compute });
            send_mv(
                s,
                Method::PUT,
                "compute",
                &quota_path(&project),
                Some(body),
                &compute_mv()?,
            )?;
        }
        if !volume.is_empty() {
            let body = json!({ "quota_set": volume });
            send_mv(
                s,
                Method::PUT,
                "block-storage",
                &quota_path(&project),
                Some(body),
                &volume_mv()?,
            )?;
        }
        if !network.is_empty() {
            let path = format!("/quotas/{}", encode_segment(&project));
            s.put("network", &path, json!({ "quota": network }))?;
        }
        Ok(Output::None)
    }
}

/// Delete configured quota for a project and revert to defaults.
#[derive(clap::Args)]
pub struct DeleteQuota {
    /// Delete quotas for this project (name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Delete project quotas for all services (default)
    #[arg(long, conflicts_with_all = ["compute", "volume", "network"])]
    all: bool,
    /// Delete compute quotas for the project (including network quotas when using nova-network)
    #[arg(long, conflicts_with_all = ["volume", "network"])]
    compute: bool,
    /// Delete volume quotas for the project
    #[arg(long, conflicts_with = "network")]
    volume: bool,
    /// Delete network quotas for the project
    #[arg(long)]
    network: bool,
}

impl Command for DeleteQuota {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let project = PROJECTS.id(s, &self.project, None)?;
        let all = !(self.compute || self.volume || self.network);
        if self.compute || (all && has_service(s, "compute")?) {
            let mv = s
                .microversion("compute", Some(COMPUTE_QUOTA_MV))?
                .unwrap_or_default();
            send_mv(
                s,
                Method::DELETE,
                "compute",
                &quota_path(&project),
                None,
                &mv,
            )?;
        }
        if self.volume || (all && has_service(s, "block-storage")?) {
            let mv = pinned_microversion(s, "block-storage")?;
            send_mv(
                s,
                Method::DELETE,
                "block-storage",
                &quota_path(&project),
                None,
                &mv,
            )?;
        }
        if (all || self.network) && has_service(s, "network")? {
            s.delete("network", &format!("/quotas/{}", encode_segment(&project)))?;
        }
        Ok(Output::None)
    }
}

/// The names OSC shows for a service's quota keys (for callers and tests).
pub fn option_for(key: &str) -> Option<&'static str> {
    QUOTAS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, o, _)| *o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_sets_split_usage_and_keep_body_order() {
        let body = json!({"id": "p", "ram": {"limit": 10, "in_use": 2, "reserved": 0}, "cores": 4});
        let d = quota_set_dict(
            body.as_object().cloned().unwrap(),
            &["cores", "fixed_ips", "ram"],
        );
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "reservation",
                "usage",
                "id",
                "ram",
                "cores",
                "fixed_ips",
                "name"
            ]
        );
        assert_eq!(d["ram"], json!(10));
        assert_eq!(d["usage"]["ram"], json!(2));
    }

    #[test]
    fn normalized_names_move_to_the_end() {
        let mut m = json!({"key_pairs": 1, "cores": 2, "metadata_items": null})
            .as_object()
            .cloned()
            .unwrap();
        normalize_names(&mut m);
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys, ["cores", "metadata_items", "key-pairs"]);
    }

    #[test]
    fn set_options_come_from_the_table() {
        use clap::{Args, FromArgMatches};
        let cmd = SetQuota::augment_args(clap::Command::new("quota set").no_binary_name(true));
        let m = cmd
            .clone()
            .try_get_matches_from([
                "--cores",
                "5",
                "--gigabytes",
                "-1",
                "--floating-ips",
                "3",
                "p",
            ])
            .unwrap();
        let q = SetQuota::from_arg_matches(&m).unwrap();
        assert_eq!(q.project.as_deref(), Some("p"));
        let got: Vec<(&str, i64)> = q.values.iter().map(|(k, _, _, v)| (*k, *v)).collect();
        assert_eq!(got, [("cores", 5), ("gigabytes", -1), ("floatingip", 3)]);
        assert!(cmd
            .clone()
            .try_get_matches_from(["--force", "--no-force"])
            .is_err());
        assert!(cmd.try_get_matches_from(["--ram", "lots"]).is_err());
    }

    #[test]
    fn the_option_table_has_every_osc_option_once() {
        let mut opts: Vec<&str> = QUOTAS.iter().map(|(_, o, _)| *o).collect();
        assert_eq!(opts.len(), 27);
        opts.sort();
        opts.dedup();
        assert_eq!(opts.len(), 27);
        assert_eq!(option_for("floatingip"), Some("floating-ips"));
    }
}
