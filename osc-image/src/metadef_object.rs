//! `image metadef object create/delete/list/show/update` and `object property show`.

use crate::common::SVC;
use crate::metadef_namespace::ns_path;
use osc_core::resource::{col, encode_segment, table};
use osc_core::{log, Cell, Context, Error, Output, Record, Result};
use serde_json::{json, Value};

fn obj_path(ns: &str, obj: &str) -> String {
    format!("{}/objects/{}", ns_path(ns), encode_segment(obj))
}

/// OSC's `_format_object`: these fields in this order; `namespace_name` is the namespace.
fn object_record(o: &Value, ns: &str) -> Record {
    let get = |k: &str| o.get(k).cloned().unwrap_or(Value::Null);
    Record::new()
        .with("created_at", get("created_at"))
        .with("description", get("description"))
        .with("name", get("name"))
        .with("namespace_name", json!(ns))
        .with("properties", get("properties"))
        .with("required", get("required"))
        .with("updated_at", get("updated_at"))
}

#[derive(clap::Args, Debug)]
pub struct CreateMetadefObjects {
    /// Metadef namespace to create the object in (name)
    #[arg(long, value_name = "namespace")]
    namespace: Option<String>,
    /// New metadef object name
    #[arg(value_name = "metadef-object-name")]
    name: String,
}

impl osc_core::Command for CreateMetadefObjects {
    fn run(self, ctx: &Context) -> Result<Output> {
        let Some(ns) = &self.namespace else {
            return Err(Error::usage(
                "--namespace is required: give the metadef namespace to create the object in",
            ));
        };
        let s = ctx.session()?;
        let namespace = s.get(SVC, &ns_path(ns))?;
        let ns_name = namespace
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or(ns)
            .to_string();
        let o = s.post(
            SVC,
            &format!("{}/objects", ns_path(&ns_name)),
            json!({"name": self.name}),
        )?;
        Ok(Output::Show(object_record(&o, &ns_name)))
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowMetadefObjects {
    /// Metadef namespace of the object (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Metadef object to show
    #[arg(value_name = "object")]
    object: String,
}

impl osc_core::Command for ShowMetadefObjects {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let o = s.get(SVC, &obj_path(&self.namespace, &self.object))?;
        Ok(Output::Show(object_record(&o, &self.namespace)))
    }
}

#[derive(clap::Args, Debug)]
pub struct DeleteMetadefObject {
    /// Metadef namespace of the object (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Metadef object(s) to delete (name) (omit this argument to delete all objects in the
    /// namespace)
    #[arg(value_name = "object")]
    objects: Vec<String>,
}

impl osc_core::Command for DeleteMetadefObject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.objects.is_empty() {
            s.delete(SVC, &format!("{}/objects", ns_path(&self.namespace)))?;
            return Ok(Output::None);
        }
        let mut failed = 0;
        for obj in &self.objects {
            let p = obj_path(&self.namespace, obj);
            if let Err(e) = s.get(SVC, &p).and_then(|_| s.delete(SVC, &p)) {
                failed += 1;
                log::warn(&format!(
                    "Failed to delete object with name or ID '{obj}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} object failed to delete.",
                self.objects.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ListMetadefObjects {
    /// Namespace (name) for the namespace
    #[arg(value_name = "namespace")]
    namespace: String,
}

impl osc_core::Command for ListMetadefObjects {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = s.get(SVC, &format!("{}/objects", ns_path(&self.namespace)))?;
        let items: Vec<Value> = body
            .get("objects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(Output::List(table(
            &items,
            &[col("name", "name"), col("description", "description")],
        )))
    }
}

#[derive(clap::Args, Debug)]
pub struct SetMetadefObject {
    /// Metadef namespace name
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Metadef object to be updated
    #[arg(value_name = "object")]
    object: String,
    /// New name of the object
    #[arg(long)]
    name: Option<String>,
}

impl osc_core::Command for SetMetadefObject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let p = obj_path(&self.namespace, &self.object);
        let current = s.get(SVC, &p)?;
        // Glance replaces the whole object: send it back with the change.
        let mut body = serde_json::Map::new();
        for k in ["name", "description", "properties", "required"] {
            if let Some(v) = current.get(k).filter(|v| !v.is_null()) {
                body.insert(k.into(), v.clone());
            }
        }
        if let Some(n) = &self.name {
            body.insert("name".into(), json!(n));
        }
        s.put(SVC, &p, Value::Object(body))?;
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowMetadefObjectProperty {
    /// Namespace (name) for the namespace
    #[arg(value_name = "namespace_name")]
    namespace: String,
    /// Name of an object.
    #[arg(value_name = "object_name")]
    object: String,
    /// Name of the property.
    #[arg(value_name = "property")]
    property: String,
}

impl osc_core::Command for ShowMetadefObjectProperty {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let o = s.get(SVC, &obj_path(&self.namespace, &self.object))?;
        let Some(prop) = o
            .get("properties")
            .and_then(|p| p.get(&self.property))
            .and_then(Value::as_object)
        else {
            return Err(Error::cmd(format!(
                "Property {} not found in object {}.",
                self.property, self.object
            )));
        };
        let mut prop = prop.clone();
        prop.insert("name".into(), json!(self.property));
        let mut fields: Vec<(String, Cell)> =
            prop.into_iter().map(|(k, v)| (k, Cell::raw(v))).collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Output::Show(Record { fields }))
    }
}
