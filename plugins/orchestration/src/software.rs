//! `software config …` and `software deployment …`: heatclient's
//! `osc/v1/software_config.py`, `software_deployment.py` and `common/deployment_utils.py`
//! (the derived config of a deployment, and its Swift TempURL signal).

use crate::heat::{self, get, is_not_found, or_not_found, send, strings, SVC};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};
use sha2::{Digest, Sha256};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "software config create" => config_create(host, args),
        "software config delete" => config_delete(host, args),
        "software config list" => config_list(host, args),
        "software config show" => config_show(host, args),
        "software deployment create" => deployment_create(host, args),
        "software deployment delete" => deployment_delete(host, args),
        "software deployment list" => deployment_list(host, args),
        "software deployment show" => deployment_show(host, args),
        "software deployment metadata show" => deployment_metadata(host, args),
        "software deployment output show" => deployment_output_show(host, args),
        _ => return None,
    })
}

fn read(path: &str) -> Result<String> {
    let url = crate::template::to_url(path)?;
    let bytes = crate::template::fetch(&url)
        .map_err(|e| Error::other(format!("Could not read {url}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| Error::other(format!("{path} is not UTF-8 text")))
}

fn config_create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let mut config = Map::new();
    config.insert(
        "group".into(),
        json!(args.str("group").unwrap_or("Heat::Ungrouped")),
    );
    config.insert("config".into(), json!(""));
    let defn = match args.str("definition_file") {
        Some(f) => {
            let text = read(f)?;
            let text = if text.is_empty() {
                "{}".to_string()
            } else {
                text
            };
            crate::template::yaml_to_json(&text)
                .map_err(|e| Error::other(format!("Error parsing {f} {e}")))?
        }
        None => json!({}),
    };
    config.insert(
        "inputs".into(),
        defn.get("inputs").cloned().unwrap_or(json!([])),
    );
    config.insert(
        "outputs".into(),
        defn.get("outputs").cloned().unwrap_or(json!([])),
    );
    config.insert(
        "options".into(),
        defn.get("options").cloned().unwrap_or(json!({})),
    );
    if let Some(f) = args.str("config_file") {
        config.insert("config".into(), json!(read(f)?));
    }
    let validate = json!({
        "template": {
            "heat_template_version": "2013-05-23",
            "resources": {name: {"type": "OS::Heat::SoftwareConfig", "properties": config.clone()}}
        }
    });
    send(host, Request::post(SVC, "/validate").json(validate))?;
    config.insert("name".into(), json!(name));
    let sc = send(
        host,
        Request::post(SVC, "/software_configs").json(Value::Object(config)),
    )?;
    Ok(heat::dict_record(sc.get("software_config").unwrap_or(&sc)))
}

fn config_delete(host: &Host, args: &Args) -> Result<Reply> {
    let ids = args.list("config");
    let mut failures = 0;
    for id in &ids {
        if let Err(e) = send(
            host,
            Request::delete(SVC, format!("/software_configs/{}", encode_segment(id))),
        ) {
            if is_not_found(&e) {
                eprintln!("Software config with ID {id} not found");
            } else {
                eprintln!("{e}");
            }
            failures += 1;
        }
    }
    if failures > 0 {
        return Err(Error::other(format!(
            "Unable to delete {failures} of the {} software configs.",
            ids.len()
        )));
    }
    Ok(Reply::None)
}

fn config_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = Request::get(SVC, "/software_configs");
    if let Some(l) = args.int("limit")?.filter(|l| *l != 0) {
        req = req.query("limit", l);
    }
    if let Some(m) = args.str("marker") {
        req = req.query("marker", m);
    }
    let items = send(host, req)?["software_configs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(heat::table(
        strings(&["id", "name", "group", "creation_time"]),
        &items,
    ))
}

fn get_config(host: &Host, id: &str) -> Result<Value> {
    let body = or_not_found(
        get(host, format!("/software_configs/{}", encode_segment(id))),
        || format!("Configuration not found: {id}"),
    )?;
    Ok(body.get("software_config").cloned().unwrap_or(body))
}

fn config_show(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("config")?;
    let sc = get_config(host, id)?;
    if args.flag("config_only") {
        // `print(sc.config)`: the config and a newline.
        return Ok(Reply::Text(format!(
            "{}\n",
            sc["config"].as_str().unwrap_or("")
        )));
    }
    Ok(heat::record(
        &sc,
        &strings(&[
            "id",
            "name",
            "group",
            "config",
            "inputs",
            "outputs",
            "options",
            "creation_time",
        ]),
    ))
}

/// `build_derived_config_params`.
fn derived_config(
    action: &str,
    source: &Value,
    name: &str,
    mut input_values: Map<String, Value>,
    server: &str,
    transport: &str,
    signal_id: Option<String>,
) -> Result<Value> {
    let mut inputs: Vec<Value> = source["inputs"].as_array().cloned().unwrap_or_default();
    for inp in &mut inputs {
        let key = inp["name"].as_str().unwrap_or("").to_string();
        let v = input_values
            .remove(&key)
            .unwrap_or_else(|| inp.get("default").cloned().unwrap_or(Value::Null));
        inp["value"] = v;
    }
    for (k, v) in input_values {
        inputs.push(json!({"name": k, "type": "String", "value": v}));
    }
    inputs.push(json!({"name": "deploy_server_id",
        "description": "ID of the server being deployed to", "type": "String", "value": server}));
    inputs.push(json!({"name": "deploy_action",
        "description": "Name of the current action being deployed", "type": "String",
        "value": action}));
    inputs.push(json!({"name": "deploy_signal_transport",
        "description": "How the server should signal to heat with the deployment output values.",
        "type": "String", "value": transport}));
    if transport == "TEMP_URL_SIGNAL" {
        inputs.push(json!({"name": "deploy_signal_id",
            "description": "ID of signal to use for signaling output values", "type": "String",
            "value": signal_id}));
        inputs.push(json!({"name": "deploy_signal_verb",
            "description": "HTTP verb to use for signaling output values", "type": "String",
            "value": "PUT"}));
    } else if transport != "NO_SIGNAL" {
        return Err(Error::other(format!(
            "Unsupported signal transport {transport}"
        )));
    }
    let or = |k: &str, d: Value| match source.get(k) {
        Some(v) if !v.is_null() && v != "" && v != &json!([]) && v != &json!({}) => v.clone(),
        _ => d,
    };
    Ok(json!({
        "group": or("group", json!("Heat::Ungrouped")),
        "config": or("config", json!("")),
        "options": or("options", json!({})),
        "inputs": inputs,
        "outputs": or("outputs", json!([])),
        "name": name,
    }))
}

fn uuid4() -> Result<String> {
    let mut b = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> String {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|x| x ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|x| x ^ 0x5c));
    outer.update(inner.finalize());
    outer
        .finalize()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// `create_temp_url`: a container and an empty object in Swift, and a TempURL the server
/// PUTs its outputs to.
fn temp_url(host: &Host, name: &str, timeout_mins: i64) -> Result<String> {
    const OS: &str = "object-store";
    let container = format!("{name}-{}", uuid4()?);
    let object = uuid4()?;
    host.request(Request::put(OS, format!("/{}", encode_segment(&container))))?
        .ok()?;
    let key_header = "x-account-meta-temp-url-key";
    let head = host.request(Request::head(OS, ""))?.ok()?;
    let key = match head.header(key_header) {
        Some(k) => k.to_string(),
        None => {
            let k: String = uuid4()?.chars().take(32).collect();
            host.request(Request::post(OS, "").header(key_header, &k))?
                .ok()?;
            host.request(Request::head(OS, ""))?
                .ok()?
                .header(key_header)
                .map(str::to_string)
                .ok_or_else(|| Error::other("Swift kept no TempURL key"))?
        }
    };
    let endpoint = host
        .known_endpoint(OS)
        .ok_or_else(|| Error::other("no object-store endpoint"))?;
    let endpoint = url::Url::parse(endpoint.trim_end_matches('/'))
        .map_err(|e| Error::other(format!("bad object-store endpoint: {e}")))?;
    let project_path = endpoint
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let path = format!("/v1/{project_path}/{container}/{object}");
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        + (timeout_mins.max(0) as u64) * 60;
    let sig = hmac_sha256(key.as_bytes(), format!("PUT\n{expires}\n{path}").as_bytes());
    host.request(
        Request::put(
            OS,
            format!(
                "/{}/{}",
                encode_segment(&container),
                encode_segment(&object)
            ),
        )
        .text(""),
    )?
    .ok()?;
    let port = endpoint.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!(
        "{}://{}{port}{path}?temp_url_sig={sig}&temp_url_expires={expires}",
        endpoint.scheme(),
        endpoint.host_str().unwrap_or("")
    ))
}

fn deployment_create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let server = args
        .str("server")
        .ok_or_else(|| Error::other("--server is required"))?;
    let action = args.str("action").unwrap_or("UPDATE");
    let transport = args.str("signal_transport").unwrap_or("TEMP_URL_SIGNAL");
    let config = match args.str("config") {
        Some(c) => or_not_found(
            get(host, format!("/software_configs/{}", encode_segment(c))),
            || format!("Software configuration not found: {c}"),
        )
        .map(|b| b.get("software_config").cloned().unwrap_or(b))?,
        None => json!({}),
    };
    let inputs = crate::template::format_parameters(&args.list("input_value"), false)?;
    let signal_id = if transport == "TEMP_URL_SIGNAL" {
        Some(temp_url(host, name, args.int("timeout")?.unwrap_or(60))?)
    } else {
        None
    };
    let derived = derived_config(action, &config, name, inputs, server, transport, signal_id)?;
    let dc = send(host, Request::post(SVC, "/software_configs").json(derived))?;
    let dc_id = dc["software_config"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let sd = send(
        host,
        Request::post(SVC, "/software_deployments").json(json!({
            "config_id": dc_id, "server_id": server, "action": action, "status": "IN_PROGRESS"
        })),
    )?;
    let sd = sd.get("software_deployment").cloned().unwrap_or(sd);
    Ok(osc_plugin_sdk::verbs::sorted_reply(&sd, &[], &[]))
}

fn get_deployment(host: &Host, id: &str) -> Result<Value> {
    let body = get(
        host,
        format!("/software_deployments/{}", encode_segment(id)),
    )?;
    Ok(body.get("software_deployment").cloned().unwrap_or(body))
}

fn deployment_delete(host: &Host, args: &Args) -> Result<Reply> {
    let ids = args.list("deployment");
    let mut failures = 0;
    for id in &ids {
        let sd = get_deployment(host, id).and_then(|sd| {
            send(
                host,
                Request::delete(SVC, format!("/software_deployments/{}", encode_segment(id))),
            )
            .map(|_| sd)
        });
        let sd = match sd {
            Ok(sd) => sd,
            Err(e) => {
                if is_not_found(&e) {
                    eprintln!("Deployment with ID {id} not found");
                } else {
                    eprintln!("Deployment with ID {id} failed to delete");
                }
                failures += 1;
                continue;
            }
        };
        let config_id = sd["config_id"].as_str().unwrap_or("");
        if send(
            host,
            Request::delete(
                SVC,
                format!("/software_configs/{}", encode_segment(config_id)),
            ),
        )
        .is_err()
        {
            eprintln!("Failed to delete the correlative config {config_id} of deployment {id}");
        }
    }
    if failures > 0 {
        return Err(Error::other(format!(
            "Unable to delete {failures} of the {} deployments.",
            ids.len()
        )));
    }
    Ok(Reply::None)
}

fn deployment_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = Request::get(SVC, "/software_deployments");
    if let Some(s) = args.str("server") {
        req = req.query("server_id", s);
    }
    let mut columns = strings(&["id", "config_id", "server_id", "action", "status"]);
    if args.flag("long") {
        columns.push("creation_time".into());
        columns.push("status_reason".into());
    }
    let items = send(host, req)?["software_deployments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(heat::table(columns, &items))
}

fn deployment_show(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("deployment")?;
    let sd = or_not_found(get_deployment(host, id), || {
        format!("Software Deployment not found: {id}")
    })?;
    let mut columns = strings(&[
        "id",
        "server_id",
        "config_id",
        "creation_time",
        "updated_time",
        "status",
        "status_reason",
        "input_values",
        "action",
    ]);
    if args.flag("long") {
        columns.push("output_values".into());
    }
    Ok(heat::record(&sd, &columns))
}

fn deployment_metadata(host: &Host, args: &Args) -> Result<Reply> {
    let server = args.req("server")?;
    let md = get(
        host,
        format!("/software_deployments/metadata/{}", encode_segment(server)),
    )?;
    let md = md.get("metadata").cloned().unwrap_or(md);
    let text = osc_plugin_sdk::serde_json::to_string_pretty(&md)
        .map_err(|e| Error::other(e.to_string()))?;
    Ok(Reply::Text(text))
}

/// `print_software_deployment_output`.
pub fn deployment_output(outputs: &Value, name: &str, long: bool) -> String {
    let v = &outputs[name];
    if name == "deploy_stdout" || name == "deploy_stderr" {
        let text = match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if !long && lines.len() > 10 {
            lines = lines.split_off(lines.len() - 10);
            lines.insert(0, "...".into());
            lines.push("(truncated, view all with --long)".into());
        }
        let body: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
        format!("  {name}: |\n{}\n", body.join("\n"))
    } else {
        let shown = match v {
            Value::Null => "None".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        format!("  {name}: {shown}\n")
    }
}

fn deployment_output_show(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("deployment")?;
    let output = args.str("output");
    let all = args.flag("all");
    if all == output.is_some() {
        return Err(Error::other(
            "Error: either <output-name> or --all argument is needed.",
        ));
    }
    let sd = or_not_found(get_deployment(host, id), || {
        format!("Deployment not found: {id}")
    })?;
    let outputs = &sd["output_values"];
    let Some(map) = outputs.as_object().filter(|m| !m.is_empty()) else {
        return Ok(Reply::None);
    };
    let mut out = String::new();
    if all {
        out.push_str("output_values:\n\n");
        for k in map.keys() {
            out.push_str(&deployment_output(outputs, k, args.flag("long")));
        }
    } else {
        let o = output.unwrap_or("");
        if !map.contains_key(o) {
            return Err(Error::other(format!(
                "Output {o} does not exist in deployment {id}"
            )));
        }
        out.push_str("output_value:\n\n");
        out.push_str(&deployment_output(outputs, o, false));
    }
    Ok(Reply::Text(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn derived_config_declares_the_inputs() {
        let source = json!({"inputs": [{"name": "a", "default": "d"}, {"name": "b"}],
                            "group": "script", "config": "echo"});
        let mut given = Map::new();
        given.insert("b".into(), json!("B"));
        given.insert("c".into(), json!("C"));
        let d = derived_config("CREATE", &source, "n", given, "srv", "NO_SIGNAL", None).unwrap();
        let inputs = d["inputs"].as_array().unwrap();
        assert_eq!(inputs[0]["value"], "d");
        assert_eq!(inputs[1]["value"], "B");
        assert_eq!(
            inputs[2],
            json!({"name": "c", "type": "String", "value": "C"})
        );
        assert_eq!(inputs[3]["value"], "srv");
        assert_eq!(d["group"], "script");
        assert_eq!(d["options"], json!({}));
        assert!(derived_config("X", &source, "n", Map::new(), "s", "HEAT_SIGNAL", None).is_err());
    }
}
