//! Resource classes (`resource_class.py`) and traits (`trait.py`).

use crate::api::{seg, Api, Call};
use crate::{names, props, record, table};
use osc_plugin_sdk::{json, Args, Reply, Result};

const CLASSES: &str = "/resource_classes";

pub fn class_list(api: &Api) -> Result<Reply> {
    let v = api.get_checked(&Call::get(CLASSES), |api| api.require("1.2"))?;
    let rows = v["resource_classes"]
        .as_array()
        .map(|a| a.iter().map(|c| props(c, &["name"])).collect())
        .unwrap_or_default();
    Ok(table(&["name"], rows))
}

pub fn class_show(api: &Api, args: &Args) -> Result<Reply> {
    let path = format!("{CLASSES}/{}", seg(args.req("name")?));
    let v = api.get_checked(&Call::get(path), |api| api.require("1.2"))?;
    Ok(record(&["name"], &v))
}

pub fn class_create(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.2")?;
    api.call(&Call::new("POST", CLASSES).json(json!({"name": args.req("name")?})))?;
    Ok(Reply::None)
}

pub fn class_set(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.7")?;
    api.call(&Call::new(
        "PUT",
        format!("{CLASSES}/{}", seg(args.req("name")?)),
    ))?;
    Ok(Reply::None)
}

pub fn class_delete(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.2")?;
    api.call(&Call::new(
        "DELETE",
        format!("{CLASSES}/{}", seg(args.req("name")?)),
    ))?;
    Ok(Reply::None)
}

pub fn trait_list(api: &Api, args: &Args) -> Result<Reply> {
    let mut call = Call::get("/traits");
    if let Some(n) = args.str("name").filter(|n| !n.is_empty()) {
        call = call.query("name", n);
    }
    if args.flag("associated") {
        // Python's str(True).
        call = call.query("associated", "True");
    }
    let v = api.get_checked(&call, |api| api.require("1.6"))?;
    Ok(names("name", &v["traits"]))
}

pub fn trait_show(api: &Api, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    api.get_checked(&Call::get(format!("/traits/{}", seg(name))), |api| {
        api.require("1.6")
    })?;
    Ok(Reply::show().field("name", name))
}

pub fn trait_create(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.6")?;
    api.call(&Call::new(
        "PUT",
        format!("/traits/{}", seg(args.req("name")?)),
    ))?;
    Ok(Reply::None)
}

pub fn trait_delete(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.6")?;
    api.call(&Call::new(
        "DELETE",
        format!("/traits/{}", seg(args.req("name")?)),
    ))?;
    Ok(Reply::None)
}
