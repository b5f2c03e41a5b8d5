//! `server list`: OSC's columns and filters; image names come from one Glance request
//! (`id=in:...`) and flavor names from one flavor listing, never one request per server.

use super::{addresses, host_cell, power_state_cell, IMAGE_STRING_FOR_BFV};
use crate::common::{self, mv};
use osc_core::{Cell, Command, Context, Error, Output, Result, Table};
use serde_json::{json, Value};
use std::collections::HashMap;

/// List servers
#[derive(clap::Args)]
pub struct ListServer {
    /// Only return instances that match the reservation
    #[arg(long = "reservation-id", value_name = "reservation-id")]
    reservation_id: Option<String>,
    /// Regular expression to match IP addresses
    #[arg(long, value_name = "ip-address-regex")]
    ip: Option<String>,
    /// Regular expression to match IPv6 addresses. Note that this option only applies for non-admin users when using ``--os-compute-api-version`` 2.5 or greater.
    #[arg(long, value_name = "ip-address-regex")]
    ip6: Option<String>,
    /// Regular expression to match names
    #[arg(long, value_name = "name-regex")]
    name: Option<String>,
    /// Regular expression to match instance name (admin only)
    #[arg(long = "instance-name", value_name = "server-name")]
    instance_name: Option<String>,
    /// Search by server status
    #[arg(long, value_name = "status", value_parser = [
        "ACTIVE", "BUILD", "DELETED", "ERROR", "HARD_REBOOT", "MIGRATING", "PASSWORD", "PAUSED",
        "REBOOT", "REBUILD", "RESCUE", "RESIZE", "REVERT_RESIZE", "SHELVED", "SHELVED_OFFLOADED",
        "SHUTOFF", "SOFT_DELETED", "SUSPENDED", "VERIFY_RESIZE",
    ])]
    status: Option<String>,
    /// Search by flavor (name or ID)
    #[arg(long, value_name = "flavor")]
    flavor: Option<String>,
    /// Search by image (name or ID)
    #[arg(long, value_name = "image")]
    image: Option<String>,
    /// Search by hostname
    #[arg(long, value_name = "hostname")]
    host: Option<String>,
    /// Include all projects (admin only) (can be specified using the ALL_PROJECTS envvar)
    #[arg(long = "all-projects", env = "ALL_PROJECTS", value_parser = clap::builder::FalseyValueParser::new())]
    all_projects: bool,
    /// Search by project (admin only) (name or ID)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// Search by user (name or ID) (admin only before microversion 2.83)
    #[arg(long, value_name = "user")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "user-domain")]
    user_domain: Option<String>,
    /// Only display deleted servers (admin only)
    #[arg(long)]
    deleted: bool,
    /// Search by availability zone (admin only before microversion 2.83)
    #[arg(long = "availability-zone", value_name = "availability-zone")]
    availability_zone: Option<String>,
    /// Search by keypair name (admin only before microversion 2.83)
    #[arg(long = "key-name", value_name = "key-name")]
    key_name: Option<String>,
    /// Only display servers with a config drive attached (admin only before microversion 2.83)
    #[arg(long = "config-drive", conflicts_with = "no_config_drive")]
    config_drive: bool,
    /// Only display servers without a config drive attached (admin only before microversion 2.83)
    #[arg(long = "no-config-drive")]
    no_config_drive: bool,
    /// Search by progress value (%) (admin only before microversion 2.83)
    #[arg(long, value_name = "progress", value_parser = clap::value_parser!(u8).range(0..=100))]
    progress: Option<u8>,
    /// Search by vm_state value (admin only before microversion 2.83)
    #[arg(long = "vm-state", value_name = "state", value_parser = [
        "active", "building", "deleted", "error", "paused", "stopped", "suspended", "rescued",
        "resized", "shelved", "shelved_offloaded", "soft-delete",
    ])]
    vm_state: Option<String>,
    /// Search by task_state value (admin only before microversion 2.83)
    #[arg(long = "task-state", value_name = "state")]
    task_state: Option<String>,
    /// Search by power_state value (admin only before microversion 2.83)
    #[arg(long = "power-state", value_name = "state", value_parser = ["pending", "running", "paused", "shutdown", "crashed", "suspended"])]
    power_state: Option<String>,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// When looking up flavor and image names, look them up one by one as needed instead of all together (default). Mutually exclusive with "--no-name-lookup|-n" option.
    #[arg(long = "name-lookup-one-by-one", conflicts_with = "no_name_lookup")]
    name_lookup_one_by_one: bool,
    /// Skip flavor and image name lookup. Mutually exclusive with "--name-lookup-one-by-one" option.
    #[arg(short = 'n', long = "no-name-lookup")]
    no_name_lookup: bool,
    /// The last server of the previous page. Display list of servers after marker. Display all servers if not specified. When used with ``--deleted``, the marker must be an ID, otherwise a name or ID can be used.
    #[arg(long, value_name = "server")]
    marker: Option<String>,
    /// Maximum number of servers to display. If limit equals -1, all servers will be displayed. If limit is greater than 'osapi_max_limit' option of Nova API, 'osapi_max_limit' will be used instead.
    #[arg(long, value_name = "num-servers", allow_negative_numbers = true)]
    limit: Option<i64>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
    /// List only servers changed later or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``. (supported with --os-compute-api-version 2.66 or above)
    #[arg(long = "changes-before", value_name = "changes-before")]
    changes_before: Option<String>,
    /// List only servers changed later or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``.
    #[arg(long = "changes-since", value_name = "changes-since")]
    changes_since: Option<String>,
    /// Only display locked servers (supported with --os-compute-api-version 2.73 or above)
    #[arg(long, conflicts_with = "unlocked")]
    locked: bool,
    /// Only display unlocked servers (supported with --os-compute-api-version 2.73 or above)
    #[arg(long)]
    unlocked: bool,
    /// Only list servers with the specified tag. Specify multiple times to filter on multiple tags. (supported by --os-compute-api-version 2.26 or above)
    #[arg(long = "tags", value_name = "tag")]
    tags: Vec<String>,
    /// Only list servers without the specified tag. Specify multiple times to filter on multiple tags. (supported by --os-compute-api-version 2.26 or above)
    #[arg(long = "not-tags", value_name = "tag")]
    not_tags: Vec<String>,
}

/// A column: header and how to get its cell from a server.
type Getter = fn(&Value, &Lookups) -> Cell;
/// A column's cell maker.
type CellFn = Box<dyn Fn(&Value, &Lookups) -> Cell>;

struct Lookups {
    images: HashMap<String, String>,
    flavors: HashMap<String, String>,
}

fn image_id(s: &Value) -> Option<&str> {
    s["image"]
        .get("id")
        .and_then(Value::as_str)
        .filter(|i| !i.is_empty())
}

fn image_name_cell(s: &Value, l: &Lookups) -> Cell {
    match image_id(s) {
        Some(id) => Cell::raw(
            l.images
                .get(id)
                .cloned()
                .map(Value::String)
                .unwrap_or(Value::Null),
        ),
        None => Cell::raw(IMAGE_STRING_FOR_BFV),
    }
}

fn image_id_cell(s: &Value, _: &Lookups) -> Cell {
    Cell::raw(image_id(s).unwrap_or(IMAGE_STRING_FOR_BFV))
}

fn flavor_name_cell(s: &Value, l: &Lookups) -> Cell {
    match s["flavor"].get("original_name") {
        Some(n) => Cell::raw(n.clone()),
        None => {
            let id = s["flavor"]["id"].as_str().unwrap_or("");
            Cell::raw(
                l.flavors
                    .get(id)
                    .cloned()
                    .map(Value::String)
                    .unwrap_or(Value::Null),
            )
        }
    }
}

fn flavor_id_cell(s: &Value, _: &Lookups) -> Cell {
    Cell::raw(s["flavor"].get("id").cloned().unwrap_or(Value::Null))
}

fn field_cell(key: &'static str) -> impl Fn(&Value) -> Cell {
    move |s| Cell::raw(s.get(key).cloned().unwrap_or(Value::Null))
}

impl Command for ListServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut all_projects = self.all_projects;
        let mut q: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                q.push((k.to_string(), v));
            }
        };
        if let Some(p) = &self.project {
            add(
                "project_id",
                Some(common::find_project_id(
                    s,
                    p,
                    self.project_domain.as_deref(),
                )?),
            );
            all_projects = true;
        }
        if let Some(u) = &self.user {
            add(
                "user_id",
                Some(common::find_user_id(s, u, self.user_domain.as_deref())?),
            );
        }
        let flavor_id = match &self.flavor {
            Some(f) => Some(common::id_or_err(common::find_flavor(s, f)?, "flavor", f)?),
            None => None,
        };
        let image_filter = match &self.image {
            Some(i) => Some(common::id_or_err(common::find_image(s, i)?, "image", i)?),
            None => None,
        };
        add("reservation_id", self.reservation_id.clone());
        add("ip", self.ip.clone());
        add("ip6", self.ip6.clone());
        add("name", self.name.clone());
        add("status", self.status.clone());
        add("flavor", flavor_id.clone());
        add("image", image_filter.clone());
        add("host", self.host.clone());
        if all_projects {
            add("all_tenants", Some("True".into()));
        }
        if self.deleted {
            add("deleted", Some("True".into()));
        }
        add("instance_name", self.instance_name.clone());
        add("availability_zone", self.availability_zone.clone());
        add("key_name", self.key_name.clone());
        if self.config_drive {
            add("config_drive", Some("True".into()));
        } else if self.no_config_drive {
            add("config_drive", Some("False".into()));
        }
        add("progress", self.progress.map(|p| p.to_string()));
        add("vm_state", self.vm_state.clone());
        add("task_state", self.task_state.clone());
        let power = self.power_state.as_deref().map(|p| match p {
            "pending" => "0",
            "running" => "1",
            "paused" => "3",
            "shutdown" => "4",
            "crashed" => "6",
            _ => "7",
        });
        add("power_state", power.map(str::to_string));
        if !self.tags.is_empty() {
            common::require(s, "2.26", "the --tag option")?;
            add("tags", Some(self.tags.join(",")));
        }
        if !self.not_tags.is_empty() {
            common::require(s, "2.26", "the --not-tag option")?;
            add("not-tags", Some(self.not_tags.join(",")));
        }
        if self.locked {
            common::require(s, "2.73", "the --locked option")?;
            add("locked", Some("True".into()));
        } else if self.unlocked {
            common::require(s, "2.73", "the --unlocked option")?;
            add("locked", Some("False".into()));
        }
        let single_page = match self.limit {
            Some(l) if l >= 0 => {
                add("limit", Some(l.to_string()));
                true
            }
            _ => false,
        };
        if let Some(cb) = &self.changes_before {
            common::require(s, "2.66", "the --changes-before option")?;
            common::check_time(cb, "changes-before")?;
            add("changes-before", Some(cb.clone()));
        }
        if let Some(cs) = &self.changes_since {
            common::check_time(cs, "changes-since")?;
            add("changes-since", Some(cs.clone()));
        }
        if let Some(m) = &self.marker {
            let id = if self.deleted {
                m.clone()
            } else {
                super::find_id(s, m, false)?
            };
            add("marker", Some(id));
        }

        let with_embedded_flavor = common::supports(s, "2.47")?;
        let mut cols: Vec<(String, CellFn)> = Vec::new();
        // The members the columns read: the listing parses only these.
        let mut shown: Vec<&'static str> = vec!["status"];
        if self.long {
            shown.push("host_status");
        }
        let mut push = |h: &str, fields: &[&'static str], f: CellFn| {
            if !cols.iter().any(|(c, _)| c == h) {
                cols.push((h.to_string(), f));
                shown.extend(fields);
            }
        };
        let plain = |k: &'static str| -> CellFn {
            let f = field_cell(k);
            Box::new(move |s, _| f(s))
        };
        let getter = |g: Getter| -> CellFn { Box::new(g) };
        push("ID", &["id"], plain("id"));
        push("Name", &["name"], plain("name"));
        push("Status", &["status"], plain("status"));
        if self.long {
            push(
                "Task State",
                &["OS-EXT-STS:task_state"],
                plain("OS-EXT-STS:task_state"),
            );
            push(
                "Power State",
                &["OS-EXT-STS:power_state"],
                Box::new(|s, _| {
                    power_state_cell(
                        s.get("OS-EXT-STS:power_state")
                            .cloned()
                            .unwrap_or(Value::Null),
                    )
                }),
            );
        }
        push(
            "Networks",
            &["addresses"],
            Box::new(|s, _| crate::common::dict_list_cell(addresses(&s["addresses"]))),
        );
        if self.long {
            push("Image Name", &["image.id"], getter(image_name_cell));
            push("Image ID", &["image.id"], getter(image_id_cell));
        } else if self.no_name_lookup {
            push("Image", &["image.id"], getter(image_id_cell));
        } else {
            push("Image", &["image.id"], getter(image_name_cell));
        }
        if with_embedded_flavor {
            push(
                "Flavor",
                &["flavor.original_name", "flavor.id"],
                getter(flavor_name_cell),
            );
        } else if self.long {
            push(
                "Flavor Name",
                &["flavor.original_name", "flavor.id"],
                getter(flavor_name_cell),
            );
            push("Flavor ID", &["flavor.id"], getter(flavor_id_cell));
        } else if self.no_name_lookup {
            push(
                "Flavor",
                &["flavor.original_name", "flavor.id"],
                getter(flavor_id_cell),
            );
        } else {
            push(
                "Flavor",
                &["flavor.original_name", "flavor.id"],
                getter(flavor_name_cell),
            );
        }
        let with_pinned = common::supports(s, "2.96")?;
        let with_hints = common::supports(s, "2.100")?;
        let hints: fn(&Value, &Lookups) -> Cell = |s, _| {
            crate::common::dict_list_cell(
                s.get("scheduler_hints")
                    .cloned()
                    .filter(|v| !v.is_null())
                    .unwrap_or_else(|| json!({})),
            )
        };
        let metadata: fn(&Value, &Lookups) -> Cell =
            |s, _| crate::common::dict_cell(s.get("metadata").cloned().unwrap_or(Value::Null));
        if self.long {
            push(
                "Availability Zone",
                &["OS-EXT-AZ:availability_zone"],
                plain("OS-EXT-AZ:availability_zone"),
            );
            push(
                "Host",
                &["OS-EXT-SRV-ATTR:hypervisor_hostname"],
                Box::new(|s, _| {
                    host_cell(
                        s.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
                            .cloned()
                            .unwrap_or(Value::Null),
                    )
                }),
            );
            push("Properties", &["metadata"], getter(metadata));
            if with_pinned {
                push(
                    "Pinned Availability Zone",
                    &["pinned_availability_zone"],
                    plain("pinned_availability_zone"),
                );
            }
            if with_hints {
                push("Scheduler Hints", &["scheduler_hints"], getter(hints));
            }
        }
        if all_projects {
            push("Project ID", &["tenant_id"], plain("tenant_id"));
        }
        for c in ctx.format.columns.clone() {
            match c.to_lowercase().trim().replace(' ', "_").as_str() {
                "project_id" => push("Project ID", &["tenant_id"], plain("tenant_id")),
                "user_id" => push("User ID", &["user_id"], plain("user_id")),
                "created_at" => push("Created At", &["created"], plain("created")),
                "security_groups" => push(
                    "Security Groups",
                    &["security_groups"],
                    Box::new(|s, _| {
                        let names: Vec<Value> = s["security_groups"]
                            .as_array()
                            .map(|a| a.iter().map(|g| g["name"].clone()).collect())
                            .unwrap_or_default();
                        crate::common::list_cell(Value::Array(names))
                    }),
                ),
                "task_state" => push(
                    "Task State",
                    &["OS-EXT-STS:task_state"],
                    plain("OS-EXT-STS:task_state"),
                ),
                "power_state" => push(
                    "Power State",
                    &["OS-EXT-STS:power_state"],
                    Box::new(|s, _| {
                        power_state_cell(
                            s.get("OS-EXT-STS:power_state")
                                .cloned()
                                .unwrap_or(Value::Null),
                        )
                    }),
                ),
                "image_id" => push("Image ID", &["image.id"], getter(image_id_cell)),
                "flavor_id" => push("Flavor ID", &["flavor.id"], getter(flavor_id_cell)),
                "availability_zone" => push(
                    "Availability Zone",
                    &["OS-EXT-AZ:availability_zone"],
                    plain("OS-EXT-AZ:availability_zone"),
                ),
                "pinned_availability_zone" if with_pinned => push(
                    "Pinned Availability Zone",
                    &["pinned_availability_zone"],
                    plain("pinned_availability_zone"),
                ),
                "host" => push(
                    "Host",
                    &["OS-EXT-SRV-ATTR:hypervisor_hostname"],
                    Box::new(|s, _| {
                        host_cell(
                            s.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
                                .cloned()
                                .unwrap_or(Value::Null),
                        )
                    }),
                ),
                "properties" => push("Properties", &["metadata"], getter(metadata)),
                "scheduler_hints" if with_hints => {
                    push("Scheduler Hints", &["scheduler_hints"], getter(hints))
                }
                _ => {}
            }
        }

        let max_items = self.max_items.map(|n| n as usize);
        let mut data = common::list_limited(
            s,
            "/servers/detail",
            "servers",
            &q,
            mv::SERVER,
            !single_page,
            max_items,
            osc_core::page::Fields::Only(&shown),
        )?;
        // Servers in a down cell come back partial (status UNKNOWN): shown without lookups.
        data.retain(|v| v.is_object());

        let mut lookups = Lookups {
            images: HashMap::new(),
            flavors: HashMap::new(),
        };
        if !data.is_empty() && !self.no_name_lookup {
            let mut ids: Vec<String> = data
                .iter()
                .filter_map(|v| image_id(v).map(str::to_string))
                .collect();
            ids.sort();
            ids.dedup();
            if self.name_lookup_one_by_one || image_filter.is_some() {
                for id in &ids {
                    if let Ok(img) = common::IMAGES.get(s, id) {
                        lookups
                            .images
                            .insert(id.clone(), common::py_str(&img["name"]));
                    }
                }
            } else if !ids.is_empty() {
                // Name lookups are a convenience: failures leave the names empty, as in OSC.
                let q = vec![("id".to_string(), format!("in:{}", ids.join(",")))];
                if let Ok(imgs) = common::IMAGES.list(s, &q) {
                    for i in imgs {
                        lookups
                            .images
                            .insert(common::py_str(&i["id"]), common::py_str(&i["name"]));
                    }
                }
            }
            if !with_embedded_flavor {
                let q = vec![("is_public".to_string(), "None".to_string())];
                if let Ok(fl) = common::list_all(s, "/flavors/detail", "flavors", &q, mv::FLAVOR) {
                    for f in fl {
                        lookups
                            .flavors
                            .insert(common::py_str(&f["id"]), common::py_str(&f["name"]));
                    }
                }
            }
        }

        if self.long
            && common::supports(s, "2.16")?
            && data
                .iter()
                .any(|v| v.get("host_status").is_some_and(|h| !h.is_null()))
        {
            cols.push(("Host Status".to_string(), plain("host_status")));
        }

        let mut t = Table::new(cols.iter().map(|(h, _)| h.clone()));
        t.rows.reserve_exact(data.len());
        // Each server is dropped once its row is built: 20,000 of them never coexist with their rows.
        for v in data {
            let v = &v;
            let unknown = v["status"].as_str() == Some("UNKNOWN");
            t.rows.push(
                cols.iter()
                    .map(|(h, f)| {
                        if unknown
                            && matches!(
                                h.as_str(),
                                "Image"
                                    | "Image Name"
                                    | "Image ID"
                                    | "Flavor"
                                    | "Flavor Name"
                                    | "Flavor ID"
                            )
                        {
                            Cell::raw("")
                        } else {
                            f(v, &lookups)
                        }
                    })
                    .collect(),
            );
        }
        if t.columns.is_empty() {
            return Err(Error::cmd("no columns"));
        }
        Ok(Output::List(t))
    }
}
