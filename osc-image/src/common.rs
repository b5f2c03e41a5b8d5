//! Shared image helpers: the Glance resources, image lookup with openstacksdk's rules
//! (hidden images too), project lookup in Keystone, `key=value` options, and the image
//! record OSC prints (`_format_image`).

use osc_core::resource::{id_of, Resource};
use osc_core::{Cell, Error, Record, Result, Session};
use serde_json::{Map, Value};

pub const SVC: &str = "image";

/// Glance returns objects unwrapped; lists sit under `images` with a `next` link.
pub const IMAGE: Resource = Resource::new(SVC, "/images", "", "images").display("image");

/// The image API's JSON-patch content type.
pub const PATCH_TYPE: &str = "application/openstack-images-v2.1-json-patch";

/// Finds an image by ID, then by name, then by name among hidden images, as
/// openstacksdk's `Image.find` does. Fails with the SDK's message.
pub fn find_image(s: &Session, name_or_id: &str) -> Result<Value> {
    match IMAGE.get(s, name_or_id) {
        Ok(v) if v.is_object() => return Ok(v),
        Ok(_) => {}
        Err(e) if e.is_not_found() || e.status() == Some(400) => {}
        Err(e) => return Err(e),
    }
    for hidden in [false, true] {
        let mut q = vec![("name".to_string(), name_or_id.to_string())];
        if hidden {
            q.push(("os_hidden".to_string(), "true".to_string()));
        }
        let items = IMAGE.list(s, &q)?;
        let matches: Vec<&Value> = items
            .iter()
            .filter(|i| {
                i.get("name").and_then(Value::as_str) == Some(name_or_id)
                    || i.get("id").and_then(Value::as_str) == Some(name_or_id)
            })
            .collect();
        match matches.len() {
            0 => continue,
            1 => return Ok(matches[0].clone()),
            _ => {
                return Err(Error::Ambiguous(format!(
                    "More than one Image exists with the name '{name_or_id}'."
                )))
            }
        }
    }
    Err(Error::NotFound(format!("No Image found for {name_or_id}")))
}

pub fn image_id(img: &Value) -> Result<String> {
    id_of(img).ok_or_else(|| Error::cmd("Glance returned an image without an ID"))
}

pub fn str_field<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

// ---- identity lookups -------------------------------------------------------------------

pub use osc_core::lookup::project_id;

/// The project the session is scoped to.
pub fn current_project(s: &Session) -> Result<String> {
    s.auth()?.project_id.clone().ok_or_else(|| {
        Error::cmd(
            "This command needs a project-scoped token; set --os-project-name or --os-project-id",
        )
    })
}

// ---- options ---------------------------------------------------------------------------

/// `--property key=value` values, in order, later keys replacing earlier ones (osc_lib's
/// `KeyValueAction`).
pub fn key_values(items: &[String]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for it in items {
        let Some((k, v)) = it.split_once('=') else {
            return Err(Error::usage(format!(
                "Expected 'key=value' type, but got: {it}"
            )));
        };
        if k.is_empty() {
            return Err(Error::usage(format!("Property key cannot be empty: {it}")));
        }
        if let Some(slot) = out.iter_mut().find(|(ek, _)| ek == k) {
            slot.1 = v.to_string();
        } else {
            out.push((k.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

/// Positive sizes only, as OSC's `_parse_image_size`.
pub fn parse_size(v: &str) -> std::result::Result<u64, String> {
    let n: i64 = v
        .trim()
        .parse()
        .map_err(|_| format!("'{v}' is not a valid size (use a positive integer)"))?;
    if n <= 0 {
        return Err("Size must be a positive integer".into());
    }
    Ok(n as u64)
}

// ---- the image record -------------------------------------------------------------------

/// Fields `_format_image` shows at the top level (under the names `to_dict(original_names)`
/// gives them); every other field goes into `properties`.
const TOP_FIELDS: &[&str] = &[
    "status",
    "name",
    "container_format",
    "created_at",
    "size",
    "disk_format",
    "updated_at",
    "visibility",
    "min_disk",
    "protected",
    "id",
    "file",
    "checksum",
    "owner",
    "virtual_size",
    "min_ram",
    "schema",
];

/// openstacksdk's `Image` attributes (Glance names) in class order.
const SDK_ORDER: &[&str] = &[
    "checksum",
    "container_format",
    "created_at",
    "disk_format",
    "os_hidden",
    "protected",
    "os_hash_algo",
    "os_hash_value",
    "min_disk",
    "min_ram",
    "name",
    "owner",
    "properties",
    "size",
    "store",
    "status",
    "updated_at",
    "virtual_size",
    "visibility",
    "file",
    "locations",
    "direct_url",
    "url",
    "metadata",
    "architecture",
    "hypervisor_type",
    "instance_type_rxtx_factor",
    "instance_uuid",
    "img_config_drive",
    "kernel_id",
    "os_distro",
    "os_version",
    "os_secure_boot",
    "os_shutdown_timeout",
    "ramdisk_id",
    "vm_mode",
    "hw_cpu_sockets",
    "hw_cpu_cores",
    "hw_cpu_threads",
    "hw_disk_bus",
    "hw_cpu_policy",
    "hw_cpu_thread_policy",
    "hw_rng_model",
    "hw_machine_type",
    "hw_scsi_model",
    "hw_serial_port_count",
    "hw_video_model",
    "hw_video_ram",
    "hw_watchdog_action",
    "os_command_line",
    "hw_vif_model",
    "hw_vif_multiqueue_enabled",
    "hw_boot_menu",
    "vmware_adaptertype",
    "vmware_ostype",
    "auto_disk_config",
    "os_type",
    "os_admin_user",
    "hw_qemu_guest_agent",
    "os_require_quiesce",
    "schema",
];

/// Converts a value as openstacksdk's typed `Image` attributes do, so properties read back
/// with the same types OSC shows (`hw_cpu_cores` as a number...).
fn sdk_typed(key: &str, v: &Value) -> Value {
    const INTS: &[&str] = &[
        "size",
        "os_shutdown_timeout",
        "hw_cpu_sockets",
        "hw_cpu_cores",
        "hw_cpu_threads",
        "hw_serial_port_count",
        "hw_video_ram",
    ];
    const FLEX_BOOLS: &[&str] = &[
        "hw_vif_multiqueue_enabled",
        "hw_boot_menu",
        "os_require_quiesce",
    ];
    match v {
        Value::String(s) if INTS.contains(&key) => s
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| v.clone()),
        Value::String(s) if key == "instance_type_rxtx_factor" => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
            .unwrap_or_else(|| v.clone()),
        Value::String(s) if FLEX_BOOLS.contains(&key) => match s.to_ascii_lowercase().as_str() {
            "1" | "t" | "true" | "on" | "y" | "yes" => Value::Bool(true),
            "0" | "f" | "false" | "off" | "n" | "no" => Value::Bool(false),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// The image as OSC's `image show`/`image create` print it: fixed fields, `tags` as a list,
/// everything else flattened into a `properties` dict; null fields left out.
pub fn image_record(img: &Value, human_readable: bool) -> Record {
    let mut fields: Vec<(String, Cell)> = Vec::new();
    // Properties in the order openstacksdk's `to_dict` yields them: its known attributes
    // before `properties`, then the unknown ones Glance returned, then the rest.
    let mut before = Map::new();
    let mut unknown = Map::new();
    let mut after: Vec<(usize, String, Value)> = Vec::new();
    let props_at = SDK_ORDER
        .iter()
        .position(|k| *k == "properties")
        .unwrap_or(0);
    if let Some(obj) = img.as_object() {
        for (k, v) in obj {
            if v.is_null() || k == "self" || k == "location" || k == "tags" {
                continue;
            }
            if TOP_FIELDS.contains(&k.as_str()) {
                let cell = if k == "size" && human_readable {
                    Cell::raw(format_size(v.as_u64()))
                } else {
                    Cell::raw(sdk_typed(k, v))
                };
                fields.push((k.clone(), cell));
                continue;
            }
            let typed = sdk_typed(k, v);
            match SDK_ORDER.iter().position(|o| o == k) {
                Some(i) if i < props_at => {
                    before.insert(k.clone(), typed);
                }
                Some(i) => after.push((i, k.clone(), typed)),
                None => {
                    unknown.insert(k.clone(), typed);
                }
            }
        }
    }
    let mut props = Map::new();
    let mut known_before: Vec<(usize, String, Value)> = before
        .into_iter()
        .map(|(k, v)| (SDK_ORDER.iter().position(|o| *o == k).unwrap_or(0), k, v))
        .collect();
    known_before.sort_by_key(|e| e.0);
    after.sort_by_key(|e| e.0);
    for (_, k, v) in known_before {
        props.insert(k, v);
    }
    props.extend(unknown);
    for (_, k, v) in after {
        props.insert(k, v);
    }
    if human_readable && !fields.iter().any(|(k, _)| k == "size") {
        // OSC formats `data['size']` even when the image has no data yet.
        fields.push(("size".into(), Cell::raw(format_size(None))));
    }
    let tags = img
        .get("tags")
        .filter(|t| t.is_array())
        .cloned()
        .unwrap_or(Value::Array(Vec::new()));
    fields.push(("tags".into(), Cell::list(tags)));
    if !props.is_empty() {
        fields.push(("properties".into(), Cell::dict(Value::Object(props))));
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

/// osc_lib's `utils.format_size`: 1000-based, one decimal with trailing zeros stripped;
/// None counts as 0.
pub fn format_size(size: Option<u64>) -> String {
    let suffixes = ["", "K", "M", "G", "T", "P", "E", "Z"];
    let mut s = size.unwrap_or(0) as f64;
    let mut i = 0;
    while s >= 1000.0 && i + 1 < suffixes.len() {
        i += 1;
        s /= 1000.0;
    }
    let padded = format!("{s:.1}");
    let stripped = padded.trim_end_matches('0').trim_end_matches('.');
    format!("{stripped}{}", suffixes[i])
}

/// Python's `str()` of a JSON value, for OSC's client-side filters and sorts.
pub fn py_str(v: &Value) -> String {
    osc_core::output::pystr::py_str(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_value_options() {
        let kv = key_values(&["a=1".into(), "b=x=y".into(), "a=2".into()]).unwrap();
        assert_eq!(
            kv,
            vec![("a".into(), "2".into()), ("b".into(), "x=y".into())]
        );
        assert!(key_values(&["novalue".into()]).is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10"), Ok(10));
        assert!(parse_size("0").is_err());
        assert!(parse_size("x").is_err());
        assert_eq!(format_size(Some(999)), "999");
        assert_eq!(format_size(Some(1000)), "1K");
        assert_eq!(format_size(Some(1048576)), "1M");
        assert_eq!(format_size(Some(1536)), "1.5K");
        assert_eq!(format_size(None), "0");
    }

    #[test]
    fn image_record_splits_properties() {
        let img = json!({"id": "i", "name": "n", "self": "/v2/images/i", "size": null, "os_hidden": false,
            "stores": "file", "hw_cpu_cores": "4", "tags": ["b", "a"], "protected": false});
        let r = image_record(&img, false);
        let keys: Vec<&str> = r.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["id", "name", "properties", "protected", "tags"]);
        let props = &r.fields[2].1.value;
        assert_eq!(props["hw_cpu_cores"], json!(4));
        assert_eq!(props["os_hidden"], json!(false));
        assert!(props.get("self").is_none());
    }
}
