//! osc plugin for Swift object storage: the 17 container, object and account commands of
//! python-openstackclient, with the same columns. Uploads and downloads stream in
//! constant memory; files larger than the segment size go up as a static large object;
//! the MD5 of every upload and (non-segmented) download is checked against Swift's ETag.

mod swift;

use osc_plugin_sdk::{export_plugin, Args, Host, Reply, Result};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let s = swift::Swift { host };
    match command {
        "container create" => s.container_create(args),
        "container delete" => s.container_delete(args),
        "container list" => s.container_list(args),
        "container save" => s.container_save(args),
        "container set" => s.set_meta(args, swift::Target::Container, true),
        "container show" => s.container_show(args),
        "container unset" => s.set_meta(args, swift::Target::Container, false),
        "object create" => s.object_create(args),
        "object delete" => s.object_delete(args),
        "object list" => s.object_list(args),
        "object save" => s.object_save(args),
        "object set" => s.set_meta(args, swift::Target::Object, true),
        "object show" => s.object_show(args),
        "object unset" => s.set_meta(args, swift::Target::Object, false),
        "object store account set" => s.set_meta(args, swift::Target::Account, true),
        "object store account show" => s.account_show(),
        "object store account unset" => s.set_meta(args, swift::Target::Account, false),
        other => Err(format!("object-store plugin: unknown command {other}").into()),
    }
}

export_plugin!(manifest: "../manifest.json", handler: run);
