//! `aggregate add host|cache image|create|delete|list|remove host|set|show|unset`.

use crate::common::{self, mv};
use osc_core::resource::for_each_name;
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

/// An aggregate as openstacksdk's `Aggregate.to_dict()` with `metadata` shown as
/// `properties`, fields sorted (OSC's `_get_aggregate_columns`).
fn record(a: &Value, drop_az_from_properties: bool) -> Record {
    let get = |k: &str| a.get(k).cloned().unwrap_or(Value::Null);
    let mut props = a.get("metadata").cloned().unwrap_or(Value::Null);
    if drop_az_from_properties {
        if let Some(m) = props.as_object_mut() {
            m.remove("availability_zone");
        }
    }
    Record::new()
        .with("availability_zone", get("availability_zone"))
        .with("created_at", get("created_at"))
        .with("deleted_at", get("deleted_at"))
        .with("hosts", crate::common::list_cell(get("hosts")))
        .with("id", get("id"))
        .with("is_deleted", get("deleted"))
        .with("name", get("name"))
        .with("properties", crate::common::dict_cell(props))
        .with("updated_at", get("updated_at"))
        .with("uuid", get("uuid"))
}

fn list(s: &Session) -> Result<Vec<Value>> {
    Ok(common::take(
        common::get(s, "/os-aggregates", mv::AGGREGATE)?,
        "aggregates",
    ))
}

/// openstacksdk's `find_aggregate`: by ID, else by name (Nova has no name filter).
fn find(s: &Session, name_or_id: &str) -> Result<Value> {
    match common::get(
        s,
        &format!(
            "/os-aggregates/{}",
            osc_core::resource::encode_segment(name_or_id)
        ),
        mv::AGGREGATE,
    ) {
        Ok(v) => return Ok(common::unwrap_key(v, "aggregate")),
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    let mut m: Vec<Value> = list(s)?
        .into_iter()
        .filter(|a| {
            a["name"].as_str() == Some(name_or_id) || a["uuid"].as_str() == Some(name_or_id)
        })
        .collect();
    match m.len() {
        0 => Err(Error::NotFound(format!(
            "No aggregate with a name or ID of '{name_or_id}' exists."
        ))),
        1 => Ok(m.remove(0)),
        _ => Err(Error::Ambiguous(format!(
            "More than one aggregate exists with the name '{name_or_id}'; use its ID instead"
        ))),
    }
}

/// openstacksdk sends aggregate create and actions without a microversion (2.1), so no
/// uuid comes back; kept identical.
fn agg_action(s: &Session, id: &Value, body: Value) -> Result<Value> {
    let r = common::post(
        s,
        &format!("/os-aggregates/{}/action", common::py_str(id)),
        body,
        mv::BASE,
    )?;
    Ok(common::unwrap_key(r, "aggregate"))
}

fn set_metadata(s: &Session, id: &Value, metadata: Map<String, Value>) -> Result<Value> {
    agg_action(s, id, json!({"set_metadata": {"metadata": metadata}}))
}

/// Add host to aggregate
#[derive(clap::Args)]
pub struct AddAggregateHost {
    /// Aggregate (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
    /// Host to add to <aggregate>
    #[arg(value_name = "host")]
    host: String,
}

impl Command for AddAggregateHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let a = find(s, &self.aggregate)?;
        let a = agg_action(s, &a["id"], json!({"add_host": {"host": self.host}}))?;
        Ok(Output::Show(record(&a, false)))
    }
}

/// Remove host from aggregate
#[derive(clap::Args)]
pub struct RemoveAggregateHost {
    /// Aggregate (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
    /// Host to remove from <aggregate>
    #[arg(value_name = "host")]
    host: String,
}

impl Command for RemoveAggregateHost {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let a = find(s, &self.aggregate)?;
        let a = agg_action(s, &a["id"], json!({"remove_host": {"host": self.host}}))?;
        Ok(Output::Show(record(&a, false)))
    }
}

/// Create a new aggregate
#[derive(clap::Args)]
pub struct CreateAggregate {
    /// New aggregate name
    #[arg(value_name = "name")]
    name: String,
    /// Availability zone name
    #[arg(long, value_name = "availability-zone")]
    zone: Option<String>,
    /// Property to add to this aggregate (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
}

impl Command for CreateAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let props = common::parse_kv(&self.property, "--property")?;
        let s = ctx.session()?;
        let mut body = json!({"name": self.name});
        if let Some(z) = &self.zone {
            body["availability_zone"] = json!(z);
        }
        let mut a = common::unwrap_key(
            common::post(s, "/os-aggregates", json!({ "aggregate": body }), mv::BASE)?,
            "aggregate",
        );
        if !props.is_empty() {
            a = set_metadata(s, &a["id"], props)?;
        }
        Ok(Output::Show(record(&a, false)))
    }
}

/// Delete existing aggregate(s)
#[derive(clap::Args)]
pub struct DeleteAggregate {
    /// Aggregate(s) to delete (name or ID)
    #[arg(value_name = "aggregate", required = true)]
    aggregate: Vec<String>,
}

impl Command for DeleteAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        for_each_name(&self.aggregate, "aggregate", "delete", |n| {
            let a = find(s, n)?;
            common::delete(
                s,
                &format!("/os-aggregates/{}", common::py_str(&a["id"])),
                mv::AGGREGATE,
            )
        })
    }
}

/// List all aggregates
#[derive(clap::Args)]
pub struct ListAggregate {
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Only list aggregates in the specified availability zone
    #[arg(long = "availability-zone", value_name = "availability-zone")]
    availability_zone: Option<String>,
    /// Only list aggregates that contain the specified host
    #[arg(long, value_name = "host")]
    host: Option<String>,
}

impl Command for ListAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        // Nova cannot filter aggregates: done here, all filters combined.
        let data: Vec<Value> = list(s)?
            .into_iter()
            .filter(|a| {
                self.availability_zone
                    .as_deref()
                    .is_none_or(|z| a["availability_zone"].as_str() == Some(z))
            })
            .filter(|a| {
                self.host.as_deref().is_none_or(|h| {
                    a["hosts"]
                        .as_array()
                        .is_some_and(|hs| hs.iter().any(|x| x.as_str() == Some(h)))
                })
            })
            .collect();
        let v241 = common::supports(s, "2.41")?;
        let mut cols = vec!["ID"];
        if v241 {
            cols.push("UUID");
        }
        cols.extend(["Name", "Availability Zone"]);
        if self.long {
            cols.extend(["Properties", "Hosts"]);
        }
        let mut t = Table::new(cols);
        for a in &data {
            let mut row = vec![Cell::raw(a["id"].clone())];
            if v241 {
                row.push(Cell::raw(a["uuid"].clone()));
            }
            row.push(Cell::raw(a["name"].clone()));
            row.push(Cell::raw(a["availability_zone"].clone()));
            if self.long {
                let mut props = a["metadata"].clone();
                if let Some(m) = props.as_object_mut() {
                    m.remove("availability_zone");
                }
                row.push(crate::common::dict_cell(props));
                row.push(crate::common::list_cell(a["hosts"].clone()));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Set aggregate properties
#[derive(clap::Args)]
pub struct SetAggregate {
    /// Aggregate to modify (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
    /// Set aggregate name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Set availability zone name
    #[arg(long, value_name = "availability-zone")]
    zone: Option<String>,
    /// Property to set on <aggregate> (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
    /// Remove all properties from <aggregate> (specify both --property and --no-property to overwrite the current properties)
    #[arg(long = "no-property")]
    no_property: bool,
}

impl Command for SetAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let props = common::parse_kv(&self.property, "--property")?;
        let s = ctx.session()?;
        let a = find(s, &self.aggregate)?;
        let mut body = Map::new();
        if let Some(n) = &self.name {
            body.insert("name".into(), json!(n));
        }
        if let Some(z) = &self.zone {
            body.insert("availability_zone".into(), json!(z));
        }
        if !body.is_empty() {
            common::put(
                s,
                &format!("/os-aggregates/{}", common::py_str(&a["id"])),
                json!({ "aggregate": body }),
                mv::AGGREGATE,
            )?;
        }
        let mut metadata = Map::new();
        if self.no_property {
            // availability_zone cannot be unset through the metadata.
            for k in a["metadata"]
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                if k != "availability_zone" {
                    metadata.insert(k, Value::Null);
                }
            }
        }
        metadata.extend(props);
        if !metadata.is_empty() {
            set_metadata(s, &a["id"], metadata)?;
        }
        Ok(Output::None)
    }
}

/// Display aggregate details
#[derive(clap::Args)]
pub struct ShowAggregate {
    /// Aggregate to display (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
}

impl Command for ShowAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(record(&find(s, &self.aggregate)?, true)))
    }
}

/// Unset aggregate properties
#[derive(clap::Args)]
pub struct UnsetAggregate {
    /// Aggregate to modify (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
    /// Property to remove from aggregate (repeat option to remove multiple properties)
    #[arg(long = "property", value_name = "key")]
    property: Vec<String>,
}

impl Command for UnsetAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let a = find(s, &self.aggregate)?;
        let metadata: Map<String, Value> = self
            .property
            .iter()
            .map(|k| (k.clone(), Value::Null))
            .collect();
        if !metadata.is_empty() {
            set_metadata(s, &a["id"], metadata)?;
        }
        Ok(Output::None)
    }
}

/// Request image caching for aggregate
#[derive(clap::Args)]
pub struct CacheImageForAggregate {
    /// Aggregate (name or ID)
    #[arg(value_name = "aggregate")]
    aggregate: String,
    /// Image ID to request caching for aggregate (name or ID). May be specified multiple times.
    #[arg(value_name = "image", required = true)]
    image: Vec<String>,
}

impl Command for CacheImageForAggregate {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        common::require(s, "2.81", "the aggregate cache image command")?;
        let a = find(s, &self.aggregate)?;
        let mut images = Vec::new();
        for i in &self.image {
            images.push(json!({"id": common::id_or_err(common::find_image(s, i)?, "image", i)?}));
        }
        common::post(
            s,
            &format!("/os-aggregates/{}/images", common::py_str(&a["id"])),
            json!({ "cache": images }),
            mv::AGGREGATE,
        )?;
        Ok(Output::None)
    }
}
