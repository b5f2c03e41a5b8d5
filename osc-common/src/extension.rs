//! `extension list|show`: API extensions of Compute, Block Storage and Network.

use crate::util::{has_service, list_key};
use osc_core::resource::encode_segment;
use osc_core::{log, Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::Value;

/// List API extensions
#[derive(clap::Args)]
pub struct ListExtension {
    /// List extensions for the Compute API
    #[arg(long)]
    compute: bool,
    /// List extensions for the Identity API (only supported by v2)
    #[arg(long)]
    identity: bool,
    /// List extensions for the Network API
    #[arg(long)]
    network: bool,
    /// List extensions for the Block Storage API
    #[arg(long)]
    volume: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
}

fn extensions(s: &Session, service: &str) -> Result<Vec<Value>> {
    Ok(list_key(&s.get(service, "/extensions")?, "extensions"))
}

impl Command for ListExtension {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let all = !(self.identity || self.compute || self.volume || self.network);
        // (extension, whether the service's resource has a namespace attribute)
        let mut data: Vec<(Value, bool)> = Vec::new();
        // Only Identity v2 had extensions; osc speaks v3, so --identity lists nothing.
        if self.compute || all {
            match extensions(s, "compute") {
                Ok(v) => data.extend(v.into_iter().map(|e| (e, true))),
                Err(_) => log::warn("Extensions list not supported by Compute API"),
            }
        }
        if self.volume || all {
            if has_service(s, "block-storage")? {
                match extensions(s, "block-storage") {
                    Ok(v) => data.extend(v.into_iter().map(|e| (e, false))),
                    Err(_) => log::warn("Extensions list not supported by Block Storage API"),
                }
            } else if self.volume {
                log::warn("Block Storage API is not available in the current cloud");
            }
        }
        if self.network || all {
            match extensions(s, "network") {
                Ok(v) => data.extend(v.into_iter().map(|e| (e, false))),
                Err(_) => log::warn("Failed to retrieve extensions list from Network API"),
            }
        }
        let mut cols = vec!["Name", "Alias", "Description"];
        if self.long {
            cols.extend(["Namespace", "Updated At", "Links"]);
        }
        let mut t = Table::new(cols.iter().copied());
        for (e, has_namespace) in data {
            let f = |k: &str| Cell::raw(e.get(k).cloned().unwrap_or(Value::Null));
            let mut row = vec![f("name"), f("alias"), f("description")];
            if self.long {
                row.push(if has_namespace {
                    f("namespace")
                } else {
                    Cell::raw("")
                });
                row.push(f("updated"));
                row.push(f("links"));
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Show API extension
#[derive(clap::Args)]
pub struct ShowExtension {
    /// Extension to display. Currently, only network extensions are supported. (Name or Alias)
    #[arg(value_name = "extension")]
    extension: String,
}

/// A network extension by alias, then by name.
fn find_extension(s: &Session, name_or_alias: &str) -> Result<Value> {
    match s.get(
        "network",
        &format!("/extensions/{}", encode_segment(name_or_alias)),
    ) {
        Ok(mut v) => {
            if let Some(e) = v.get_mut("extension").map(Value::take) {
                return Ok(e);
            }
        }
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    extensions(s, "network")?
        .into_iter()
        .find(|e| {
            e.get("name").and_then(Value::as_str) == Some(name_or_alias)
                || e.get("alias").and_then(Value::as_str) == Some(name_or_alias)
        })
        .ok_or_else(|| Error::NotFound(format!("No Extension found for {name_or_alias}")))
}

impl Command for ShowExtension {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let ext = find_extension(s, &self.extension)?;
        Ok(Output::Show(extension_record(&ext)))
    }
}

/// Every field but `id`, `links` and `location`, sorted, with `updated` shown as
/// `updated_at` (openstacksdk's name).
fn extension_record(ext: &Value) -> Record {
    let mut fields: Vec<(String, Value)> = vec![
        ("alias".into(), Value::Null),
        ("description".into(), Value::Null),
        ("name".into(), Value::Null),
        ("updated_at".into(), Value::Null),
    ];
    for (k, v) in ext.as_object().into_iter().flatten() {
        let key = if k == "updated" {
            "updated_at"
        } else {
            k.as_str()
        };
        if ["id", "links", "location"].contains(&key) {
            continue;
        }
        match fields.iter_mut().find(|(f, _)| f == key) {
            Some(slot) => slot.1 = v.clone(),
            None => fields.push((key.to_string(), v.clone())),
        }
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record {
        fields: fields.into_iter().map(|(k, v)| (k, Cell::raw(v))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn show_fields_are_sorted_with_sdk_names() {
        let r = extension_record(
            &json!({"name": "Router", "alias": "router", "description": "d", "updated": "2012", "links": []}),
        );
        let keys: Vec<&str> = r.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["alias", "description", "name", "updated_at"]);
        assert_eq!(r.fields[3].1.value, json!("2012"));
    }
}
