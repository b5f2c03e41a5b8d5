//! `network flavor` and `network flavor profile` (Neutron's flavors and service profiles),
//! as OSC's `network_flavor.py` and `network_flavor_profile.py`.

use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Request, Resource, Result};

const FLAVORS: Resource = Resource::new(NET, "/flavors", "flavor", "flavors").sdk("Flavor");
const PROFILES: Resource = Resource::new(
    NET,
    "/service_profiles",
    "service_profile",
    "service_profiles",
)
.name_query(None)
.display("flavor profile")
.sdk("ServiceProfile");

/// The SDK Flavor's attributes, sorted, `is_enabled` shown as `enabled`.
const FLAVOR_SHOW: &[Col] = &[
    col("description", "description"),
    col("enabled", "enabled"),
    col("id", "id"),
    col("name", "name"),
    col("service_profile_ids", "service_profiles"),
    col("service_type", "service_type"),
];
/// Fields OSC hides (the SDK's `location` is never in a body).
const HIDDEN: &[&str] = &["tenant_id"];
const PROFILE_HIDDEN: &[&str] = &["name", "tenant_id", "project_id"];
const FLAVOR_LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Enabled", "enabled"),
    col("Service Type", "service_type"),
    col("Description", "description"),
];
/// The SDK ServiceProfile's attributes less name and project, sorted.
const PROFILE_SHOW: &[Col] = &[
    col("description", "description"),
    col("driver", "driver"),
    col("enabled", "enabled"),
    col("id", "id"),
    col("meta_info", "metainfo"),
];
const PROFILE_LIST: &[Col] = &[
    col("ID", "id"),
    col("Driver", "driver"),
    col("Enabled", "enabled"),
    col("Metainfo", "metainfo"),
    col("Description", "description"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network flavor create" => create_flavor(host, args),
        "network flavor delete" => delete_flavors(host, args),
        "network flavor list" => common::list_paged(host, &FLAVORS, args, Vec::new(), FLAVOR_LIST),
        "network flavor set" => set_flavor(host, args),
        "network flavor show" => show_flavor(host, args),
        "network flavor add profile" => add_profile(host, args),
        "network flavor remove profile" => remove_profile(host, args),
        "network flavor profile create" => create_profile(host, args),
        "network flavor profile delete" => delete_profiles(host, args),
        "network flavor profile list" => {
            common::list_paged(host, &PROFILES, args, Vec::new(), PROFILE_LIST)
        }
        "network flavor profile set" => set_profile(host, args),
        "network flavor profile show" => show_profile(host, args),
        _ => return None,
    })
}

fn create_flavor(host: &Host, args: &Args) -> Result<Reply> {
    let body = Body::new()
        .arg("name", args, "name")
        .arg("service_type", args, "service_type")
        .arg("description", args, "description");
    let body = body
        .switch("enabled", args, "enable", "disable")
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra_properties(body, args)?;
    let obj = common::sdk_create(host, &FLAVORS, body.into_value())?;
    Ok(common::sdk_show(&obj, FLAVOR_SHOW, HIDDEN))
}

fn delete_flavors(host: &Host, args: &Args) -> Result<Reply> {
    common::delete_each(
        host,
        &args.list("flavor"),
        "flavor with name or ID",
        "flavors",
        |n| {
            let id = FLAVORS.find_id(host, n)?;
            common::sdk_delete(host, &FLAVORS, &id)
        },
    )
}

fn show_flavor(host: &Host, args: &Args) -> Result<Reply> {
    let obj = FLAVORS.find(host, args.req("flavor")?)?;
    Ok(common::sdk_show(&obj, FLAVOR_SHOW, HIDDEN))
}

fn set_flavor(host: &Host, args: &Args) -> Result<Reply> {
    let id = FLAVORS.find_id(host, args.req("flavor")?)?;
    let body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description")
        .switch("enabled", args, "enable", "disable");
    let body = common::with_extra_properties(body, args)?;
    common::sdk_update(host, &FLAVORS, &id, body.into_value())?;
    Ok(Reply::None)
}

/// The flavor's and the profile's IDs, both looked up as OSC does.
fn flavor_and_profile(host: &Host, args: &Args) -> Result<(String, String)> {
    let flavor = FLAVORS.find_id(host, args.req("flavor")?)?;
    let profile = PROFILES.find_id(host, args.req("service_profile")?)?;
    Ok((flavor, profile))
}

/// openstacksdk does not check the answer: OSC reports no failure (already associated...).
fn add_profile(host: &Host, args: &Args) -> Result<Reply> {
    let (flavor, profile) = flavor_and_profile(host, args)?;
    let body = osc_plugin_sdk::json!({"service_profile": {"id": profile}});
    let path = format!("{}/service_profiles", FLAVORS.item_path(&flavor));
    let _unchecked = host.request(Request::post(NET, path).json(body))?;
    Ok(Reply::None)
}

/// As [`add_profile`], the answer is not checked.
fn remove_profile(host: &Host, args: &Args) -> Result<Reply> {
    let (flavor, profile) = flavor_and_profile(host, args)?;
    let path = format!("{}/service_profiles/{profile}", FLAVORS.item_path(&flavor));
    let _unchecked = host.request(Request::delete(NET, path))?;
    Ok(Reply::None)
}

/// `--description`, `--driver`, `--metainfo`, `--enable`/`--disable`, extra properties.
fn profile_body(args: &Args) -> Result<Body> {
    let body = Body::new()
        .arg("description", args, "description")
        .arg("driver", args, "driver")
        .arg("metainfo", args, "metainfo")
        .switch("enabled", args, "enable", "disable");
    common::with_extra_properties(body, args)
}

fn create_profile(host: &Host, args: &Args) -> Result<Reply> {
    let body = profile_body(args)?;
    if !args.has("driver") && !args.has("metainfo") {
        return Err(verbs::usage(
            "Either --driver or --metainfo or both are required",
        ));
    }
    let obj = common::sdk_create(host, &PROFILES, body.into_value())?;
    Ok(common::sdk_show(&obj, PROFILE_SHOW, PROFILE_HIDDEN))
}

fn delete_profiles(host: &Host, args: &Args) -> Result<Reply> {
    let names = args.list("flavor_profile");
    common::delete_each(
        host,
        &names,
        "flavor profile with ID",
        "flavor_profiles",
        |n| {
            let id = PROFILES.find_id(host, n)?;
            common::sdk_delete(host, &PROFILES, &id)
        },
    )
}

fn show_profile(host: &Host, args: &Args) -> Result<Reply> {
    let obj = PROFILES.find(host, args.req("flavor_profile")?)?;
    Ok(common::sdk_show(&obj, PROFILE_SHOW, PROFILE_HIDDEN))
}

fn set_profile(host: &Host, args: &Args) -> Result<Reply> {
    let id = PROFILES.find_id(host, args.req("flavor_profile")?)?;
    common::sdk_update(host, &PROFILES, &id, profile_body(args)?.into_value())?;
    Ok(Reply::None)
}
