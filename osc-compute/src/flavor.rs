//! `flavor create|delete|list|set|show|unset`, with access and properties (extra specs).

use crate::common::{self, mv, FLAVORS};
use osc_core::output::Style;
use osc_core::resource::{for_each_name, record_sorted};
use osc_core::{Cell, Command, Context, Error, Output, Result, Session, Table};
use serde_json::{json, Map, Value};

/// A flavor as openstacksdk's `Flavor.to_dict()` renamed by OSC's `_get_flavor_columns`.
fn flavor_view(f: &Value) -> Value {
    let get = |k: &str| f.get(k).cloned().unwrap_or(Value::Null);
    let int0 = |k: &str| match f.get(k) {
        None | Some(Value::Null) => json!(0),
        // Older microversions send swap 0 as "".
        Some(Value::String(s)) if s.is_empty() => json!(0),
        Some(v) => v.clone(),
    };
    let mut m = Map::new();
    m.insert(
        "OS-FLV-DISABLED:disabled".into(),
        get("OS-FLV-DISABLED:disabled"),
    );
    m.insert(
        "OS-FLV-EXT-DATA:ephemeral".into(),
        int0("OS-FLV-EXT-DATA:ephemeral"),
    );
    m.insert("description".into(), get("description"));
    m.insert("disk".into(), int0("disk"));
    m.insert("id".into(), get("id"));
    m.insert("name".into(), get("name"));
    m.insert(
        "os-flavor-access:is_public".into(),
        f.get("os-flavor-access:is_public")
            .cloned()
            .unwrap_or(json!(true)),
    );
    m.insert(
        "properties".into(),
        f.get("extra_specs").cloned().unwrap_or_else(|| json!({})),
    );
    m.insert("ram".into(), int0("ram"));
    m.insert("rxtx_factor".into(), get("rxtx_factor"));
    m.insert("swap".into(), int0("swap"));
    m.insert("vcpus".into(), int0("vcpus"));
    Value::Object(m)
}

fn show(view: &Value) -> Output {
    Output::Show(record_sorted(view, &[], &[("properties", Style::Dict)]))
}

fn flavor_path(id: &str) -> String {
    FLAVORS.item_path(id)
}

/// Finds a flavor with its extra specs (fetched separately when the microversion omits them).
fn find_with_specs(s: &Session, name_or_id: &str) -> Result<Value> {
    let f = common::find_flavor(s, name_or_id)?;
    let id = common::id_or_err(f.clone(), "flavor", name_or_id)?;
    // Re-read at openstacksdk's microversion so the fields match OSC.
    let mut f = FLAVORS.get(s, &id)?;
    if f.get("extra_specs").is_none() {
        let specs = common::get(
            s,
            &format!("{}/os-extra_specs", flavor_path(&id)),
            mv::FLAVOR,
        )?;
        f["extra_specs"] = specs
            .get("extra_specs")
            .cloned()
            .unwrap_or_else(|| json!({}));
    }
    Ok(f)
}

fn add_access(s: &Session, flavor_id: &str, project_id: &str) -> Result<()> {
    common::post(
        s,
        &format!("{}/action", flavor_path(flavor_id)),
        json!({"addTenantAccess": {"tenant": project_id}}),
        mv::FLAVOR,
    )
    .map(|_| ())
}

/// Create new flavor
#[derive(clap::Args)]
pub struct CreateFlavor {
    /// New flavor name
    #[arg(value_name = "flavor-name")]
    name: String,
    /// Unique flavor ID
    #[arg(long, value_name = "id")]
    id: Option<String>,
    /// Memory size in MB (default 256M)
    #[arg(long, value_name = "size-mb", default_value_t = 256)]
    ram: u64,
    /// Disk size in GB (default 0G)
    #[arg(long, value_name = "size-gb", default_value_t = 0)]
    disk: u64,
    /// Ephemeral disk size in GB (default 0G)
    #[arg(long, value_name = "size-gb", default_value_t = 0)]
    ephemeral: u64,
    /// Additional swap space size in MB (default 0M)
    #[arg(long, value_name = "size-mb", default_value_t = 0)]
    swap: u64,
    /// Number of vcpus (default 1)
    #[arg(long, value_name = "vcpus", default_value_t = 1)]
    vcpus: u64,
    /// RX/TX factor (default 1.0)
    #[arg(long = "rxtx-factor", value_name = "factor")]
    rxtx_factor: Option<f64>,
    /// Flavor is available to other projects (default)
    #[arg(long, overrides_with = "private")]
    public: bool,
    /// Flavor is not available to other projects
    #[arg(long, overrides_with = "public")]
    private: bool,
    /// Property to add for this flavor (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    properties: Vec<String>,
    /// Allow <project> to access private flavor (name or ID) (Must be used with --private option)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// Description for the flavor.(Supported by API versions '2.55' - '2.latest'
    #[arg(long, value_name = "description")]
    description: Option<String>,
}

impl Command for CreateFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let public = !self.private;
        if self.project.is_some() && public {
            return Err(Error::cmd("--project is only allowed with --private"));
        }
        let properties = common::parse_kv(&self.properties, "--property")?;
        let s = ctx.session()?;
        let mut body = json!({
            "name": self.name,
            "ram": self.ram,
            "vcpus": self.vcpus,
            "disk": self.disk,
            "OS-FLV-EXT-DATA:ephemeral": self.ephemeral,
            "swap": self.swap,
            "os-flavor-access:is_public": public,
        });
        match self.id.as_deref() {
            Some("auto") => osc_core::log::warn(
                "Passing '--id auto' is deprecated. Nova will automatically assign a UUID-like ID if no ID is provided. Omit the '--id' parameter instead.",
            ),
            Some(id) => body["id"] = json!(id),
            None => {}
        }
        if let Some(r) = self.rxtx_factor {
            if common::supports(s, "2.102")? {
                return Err(Error::cmd(
                    "The --rxtx-factor parameter is only supported until API microversion 2.101",
                ));
            }
            body["rxtx_factor"] = json!(r);
        }
        if let Some(d) = &self.description {
            if !common::supports(s, "2.55")? {
                return Err(Error::cmd(
                    "The --description parameter requires server support for API microversion 2.55",
                ));
            }
            body["description"] = json!(d);
        }
        let mut flavor = FLAVORS.create(s, body)?;
        let id = common::py_str(&flavor["id"]);
        if let Some(p) = &self.project {
            let r = common::find_project_id(s, p, self.project_domain.as_deref())
                .and_then(|pid| add_access(s, &id, &pid));
            if let Err(e) = r {
                osc_core::log::warn(&format!("Failed to add project {p} access to flavor: {e}"));
            }
        }
        if !properties.is_empty() {
            match common::post(
                s,
                &format!("{}/os-extra_specs", flavor_path(&id)),
                json!({"extra_specs": properties}),
                mv::FLAVOR,
            ) {
                Ok(r) => flavor["extra_specs"] = r.get("extra_specs").cloned().unwrap_or_default(),
                Err(e) => osc_core::log::warn(&format!("Failed to set flavor properties: {e}")),
            }
        }
        Ok(show(&flavor_view(&flavor)))
    }
}

/// Delete flavor(s)
#[derive(clap::Args)]
pub struct DeleteFlavor {
    /// Flavor(s) to delete (name or ID)
    #[arg(value_name = "flavor", required = true)]
    flavor: Vec<String>,
}

impl Command for DeleteFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        for_each_name(&self.flavor, "flavor", "delete", |n| {
            let id = common::id_or_err(common::find_flavor(s, n)?, "flavor", n)?;
            FLAVORS.delete(s, &id)
        })
    }
}

/// List flavors
#[derive(clap::Args)]
pub struct ListFlavor {
    /// List only public flavors (default)
    #[arg(long, overrides_with = "private")]
    public: bool,
    /// List only private flavors
    #[arg(long, overrides_with = "public")]
    private: bool,
    /// List all flavors, whether public or private
    #[arg(long)]
    all: bool,
    /// Filters the flavors by a minimum disk space, in GiB.
    #[arg(long = "min-disk", value_name = "min-disk")]
    min_disk: Option<u64>,
    /// Filters the flavors by a minimum RAM, in MiB.
    #[arg(long = "min-ram", value_name = "min-ram")]
    min_ram: Option<u64>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// The maximum number of entries to return per page. Use --max-items to limit the total number of entries returned.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
}

impl Command for ListFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        let is_public = if self.all {
            "None"
        } else if self.private {
            "False"
        } else {
            "True"
        };
        q.push(("is_public".into(), is_public.into()));
        common::page_query(&mut q, self.limit, self.marker.as_deref());
        if let Some(d) = self.min_disk {
            q.push(("minDisk".into(), d.to_string()));
        }
        if let Some(r) = self.min_ram {
            q.push(("minRam".into(), r.to_string()));
        }
        let paginate = self.limit.is_none();
        let mut items = common::list_limited(
            s,
            "/flavors/detail",
            "flavors",
            &q,
            mv::FLAVOR,
            paginate,
            self.max_items.map(|n| n as usize),
            osc_core::page::Fields::All,
        )?;
        let mut cols = vec![
            "ID",
            "Name",
            "RAM",
            "Disk",
            "Ephemeral",
            "VCPUs",
            "Is Public",
        ];
        if self.long {
            cols.extend(["Swap", "RXTX Factor", "Properties"]);
        }
        let mut t = Table::new(cols);
        for f in items.iter_mut() {
            if self.long
                && f.get("extra_specs")
                    .is_none_or(|e| e.as_object().is_none_or(Map::is_empty))
            {
                let id = common::py_str(&f["id"]);
                if let Ok(r) = common::get(
                    s,
                    &format!("{}/os-extra_specs", flavor_path(&id)),
                    mv::FLAVOR,
                ) {
                    f["extra_specs"] = r.get("extra_specs").cloned().unwrap_or_else(|| json!({}));
                }
            }
            let v = flavor_view(f);
            let mut row = vec![
                Cell::raw(v["id"].clone()),
                Cell::raw(v["name"].clone()),
                Cell::raw(v["ram"].clone()),
                Cell::raw(v["disk"].clone()),
                Cell::raw(v["OS-FLV-EXT-DATA:ephemeral"].clone()),
                Cell::raw(v["vcpus"].clone()),
                Cell::raw(v["os-flavor-access:is_public"].clone()),
            ];
            if self.long {
                row.push(Cell::raw(v["swap"].clone()));
                row.push(Cell::raw(v["rxtx_factor"].clone()));
                row.push(crate::common::dict_cell(v["properties"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Display flavor details
#[derive(clap::Args)]
pub struct ShowFlavor {
    /// Flavor to display (name or ID)
    #[arg(value_name = "flavor")]
    flavor: String,
}

impl Command for ShowFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let f = find_with_specs(s, &self.flavor)?;
        let mut view = flavor_view(&f);
        let mut access = Value::Null;
        if view["os-flavor-access:is_public"] == json!(false) {
            let id = common::py_str(&f["id"]);
            match common::get(
                s,
                &format!("{}/os-flavor-access", flavor_path(&id)),
                mv::FLAVOR,
            ) {
                Ok(r) => {
                    access = Value::Array(
                        common::take(r, "flavor_access")
                            .iter()
                            .map(|a| a["tenant_id"].clone())
                            .collect(),
                    )
                }
                Err(e) => osc_core::log::warn(&format!(
                    "Failed to get access projects list for flavor '{}': {e}",
                    self.flavor
                )),
            }
        }
        view["access_project_ids"] = access;
        Ok(Output::Show(record_sorted(
            &view,
            &[],
            &[
                ("properties", Style::Dict),
                ("access_project_ids", Style::Raw),
            ],
        )))
    }
}

/// Set flavor properties
#[derive(clap::Args)]
pub struct SetFlavor {
    /// Flavor to modify (name or ID)
    #[arg(value_name = "flavor")]
    flavor: String,
    /// Remove all properties from this flavor (specify both --no-property and --property to remove the current properties before setting new properties.)
    #[arg(long = "no-property")]
    no_property: bool,
    /// Property to add or modify for this flavor (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    properties: Vec<String>,
    /// Set flavor access to project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// Set description for the flavor.(Supported by API versions '2.55' - '2.latest'
    #[arg(long, value_name = "description")]
    description: Option<String>,
}

impl Command for SetFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let properties = common::parse_kv(&self.properties, "--property")?;
        let s = ctx.session()?;
        let f = find_with_specs(s, &self.flavor)?;
        let id = common::py_str(&f["id"]);
        if let Some(d) = &self.description {
            if !common::supports(s, "2.55")? {
                return Err(Error::cmd(
                    "The --description parameter requires server support for API microversion 2.55",
                ));
            }
            common::put(
                s,
                &flavor_path(&id),
                json!({"flavor": {"description": d}}),
                "2.55",
            )?;
        }
        let mut failed = 0;
        if self.no_property {
            for key in f["extra_specs"]
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                let path = format!(
                    "{}/os-extra_specs/{}",
                    flavor_path(&id),
                    osc_core::resource::encode_segment(&key)
                );
                if let Err(e) = common::delete(s, &path, mv::FLAVOR) {
                    osc_core::log::warn(&format!("Failed to clear flavor properties: {e}"));
                    failed += 1;
                    break;
                }
            }
        }
        if !properties.is_empty() {
            let path = format!("{}/os-extra_specs", flavor_path(&id));
            if let Err(e) = common::post(s, &path, json!({ "extra_specs": properties }), mv::FLAVOR)
            {
                osc_core::log::warn(&format!("Failed to set flavor properties: {e}"));
                failed += 1;
            }
        }
        if let Some(p) = &self.project {
            let r = if f["os-flavor-access:is_public"] != json!(false) {
                Err(Error::cmd("Cannot set access for a public flavor"))
            } else {
                common::find_project_id(s, p, self.project_domain.as_deref())
                    .and_then(|pid| add_access(s, &id, &pid))
            };
            if let Err(e) = r {
                osc_core::log::warn(&format!("Failed to set flavor access to project: {e}"));
                failed += 1;
            }
        }
        if failed > 0 {
            return Err(Error::cmd(
                "Command Failed: One or more of the operations failed",
            ));
        }
        Ok(Output::None)
    }
}

/// Unset flavor properties
#[derive(clap::Args)]
pub struct UnsetFlavor {
    /// Flavor to modify (name or ID)
    #[arg(value_name = "flavor")]
    flavor: String,
    /// Property to remove from flavor (repeat option to unset multiple properties)
    #[arg(long = "property", value_name = "key")]
    properties: Vec<String>,
    /// Remove flavor access from project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
}

impl Command for UnsetFlavor {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let f = find_with_specs(s, &self.flavor)?;
        let id = common::py_str(&f["id"]);
        let mut failed = 0;
        for key in &self.properties {
            let path = format!(
                "{}/os-extra_specs/{}",
                flavor_path(&id),
                osc_core::resource::encode_segment(key)
            );
            if let Err(e) = common::delete(s, &path, mv::FLAVOR) {
                osc_core::log::warn(&format!("Failed to unset flavor property: {e}"));
                failed += 1;
            }
        }
        if let Some(p) = &self.project {
            let r = if f["os-flavor-access:is_public"] != json!(false) {
                Err(Error::cmd("Cannot remove access for a public flavor"))
            } else {
                common::find_project_id(s, p, self.project_domain.as_deref()).and_then(|pid| {
                    common::post(
                        s,
                        &format!("{}/action", flavor_path(&id)),
                        json!({"removeTenantAccess": {"tenant": pid}}),
                        mv::FLAVOR,
                    )
                    .map(|_| ())
                })
            };
            if let Err(e) = r {
                osc_core::log::warn(&format!("Failed to remove flavor access from project: {e}"));
                failed += 1;
            }
        }
        if failed > 0 {
            return Err(Error::cmd(
                "Command Failed: One or more of the operations failed",
            ));
        }
        Ok(Output::None)
    }
}
