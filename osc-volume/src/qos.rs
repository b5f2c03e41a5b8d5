//! `volume qos associate/create/delete/disassociate/list/set/show/unset`.

use crate::common::*;
use crate::volume::py_bool;
use crate::volume_type::TYPE;
use osc_core::{Cell, Context, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Value};

pub const QOS: Sdk = Sdk {
    class: "QoSSpec",
    path: "/qos-specs",
    list_path: "/qos-specs",
    singular: "qos_specs",
    plural: "qos_specs",
    max_mv: None,
    attrs: &["consumer", "id", "name", "specs", "location"],
    name_filter: false,
    find_query: &[],
};

/// Names of the volume types a QoS specification is associated with.
fn associations(s: &Session, id: &str) -> Result<Vec<Value>> {
    let r = s.json(QOS.req(s, Method::GET, format!("{}/associations", QOS.item(id)))?)?;
    Ok(r["qos_associations"]
        .as_array()
        .map(|a| a.iter().map(|x| x["name"].clone()).collect())
        .unwrap_or_default())
}

fn get(s: &Session, id: &str, path: &str, query: &[(String, String)]) -> Result<()> {
    s.send(
        QOS.req(s, Method::GET, format!("{}/{path}", QOS.item(id)))?
            .queries(query),
    )
    .map(|_| ())
}

/// Associate a QoS specification to a volume type
#[derive(clap::Args)]
pub struct AssociateQos {
    /// QoS specification to modify (name or ID)
    #[arg(value_name = "qos-spec")]
    qos_spec: String,
    /// Volume type to associate the QoS (name or ID)
    #[arg(value_name = "volume-type")]
    volume_type: String,
}

impl osc_core::Command for AssociateQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = QOS.find_id(s, &self.qos_spec)?;
        let vt = TYPE.find_id(s, &self.volume_type)?;
        get(s, &id, "associate", &[("vol_type_id".into(), vt)])?;
        Ok(Output::None)
    }
}

/// Create new QoS specification
#[derive(clap::Args)]
pub struct CreateQos {
    /// New QoS specification name
    #[arg(value_name = "name")]
    name: String,
    /// Consumer of the QoS. Valid consumers: back-end, both, front-end (defaults to 'both')
    #[arg(long, value_name = "consumer", value_parser = ["front-end", "back-end", "both"], default_value = "both")]
    consumer: String,
    /// Set a QoS specification property (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
}

impl osc_core::Command for CreateQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = kv_object(&[("consumer".to_string(), self.consumer.clone())]);
        body.extend(kv_object(&self.property));
        body.insert("name".into(), json!(self.name));
        let q = QOS.create(s, Value::Object(body))?;
        Ok(Output::Show(
            Record::new()
                .with("consumer", q["consumer"].clone())
                .with("id", q["id"].clone())
                .with("name", q["name"].clone())
                .with("properties", Cell::dict(q["specs"].clone())),
        ))
    }
}

/// Delete QoS specification
#[derive(clap::Args)]
pub struct DeleteQos {
    /// QoS specification(s) to delete (name or ID)
    #[arg(value_name = "qos-spec", required = true)]
    qos_specs: Vec<String>,
    /// Allow to delete in-use QoS specification(s)
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for DeleteQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for n in &self.qos_specs {
            let r = QOS.find_id(s, n).and_then(|id| {
                s.send(
                    QOS.req(s, Method::DELETE, QOS.item(&id))?
                        .query("force", py_bool(self.force)),
                )
                .map(|_| ())
            });
            if let Err(e) = r {
                failed += 1;
                osc_core::log::warn(&format!(
                    "Failed to delete QoS specification with name or ID '{n}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(osc_core::Error::cmd(format!(
                "{failed} of {} QoS specifications failed to delete.",
                self.qos_specs.len()
            )));
        }
        Ok(Output::None)
    }
}

/// Disassociate a QoS specification from a volume type
#[derive(clap::Args)]
pub struct DisassociateQos {
    /// QoS specification to modify (name or ID)
    #[arg(value_name = "qos-spec")]
    qos_spec: String,
    /// Volume type to disassociate the QoS from (name or ID)
    #[arg(long, value_name = "volume-type", conflicts_with = "all")]
    volume_type: Option<String>,
    /// Disassociate the QoS from every volume type
    #[arg(long)]
    all: bool,
}

impl osc_core::Command for DisassociateQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = QOS.find_id(s, &self.qos_spec)?;
        if let Some(t) = &self.volume_type {
            let vt = TYPE.find_id(s, t)?;
            get(s, &id, "disassociate", &[("vol_type_id".into(), vt)])?;
        } else if self.all {
            get(s, &id, "disassociate_all", &[])?;
        }
        Ok(Output::None)
    }
}

/// List QoS specifications
#[derive(clap::Args)]
pub struct ListQos {}

impl osc_core::Command for ListQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut t = Table::new(["ID", "Name", "Consumer", "Associations", "Properties"]);
        for q in QOS.list(s, &[])? {
            let assoc = associations(s, &str_of(&q, "id"))?;
            t.rows.push(vec![
                Cell::raw(q["id"].clone()),
                Cell::raw(q["name"].clone()),
                Cell::raw(q["consumer"].clone()),
                Cell::list(Value::Array(assoc)),
                Cell::dict(q["specs"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Set QoS specification properties
#[derive(clap::Args)]
pub struct SetQos {
    /// QoS specification to modify (name or ID)
    #[arg(value_name = "qos-spec")]
    qos_spec: String,
    /// Remove all properties from <qos-spec> (specify both --no-property and --property to
    /// remove the current properties before setting new properties)
    #[arg(long)]
    no_property: bool,
    /// Property to add or modify for this QoS specification (repeat option to set multiple
    /// properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
}

fn delete_keys(s: &Session, id: &str, keys: Vec<String>) -> Result<()> {
    s.send(
        QOS.req(s, Method::PUT, format!("{}/delete_keys", QOS.item(id)))?
            .json(json!({"keys": keys})),
    )
    .map(|_| ())
}

impl osc_core::Command for SetQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let q = QOS.find(s, &self.qos_spec)?;
        let id = str_of(&q, "id");
        let mut steps = Steps::default();
        if self.no_property {
            let keys = q["specs"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            steps.run("Failed to clean qos properties", delete_keys(s, &id, keys));
        }
        if !self.property.is_empty() {
            let r = s.json(
                QOS.req(s, Method::PUT, QOS.item(&id))?
                    .json(json!({"qos_specs": kv_object(&self.property)})),
            );
            steps.run("Failed to set qos property", r);
        }
        steps.finish("One or more of the set operations failed")
    }
}

/// Display QoS specification details
#[derive(clap::Args)]
pub struct ShowQos {
    /// QoS specification to display (name or ID)
    #[arg(value_name = "qos-spec")]
    qos_spec: String,
}

impl osc_core::Command for ShowQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let q = QOS.find(s, &self.qos_spec)?;
        let assoc = associations(s, &str_of(&q, "id"))?;
        let mut r = Record::new();
        if !assoc.is_empty() {
            r.push("associations", Cell::list(Value::Array(assoc)));
        }
        r.push("consumer", q["consumer"].clone());
        r.push("id", q["id"].clone());
        r.push("name", q["name"].clone());
        r.push("properties", Cell::dict(q["specs"].clone()));
        Ok(Output::Show(r))
    }
}

/// Unset QoS specification properties
#[derive(clap::Args)]
pub struct UnsetQos {
    /// QoS specification to modify (name or ID)
    #[arg(value_name = "qos-spec")]
    qos_spec: String,
    /// Property to remove from the QoS specification. (repeat option to unset multiple
    /// properties)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
}

impl osc_core::Command for UnsetQos {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = QOS.find_id(s, &self.qos_spec)?;
        if !self.property.is_empty() {
            delete_keys(s, &id, self.property)?;
        }
        Ok(Output::None)
    }
}
