//! `project cleanup`: find (and delete) a project's servers, server groups, backups,
//! snapshots, volumes, images, floating IPs, security groups, networks with their
//! subnets, ports and routers, containers and objects — openstacksdk's `project_cleanup`, service by service in
//! its dependency order (compute first).

use crate::util::{has_service, PROJECTS};
use osc_core::config::{Origin, Sourced};
use osc_core::resource::{encode_segment, id_of, list_all};
use osc_core::session::SessionOptions;
use osc_core::wait::{Poll, Wait};
use osc_core::{log, Cell, Command, Context, Error, Kind, Output, Result, Session, Table};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

/// Clean resources associated with a project
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("target").args(["auth_project", "project"])))]
pub struct ProjectCleanup {
    /// List a project's resources but do not delete them
    #[arg(long, conflicts_with = "auto_approve")]
    dry_run: bool,
    /// Delete resources without asking for confirmation
    #[arg(long)]
    auto_approve: bool,
    /// Delete resources of the project used to authenticate
    #[arg(long)]
    auth_project: bool,
    /// Project to clean (name or ID)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Only delete resources created before the given time
    #[arg(long, value_name = "YYYY-MM-DDTHH24:MI:SS")]
    created_before: Option<String>,
    /// Only delete resources updated before the given time
    #[arg(long, value_name = "YYYY-MM-DDTHH24:MI:SS")]
    updated_before: Option<String>,
    /// Skip cleanup of specific resource (repeat if necessary)
    #[arg(long, value_name = "resource")]
    skip_resource: Vec<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
}

/// Parses an ISO 8601 time as `iso8601.parse_date` accepts it (UTC when no offset).
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let full = match s.len() {
        10 => format!("{s}T00:00:00"),
        16 => format!("{s}:00"),
        _ => s.replace(' ', "T"),
    };
    osc_core::time::parse_rfc3339(&full)
}

/// How long to wait for a deletion before moving on, as openstacksdk's default.
const WAIT: Duration = Duration::from_secs(120);

struct Cleanup<'a> {
    s: &'a Session,
    project_id: String,
    dry_run: bool,
    created_before: Option<i64>,
    updated_before: Option<i64>,
    skip: Vec<String>,
    /// IDs of resources found for deletion (openstacksdk's `identified_resources`).
    identified: HashSet<String>,
    /// (type, ID, name) of everything found, in order.
    found: Vec<(&'static str, Value, Value)>,
}

fn s_of(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

impl Cleanup<'_> {
    fn skipped(&self, service: &str, resource: &str) -> bool {
        let name = format!("{service}.{resource}");
        let skip = self.skip.contains(&name);
        if skip {
            log::debug(&format!("Skipping resource {name} in project cleanup"));
        }
        skip
    }

    /// openstacksdk's filter evaluation: every given time filter must match.
    fn matches_filters(&self, obj: &Value) -> bool {
        let check = |field: &str, limit: Option<i64>| match limit {
            None => true,
            Some(limit) => obj
                .get(field)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .and_then(parse_time)
                .is_some_and(|t| t <= limit),
        };
        check("created_at", self.created_before) && check("updated_at", self.updated_before)
    }

    fn record(&mut self, ty: &'static str, obj: &Value, name_field: &str) {
        self.found.push((
            ty,
            obj.get("id").cloned().unwrap_or(Value::Null),
            obj.get(name_field).cloned().unwrap_or(Value::Null),
        ));
    }

    /// Records a resource found for deletion and deletes it unless this is a dry run.
    /// Returns whether it was to be deleted.
    fn del_res(
        &mut self,
        ty: &'static str,
        obj: &Value,
        name_field: &str,
        decide: Option<bool>,
        service: &str,
        path: &str,
    ) -> bool {
        let need = decide.unwrap_or_else(|| self.matches_filters(obj));
        if !need {
            return false;
        }
        self.record(ty, obj, name_field);
        if let Some(id) = id_of(obj) {
            self.identified.insert(id);
        }
        if !self.dry_run {
            if let Err(e) = self.s.delete(service, path) {
                log::warn(&format!(
                    "Cannot delete resource {ty} {}: {e}",
                    s_of(obj, "id")
                ));
            }
        }
        true
    }

    /// Waits (quietly, every 2 s) until `path` is gone, deleted or in error, as openstacksdk's
    /// cleanup; a timeout is only a warning, and another error ends the wait.
    fn wait_deleted(&self, service: &str, path: &str) {
        let r: osc_core::Result<()> = Wait::new(path)
            .timeout(WAIT)
            .interval(Duration::from_secs(2), Duration::from_secs(2))
            .quiet()
            .poll(|| match self.s.get(service, path) {
                Err(e) if e.is_not_found() => Ok(Poll::Done(())),
                Err(e) => {
                    log::debug(&format!("Waiting for {path} to go: {e}"));
                    Ok(Poll::Done(()))
                }
                Ok(v) => {
                    let status = v
                        .as_object()
                        .and_then(|m| m.values().next())
                        .map(|o| s_of(o, "status").to_ascii_lowercase())
                        .unwrap_or_default();
                    if status == "deleted" || status.starts_with("error") {
                        Ok(Poll::Done(()))
                    } else {
                        Ok(Poll::pending(status))
                    }
                }
            });
        if r.is_err() {
            log::warn(&format!("Timeout waiting for {path} to be deleted"));
        }
    }

    fn list(&self, service: &str, path: &str, key: &str, q: &[(&str, &str)]) -> Result<Vec<Value>> {
        let q: Vec<(String, String)> = q
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        list_all(self.s, service, path, key, &q)
    }

    fn compute(&mut self) -> Result<()> {
        if self.skipped("compute", "server") {
            return Ok(());
        }
        let mut deleted = Vec::new();
        for srv in self.list("compute", "/servers/detail", "servers", &[])? {
            let id = s_of(&srv, "id");
            let path = format!("/servers/{}", encode_segment(&id));
            if self.del_res("Server", &srv, "name", None, "compute", &path) && !self.dry_run {
                // Its ports go with it: tell the network cleanup.
                if has_service(self.s, "network")? {
                    for p in self.list("network", "/ports", "ports", &[("device_id", &id)])? {
                        if let Some(pid) = id_of(&p) {
                            self.identified.insert(pid);
                        }
                    }
                }
                deleted.push(path);
            }
        }
        for path in deleted {
            self.wait_deleted("compute", &path);
        }
        for g in self.list("compute", "/os-server-groups", "server_groups", &[])? {
            let has_members = g
                .get("members")
                .and_then(Value::as_array)
                .is_some_and(|m| !m.is_empty());
            if has_members {
                continue;
            }
            let path = format!("/os-server-groups/{}", encode_segment(&s_of(&g, "id")));
            self.del_res("ServerGroup", &g, "name", None, "compute", &path);
        }
        Ok(())
    }

    fn block_storage(&mut self) -> Result<()> {
        const BS: &str = "block-storage";
        if !self.skipped("block_storage", "backup") {
            if self.dry_run {
                for b in self.list(BS, "/backups", "backups", &[])? {
                    let path = format!("/backups/{}", encode_segment(&s_of(&b, "id")));
                    self.del_res("Backup", &b, "name", None, BS, &path);
                }
            } else {
                // Dependent backups block their parents: newest first, a few rounds.
                for _ in 0..10 {
                    let mut again = false;
                    let mut gone = Vec::new();
                    let q = [("sort_key", "created_at"), ("sort_dir", "desc")];
                    for b in self.list(BS, "/backups/detail", "backups", &q)? {
                        if b.get("has_dependent_backups").and_then(Value::as_bool) == Some(true) {
                            again = true;
                            continue;
                        }
                        let path = format!("/backups/{}", encode_segment(&s_of(&b, "id")));
                        if self.del_res("Backup", &b, "name", None, BS, &path) {
                            gone.push(path);
                        }
                    }
                    for p in gone {
                        self.wait_deleted(BS, &p);
                    }
                    if !again {
                        break;
                    }
                }
            }
        }
        if !self.skipped("block_storage", "snapshot") {
            let mut gone = Vec::new();
            for snap in self.list(BS, "/snapshots", "snapshots", &[])? {
                let path = format!("/snapshots/{}", encode_segment(&s_of(&snap, "id")));
                if self.del_res("Snapshot", &snap, "name", None, BS, &path) && !self.dry_run {
                    gone.push(path);
                }
            }
            for p in gone {
                self.wait_deleted(BS, &p);
            }
        }
        if !self.skipped("block_storage", "volume") {
            for v in self.list(BS, "/volumes/detail", "volumes", &[])? {
                let path = format!("/volumes/{}", encode_segment(&s_of(&v, "id")));
                self.del_res("Volume", &v, "name", None, BS, &path);
            }
        }
        Ok(())
    }

    fn image(&mut self) -> Result<()> {
        if self.skipped("image", "image") {
            return Ok(());
        }
        let owner = self.project_id.clone();
        for img in self.list("image", "/images", "images", &[("owner", &owner)])? {
            let path = format!("/images/{}", encode_segment(&s_of(&img, "id")));
            self.del_res("Image", &img, "name", None, "image", &path);
        }
        Ok(())
    }

    fn network(&mut self) -> Result<()> {
        const NET: &str = "network";
        let pid = self.project_id.clone();
        let by_project = [("project_id", pid.as_str())];
        if !self.skipped(NET, "floating_ip") {
            for fip in self.list(NET, "/floatingips", "floatingips", &by_project)? {
                // Attached to a port nobody is deleting: keep it.
                let port = fip.get("port_id").and_then(Value::as_str);
                let keep = port
                    .is_some_and(|p| !self.identified.is_empty() && !self.identified.contains(p));
                let path = format!("/floatingips/{}", encode_segment(&s_of(&fip, "id")));
                self.del_res(
                    "FloatingIP",
                    &fip,
                    "floating_ip_address",
                    Some(!keep),
                    NET,
                    &path,
                );
            }
        }
        if !self.skipped(NET, "security_group") {
            for sg in self.list(NET, "/security-groups", "security_groups", &by_project)? {
                if s_of(&sg, "name") == "default" {
                    continue;
                }
                let path = format!("/security-groups/{}", encode_segment(&s_of(&sg, "id")));
                self.del_res("SecurityGroup", &sg, "name", None, NET, &path);
            }
        }
        let keep_nets = ["network", "router", "port", "subnet"]
            .iter()
            .any(|r| self.skipped(NET, r));
        if keep_nets {
            log::debug("Skipping cleanup of networks, routers, ports and subnets as those resources require all of them to be cleaned up together, but at least one should be kept");
        } else {
            for net in self.list(NET, "/networks", "networks", &by_project)? {
                let nid = s_of(&net, "id");
                let scope = [("project_id", pid.as_str()), ("network_id", nid.as_str())];
                let mut in_use = false;
                let mut router_ifs = Vec::new();
                for port in self.list(NET, "/ports", "ports", &scope)? {
                    let owner = s_of(&port, "device_owner");
                    if [
                        "network:router_interface",
                        "network:router_interface_distributed",
                        "network:ha_router_replicated_interface",
                    ]
                    .contains(&owner.as_str())
                    {
                        router_ifs.push(port);
                    } else if owner == "network:dhcp" || owner.is_empty() {
                        continue;
                    } else if !self.identified.is_empty()
                        && !self.identified.contains(&s_of(&port, "device_id"))
                    {
                        in_use = true;
                    }
                }
                if in_use || !self.matches_filters(&net) {
                    continue;
                }
                for port in router_ifs {
                    self.record("Port", &port, "name");
                    let rid = s_of(&port, "device_id");
                    let rpath = format!("/routers/{}", encode_segment(&rid));
                    let router = match self.s.get(NET, &rpath) {
                        Ok(r) => r.get("router").cloned().unwrap_or(Value::Null),
                        Err(e) => {
                            log::warn(&format!("Cannot get router {rid}: {e}"));
                            continue;
                        }
                    };
                    if !self.dry_run {
                        let routes = router.get("routes").cloned().unwrap_or(json!([]));
                        if routes.as_array().is_some_and(|r| !r.is_empty()) {
                            let body = json!({"router": {"routes": routes}});
                            if let Err(e) =
                                self.s
                                    .put(NET, &format!("{rpath}/remove_extraroutes"), body)
                            {
                                log::warn(&format!("Cannot delete routes from router {rid}: {e}"));
                            }
                        }
                        let body = json!({"port_id": s_of(&port, "id")});
                        if let Err(e) =
                            self.s
                                .put(NET, &format!("{rpath}/remove_router_interface"), body)
                        {
                            log::warn(&format!(
                                "Cannot remove port {} from router {rid}: {e}",
                                s_of(&port, "id")
                            ));
                        }
                    }
                    self.del_res("Router", &router, "name", Some(true), NET, &rpath);
                }
                for port in self.list(NET, "/ports", "ports", &scope)? {
                    if s_of(&port, "device_owner").is_empty() {
                        let path = format!("/ports/{}", encode_segment(&s_of(&port, "id")));
                        self.del_res("Port", &port, "name", Some(true), NET, &path);
                    }
                }
                for sub in self.list(NET, "/subnets", "subnets", &scope)? {
                    let path = format!("/subnets/{}", encode_segment(&s_of(&sub, "id")));
                    self.del_res("Subnet", &sub, "name", Some(true), NET, &path);
                }
                let path = format!("/networks/{}", encode_segment(&nid));
                self.del_res("Network", &net, "name", Some(true), NET, &path);
            }
        }
        if !self.skipped(NET, "router") {
            // Routers attached to nothing. (Only the project's: an admin sees them all.)
            for r in self.list(NET, "/routers", "routers", &by_project)? {
                let rid = s_of(&r, "id");
                if !self
                    .list(NET, "/ports", "ports", &[("device_id", &rid)])?
                    .is_empty()
                {
                    continue;
                }
                let path = format!("/routers/{}", encode_segment(&rid));
                self.del_res("Router", &r, "name", Some(true), NET, &path);
            }
        }
        Ok(())
    }

    /// Swift listings (JSON), following markers.
    fn swift_list(&self, path: &str) -> Result<Vec<Value>> {
        let mut out: Vec<Value> = Vec::new();
        loop {
            let mut q = vec![("format".to_string(), "json".to_string())];
            if let Some(last) = out
                .last()
                .and_then(|v| v.get("name"))
                .and_then(Value::as_str)
            {
                q.push(("marker".into(), last.to_string()));
            }
            let page = match self.s.get_query("object-store", path, &q)? {
                Value::Array(a) => a,
                _ => Vec::new(),
            };
            if page.is_empty() {
                return Ok(out);
            }
            out.extend(page);
        }
    }

    fn object_store(&mut self) -> Result<()> {
        const OS: &str = "object-store";
        if self.skipped("object_store", "container") || self.skipped("object_store", "object") {
            return Ok(());
        }
        for cont in self.swift_list("")? {
            let cname = s_of(&cont, "name");
            let cpath = format!("/{}", encode_segment(&cname));
            let named = |v: &Value| {
                let mut v = v.clone();
                if let Some(m) = v.as_object_mut() {
                    m.insert("id".into(), m.get("name").cloned().unwrap_or(Value::Null));
                }
                v
            };
            let mut remaining = false;
            for obj in self.swift_list(&cpath)? {
                let obj = named(&obj);
                // Swift objects and containers have no creation time openstacksdk reads.
                if self.matches_filters(&obj) {
                    self.record("Object", &obj, "name");
                    if let Some(id) = id_of(&obj) {
                        self.identified.insert(id);
                    }
                    if !self.dry_run {
                        let opath = format!("{cpath}/{}", encode_segment(&s_of(&obj, "name")));
                        if let Err(e) = self.s.delete(OS, &opath) {
                            log::warn(&format!("Cannot delete resource Object {opath}: {e}"));
                        }
                    }
                } else {
                    remaining = true;
                }
            }
            if !remaining {
                self.del_res("Container", &named(&cont), "name", None, OS, &cpath);
            }
        }
        Ok(())
    }

    /// One pass over every service the cloud has, compute first (its servers hold the
    /// other services' resources).
    fn run(&mut self) -> Result<()> {
        type Step<'b> = (
            &'static str,
            &'static str,
            fn(&mut Cleanup<'b>) -> Result<()>,
        );
        let steps: [Step<'_>; 5] = [
            ("compute", "compute", Cleanup::compute),
            ("object-store", "object_store", Cleanup::object_store),
            ("block-storage", "block_storage", Cleanup::block_storage),
            ("image", "image", Cleanup::image),
            ("network", "network", Cleanup::network),
        ];
        for (service, name, step) in steps {
            if !has_service(self.s, service)? {
                continue;
            }
            if let Err(e) = step(self) {
                log::warn(&format!("Error in the {name} cleanup function: {e}"));
            }
        }
        Ok(())
    }
}

/// A session like the current one but scoped to another project (openstacksdk's
/// `connect_as_project`).
fn project_session(ctx: &Context, project: &Value) -> Result<Session> {
    let mut cfg = ctx.cloud()?.clone();
    for k in [
        "project_name",
        "project_id",
        "project_domain_name",
        "project_domain_id",
        "domain_name",
        "domain_id",
        "system_scope",
        "trust_id",
    ] {
        cfg.values.remove(&format!("auth.{k}"));
    }
    let origin = Origin::Option("--project".into());
    let mut set = |k: &str, v: Value| {
        cfg.values.insert(
            format!("auth.{k}"),
            Sourced {
                value: v,
                origin: origin.clone(),
            },
        );
    };
    set(
        "project_id",
        project.get("id").cloned().unwrap_or(Value::Null),
    );
    if let Some(d) = project.get("domain_id").filter(|d| !d.is_null()) {
        set("project_domain_id", d.clone());
    }
    Ok(Session::new(
        cfg,
        ctx.token_cache(),
        SessionOptions {
            timing: false,
            no_cache: true,
        },
    ))
}

/// Asks a yes/no question as OSC's `ask_user_yesno`; end of input means no.
fn ask_yes_no(msg: &str) -> Result<bool> {
    use std::io::{BufRead, Write};
    loop {
        eprint!("{msg} [y/n]: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            eprintln!();
            return Ok(false);
        }
        match line.trim_end_matches(['\r', '\n']) {
            "y" | "Y" | "yes" => return Ok(true),
            "n" | "N" | "no" => return Ok(false),
            _ => {}
        }
    }
}

/// Prints the found resources as cliff's table formatter does (nothing when empty).
fn print_found(found: &[(&'static str, Value, Value)]) -> Result<()> {
    let mut t = Table::new(["Type", "ID", "Name"]);
    for (ty, id, name) in found {
        t.rows.push(vec![
            Cell::raw(*ty),
            Cell::raw(id.clone()),
            Cell::raw(name.clone()),
        ]);
    }
    let parser = osc_core::output::add_format_args(
        clap::Command::new("project cleanup").no_binary_name(true),
        Kind::List,
    );
    let m = parser.try_get_matches_from(Vec::<String>::new())?;
    let mut opts = osc_core::output::FormatOptions::from_matches(&m, Kind::List);
    opts.print_empty = false;
    let mut out = std::io::stdout().lock();
    osc_core::output::render(&Output::List(t), &opts, &mut out)?;
    Ok(())
}

impl Command for ProjectCleanup {
    fn run(self, ctx: &Context) -> Result<Output> {
        if !self.auth_project && self.project.is_none() {
            return Err(Error::usage(
                "one of the arguments --auth-project --project is required",
            ));
        }
        let time = |flag: &str, v: &Option<String>| -> Result<Option<i64>> {
            match v {
                None => Ok(None),
                Some(t) => parse_time(t).map(Some).ok_or_else(|| {
                    Error::usage(format!(
                        "Invalid time for {flag}: '{t}'; use YYYY-MM-DDTHH:MM:SS"
                    ))
                }),
            }
        };
        let created_before = time("--created-before", &self.created_before)?;
        let updated_before = time("--updated-before", &self.updated_before)?;
        let base = ctx.session()?;
        let scoped;
        let (s, project_id) = match &self.project {
            Some(p) => {
                let project = PROJECTS.find_in(base, p, self.project_domain.as_deref())?;
                let pid = id_of(&project)
                    .ok_or_else(|| Error::cmd(format!("The project '{p}' has no ID")))?;
                scoped = project_session(ctx, &project)?;
                (&scoped, pid)
            }
            None => {
                let pid = base.auth()?.project_id.clone().ok_or_else(|| {
                    Error::cmd("The current authentication is not scoped to a project")
                })?;
                (base, pid)
            }
        };
        log::info("Searching resources...");
        let mut c = Cleanup {
            s,
            project_id,
            dry_run: true,
            created_before,
            updated_before,
            skip: self.skip_resource.clone(),
            identified: HashSet::new(),
            found: Vec::new(),
        };
        c.run()?;
        print_found(&c.found)?;
        if self.dry_run {
            return Ok(Output::None);
        }
        if !self.auto_approve && !ask_yes_no("These resources will be deleted. Are you sure")? {
            return Ok(Output::None);
        }
        log::warn("Deleting resources");
        c.dry_run = false;
        c.found.clear();
        c.run()?;
        Ok(Output::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_iso8601_reads_them() {
        assert_eq!(parse_time("1970-01-02"), Some(86400));
        assert_eq!(parse_time("1970-01-01T00:01"), Some(60));
        assert_eq!(parse_time("1970-01-01T00:00:05Z"), Some(5));
        assert_eq!(parse_time("1970-01-01T00:00:05.123456"), Some(5));
        assert_eq!(parse_time("yesterday"), None);
    }
}
