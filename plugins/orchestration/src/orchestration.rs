//! `orchestration …`: heatclient's `osc/v1/build_info.py`, `resource_type.py`,
//! `service.py` and `template.py` (versions, functions, and `template validate` with local
//! files resolved as `stack create` does).

use crate::heat::{self, get, or_not_found, send, strings, SVC};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{Args, Error, Host, Reply, Request, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "orchestration build info" => build_info(host),
        "orchestration service list" => service_list(host),
        "orchestration resource type list" => resource_type_list(host, args),
        "orchestration resource type show" => resource_type_show(host, args),
        "orchestration template version list" => version_list(host),
        "orchestration template function list" => function_list(host, args),
        "orchestration template validate" => validate(host, args),
        _ => return None,
    })
}

fn build_info(host: &Host) -> Result<Reply> {
    let info = get(host, "/build_info")?;
    Ok(osc_plugin_sdk::verbs::sorted_reply(&info, &[], &[])
        .style("api", "json")
        .style("engine", "json"))
}

fn service_list(host: &Host) -> Result<Reply> {
    let items = get(host, "/services")?["services"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(heat::table(
        strings(&[
            "Hostname",
            "Binary",
            "Engine ID",
            "Host",
            "Topic",
            "Updated At",
            "Status",
        ]),
        &items,
    ))
}

fn resource_type_list(host: &Host, args: &Args) -> Result<Reply> {
    let long = args.flag("long");
    let filters = crate::template::format_parameters(&args.list("filter"), true)?;
    let mut req = Request::get(SVC, "/resource_types");
    for (k, v) in heat::filter_query(&filters) {
        req = req.query(&k, v);
    }
    req = req.query("with_description", if long { "True" } else { "False" });
    let types = send(host, req)?["resource_types"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let name = |t: &Value| match t {
        Value::String(s) => s.clone(),
        other => other["resource_type"].as_str().unwrap_or("").to_string(),
    };
    let mut rows: Vec<Vec<Value>> = types
        .iter()
        .map(|t| {
            let mut r = vec![Value::String(name(t))];
            if long {
                r.push(t.get("description").cloned().unwrap_or(Value::Null));
            }
            r
        })
        .collect();
    rows.sort_by(|a, b| {
        let s = |r: &Vec<Value>| {
            r.iter()
                .map(|v| v.as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        };
        s(a).cmp(&s(b))
    });
    let columns = if long {
        strings(&["Resource Type", "Description"])
    } else {
        strings(&["Resource Type"])
    };
    Ok(Reply::list(columns).rows(rows))
}

fn resource_type_show(host: &Host, args: &Args) -> Result<Reply> {
    let rtype = args.req("resource_type")?;
    let long = args.flag("long");
    let ttype = args.str("template_type");
    if ttype.is_some() && long {
        return Err(Error::other(
            "Cannot use --template-type and --long in one time.",
        ));
    }
    let not_found = || format!("Resource type not found: {rtype}");
    let data = match ttype {
        Some(t) => {
            let t = t.to_lowercase();
            if t != "hot" && t != "cfn" {
                return Err(Error::other(format!("Template type invalid: {t}")));
            }
            or_not_found(
                send(
                    host,
                    Request::get(
                        SVC,
                        format!("/resource_types/{}/template", encode_segment(rtype)),
                    )
                    .query("template_type", t),
                ),
                not_found,
            )?
        }
        None => or_not_found(
            send(
                host,
                Request::get(SVC, format!("/resource_types/{}", encode_segment(rtype)))
                    .query("with_description", if long { "True" } else { "False" }),
            ),
            not_found,
        )?,
    };
    Ok(heat::dict_record(&data))
}

fn version_list(host: &Host) -> Result<Reply> {
    let versions = get(host, "/template_versions")?["template_versions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let aliases = versions.get(1).is_some_and(|v| v.get("aliases").is_some());
    let columns = if aliases {
        strings(&["Version", "Type", "Aliases"])
    } else {
        strings(&["Version", "Type"])
    };
    let mut reply = heat::table(columns, &versions);
    if aliases {
        reply = reply.style("Aliases", "list");
    }
    Ok(reply)
}

fn function_list(host: &Host, args: &Args) -> Result<Reply> {
    let version = args.req("template_version")?;
    let mut req = Request::get(
        SVC,
        format!("/template_versions/{}/functions", encode_segment(version)),
    );
    req = req.query(
        "with_condition_func",
        if args.flag("with_conditions") {
            "True"
        } else {
            "False"
        },
    );
    let functions = or_not_found(send(host, req), || {
        format!("Template version not found: {version}")
    })?["template_functions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(heat::table(
        strings(&["Functions", "Description"]),
        &functions,
    ))
}

fn validate(host: &Host, args: &Args) -> Result<Reply> {
    let prepared = crate::stack::prepare(args, None, false)?;
    let mut body = osc_plugin_sdk::Map::new();
    if let Some(t) = prepared.template {
        body.insert("template".into(), t);
    }
    body.insert(
        "parameters".into(),
        Value::Object(crate::template::format_parameters(
            &args.list("parameter"),
            true,
        )?),
    );
    body.insert("files".into(), Value::Object(prepared.files));
    body.insert("environment".into(), Value::Object(prepared.env));
    if !prepared.env_urls.is_empty() {
        body.insert("environment_files".into(), prepared.env_urls.into());
    }
    if let Some(c) = args.str("files_container") {
        body.insert("files_container".into(), c.into());
    }
    let mut req = Request::post(SVC, "/validate");
    if args.flag("show_nested") {
        req = req.query("show_nested", "True");
    }
    if let Some(i) = args.str("ignore_errors").filter(|i| !i.is_empty()) {
        req = req.query("ignore_errors", i);
    }
    let v = send(host, req.json(Value::Object(body)))?;
    Ok(heat::dict_record(&v))
}
