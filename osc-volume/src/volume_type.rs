//! `volume type create/delete/list/set/show/unset`, with type access, extra specs and
//! encryption.

use crate::common::*;
use crate::format;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Session, Table};
use serde_json::{json, Map, Value};

pub const TYPE: Sdk = Sdk {
    class: "Type",
    path: "/types",
    list_path: "/types",
    singular: "volume_type",
    plural: "volume_types",
    max_mv: None,
    attrs: &[
        "description",
        "extra_specs",
        "os-volume-type-access:is_public",
        "id",
        "name",
        "location",
    ],
    name_filter: false,
    find_query: &[("is_public", "none")],
};

/// OSC's `_format_type` over `to_dict()` (Python names): `extra_specs` as `properties`.
fn format_type(raw: &Value) -> Vec<(String, Cell)> {
    vec![
        ("description".into(), Cell::raw(raw["description"].clone())),
        ("id".into(), Cell::raw(raw["id"].clone())),
        (
            "is_public".into(),
            Cell::raw(raw["os-volume-type-access:is_public"].clone()),
        ),
        ("name".into(), Cell::raw(raw["name"].clone())),
        (
            "properties".into(),
            Cell::dict(if raw["extra_specs"].is_null() {
                json!({})
            } else {
                raw["extra_specs"].clone()
            }),
        ),
    ]
}

/// OSC's `_format_encryption`: the set encryption fields, bookkeeping ones dropped.
fn format_encryption(raw: &Value) -> Map<String, Value> {
    let body = raw.get("encryption").unwrap_or(raw);
    [
        "cipher",
        "control_location",
        "encryption_id",
        "key_size",
        "provider",
    ]
    .iter()
    .filter_map(|k| {
        body.get(*k)
            .filter(|v| !v.is_null())
            .map(|v| (k.to_string(), v.clone()))
    })
    .collect()
}

fn sorted(mut fields: Vec<(String, Cell)>) -> Record {
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

/// The `--property` aliases shared by create, set and list.
#[derive(clap::Args, Clone)]
pub struct SpecAliases {
    /// Set a property on this volume type (repeat option to set multiple properties)
    #[arg(long, value_name = "key=value", value_parser = parse_kv)]
    property: Vec<(String, String)>,
    /// Enable multi-attach for this volume type (this is an alias for '--property
    /// multiattach=<is> True') (requires driver support)
    #[arg(long)]
    multiattach: bool,
    /// Enable caching for this volume type (this is an alias for '--property cacheable=<is>
    /// True') (requires driver support)
    #[arg(long)]
    cacheable: bool,
    /// Enabled replication for this volume type (this is an alias for '--property
    /// replication_enabled=<is> True') (requires driver support)
    #[arg(long)]
    replicated: bool,
    /// Set an availability zone for this volume type (this is an alias for '--property
    /// RESKEY:availability_zones:<az>') (repeat option to set multiple availability zones)
    #[arg(long, value_name = "AVAILABILITY_ZONES")]
    availability_zone: Vec<String>,
}

impl SpecAliases {
    fn specs(&self) -> Map<String, Value> {
        let mut m = kv_object(&self.property);
        if self.multiattach {
            m.insert("multiattach".into(), json!("<is> True"));
        }
        if self.cacheable {
            m.insert("cacheable".into(), json!("<is> True"));
        }
        if self.replicated {
            m.insert("replication_enabled".into(), json!("<is> True"));
        }
        if !self.availability_zone.is_empty() {
            m.insert(
                "RESKEY:availability_zones".into(),
                json!(self.availability_zone.join(",")),
            );
        }
        m
    }
}

/// The `--encryption-*` options shared by create and set.
#[derive(clap::Args, Clone)]
pub struct EncryptionOpts {
    /// Set the encryption provider format for this volume type (e.g "luks" or "plain")
    /// (admin only) (This option is required when setting encryption type of a volume.
    /// Consider using other encryption options such as: "--encryption-cipher",
    /// "--encryption-key-size" and "--encryption-control-location")
    #[arg(long, value_name = "provider")]
    encryption_provider: Option<String>,
    /// Set the encryption algorithm or mode for this volume type (e.g "aes-xts-plain64")
    /// (admin only)
    #[arg(long, value_name = "cipher")]
    encryption_cipher: Option<String>,
    /// Set the size of the encryption key of this volume type (e.g "128" or "256") (admin
    /// only)
    #[arg(long, value_name = "key-size")]
    encryption_key_size: Option<i64>,
    /// Set the notional service where the encryption is performed ("front-end" or
    /// "back-end") (admin only) (The default value for this option is "front-end" when
    /// setting encryption type of a volume. Consider using other encryption options such
    /// as: "--encryption-cipher", "--encryption-key-size" and "--encryption-provider")
    #[arg(long, value_name = "control-location", value_parser = ["front-end", "back-end"])]
    encryption_control_location: Option<String>,
}

impl EncryptionOpts {
    fn any(&self) -> bool {
        self.encryption_provider.is_some()
            || self.encryption_cipher.is_some()
            || self.encryption_key_size.is_some()
            || self.encryption_control_location.is_some()
    }

    fn create(&self, s: &Session, type_id: &str) -> Result<Value> {
        let Some(provider) = &self.encryption_provider else {
            return Err(Error::cmd(
                "'--encryption-provider' should be specified while creating a new encryption type",
            ));
        };
        let mut e = Map::new();
        e.insert("provider".into(), json!(provider));
        if let Some(c) = &self.encryption_cipher {
            e.insert("cipher".into(), json!(c));
        }
        if let Some(k) = self.encryption_key_size {
            e.insert("key_size".into(), json!(k));
        }
        e.insert(
            "control_location".into(),
            json!(self
                .encryption_control_location
                .as_deref()
                .unwrap_or("front-end")),
        );
        let r = s.json(
            TYPE.req(
                s,
                Method::POST,
                format!("{}/encryption", TYPE.item(type_id)),
            )?
            .json(json!({"encryption": e})),
        )?;
        Ok(r.get("encryption").cloned().unwrap_or(r))
    }

    fn set(&self, s: &Session, type_id: &str) -> Result<()> {
        let current = get_encryption(s, type_id)?;
        let enc_id = str_of(&current, "encryption_id");
        if enc_id.is_empty() {
            if self.encryption_provider.is_none() {
                return Err(Error::cmd("'--encryption-provider' should be specified while creating a new encryption type"));
            }
            osc_core::log::warn("No existing encryption type found, creating new encryption type for this volume type ...");
            return self.create(s, type_id).map(|_| ());
        }
        let mut e = Map::new();
        for (k, v) in [
            (
                "provider",
                self.encryption_provider.as_ref().map(|v| json!(v)),
            ),
            ("cipher", self.encryption_cipher.as_ref().map(|v| json!(v))),
            ("key_size", self.encryption_key_size.map(|v| json!(v))),
            (
                "control_location",
                self.encryption_control_location.as_ref().map(|v| json!(v)),
            ),
        ] {
            if let Some(v) = v {
                e.insert(k.into(), v);
            }
        }
        let path = format!(
            "{}/encryption/{}",
            TYPE.item(type_id),
            osc_core::resource::encode_segment(&enc_id)
        );
        s.json(
            TYPE.req(s, Method::PUT, path)?
                .json(json!({"encryption": e})),
        )
        .map(|_| ())
    }
}

/// GET a type's encryption (`{}` when it has none).
fn get_encryption(s: &Session, type_id: &str) -> Result<Value> {
    let r = s.json(TYPE.req(s, Method::GET, format!("{}/encryption", TYPE.item(type_id)))?)?;
    Ok(r.get("encryption").cloned().unwrap_or(r))
}

fn add_access(s: &Session, type_id: &str, project: &str) -> Result<Value> {
    TYPE.action(
        s,
        type_id,
        json!({"addProjectAccess": {"project": project}}),
    )
}

fn set_specs(s: &Session, type_id: &str, specs: Map<String, Value>) -> Result<Value> {
    let r = s.json(
        TYPE.req(
            s,
            Method::POST,
            format!("{}/extra_specs", TYPE.item(type_id)),
        )?
        .json(json!({"extra_specs": specs})),
    )?;
    Ok(r["extra_specs"].clone())
}

/// Create new volume type
#[derive(clap::Args)]
pub struct CreateVolumeType {
    /// Volume type name
    #[arg(value_name = "name")]
    name: String,
    /// Volume type description
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Volume type is accessible to the public
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// Volume type is not accessible to the public
    #[arg(long)]
    private: bool,
    #[command(flatten)]
    specs: SpecAliases,
    /// Allow <project> to access private type (name or ID) (must be used with --private option)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    #[command(flatten)]
    encryption: EncryptionOpts,
}

impl osc_core::Command for CreateVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.project.is_some() && !self.private {
            return Err(Error::cmd("--project is only allowed with --private"));
        }
        let s = ctx.session()?;
        let mut body = Map::new();
        body.insert("name".into(), json!(self.name));
        body.insert("description".into(), json!(self.description));
        if self.public || self.private {
            body.insert("os-volume-type-access:is_public".into(), json!(self.public));
        }
        let vt = TYPE.create(s, Value::Object(body))?;
        let id = str_of(&vt, "id");
        let mut info = format_type(&vt);
        if let Some(p) = &self.project {
            if let Err(e) = project_id(s, p, self.project_domain.as_deref())
                .and_then(|pid| add_access(s, &id, &pid))
            {
                osc_core::log::warn(&format!("Failed to add project {p} access to type: {e}"));
            }
        }
        let specs = self.specs.specs();
        if !specs.is_empty() {
            let result = set_specs(s, &id, specs)?;
            info.retain(|(k, _)| k != "properties");
            info.push(("properties".into(), Cell::dict(result)));
        }
        if self.encryption.any() {
            match self.encryption.create(s, &id) {
                Ok(e) => info.push((
                    "encryption".into(),
                    Cell::dict(Value::Object(format_encryption(&e))),
                )),
                Err(e) => {
                    osc_core::log::warn(&format!(
                        "Failed to set encryption information for this volume type: {e}"
                    ));
                    return Err(e);
                }
            }
        }
        Ok(Output::Show(sorted(info)))
    }
}

/// Delete volume type(s)
#[derive(clap::Args)]
pub struct DeleteVolumeType {
    /// Volume type(s) to delete (name or ID)
    #[arg(value_name = "volume-type", required = true)]
    volume_types: Vec<String>,
}

impl osc_core::Command for DeleteVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.volume_types,
            "volume type",
            "volume types",
            "delete",
            |n| {
                let id = TYPE.find_id(s, n)?;
                TYPE.delete(s, &id)
            },
        )
    }
}

/// List volume types
#[derive(clap::Args)]
pub struct ListVolumeType {
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// List the default volume type
    #[arg(long, conflicts_with_all = ["public", "private"])]
    default: bool,
    /// List only public types
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// List only private types (admin only)
    #[arg(long)]
    private: bool,
    /// Display encryption information for each volume type (admin only)
    #[arg(long)]
    encryption_type: bool,
    #[command(flatten)]
    specs: SpecAliases,
}

impl osc_core::Command for ListVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let data = if self.default {
            vec![TYPE.get(s, "default")?]
        } else {
            // Cinder expects the string "none" for "both public and private".
            let is_public = if self.public {
                "True"
            } else if self.private {
                "False"
            } else {
                "none"
            };
            let mut query = vec![("is_public".to_string(), is_public.to_string())];
            let specs = self.specs.specs();
            if !specs.is_empty() {
                if !supports(s, "3.52")? {
                    return Err(Error::cmd(
                        "--os-volume-api-version 3.52 or greater is required to use the '--property' option or any of the alias options",
                    ));
                }
                let items: Vec<String> = specs
                    .iter()
                    .map(|(k, v)| format!("'{k}': '{}'", v.as_str().unwrap_or("")))
                    .collect();
                query.push(("extra_specs".into(), format!("{{{}}}", items.join(", "))));
                let req = TYPE
                    .resource()
                    .max_microversion("3.52")
                    .request(s, Method::GET, "/types")?
                    .queries(&query);
                s.json(req)?["volume_types"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            } else {
                TYPE.list(s, &query)?
            }
        };
        let mut cols = vec!["ID", "Name", "Is Public"];
        if self.long {
            cols.extend(["Description", "Properties"]);
        }
        if self.encryption_type {
            cols.push("Encryption");
        }
        let mut t = Table::new(cols);
        for v in &data {
            let mut row = vec![
                Cell::raw(v["id"].clone()),
                Cell::raw(v["name"].clone()),
                Cell::raw(v["os-volume-type-access:is_public"].clone()),
            ];
            if self.long {
                row.push(Cell::raw(v["description"].clone()));
                row.push(Cell::dict(v["extra_specs"].clone()));
            }
            if self.encryption_type {
                let e = get_encryption(s, &str_of(v, "id"))
                    .map(|e| format_encryption(&e))
                    .unwrap_or_default();
                let human = if e.is_empty() {
                    "-".to_string()
                } else {
                    dict_human(&e)
                };
                row.push(format::custom(Value::Object(e), human));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// osc_lib's `format_dict`: `k='v', k2='v2'` sorted by key.
pub fn dict_human(m: &Map<String, Value>) -> String {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    keys.iter()
        .map(|k| match &m[*k] {
            Value::Object(o) => format!("{k}='{}'", dict_human(o)),
            v => format!("{k}='{}'", format::py_str(v)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Set volume type properties
#[derive(clap::Args)]
pub struct SetVolumeType {
    /// Volume type to modify (name or ID)
    #[arg(value_name = "volume-type")]
    volume_type: String,
    /// Set volume type name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Set volume type description
    #[arg(long, value_name = "description")]
    description: Option<String>,
    #[command(flatten)]
    specs: SpecAliases,
    /// Set volume type access to project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Volume type is accessible to the public
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// Volume type is not accessible to the public
    #[arg(long)]
    private: bool,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    #[command(flatten)]
    encryption: EncryptionOpts,
}

impl osc_core::Command for SetVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = TYPE.find_id(s, &self.volume_type)?;
        let mut steps = Steps::default();
        let mut update = Map::new();
        if let Some(n) = self.name.as_ref().filter(|n| !n.is_empty()) {
            update.insert("name".into(), json!(n));
        }
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            update.insert("description".into(), json!(d));
        }
        if self.public || self.private {
            update.insert("is_public".into(), json!(self.public));
        }
        if !update.is_empty() {
            steps.run(
                "Failed to update volume type name or description",
                TYPE.update(s, &id, Value::Object(update)),
            );
        }
        let specs = self.specs.specs();
        if !specs.is_empty() {
            steps.run(
                "Failed to set volume type properties",
                set_specs(s, &id, specs),
            );
        }
        if let Some(p) = &self.project {
            let r = project_id(s, p, self.project_domain.as_deref())
                .and_then(|pid| add_access(s, &id, &pid));
            steps.run("Failed to set volume type access to project", r);
        }
        if self.encryption.any() {
            steps.run(
                "Failed to set encryption information for this volume type",
                self.encryption.set(s, &id),
            );
        }
        steps.finish("Command Failed: One or more of the operations failed")
    }
}

/// Display volume type details
#[derive(clap::Args)]
pub struct ShowVolumeType {
    /// Volume type to display (name or ID)
    #[arg(value_name = "volume-type")]
    volume_type: String,
    /// Display encryption information of this volume type (admin only)
    #[arg(long)]
    encryption_type: bool,
}

impl osc_core::Command for ShowVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let vt = TYPE.find(s, &self.volume_type)?;
        let id = str_of(&vt, "id");
        let mut info = format_type(&vt);
        let mut access = Cell::raw(Value::Null);
        if vt["os-volume-type-access:is_public"] == json!(false) {
            match s.json(TYPE.req(
                s,
                Method::GET,
                format!("{}/os-volume-type-access", TYPE.item(&id)),
            )?) {
                Ok(r) => {
                    let ids: Vec<Value> = r["volume_type_access"]
                        .as_array()
                        .map(|a| a.iter().map(|x| x["project_id"].clone()).collect())
                        .unwrap_or_default();
                    access = Cell::list(Value::Array(ids));
                }
                Err(e) => osc_core::log::warn(&format!(
                    "Failed to get access project list for volume type {id}: {e}"
                )),
            }
        }
        info.push(("access_project_ids".into(), access));
        if self.encryption_type {
            match get_encryption(s, &id) {
                Ok(e) => info.push((
                    "encryption".into(),
                    Cell::dict(Value::Object(format_encryption(&e))),
                )),
                Err(e) => osc_core::log::warn(&format!(
                    "Failed to display the encryption information of this volume type: {e}"
                )),
            }
        }
        Ok(Output::Show(sorted(info)))
    }
}

/// Unset volume type properties
#[derive(clap::Args)]
pub struct UnsetVolumeType {
    /// Volume type to modify (name or ID)
    #[arg(value_name = "volume-type")]
    volume_type: String,
    /// Remove a property from this volume type (repeat option to remove multiple properties)
    #[arg(long, value_name = "key")]
    property: Vec<String>,
    /// Removes volume type access to project (name or ID) (admin only)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// Remove the encryption type for this volume type (admin only)
    #[arg(long)]
    encryption_type: bool,
}

impl osc_core::Command for UnsetVolumeType {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = TYPE.find_id(s, &self.volume_type)?;
        let mut steps = Steps::default();
        if !self.property.is_empty() {
            let r = self.property.iter().try_for_each(|k| {
                let path = format!(
                    "{}/extra_specs/{}",
                    TYPE.item(&id),
                    osc_core::resource::encode_segment(k)
                );
                s.send(TYPE.req(s, Method::DELETE, path)?).map(|_| ())
            });
            steps.run("Failed to unset volume type properties", r);
        }
        if let Some(p) = &self.project {
            let r = project_id(s, p, self.project_domain.as_deref()).and_then(|pid| {
                TYPE.action(s, &id, json!({"removeProjectAccess": {"project": pid}}))
            });
            steps.run("Failed to remove volume type access from project", r);
        }
        if self.encryption_type {
            let r = get_encryption(s, &id).and_then(|e| {
                let enc_id = str_of(&e, "encryption_id");
                let path = format!(
                    "{}/encryption/{}",
                    TYPE.item(&id),
                    osc_core::resource::encode_segment(&enc_id)
                );
                s.send(TYPE.req(s, Method::DELETE, path)?).map(|_| ())
            });
            steps.run(
                "Failed to remove the encryption type for this volume type",
                r,
            );
        }
        steps.finish("Command Failed: One or more of the operations failed")
    }
}
