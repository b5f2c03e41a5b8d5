//! Microversion negotiation, as openstacksdk does it: a request states the client's maximum
//! (or an exact version); the transport asks the server's range once and sends
//! min(client, server).

use crate::error::Result;

/// The microversion to send given the pin (`--os-<service>-api-version`), the client's
/// maximum and the server's (asked only when needed): a dotted pin wins; a bare major pin
/// ("2") means the base version (no header) unless `major_negotiates`; otherwise, and for
/// `latest` pins, min(client max, server max), or none when the server advertises none.
pub fn negotiate<E>(
    pinned: Option<&str>,
    client_max: &str,
    major_negotiates: bool,
    server_max: impl FnOnce() -> Result<Option<String>, E>,
) -> Result<Option<String>, E> {
    if let Some(pinned) = pinned {
        if pinned.contains('.') && !pinned.ends_with("latest") {
            return Ok(Some(pinned.to_string()));
        }
        if !pinned.ends_with("latest") && !major_negotiates {
            return Ok(None);
        }
    }
    Ok(match server_max()? {
        Some(server) if compare_versions(&server, client_max).is_lt() => Some(server),
        Some(_) => Some(client_max.to_string()),
        // No microversions advertised: send none.
        None => None,
    })
}

/// Compares dotted versions numerically (`2.10` > `2.9`).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |s: &str| -> Vec<u64> {
        s.trim_start_matches('v')
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parse(a).cmp(&parse(b))
}

/// The headers a service expects its microversion under (service type, canonical or alias).
pub fn headers(service: &str, version: &str) -> Vec<(&'static str, String)> {
    match service {
        "compute" => vec![
            ("OpenStack-API-Version", format!("compute {version}")),
            ("X-OpenStack-Nova-API-Version", version.to_string()),
        ],
        "block-storage" | "volume" | "volumev3" => {
            vec![("OpenStack-API-Version", format!("volume {version}"))]
        }
        "placement" => vec![("OpenStack-API-Version", format!("placement {version}"))],
        "baremetal" => vec![("X-OpenStack-Ironic-API-Version", version.to_string())],
        "baremetal-introspection" => vec![(
            "X-OpenStack-Ironic-Inspector-API-Version",
            version.to_string(),
        )],
        "shared-file-system" => vec![("X-OpenStack-Manila-API-Version", version.to_string())],
        "container-infrastructure-management" => {
            vec![(
                "OpenStack-API-Version",
                format!("container-infra {version}"),
            )]
        }
        // Any other service: the standard header with the service type.
        other => vec![("OpenStack-API-Version", format!("{other} {version}"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(pin: Option<&str>, max: &str, server: Option<&str>) -> Option<String> {
        negotiate::<()>(pin, max, false, || Ok(server.map(str::to_string))).unwrap_or(None)
    }

    #[test]
    fn rules() {
        assert_eq!(n(None, "1.29", Some("1.39")).as_deref(), Some("1.29"));
        assert_eq!(n(None, "1.39", Some("1.10")).as_deref(), Some("1.10"));
        assert_eq!(
            n(Some("1.10"), "1.29", Some("1.39")).as_deref(),
            Some("1.10")
        );
        assert_eq!(n(Some("1"), "1.29", Some("1.39")), None);
        assert_eq!(
            n(Some("1.latest"), "1.29", Some("1.39")).as_deref(),
            Some("1.29")
        );
        assert_eq!(n(None, "1.29", None), None);
        assert!(compare_versions("2.10", "2.9").is_gt());
    }
}
