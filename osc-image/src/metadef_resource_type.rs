//! `image metadef resource type list` and `resource type association create/delete/list`.

use crate::common::SVC;
use crate::metadef_namespace::{ns_path, update_namespace};
use osc_core::resource::{col, encode_segment, table};
use osc_core::{log, Context, Error, Output, Record, Result};
use serde_json::{json, Map, Value};

#[derive(clap::Args, Debug)]
pub struct ListMetadefResourceTypes {}

impl osc_core::Command for ListMetadefResourceTypes {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = s.get(SVC, "/metadefs/resource_types")?;
        let items: Vec<Value> = body
            .get("resource_types")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(Output::List(table(&items, &[col("Name", "name")])))
    }
}

#[derive(clap::Args, Debug)]
pub struct CreateMetadefResourceTypeAssociation {
    /// The name of the namespace you want to create the resource type association in
    #[arg(value_name = "namespace")]
    namespace: String,
    /// A name of the new resource type
    #[arg(value_name = "name")]
    name: String,
    /// Some resource types allow more than one key/value pair per instance.
    #[arg(long, value_name = "properties_target")]
    properties_target: Option<String>,
}

impl osc_core::Command for CreateMetadefResourceTypeAssociation {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = json!({"name": self.name});
        if let Some(t) = &self.properties_target {
            body["properties_target"] = json!(t);
        }
        let a = s.post(
            SVC,
            &format!("{}/resource_types", ns_path(&self.namespace)),
            body,
        )?;
        // openstacksdk's association: its fields plus the name as `id` and the namespace.
        let get = |k: &str| a.get(k).cloned().unwrap_or(Value::Null);
        Ok(Output::Show(
            Record::new()
                .with("created_at", get("created_at"))
                .with("id", get("name"))
                .with("name", get("name"))
                .with("namespace_name", json!(self.namespace))
                .with("prefix", get("prefix"))
                .with("properties_target", get("properties_target"))
                .with("updated_at", get("updated_at")),
        ))
    }
}

#[derive(clap::Args, Debug)]
pub struct DeleteMetadefResourceTypeAssociation {
    /// The name of the namespace whose details you want to see
    #[arg(value_name = "metadef_namespace")]
    metadef_namespace: String,
    /// The name of the resource type(s) (repeat option to delete multiple metadef resource
    /// type associations)
    #[arg(value_name = "name", required = true)]
    name: Vec<String>,
    /// Force delete the resource type association if the namespace is protected
    #[arg(long)]
    force: bool,
}

impl osc_core::Command for DeleteMetadefResourceTypeAssociation {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let ns = &self.metadef_namespace;
        let mut failed = 0;
        for rt in &self.name {
            let r = (|| -> Result<()> {
                let current = s.get(SVC, &ns_path(ns))?;
                let protected = current
                    .get("protected")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let set_protected = |p: bool| {
                    let mut m = Map::new();
                    m.insert("protected".into(), json!(p));
                    update_namespace(s, ns, &m).map(|_| ())
                };
                if protected && self.force {
                    set_protected(false)?;
                }
                let r = s.delete(
                    SVC,
                    &format!("{}/resource_types/{}", ns_path(ns), encode_segment(rt)),
                );
                if protected && self.force {
                    set_protected(true)?;
                }
                r
            })();
            if let Err(e) = r {
                failed += 1;
                log::warn(&format!(
                    "Failed to delete resource type with name or ID '{rt}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} resource type failed to delete.",
                self.name.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ListMetadefResourceTypeAssociations {
    /// The name of the namespace whose details you want to see
    #[arg(value_name = "metadef_namespace")]
    metadef_namespace: String,
}

impl osc_core::Command for ListMetadefResourceTypeAssociations {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = s.get(
            SVC,
            &format!("{}/resource_types", ns_path(&self.metadef_namespace)),
        )?;
        let items: Vec<Value> = body
            .get("resource_type_associations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(Output::List(table(&items, &[col("Name", "name")])))
    }
}
