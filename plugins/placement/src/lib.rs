//! osc's Placement plugin: the 31 commands of osc-placement 4.9 with its arguments, columns
//! (which depend on the microversion), version gates and messages, built with the SDK only.
//!
//! * `api`: requests as osc-placement sends them, the microversion in effect and its gates,
//!   osc-placement's error wording;
//! * `provider`: resource providers, their aggregates, traits and usages, project usages;
//! * `inventory`: inventories (`set` with `--amend`, `--dry-run`, `--aggregate` and the
//!   `class:field=value` syntax);
//! * `allocation`: consumers' allocations (consumer generations) and allocation candidates
//!   (the `--group` grammar);
//! * `catalog`: resource classes and traits.

pub mod allocation;
pub mod api;
pub mod catalog;
pub mod inventory;
pub mod provider;

use api::Api;
use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result, Value};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let api = Api::new(host);
    match command {
        "resource provider create" => provider::create(&api, args),
        "resource provider list" => provider::list(&api, args),
        "resource provider show" => provider::show(&api, args),
        "resource provider set" => provider::set(&api, args),
        "resource provider delete" => provider::delete(&api, args),
        "resource provider aggregate list" => provider::aggregate_list(&api, args),
        "resource provider aggregate set" => provider::aggregate_set(&api, args),
        "resource provider trait list" => provider::trait_list(&api, args),
        "resource provider trait set" => provider::trait_set(&api, args),
        "resource provider trait delete" => provider::trait_delete(&api, args),
        "resource provider usage show" => provider::usage_show(&api, args),
        "resource usage show" => provider::project_usage(&api, args),
        "resource provider inventory list" => inventory::list(&api, args),
        "resource provider inventory show" => inventory::show(&api, args),
        "resource provider inventory set" => inventory::set(&api, args),
        "resource provider inventory class set" => inventory::class_set(&api, args),
        "resource provider inventory delete" => inventory::delete(&api, args),
        "resource provider allocation show" => allocation::show(&api, args),
        "resource provider allocation set" => allocation::set(&api, args),
        "resource provider allocation unset" => allocation::unset(&api, args),
        "resource provider allocation delete" => allocation::delete(&api, args),
        "allocation candidate list" => allocation::candidates(&api, args),
        "resource class list" => catalog::class_list(&api),
        "resource class show" => catalog::class_show(&api, args),
        "resource class create" => catalog::class_create(&api, args),
        "resource class set" => catalog::class_set(&api, args),
        "resource class delete" => catalog::class_delete(&api, args),
        "trait list" => catalog::trait_list(&api, args),
        "trait show" => catalog::trait_show(&api, args),
        "trait create" => catalog::trait_create(&api, args),
        "trait delete" => catalog::trait_delete(&api, args),
        other => Err(format!("placement: unknown command {other}").into()),
    }
}

/// `utils.get_dict_properties(item, fields)`: each field's value, `""` when absent.
pub fn props(item: &Value, fields: &[&str]) -> Vec<Value> {
    fields
        .iter()
        .map(|f| {
            item.get(*f)
                .cloned()
                .unwrap_or_else(|| Value::String(String::new()))
        })
        .collect()
}

/// A table of `fields` over `items`.
pub fn table(fields: &[&str], rows: Vec<Vec<Value>>) -> Reply {
    Reply::list(fields.iter().copied()).rows(rows)
}

/// A record of `fields` of `item`.
pub fn record(fields: &[&str], item: &Value) -> Reply {
    let mut r = Reply::show();
    for (f, v) in fields.iter().zip(props(item, fields)) {
        r = r.field(*f, v);
    }
    r
}

/// A one-column `name`/`uuid` table of strings.
pub fn names(field: &str, v: &Value) -> Reply {
    let rows = v
        .as_array()
        .map(|a| a.iter().map(|t| vec![t.clone()]).collect())
        .unwrap_or_default();
    table(&[field], rows)
}

export_plugin!(manifest: "../manifest.json", handler: run);
