//! `volume group type create/delete/list/set/show/unset` (3.11+).

use crate::common::*;
use osc_core::{Cell, Context, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

pub const GROUP_TYPE: Sdk = Sdk {
    class: "GroupType",
    path: "/group_types",
    list_path: "/group_types",
    singular: "group_type",
    plural: "group_types",
    max_mv: Some("3.11"),
    attrs: &[
        "description",
        "group_specs",
        "is_public",
        "id",
        "name",
        "location",
    ],
    name_filter: false,
    find_query: &[("is_public", "none")],
};

fn format_group_type(g: &Value) -> Record {
    Record::new()
        .with("ID", g["id"].clone())
        .with("Name", g["name"].clone())
        .with("Description", g["description"].clone())
        .with("Is Public", g["is_public"].clone())
        .with("Properties", Cell::dict(g["group_specs"].clone()))
}

fn need(s: &Session, cmd: &str) -> Result<()> {
    require(
        s,
        "3.11",
        &format!("to support the 'volume group type {cmd}' command"),
    )
}

fn delete_spec(s: &Session, id: &str, key: &str) -> Result<()> {
    let path = format!(
        "{}/group_specs/{}",
        GROUP_TYPE.item(id),
        osc_core::resource::encode_segment(key)
    );
    s.send(GROUP_TYPE.req(s, Method::DELETE, path)?).map(|_| ())
}

/// Create a volume group type.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct CreateVolumeGroupType {
    /// Name of new volume group type.
    #[arg(value_name = "name")]
    name: String,
    /// Description of the volume group type.
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Volume group type is available to other projects (default)
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// Volume group type is not available to other projects
    #[arg(long)]
    private: bool,
}

impl osc_core::Command for CreateVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "create")?;
        let g = GROUP_TYPE.create(
            s,
            json!({"name": self.name, "description": self.description, "is_public": !self.private}),
        )?;
        Ok(Output::Show(format_group_type(&g)))
    }
}

/// Delete a volume group type.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct DeleteVolumeGroupType {
    /// Name or ID of volume group type to delete
    #[arg(value_name = "group_type")]
    group_type: String,
}

impl osc_core::Command for DeleteVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "delete")?;
        let id = GROUP_TYPE.find_id(s, &self.group_type)?;
        GROUP_TYPE.delete(s, &id)?;
        Ok(Output::None)
    }
}

/// Update a volume group type.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct SetVolumeGroupType {
    /// Name or ID of volume group type.
    #[arg(value_name = "group_type")]
    group_type: String,
    /// New name for volume group type.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// New description for volume group type.
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Make volume group type available to other projects.
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// Make volume group type unavailable to other projects.
    #[arg(long)]
    private: bool,
    /// Remove all properties from this volume group type (specify both --no-property and
    /// --property to remove the current properties before setting new properties)
    #[arg(long)]
    no_property: bool,
    /// Property to add or modify for this volume group type (repeat option to set multiple
    /// properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
}

impl osc_core::Command for SetVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "set")?;
        let mut g = GROUP_TYPE.find(s, &self.group_type)?;
        let id = str_of(&g, "id");
        let mut steps = Steps::default();
        let mut update = Map::new();
        if let Some(n) = &self.name {
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = &self.description {
            update.insert("description".into(), json!(d));
        }
        if self.public || self.private {
            update.insert("is_public".into(), json!(self.public));
        }
        if !update.is_empty() {
            match GROUP_TYPE.update(s, &id, Value::Object(update)) {
                Ok(v) => g = v,
                Err(e) => steps.run("Failed to update group type", Err::<(), _>(e)),
            }
        }
        if self.no_property {
            let keys: Vec<String> = g["group_specs"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            steps.run(
                "Failed to clear group type properties",
                keys.iter().try_for_each(|k| delete_spec(s, &id, k)),
            );
        }
        if !self.property.is_empty() {
            let path = format!("{}/group_specs", GROUP_TYPE.item(&id));
            let r = s.json(
                GROUP_TYPE
                    .req(s, Method::POST, path)?
                    .json(json!({"group_specs": kv_object(&self.property)})),
            );
            steps.run("Failed to set group type properties", r);
        }
        steps.finish("Command Failed: One or more of the operations failed")?;
        Ok(Output::Show(format_group_type(
            &GROUP_TYPE.find(s, &self.group_type)?,
        )))
    }
}

/// Unset properties of a volume group type.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct UnsetVolumeGroupType {
    /// Name or ID of volume group type.
    #[arg(value_name = "group_type")]
    group_type: String,
    /// Property to remove from this volume group type (repeat option to unset multiple
    /// properties)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
}

impl osc_core::Command for UnsetVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "unset")?;
        let id = GROUP_TYPE.find_id(s, &self.group_type)?;
        for k in &self.property {
            delete_spec(s, &id, k)?;
        }
        Ok(Output::Show(format_group_type(&GROUP_TYPE.get(s, &id)?)))
    }
}

/// Lists all volume group types.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct ListVolumeGroupType {
    /// List the default volume group type.
    #[arg(long)]
    default: bool,
}

impl osc_core::Command for ListVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "list")?;
        let items = if self.default {
            vec![GROUP_TYPE.get(s, "default")?]
        } else {
            GROUP_TYPE.list(s, &[])?
        };
        let mut t = Table::new(["ID", "Name", "Is Public", "Group Specs"]);
        for g in &items {
            t.rows.push(vec![
                Cell::raw(g["id"].clone()),
                Cell::raw(g["name"].clone()),
                Cell::raw(g["is_public"].clone()),
                Cell::dict(g["group_specs"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Show detailed information for a volume group type.
///
/// This command requires ``--os-volume-api-version`` 3.11 or greater.
#[derive(clap::Args)]
pub struct ShowVolumeGroupType {
    /// Name or ID of volume group type.
    #[arg(value_name = "group_type")]
    group_type: String,
}

impl osc_core::Command for ShowVolumeGroupType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        need(s, "show")?;
        Ok(Output::Show(format_group_type(
            &GROUP_TYPE.find(s, &self.group_type)?,
        )))
    }
}
