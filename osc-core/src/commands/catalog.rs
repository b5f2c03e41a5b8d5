use crate::error::{Error, Result};
use crate::{Cell, Context, Output, Record, Table};
use serde_json::Value;

/// The human form OSC gives endpoints: region, then "  interface: url", per endpoint.
fn endpoints_cell(eps: &Value) -> Cell {
    let mut human = String::new();
    for ep in eps.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let region = ep["region_id"]
            .as_str()
            .or(ep["region"].as_str())
            .unwrap_or("<none>");
        human.push_str(region);
        human.push('\n');
        human.push_str(&format!(
            "  {}: {}\n",
            ep["interface"].as_str().unwrap_or(""),
            ep["url"].as_str().unwrap_or("")
        ));
    }
    Cell::custom(eps.clone(), human)
}

/// List services in the service catalog
#[derive(clap::Args)]
pub struct ListCatalog {}

impl crate::Command for ListCatalog {
    fn run(self, ctx: &Context) -> Result<Output> {
        // The live catalog, not the cached token's: services and endpoints change.
        let catalog = ctx.session()?.live_catalog()?;
        let mut t = Table::new(["Name", "Type", "Endpoints"]);
        for svc in &catalog {
            t.rows.push(vec![
                Cell::raw(svc["name"].clone()),
                Cell::raw(svc["type"].clone()),
                endpoints_cell(&svc["endpoints"]),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Display service catalog details
#[derive(clap::Args)]
pub struct ShowCatalog {
    /// Service to display (type or name)
    #[arg(value_name = "service")]
    service: String,
}

impl crate::Command for ShowCatalog {
    fn run(self, ctx: &Context) -> Result<Output> {
        let catalog = ctx.session()?.live_catalog()?;
        let svc = catalog
            .iter()
            .find(|s| {
                s["type"].as_str() == Some(&self.service)
                    || s["name"].as_str() == Some(&self.service)
            })
            .ok_or_else(|| Error::NotFound(format!("service {} not found\n", self.service)))?;
        let mut keys: Vec<&String> = svc
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        keys.sort();
        let mut r = Record::new();
        for k in keys {
            let v = &svc[k.as_str()];
            if k == "endpoints" {
                r.push(k.clone(), endpoints_cell(v));
            } else {
                r.push(k.clone(), v.clone());
            }
        }
        Ok(Output::Show(r))
    }
}
