//! The service catalog: service-type aliases (from the service-types authority), endpoint
//! selection by interface and region, and where each service's versioned API lives.

use crate::error::{Error, Result};
use serde_json::Value;

/// Official service types and their aliases, official name first.
const ALIASES: &[&[&str]] = &[
    &[
        "block-storage",
        "volumev3",
        "volumev2",
        "volume",
        "block-store",
    ],
    &["compute"],
    &["identity"],
    &["image"],
    &["network"],
    &["object-store"],
    &["placement"],
    &["orchestration"],
    &["dns"],
    &["key-manager"],
    &["load-balancer"],
    &["baremetal", "bare-metal"],
    &["baremetal-introspection"],
    &["shared-file-system", "sharev2", "share"],
    &["container-infrastructure-management", "container-infra"],
    &["message", "messaging"],
    &["database"],
    &["metric"],
    &["alarming"],
    &["workflow", "workflowv2"],
    &["clustering", "cluster"],
    &["accelerator"],
];

/// The official type for a type or alias (`volumev3` -> `block-storage`).
pub fn canonical(service: &str) -> &str {
    ALIASES
        .iter()
        .find(|g| g.contains(&service))
        .map(|g| g[0])
        .unwrap_or(service)
}

/// Every name a service may be registered under, official first.
pub fn aliases(service: &str) -> &'static [&'static str] {
    ALIASES
        .iter()
        .find(|g| g.contains(&service))
        .copied()
        .unwrap_or(&[])
}

/// The URL of a service in the catalog for an interface and (optional) region.
pub fn find_url(
    catalog: &[Value],
    service: &str,
    interface: &str,
    region: Option<&str>,
    project_id: Option<&str>,
) -> Result<String> {
    let names: Vec<&str> = match aliases(service) {
        [] => vec![service],
        a => a.to_vec(),
    };
    for name in &names {
        for entry in catalog.iter().filter(|e| e["type"].as_str() == Some(name)) {
            let eps = entry["endpoints"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let found = eps.iter().find(|ep| {
                ep["interface"].as_str() == Some(interface)
                    && region.is_none_or(|r| {
                        ep["region_id"].as_str() == Some(r) || ep["region"].as_str() == Some(r)
                    })
            });
            if let Some(url) = found.and_then(|ep| ep["url"].as_str()) {
                let url = match project_id {
                    Some(p) => url
                        .replace("$(project_id)s", p)
                        .replace("%(project_id)s", p)
                        .replace("$(tenant_id)s", p),
                    None => url.to_string(),
                };
                return Ok(url);
            }
        }
    }
    let have: Vec<&str> = catalog.iter().filter_map(|e| e["type"].as_str()).collect();
    Err(Error::Unsupported(format!(
        "No {} endpoint for service type {service}{} in the catalog; the cloud offers: {}",
        interface,
        region
            .map(|r| format!(" in region {r}"))
            .unwrap_or_default(),
        if have.is_empty() {
            "nothing".to_string()
        } else {
            have.join(", ")
        }
    )))
}

fn is_version_segment(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The versioned base URL for a service from its catalog URL: the URL itself when it names
/// a version (`/v2.1`, `/v3/<project>`), else the version osc speaks appended.
pub fn versioned_base(service: &str, url: &str, project_id: Option<&str>) -> String {
    let url = url.trim_end_matches('/');
    let path = url.splitn(4, '/').nth(3).unwrap_or("");
    if path.split('/').any(is_version_segment) {
        return url.to_string();
    }
    let suffix = match canonical(service) {
        "compute" => "/v2.1".to_string(),
        "image" => "/v2".to_string(),
        "network" => "/v2.0".to_string(),
        "identity" => "/v3".to_string(),
        "block-storage" => "/v3".to_string(),
        "object-store" => project_id
            .map(|p| format!("/v1/AUTH_{p}"))
            .unwrap_or_else(|| "/v1".into()),
        "orchestration" => project_id
            .map(|p| format!("/v1/{p}"))
            .unwrap_or_else(|| "/v1".into()),
        "dns" => "/v2".to_string(),
        "load-balancer" => "/v2".to_string(),
        "key-manager" => "/v1".to_string(),
        "baremetal" => String::new(),
        _ => String::new(),
    };
    format!("{url}{suffix}")
}

/// Where to GET the version document that lists microversions for a versioned base.
pub fn version_root(service: &str, base: &str) -> Option<String> {
    match canonical(service) {
        "placement" | "baremetal" => Some(format!("{}/", base.trim_end_matches('/'))),
        _ => {
            // Cut after the version segment: http://h:8776/v3/<project> -> http://h:8776/v3/
            let mut out = String::new();
            for (i, part) in base.split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                out.push_str(part);
                if i >= 3 && is_version_segment(part) {
                    out.push('/');
                    return Some(out);
                }
            }
            None
        }
    }
}

/// The (min, max) microversion from a version document (`{"version": ..}` or
/// `{"versions": [..]}`), choosing the entry for the base URL's version.
pub fn parse_version_doc(doc: &Value, base: &str) -> (Option<String>, Option<String>) {
    let seg = base
        .split('/')
        .rev()
        .find(|s| is_version_segment(s))
        .unwrap_or("");
    let pick = |v: &Value| -> (Option<String>, Option<String>) {
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        (s("min_version"), s("version").or_else(|| s("max_version")))
    };
    if let Some(v) = doc.get("version") {
        return pick(v);
    }
    if let Some(list) = doc.get("versions").and_then(Value::as_array) {
        let chosen = list
            .iter()
            .find(|v| {
                v["id"]
                    .as_str()
                    .is_some_and(|id| id == seg || id.starts_with(&format!("{seg}.")))
            })
            .or_else(|| {
                list.iter()
                    .find(|v| v["status"].as_str() == Some("CURRENT"))
            })
            .or(list.first());
        if let Some(v) = chosen {
            return pick(v);
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catalog() -> Vec<Value> {
        vec![
            json!({"type": "volumev3", "name": "cinderv3", "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://h:8776/v3/$(project_id)s"}]}),
            json!({"type": "compute", "name": "nova", "endpoints": [
                {"interface": "internal", "region_id": "RegionOne", "url": "http://int:8774/v2.1"},
                {"interface": "public", "region_id": "RegionTwo", "url": "http://two:8774/v2.1"},
                {"interface": "public", "region_id": "RegionOne", "url": "http://one:8774/v2.1"}]}),
        ]
    }

    #[test]
    fn aliases_interface_and_region() {
        let c = catalog();
        assert_eq!(
            find_url(&c, "block-storage", "public", None, Some("p1")).unwrap(),
            "http://h:8776/v3/p1"
        );
        assert_eq!(
            find_url(&c, "volume", "public", None, Some("p1")).unwrap(),
            "http://h:8776/v3/p1"
        );
        assert_eq!(
            find_url(&c, "compute", "public", Some("RegionOne"), None).unwrap(),
            "http://one:8774/v2.1"
        );
        assert_eq!(
            find_url(&c, "compute", "internal", None, None).unwrap(),
            "http://int:8774/v2.1"
        );
        let err = find_url(&c, "network", "public", None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("network") && err.contains("volumev3, compute"),
            "{err}"
        );
    }

    #[test]
    fn versioned_bases() {
        assert_eq!(
            versioned_base("image", "http://h:9292", None),
            "http://h:9292/v2"
        );
        assert_eq!(
            versioned_base("image", "http://h:9292/v2/", None),
            "http://h:9292/v2"
        );
        assert_eq!(
            versioned_base("network", "http://h:9696/", None),
            "http://h:9696/v2.0"
        );
        assert_eq!(
            versioned_base("compute", "http://h:8774/v2.1", None),
            "http://h:8774/v2.1"
        );
        assert_eq!(
            versioned_base("volume", "http://h:8776/v3/p", None),
            "http://h:8776/v3/p"
        );
        assert_eq!(
            versioned_base("object-store", "http://h:8080/v1/AUTH_p", None),
            "http://h:8080/v1/AUTH_p"
        );
        assert_eq!(
            versioned_base("placement", "http://h/placement", None),
            "http://h/placement"
        );
        assert_eq!(
            version_root("volume", "http://h:8776/v3/p").as_deref(),
            Some("http://h:8776/v3/")
        );
        assert_eq!(
            version_root("compute", "http://h:8774/v2.1").as_deref(),
            Some("http://h:8774/v2.1/")
        );
        assert_eq!(
            version_root("placement", "http://h:8778").as_deref(),
            Some("http://h:8778/")
        );
    }

    #[test]
    fn version_documents() {
        let nova = json!({"version": {"id": "v2.1", "version": "2.100", "min_version": "2.1"}});
        assert_eq!(
            parse_version_doc(&nova, "http://h/v2.1"),
            (Some("2.1".into()), Some("2.100".into()))
        );
        let cinder = json!({"versions": [{"id": "v3.0", "version": "3.71", "min_version": "3.0", "status": "CURRENT"}]});
        assert_eq!(
            parse_version_doc(&cinder, "http://h/v3/p"),
            (Some("3.0".into()), Some("3.71".into()))
        );
        let placement =
            json!({"versions": [{"id": "v1.0", "max_version": "1.39", "min_version": "1.0"}]});
        assert_eq!(
            parse_version_doc(&placement, "http://h:8778"),
            (Some("1.0".into()), Some("1.39".into()))
        );
    }
}
