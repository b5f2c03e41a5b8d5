//! Columns OSC renders with custom cliff column classes: tables show OSC's
//! `human_readable()` text, every other format the value.

use osc_core::Cell;
use serde_json::Value;
use std::collections::HashMap;

/// A value that shows as `human` in table output, as itself in every other format.
pub fn custom(value: Value, human: String) -> Cell {
    Cell::custom(value, human)
}

/// OSC's AttachmentsColumn: `Attached to <server> on <device> ` per attachment, server
/// names taken from the cache when known.
pub fn attachments(value: &Value, servers: &HashMap<String, String>) -> Cell {
    let mut human = String::new();
    for a in value.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let id = a["server_id"].as_str().unwrap_or("");
        let server = servers
            .get(id)
            .cloned()
            .unwrap_or_else(|| py_str(&a["server_id"]));
        human.push_str(&format!(
            "Attached to {server} on {} ",
            py_str(&a["device"])
        ));
    }
    custom(value.clone(), human)
}

/// OSC's VolumeIdColumn: the volume's name when known, else its ID.
pub fn volume_id(value: &Value, volumes: &HashMap<String, String>) -> Cell {
    let id = value.as_str().unwrap_or("");
    match volumes.get(id) {
        Some(name) => custom(value.clone(), name.clone()),
        None => Cell::raw(value.clone()),
    }
}

/// Python's `str()` of a scalar JSON value.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attachment_text() {
        let mut servers = HashMap::new();
        servers.insert("s1".to_string(), "vm".to_string());
        let c = attachments(
            &json!([{"server_id": "s1", "device": "/dev/vdb"}, {"server_id": "s2", "device": null}]),
            &servers,
        );
        assert_eq!(
            c.human.as_deref(),
            Some("Attached to vm on /dev/vdb Attached to s2 on None ")
        );
        assert_eq!(c.value[0]["server_id"], "s1");
    }
}
