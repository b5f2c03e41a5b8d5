//! `image metadef namespace create/delete/list/set/show/unset`.

use crate::common::SVC;
use osc_core::resource::{col, encode_segment, list_all, table};
use osc_core::{log, Cell, Context, Error, Method, Output, Record, Request, Result, Session};
use serde_json::{json, Map, Value};

pub fn ns_path(ns: &str) -> String {
    format!("/metadefs/namespaces/{}", encode_segment(ns))
}

/// OSC's `_format_namespace` over openstacksdk's `MetadefNamespace` (which keeps only its
/// known attributes): sorted fields, resource type associations by name.
fn namespace_record(ns: &Value) -> Record {
    let mut fields: Vec<(String, Cell)> = Vec::new();
    let Some(o) = ns.as_object() else {
        return Record { fields };
    };
    for (k, v) in o {
        if v.is_null() {
            continue;
        }
        match k.as_str() {
            "created_at" | "description" | "display_name" | "namespace" | "owner" | "protected"
            | "tags" | "updated_at" | "visibility" => {
                fields.push((k.clone(), Cell::raw(v.clone())))
            }
            "resource_type_associations" => {
                let names: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.get("name").cloned())
                    .collect();
                fields.push((k.clone(), Cell::raw(Value::Array(names))));
            }
            _ => {}
        }
    }
    if !o.contains_key("tags") {
        fields.push(("tags".into(), Cell::raw(json!([]))));
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

#[derive(clap::Args, Debug, Default)]
pub struct NamespaceVisibility {
    /// Set namespace visibility 'public'
    #[arg(long, group = "visibility")]
    public: bool,
    /// Set namespace visibility 'private'
    #[arg(long, group = "visibility")]
    private: bool,
}

impl NamespaceVisibility {
    fn value(&self) -> Option<&'static str> {
        if self.public {
            Some("public")
        } else if self.private {
            Some("private")
        } else {
            None
        }
    }
}

#[derive(clap::Args, Debug, Default)]
pub struct NamespaceProtection {
    /// Prevent metadef namespace from being deleted
    #[arg(long, group = "protection")]
    protected: bool,
    /// Allow metadef namespace to be deleted (default)
    #[arg(long, group = "protection")]
    unprotected: bool,
}

impl NamespaceProtection {
    fn value(&self) -> Option<bool> {
        if self.protected {
            Some(true)
        } else if self.unprotected {
            Some(false)
        } else {
            None
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CreateMetadefNamespace {
    /// New metadef namespace name
    #[arg(value_name = "namespace")]
    namespace: String,
    /// A user-friendly name for the namespace.
    #[arg(long, value_name = "display_name")]
    display_name: Option<String>,
    /// A description of the namespace
    #[arg(long, value_name = "description")]
    description: Option<String>,
    #[command(flatten)]
    visibility: NamespaceVisibility,
    #[command(flatten)]
    protection: NamespaceProtection,
}

impl osc_core::Command for CreateMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = Map::new();
        body.insert("namespace".into(), json!(self.namespace));
        if let Some(v) = &self.display_name {
            body.insert("display_name".into(), json!(v));
        }
        if let Some(v) = &self.description {
            body.insert("description".into(), json!(v));
        }
        if let Some(p) = self.protection.value() {
            body.insert("protected".into(), json!(p));
        }
        if let Some(v) = self.visibility.value() {
            body.insert("visibility".into(), json!(v));
        }
        let ns = s.post(SVC, "/metadefs/namespaces", Value::Object(body))?;
        Ok(Output::Show(namespace_record(&ns)))
    }
}

#[derive(clap::Args, Debug)]
pub struct DeleteMetadefNamespace {
    /// Metadef namespace(s) to delete (name)
    #[arg(value_name = "namespace", required = true)]
    namespace: Vec<String>,
}

impl osc_core::Command for DeleteMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for ns in &self.namespace {
            let r = s
                .get(SVC, &ns_path(ns))
                .and_then(|_| s.delete(SVC, &ns_path(ns)));
            if let Err(e) = r {
                failed += 1;
                log::warn(&format!(
                    "Failed to delete namespace with name or ID '{ns}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "{failed} of {} namespace failed to delete.",
                self.namespace.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ListMetadefNamespace {
    /// filter resource types
    #[arg(long, value_name = "resource_types")]
    resource_types: Option<String>,
    /// filter on visibility
    #[arg(long, value_name = "visibility")]
    visibility: Option<String>,
}

impl osc_core::Command for ListMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q = Vec::new();
        if let Some(v) = &self.resource_types {
            q.push(("resource_types".to_string(), v.clone()));
        }
        if let Some(v) = &self.visibility {
            q.push(("visibility".to_string(), v.clone()));
        }
        let items = list_all(s, SVC, "/metadefs/namespaces", "namespaces", &q)?;
        Ok(Output::List(table(
            &items,
            &[col("namespace", "namespace")],
        )))
    }
}

/// Updates a namespace with PUT. Glance replaces the whole namespace, so the current
/// fields are sent with the changes.
pub fn update_namespace(s: &Session, ns: &str, changes: &Map<String, Value>) -> Result<Value> {
    let current = s.get(SVC, &ns_path(ns))?;
    let mut body = Map::new();
    for k in [
        "namespace",
        "display_name",
        "description",
        "visibility",
        "protected",
    ] {
        if let Some(v) = current.get(k).filter(|v| !v.is_null()) {
            body.insert(k.into(), v.clone());
        }
    }
    for (k, v) in changes {
        body.insert(k.clone(), v.clone());
    }
    s.put(SVC, &ns_path(ns), Value::Object(body))
}

#[derive(clap::Args, Debug)]
pub struct SetMetadefNamespace {
    /// Metadef namespace to modify (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Set a user-friendly name for the namespace.
    #[arg(long, value_name = "display_name")]
    display_name: Option<String>,
    /// Set the description of the namespace
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Metadef namespace is accessible to the public
    #[arg(long, group = "visibility")]
    public: bool,
    /// Metadef namespace is inaccessible to the public (default)
    #[arg(long, group = "visibility")]
    private: bool,
    #[command(flatten)]
    protection: NamespaceProtection,
    /// Set a tag on this metadef namespace (repeat option to set multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
}

impl osc_core::Command for SetMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut changes = Map::new();
        if let Some(v) = &self.display_name {
            changes.insert("display_name".into(), json!(v));
        }
        if let Some(v) = &self.description {
            changes.insert("description".into(), json!(v));
        }
        if let Some(p) = self.protection.value() {
            changes.insert("protected".into(), json!(p));
        }
        if self.public {
            changes.insert("visibility".into(), json!("public"));
        } else if self.private {
            changes.insert("visibility".into(), json!("private"));
        }
        update_namespace(s, &self.namespace, &changes)?;
        let mut failed = 0;
        for tag in &self.tags {
            let path = format!("{}/tags/{}", ns_path(&self.namespace), encode_segment(tag));
            if s.send(Request::new(Method::POST, SVC, path)).is_err() {
                log::warn(&format!("Tag set failed for tag {tag}"));
                failed += 1;
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "Failed to set {failed} of {} tags.",
                self.tags.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowMetadefNamespace {
    /// Metadef namespace to show (name)
    #[arg(value_name = "namespace")]
    namespace: String,
}

impl osc_core::Command for ShowMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let ns = s.get(SVC, &ns_path(&self.namespace))?;
        Ok(Output::Show(namespace_record(&ns)))
    }
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["tags", "all_tags"])))]
pub struct UnsetMetadefNamespace {
    /// Metadef namespace to modify (name)
    #[arg(value_name = "namespace")]
    namespace: String,
    /// Unset a tag on this metadef namespace (repeat option to unset multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
    /// Unset all metadef tags
    #[arg(long)]
    all_tags: bool,
}

impl osc_core::Command for UnsetMetadefNamespace {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        s.get(SVC, &ns_path(&self.namespace))?;
        if self.all_tags {
            s.delete(SVC, &format!("{}/tags", ns_path(&self.namespace)))?;
            return Ok(Output::None);
        }
        let mut failed = 0;
        for tag in &self.tags {
            let path = format!("{}/tags/{}", ns_path(&self.namespace), encode_segment(tag));
            if s.delete(SVC, &path).is_err() {
                log::warn(&format!("tag unset failed for tag {tag}"));
                failed += 1;
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "Failed to unset {failed} of {} tags.",
                self.tags.len()
            )));
        }
        Ok(Output::None)
    }
}
