//! `floating ip port forwarding`, as OSC's `floating_ip_port_forwarding.py`: a floating
//! IP's `/floatingips/<id>/port_forwardings`.

use crate::common::PORTS;
use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Resource, Result, Value};

const IPS: Resource = Resource::new(NET, "/floatingips", "floatingip", "floatingips")
    .name_field("floating_ip_address")
    .name_query(Some("floating_ip_address"))
    .sdk("FloatingIP");

/// The SDK PortForwarding's attributes (others in the body are shown too).
const SHOW: &[Col] = &[
    col("description", "description"),
    col("external_port", "external_port"),
    col("id", "id"),
    col("internal_ip_address", "internal_ip_address"),
    col("internal_port", "internal_port"),
    col("internal_port_id", "internal_port_id"),
    col("name", "name"),
    col("protocol", "protocol"),
];
const HIDDEN: &[&str] = &["tenant_id"];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Internal Port ID", "internal_port_id"),
    col("Internal IP Address", "internal_ip_address"),
    col("Internal Port", "internal_port"),
    col("Internal Port Range", "internal_port_range"),
    col("External Port", "external_port"),
    col("External Port Range", "external_port_range"),
    col("Protocol", "protocol"),
    col("Description", "description"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "floating ip port forwarding create" => create(host, args),
        "floating ip port forwarding delete" => delete(host, args),
        "floating ip port forwarding list" => list(host, args),
        "floating ip port forwarding set" => set(host, args),
        "floating ip port forwarding show" => show(host, args),
        _ => return None,
    })
}

fn forwardings(host: &Host, args: &Args) -> Result<String> {
    let ip = IPS.find_id(host, args.req("floating_ip")?)?;
    Ok(format!("{}/port_forwardings", IPS.item_path(&ip)))
}

fn one(base: &str, id: &str) -> String {
    format!(
        "{base}/{}",
        osc_plugin_sdk::osc_api::resource::encode_segment(id)
    )
}

/// `a` or `a:b` as port numbers.
fn ports(spec: Option<&str>) -> Result<Vec<i64>> {
    let Some(s) = spec.filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    s.split(':')
        .map(|p| {
            p.trim()
                .parse()
                .map_err(|_| Error::other(format!("invalid literal for int() with base 10: '{p}'")))
        })
        .collect()
}

fn diff(ports: &[i64]) -> Result<i64> {
    let (Some(first), Some(last)) = (ports.first(), ports.last()) else {
        return Ok(0);
    };
    if last < first {
        return Err(verbs::usage(
            "The last number in port range must be greater or equal to the first",
        ));
    }
    Ok(last - first)
}

/// OSC's `validate_and_assign_port_ranges`: `--internal-protocol-port` and
/// `--external-protocol-port` as a port or a range, 1:N or N:N.
fn port_ranges(args: &Args, mut body: Body) -> Result<Body> {
    let internal = args.str("internal_protocol_port").filter(|s| !s.is_empty());
    let external = args.str("external_protocol_port").filter(|s| !s.is_empty());
    let (ints, exts) = (ports(internal)?, ports(external)?);
    let internal_diff = diff(&ints)?;
    if internal_diff != 0 && internal_diff != diff(&exts)? {
        return Err(verbs::usage(
            "The relation between internal and external ports does not match the pattern 1:N and N:N",
        ));
    }
    diff(&exts)?;
    if exts.iter().chain(&ints).any(|p| *p <= 0 || *p > 65535) {
        return Err(verbs::usage("The port number range is <1-65535>"));
    }
    for (spec, range_key, key) in [
        (internal, "internal_port_range", "internal_port"),
        (external, "external_port_range", "external_port"),
    ] {
        match spec {
            Some(s) if s.contains(':') => body = body.set(range_key, s),
            Some(_) => body = body.opt(key, ports(spec)?.first().copied()),
            None => {}
        }
    }
    Ok(body)
}

fn port_id(host: &Host, args: &Args) -> Result<Option<String>> {
    match args.str("port").filter(|p| !p.is_empty()) {
        Some(p) => Ok(Some(PORTS.find_id(host, p)?)),
        None => Ok(None),
    }
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let base = forwardings(host, args)?;
    let body = port_ranges(args, Body::new())?
        .opt("internal_port_id", port_id(host, args)?)
        .arg("internal_ip_address", args, "internal_ip_address")
        .arg("protocol", args, "protocol")
        .arg("description", args, "description");
    let body = json!({"port_forwarding": common::with_extra_properties(body, args)?.into_value()});
    let v = common::sdk_call(host, Request::post(NET, base).json(body), None)?;
    Ok(common::sdk_show(&v["port_forwarding"], SHOW, HIDDEN))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let base = forwardings(host, args)?;
    let ids = args.list("port_forwarding_id");
    common::delete_each(
        host,
        &ids,
        "floating IP port forwarding",
        "Port forwarding",
        |id| common::sdk_call(host, Request::delete(NET, one(&base, id)), None).map(drop),
    )
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut query = Vec::new();
    if let Some(p) = port_id(host, args)? {
        query.push(("internal_port_id".to_string(), p));
    }
    if let Some(e) = args.str("external_protocol_port").filter(|e| !e.is_empty()) {
        match e.contains(':') {
            true => query.push(("external_port_range".to_string(), e.to_string())),
            false => query.push(("external_port".to_string(), ports(Some(e))?[0].to_string())),
        }
    }
    if let Some(p) = args.str("protocol") {
        query.push(("protocol".to_string(), p.to_string()));
    }
    let (paging, max) = common::paging(args)?;
    query.extend(paging);
    let base = forwardings(host, args)?;
    let mut items = common::list_at(host, &base, "port_forwardings", &query, max)?;
    // OSC reads the ranges as attributes of the SDK object: '' when the body has none.
    for i in items.iter_mut().filter_map(Value::as_object_mut) {
        for k in ["internal_port_range", "external_port_range"] {
            i.entry(k).or_insert_with(|| Value::from(""));
        }
    }
    Ok(verbs::list_reply(&items, LIST))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let base = forwardings(host, args)?;
    let body = Body::new()
        .opt("internal_port_id", port_id(host, args)?)
        .opt(
            "internal_ip_address",
            args.str("internal_ip_address").filter(|a| !a.is_empty()),
        );
    let body = port_ranges(args, body)?
        .opt("protocol", args.str("protocol").filter(|p| !p.is_empty()))
        .arg("description", args, "description");
    let body = common::with_extra_properties(body, args)?;
    if !body.is_empty() {
        let path = one(&base, args.req("port_forwarding_id")?);
        let req = Request::put(NET, path).json(json!({"port_forwarding": body.into_value()}));
        common::sdk_call(host, req, None)?;
    }
    Ok(Reply::None)
}

/// By ID, then among all (they have no name), as openstacksdk's `find`.
fn show(host: &Host, args: &Args) -> Result<Reply> {
    let base = forwardings(host, args)?;
    let id = args.req("port_forwarding_id")?;
    let resp = host.request(Request::get(NET, one(&base, id)))?;
    let obj = if resp.is_success() {
        resp.json()?["port_forwarding"].clone()
    } else {
        common::list_at(host, &base, "port_forwardings", &[], None)?
            .into_iter()
            .find(|p| p["id"] == id || p["name"] == id)
            .ok_or_else(|| Error::NotFound(format!("No PortForwarding found for {id}")))?
    };
    Ok(common::sdk_show(&obj, SHOW, HIDDEN))
}

#[cfg(test)]
mod tests {
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
    use osc_plugin_sdk::{json, Value};

    fn host() -> FakeHost {
        let mut h = FakeHost::new();
        h.route("GET", "network", "/floatingips/f", |_| {
            FakeResponse::json(200, json!({"floatingip": {"id": "f"}}))
        });
        h.route("GET", "network", "/ports/p", |_| {
            FakeResponse::json(200, json!({"port": {"id": "p"}}))
        });
        h.route("POST", "network", "/floatingips/f/port_forwardings", |r| {
            FakeResponse::json(
                201,
                json!({"port_forwarding": r.json.clone().unwrap()["port_forwarding"].clone()}),
            )
        });
        h
    }

    fn create(h: &mut FakeHost, internal: &str, external: &str) -> Result<Value, (i32, String)> {
        let args = json!({"floating_ip": "f", "port": "p", "internal_ip_address": "10.0.0.5",
            "internal_protocol_port": internal, "external_protocol_port": external, "protocol": "tcp"});
        h.invoke(
            crate::osc_plugin_entry_v1,
            "floating ip port forwarding create",
            args,
        )
    }

    #[test]
    fn ports_and_ranges() {
        let mut h = host();
        create(&mut h, "22", "2222").unwrap();
        assert_eq!(
            h.requests.last().unwrap().json,
            Some(
                json!({"port_forwarding": {"internal_port": 22, "external_port": 2222,
                "internal_port_id": "p", "internal_ip_address": "10.0.0.5", "protocol": "tcp"}})
            )
        );
        create(&mut h, "22", "2000:2010").unwrap();
        let sent = h.requests.last().unwrap().json.clone().unwrap();
        assert_eq!(sent["port_forwarding"]["external_port_range"], "2000:2010");
        let e = create(&mut h, "20:30", "2000:2001").unwrap_err();
        assert_eq!(e.1, "The relation between internal and external ports does not match the pattern 1:N and N:N");
        let e = create(&mut h, "30:20", "2").unwrap_err();
        assert_eq!(
            e.1,
            "The last number in port range must be greater or equal to the first"
        );
        let e = create(&mut h, "22", "70000").unwrap_err();
        assert_eq!(e.1, "The port number range is <1-65535>");
    }
}
