//! `image metadef property create/delete/list/set/show`.

use crate::common::SVC;
use crate::metadef_namespace::ns_path;
use osc_core::resource::{col, encode_segment, table};
use osc_core::{log, Cell, Context, Error, Output, Record, Result};
use serde_json::{json, Map, Value};

fn prop_path(ns: &str, p: &str) -> String {
    format!("{}/properties/{}", ns_path(ns), encode_segment(p))
}

/// Fields OSC's `_format_property` keeps. openstacksdk names a few differently from Glance
/// (`readonly`, `minLength`...), and OSC looks them up by the SDK name in a dict keyed by
/// Glance names, so those never show; neither do they here, nor does `namespace_name`,
/// which the SDK leaves out of `to_dict`.
const SHOWN: &[&str] = &[
    "name",
    "type",
    "title",
    "description",
    "operators",
    "default",
    "minimum",
    "maximum",
    "enum",
    "pattern",
    "items",
];

fn property_record(p: &Value, name: &str) -> Record {
    let mut fields: Vec<(String, Cell)> = Vec::new();
    for k in SHOWN {
        let v = match *k {
            "name" => p.get("name").cloned().unwrap_or_else(|| json!(name)),
            _ => p.get(*k).cloned().unwrap_or(Value::Null),
        };
        if !v.is_null() {
            fields.push((k.to_string(), Cell::raw(v)));
        }
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

fn parse_schema(schema: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(schema) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::cmd(
            "Failed to load JSON schema: the schema must be a JSON object",
        )),
        Err(e) => Err(Error::cmd(format!("Failed to load JSON schema: {e}"))),
    }
}

#[derive(clap::Args, Debug)]
pub struct CreateMetadefProperty {
    /// Internal name of the property
    #[arg(long, required = true)]
    name: String,
    /// Property name displayed to the user
    #[arg(long, required = true)]
    title: String,
    /// Property type
    #[arg(long = "type", required = true)]
    prop_type: String,
    /// Valid JSON schema of the property
    #[arg(long, required = true)]
    schema: String,
    /// Name of namespace the property will belong.
    namespace: String,
}

impl osc_core::Command for CreateMetadefProperty {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut body = Map::new();
        body.insert("name".into(), json!(self.name));
        body.insert("title".into(), json!(self.title));
        body.insert("type".into(), json!(self.prop_type));
        body.extend(parse_schema(&self.schema)?);
        let s = ctx.session()?;
        let p = s.post(
            SVC,
            &format!("{}/properties", ns_path(&self.namespace)),
            Value::Object(body),
        )?;
        Ok(Output::Show(property_record(&p, &self.name)))
    }
}

#[derive(clap::Args, Debug)]
pub struct DeleteMetadefProperty {
    /// Metadef namespace of the property (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Metadef properties to delete (name) (omit this argument to delete all properties in
    /// the namespace)
    #[arg(value_name = "property")]
    properties: Vec<String>,
}

impl osc_core::Command for DeleteMetadefProperty {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.properties.is_empty() {
            s.delete(SVC, &format!("{}/properties", ns_path(&self.namespace)))?;
            return Ok(Output::None);
        }
        let mut failed = 0;
        for p in &self.properties {
            if let Err(e) = s.delete(SVC, &prop_path(&self.namespace, p)) {
                failed += 1;
                log::warn(&format!(
                    "Failed to delete property with name or ID '{p}' from namespace '{}': {e}",
                    self.namespace
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} properties failed to delete.",
                self.properties.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ListMetadefProperties {
    /// An identifier (a name) for the namespace
    #[arg(value_name = "namespace")]
    namespace: String,
}

impl osc_core::Command for ListMetadefProperties {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = s.get(SVC, &format!("{}/properties", ns_path(&self.namespace)))?;
        // Glance returns a dict keyed by property name.
        let items: Vec<Value> = body
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let mut v = v.clone();
                        if let Some(o) = v.as_object_mut() {
                            o.entry("name").or_insert(json!(k));
                        }
                        v
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Output::List(table(
            &items,
            &[
                col("name", "name"),
                col("title", "title"),
                col("type", "type"),
            ],
        )))
    }
}

#[derive(clap::Args, Debug)]
pub struct SetMetadefProperty {
    /// Internal name of the property
    #[arg(long)]
    name: Option<String>,
    /// Property name displayed to the user
    #[arg(long)]
    title: Option<String>,
    /// Property type
    #[arg(long = "type")]
    prop_type: Option<String>,
    /// Valid JSON schema of the property
    #[arg(long)]
    schema: Option<String>,
    /// Namespace of the namespace to which the property belongs
    namespace: String,
    /// Property to update
    property: String,
}

impl osc_core::Command for SetMetadefProperty {
    fn run(self, ctx: &Context) -> Result<Output> {
        let schema = self.schema.as_deref().map(parse_schema).transpose()?;
        let s = ctx.session()?;
        let path = prop_path(&self.namespace, &self.property);
        // Glance replaces the whole property: start from its current definition.
        let mut body = match s.get(SVC, &path)? {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        body.entry("name").or_insert(json!(self.property));
        for (k, v) in [
            ("name", &self.name),
            ("title", &self.title),
            ("type", &self.prop_type),
        ] {
            if let Some(v) = v {
                body.insert(k.into(), json!(v));
            }
        }
        if let Some(m) = schema {
            body.extend(m);
        }
        s.put(SVC, &path, Value::Object(body))?;
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowMetadefProperty {
    /// Metadef namespace of the property (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Property to show
    #[arg(value_name = "property")]
    property: String,
}

impl osc_core::Command for ShowMetadefProperty {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let p = s.get(SVC, &prop_path(&self.namespace, &self.property))?;
        Ok(Output::Show(property_record(&p, &self.property)))
    }
}
