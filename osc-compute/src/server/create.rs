//! `server create` with every OSC option: boot source (image, image properties, volume,
//! snapshot, boot-from-volume, block devices), networks (`--nic`, `--network`, `--port`,
//! `auto`/`none`), scheduler hints, config drive, and `--wait`.

use super::{detail, refresh_merge};
use crate::common::{self, mv};
use osc_core::{Command, Context, Error, Output, Result, Session};
use serde_json::{json, Map, Value};

/// Create a new server
#[derive(clap::Args)]
pub struct CreateServer {
    /// New server name
    #[arg(value_name = "server-name")]
    server_name: String,
    /// Create server with this flavor (name or ID)
    #[arg(long, value_name = "flavor", required = true)]
    flavor: String,
    /// Create server boot disk from this image (name or ID)
    #[arg(long, value_name = "image")]
    image: Option<String>,
    /// Create server using the image that matches the specified property. Property must match exactly one property.
    #[arg(long = "image-property", value_name = "key=value")]
    image_property: Vec<String>,
    /// Create server using this volume as the boot disk (name or ID). This option automatically creates a block device mapping with a boot index of 0. On many hypervisors (libvirt/kvm for example) this will be device vda. Do not create a duplicate mapping using --block-device-mapping for this volume.
    #[arg(long, value_name = "volume")]
    volume: Option<String>,
    /// Create server using this snapshot as the boot disk (name or ID). This option automatically creates a block device mapping with a boot index of 0. On many hypervisors (libvirt/kvm for example) this will be device vda. Do not create a duplicate mapping using --block-device-mapping for this volume.
    #[arg(long, value_name = "snapshot")]
    snapshot: Option<String>,
    /// When used in conjunction with the ``--image`` or ``--image-property`` option, this option automatically creates a block device mapping with a boot index of 0 and tells the compute service to create a volume of the given size (in GB) from the specified image and use it as the root disk of the server. The root volume will not be deleted when the server is deleted. This option is mutually exclusive with the ``--volume`` and ``--snapshot`` options.
    #[arg(long = "boot-from-volume", value_name = "volume-size", value_parser = clap::value_parser!(u64).range(1..))]
    boot_from_volume: Option<u64>,
    /// Delete the boot volume automatically when the server is deleted (only valid with --boot-from-volume).
    #[arg(long = "delete-on-termination")]
    delete_on_termination: bool,
    /// **Deprecated** Create a block device on the server. Block device mapping in the format <dev-name>=<id>:<type>:<size(GB)>:<delete-on-terminate>
    #[arg(long = "block-device-mapping", value_name = "dev-name=mapping")]
    block_device_mapping: Vec<String>,
    /// Create a block device on the server. Either a path to a JSON file or a CSV-serialized string describing the block device mapping. The following keys are accepted for both: uuid, source_type, destination_type, disk_bus, device_type, device_name, volume_size, guest_format, boot_index, delete_on_termination, tag, volume_type
    #[arg(long = "block-device", value_name = "block-device")]
    block_device: Vec<String>,
    /// Create and attach a local swap block device of <swap_size> MiB.
    #[arg(long, value_name = "swap")]
    swap: Option<u64>,
    /// Create and attach a local ephemeral block device of <size> GiB and format it to <format>.
    #[arg(long, value_name = "size=size[,format=format]")]
    ephemeral: Vec<String>,
    /// Create a NIC on the server and connect it to network. Specify option multiple times to create multiple NICs. This is a wrapper for the '--nic net-id=<network>' parameter that provides simple syntax for the standard use case of connecting a new server to a given network.
    #[arg(long, value_name = "network")]
    network: Vec<String>,
    /// Create a NIC on the server and connect it to port. Specify option multiple times to create multiple NICs. This is a wrapper for the '--nic port-id=<port>' parameter.
    #[arg(long, value_name = "port")]
    port: Vec<String>,
    /// Do not attach a network to the server. This is a wrapper for the '--nic none' option.
    #[arg(long = "no-network")]
    no_network: bool,
    /// Automatically allocate a network to the server. This is the default network allocation policy. This is a wrapper for the '--nic auto' option.
    #[arg(long = "auto-network")]
    auto_network: bool,
    /// Create a NIC on the server. NIC in the format: net-id=<net-uuid>: attach NIC to network with this UUID, port-id=<port-uuid>: attach NIC to port with this UUID, v4-fixed-ip=<ip-addr>: IPv4 fixed address for NIC (optional), v6-fixed-ip=<ip-addr>: IPv6 fixed address for NIC (optional), tag: interface metadata tag (optional) (supported by --os-compute-api-version 2.43 or above), none: (v2.37+) no network is attached, auto: (v2.37+) the compute service will automatically allocate a network. Specify option multiple times to create multiple NICs.
    #[arg(
        long,
        value_name = "net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag,auto,none"
    )]
    nic: Vec<String>,
    /// Set the password to this server. This option requires cloud support.
    #[arg(long, value_name = "password")]
    password: Option<String>,
    /// Security group to assign to this server (name or ID) (repeat option to set multiple groups)
    #[arg(long = "security-group", value_name = "security-group")]
    security_group: Vec<String>,
    /// Do not associate a security group with this server
    #[arg(long = "no-security-group", conflicts_with = "security_group")]
    no_security_group: bool,
    /// Keypair to inject into this server
    #[arg(long = "key-name", value_name = "key-name")]
    key_name: Option<String>,
    /// Set a property on this server (repeat option to set multiple values)
    #[arg(long = "property", value_name = "key=value")]
    property: Vec<String>,
    /// File(s) to inject into image before boot (repeat option to set multiple files)(supported by --os-compute-api-version 2.56 or below)
    #[arg(long, value_name = "dest-filename=source-filename")]
    file: Vec<String>,
    /// User data file to serve from the metadata server
    #[arg(long = "user-data", value_name = "user-data")]
    user_data: Option<String>,
    /// Set description for the server (supported by --os-compute-api-version 2.19 or above)
    #[arg(long, value_name = "description")]
    description: Option<String>,
    /// Select an availability zone for the server. Host and node are optional parameters. Availability zone in the format <zone-name>:<host-name>:<node-name>, <zone-name>::<node-name>, <zone-name>:<host-name> or <zone-name>
    #[arg(long = "availability-zone", value_name = "zone-name")]
    availability_zone: Option<String>,
    /// Requested host to create servers. (admin only) (supported by --os-compute-api-version 2.74 or above)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Requested hypervisor hostname to create servers. (admin only) (supported by --os-compute-api-version 2.74 or above)
    #[arg(long = "hypervisor-hostname", value_name = "hypervisor-hostname")]
    hypervisor_hostname: Option<String>,
    /// Server group to create the server within (this is an alias for '--hint group=<server-group-id>')
    #[arg(long = "server-group", value_name = "server-group")]
    server_group: Option<String>,
    /// Hints for the scheduler
    #[arg(long, value_name = "key=value")]
    hint: Vec<String>,
    /// Enable config drive.
    #[arg(long = "use-config-drive", overrides_with = "no_config_drive")]
    use_config_drive: bool,
    /// Disable config drive.
    #[arg(long = "no-config-drive", overrides_with = "use_config_drive")]
    no_config_drive: bool,
    /// **Deprecated** Use specified volume as the config drive, or 'True' to use an ephemeral drive. Replaced by '--use-config-drive'.
    #[arg(long = "config-drive", value_name = "config-drive-volume>|True")]
    config_drive: Option<String>,
    /// Minimum number of servers to launch (default=1)
    #[arg(long, value_name = "count", default_value_t = 1)]
    min: i64,
    /// Maximum number of servers to launch (default=1)
    #[arg(long, value_name = "count", default_value_t = 1)]
    max: i64,
    /// Tags for the server. Specify multiple times to add multiple tags. (supported by --os-compute-api-version 2.52 or above)
    #[arg(long, value_name = "tag")]
    tag: Vec<String>,
    /// Hostname configured for the server in the metadata service. If unset, a hostname will be automatically generated from the server name. A utility such as cloud-init is required to propagate the hostname in the metadata service to the guest OS itself. (supported by --os-compute-api-version 2.90 or above)
    #[arg(long, value_name = "hostname")]
    hostname: Option<String>,
    /// Wait for build to complete
    #[arg(long)]
    wait: bool,
    /// Trusted image certificate IDs used to validate certificates during the image signature verification process. May be specified multiple times to pass multiple trusted image certificate IDs. (supported by --os-compute-api-version 2.63 or above)
    #[arg(long = "trusted-image-cert", value_name = "trusted-cert-id")]
    trusted_image_cert: Vec<String>,
}

/// One `--nic`, `--network` or `--port`, in the order given.
#[derive(Debug, Clone, PartialEq)]
enum Nic {
    Auto,
    None,
    Spec(Map<String, Value>),
}

fn parse_nic(value: &str) -> Result<Nic> {
    match value {
        "auto" => return Ok(Nic::Auto),
        "none" => return Ok(Nic::None),
        _ => {}
    }
    let form = "argument --nic: Invalid argument {v}; argument must be of form 'net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag'";
    let mut m = Map::new();
    for kv in value.split(',') {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        if !["net-id", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag"].contains(&k) || v.is_empty()
        {
            return Err(Error::usage(form.replace("{v}", value)));
        }
        m.insert(k.to_string(), json!(v));
    }
    if m.contains_key("net-id") && m.contains_key("port-id") {
        return Err(Error::usage(format!(
            "argument --nic: Invalid argument {value}; either 'network' or 'port' should be specified but not both"
        )));
    }
    if m.contains_key("v4-fixed-ip") && m.contains_key("v6-fixed-ip") {
        return Err(Error::usage(format!(
            "argument --nic: Invalid argument {value}; either 'v4-fixed-ip' or 'v6-fixed-ip' should be specified but not both"
        )));
    }
    Ok(Nic::Spec(m))
}

fn wrapped_nic(key: &str, flag: &str, value: &str) -> Result<Nic> {
    if value.contains(',') || value.contains('=') {
        return Err(Error::usage(format!(
            "argument {flag}: Invalid argument {value}; characters ',' and '=' are not allowed"
        )));
    }
    let mut m = Map::new();
    m.insert(key.to_string(), json!(value));
    Ok(Nic::Spec(m))
}

/// The NICs in command-line order (clap keeps each option's values separately).
fn nics_in_order(args: &CreateServer, argv: &[String]) -> Result<Vec<Nic>> {
    // Rebuild the order from the command's arguments; each option's own values keep their
    // relative order.
    let mut order: Vec<&str> = Vec::new();
    for a in argv {
        for flag in [
            "--nic",
            "--network",
            "--port",
            "--no-network",
            "--auto-network",
        ] {
            if a == flag || a.starts_with(&format!("{flag}=")) {
                order.push(flag);
            }
        }
    }
    let (mut nic, mut net, mut port) = (args.nic.iter(), args.network.iter(), args.port.iter());
    let mut out = Vec::new();
    let mut push_rest = |out: &mut Vec<Nic>, flag: &str| -> Result<()> {
        match flag {
            "--nic" => {
                if let Some(v) = nic.next() {
                    out.push(parse_nic(v)?);
                }
            }
            "--network" => {
                if let Some(v) = net.next() {
                    out.push(wrapped_nic("net-id", flag, v)?);
                }
            }
            "--port" => {
                if let Some(v) = port.next() {
                    out.push(wrapped_nic("port-id", flag, v)?);
                }
            }
            "--no-network" => out.push(Nic::None),
            _ => out.push(Nic::Auto),
        }
        Ok(())
    };
    for flag in &order {
        push_rest(&mut out, flag)?;
    }
    // Anything argv did not show (an unusual invocation): append in a fixed order.
    for v in nic {
        out.push(parse_nic(v)?);
    }
    for v in net {
        out.push(wrapped_nic("net-id", "--network", v)?);
    }
    for v in port {
        out.push(wrapped_nic("port-id", "--port", v)?);
    }
    if args.no_network && !out.contains(&Nic::None) {
        out.push(Nic::None);
    }
    if args.auto_network && !out.contains(&Nic::Auto) {
        out.push(Nic::Auto);
    }
    Ok(out)
}

/// `--block-device-mapping dev=id[:type[:size[:delete]]]` (legacy form).
fn legacy_bdm(v: &str) -> Result<Map<String, Value>> {
    let bad = || {
        Error::usage(format!(
            "argument --block-device-mapping: Invalid argument {v}; argument must be of form 'dev-name=id[:type[:size[:delete-on-terminate]]]'"
        ))
    };
    let (dev, map) = v.split_once('=').ok_or_else(bad)?;
    let parts: Vec<&str> = map.split(':').collect();
    if dev.is_empty() || map.is_empty() || parts.len() > 4 {
        return Err(bad());
    }
    let mut m = Map::new();
    m.insert("device_name".into(), json!(dev));
    m.insert("uuid".into(), json!(parts[0]));
    m.insert("source_type".into(), json!("volume"));
    m.insert("destination_type".into(), json!("volume"));
    if let Some(t) = parts.get(1).filter(|t| !t.is_empty()) {
        if !["volume", "snapshot", "image"].contains(t) {
            return Err(Error::usage(format!(
                "argument --block-device-mapping: Invalid argument {v}; 'type' must be one of: volume, snapshot, image"
            )));
        }
        m.insert("source_type".into(), json!(t));
    }
    if let Some(sz) = parts.get(2).filter(|t| !t.is_empty()) {
        m.insert("volume_size".into(), json!(sz));
    }
    if let Some(d) = parts.get(3).filter(|t| !t.is_empty()) {
        m.insert("delete_on_termination".into(), json!(d));
    }
    Ok(m)
}

const BDM_KEYS: &[&str] = &[
    "uuid",
    "source_type",
    "destination_type",
    "disk_bus",
    "device_type",
    "device_name",
    "volume_size",
    "guest_format",
    "boot_index",
    "delete_on_termination",
    "tag",
    "volume_type",
];

/// `--block-device`: a JSON file, or `key=value,...`.
fn block_device(v: &str) -> Result<Map<String, Value>> {
    if std::path::Path::new(v).exists() {
        let text =
            std::fs::read_to_string(v).map_err(|e| Error::cmd(format!("Can't open '{v}': {e}")))?;
        let data: Value = serde_json::from_str(&text).map_err(|e| {
            Error::usage(format!(
                "argument --block-device: {v} is not valid JSON: {e}"
            ))
        })?;
        let m = data.as_object().cloned().ok_or_else(|| {
            Error::usage(format!(
                "argument --block-device: {v} must hold a JSON object"
            ))
        })?;
        let invalid: Vec<&String> = m
            .keys()
            .filter(|k| !BDM_KEYS.contains(&k.as_str()))
            .collect();
        if !invalid.is_empty() {
            return Err(Error::usage(format!(
                "argument --block-device: Invalid keys {} specified. Valid keys are: {}",
                invalid
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                BDM_KEYS.join(", ")
            )));
        }
        return Ok(m);
    }
    common::parse_multi_kv(v, "--block-device", BDM_KEYS, &[])
}

fn bool_from_str(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.to_lowercase().as_str() {
            "1" | "t" | "true" | "on" | "y" | "yes" => Some(true),
            "0" | "f" | "false" | "off" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Finds the one image whose properties match all of `wanted` (OSC's `_match_image`).
fn match_image(s: &Session, wanted: &Map<String, Value>) -> Result<Value> {
    let images = common::IMAGES.list(s, &[])?;
    let found: Vec<Value> = images
        .into_iter()
        .filter(|img| {
            wanted.iter().all(|(k, v)| {
                let have = img
                    .get(k)
                    .or_else(|| img.get("properties").and_then(|p| p.get(k)));
                have.is_some_and(|h| common::py_str(h) == common::py_str(v))
            })
        })
        .collect();
    match found.len() {
        1 => Ok(found.into_iter().next().unwrap_or_default()),
        0 => Err(Error::cmd(
            "No images match the property expected by --image-property",
        )),
        _ => Err(Error::cmd(
            "More than one image matches the property expected by --image-property",
        )),
    }
}

impl Command for CreateServer {
    fn run(self, ctx: &Context) -> Result<Output> {
        // Everything that needs no cloud is checked first.
        let nics = nics_in_order(&self, &ctx.args)?;
        let image_props = common::parse_kv(&self.image_property, "--image-property")?;
        let properties = common::parse_kv(&self.property, "--property")?;
        let legacy: Vec<Map<String, Value>> = self
            .block_device_mapping
            .iter()
            .map(|v| legacy_bdm(v))
            .collect::<Result<_>>()?;
        let devices: Vec<Map<String, Value>> = self
            .block_device
            .iter()
            .map(|v| block_device(v))
            .collect::<Result<_>>()?;
        let ephemerals: Vec<Map<String, Value>> = self
            .ephemeral
            .iter()
            .map(|v| common::parse_multi_kv(v, "--ephemeral", &["size", "format"], &["size"]))
            .collect::<Result<_>>()?;
        let mut hints: Map<String, Value> = Map::new();
        for h in &self.hint {
            let (k, v) = common::split_kv(h, "--hint")?;
            match hints.get_mut(&k) {
                Some(Value::Array(a)) => a.push(json!(v)),
                Some(existing) => *existing = json!([existing.clone(), v]),
                None => {
                    hints.insert(k, json!(v));
                }
            }
        }
        if self.min > self.max {
            return Err(Error::cmd("min instances should be <= max instances"));
        }
        if self.min < 1 {
            return Err(Error::cmd("min instances should be > 0"));
        }
        if self.max < 1 {
            return Err(Error::cmd("max instances should be > 0"));
        }
        if self.volume.is_some() && self.boot_from_volume.is_some() {
            return Err(Error::cmd(
                "--volume is not allowed with --boot-from-volume",
            ));
        }
        if self.snapshot.is_some() && self.boot_from_volume.is_some() {
            return Err(Error::cmd(
                "--snapshot is not allowed with --boot-from-volume",
            ));
        }
        let user_data = match &self.user_data {
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| Error::cmd(format!("Can't open '{path}': {e}")))?;
                Some(base64(&bytes))
            }
            None => None,
        };

        let s = ctx.session()?;
        let mut image = None;
        if let Some(i) = &self.image {
            image = Some(common::find_image(s, i)?);
        }
        if image.is_none() && !image_props.is_empty() {
            image = Some(match_image(s, &image_props)?);
        }
        let volume = match &self.volume {
            Some(v) => Some(common::VOLUMES.find_id(s, v)?),
            None => None,
        };
        let snapshot = match &self.snapshot {
            Some(v) => Some(common::SNAPSHOTS.find_id(s, v)?),
            None => None,
        };
        let flavor = common::find_flavor(s, &self.flavor)?;
        let flavor_id = common::py_str(&flavor["id"]);

        let mut personality = Vec::new();
        if !self.file.is_empty() {
            if common::supports(s, "2.57")? {
                return Err(Error::cmd("Personality files are deprecated and are not supported for --os-compute-api-version greater than 2.56; use user data instead"));
            }
            for f in &self.file {
                let (dst, src) = common::split_kv(f, "--file")?;
                let bytes = std::fs::read(&src)
                    .map_err(|e| Error::cmd(format!("Can't open '{src}': {e}")))?;
                personality.push(json!({"path": dst, "contents": base64(&bytes)}));
            }
        }
        if self.description.is_some() {
            common::require(s, "2.19", "the --description option")?;
        }

        let image_id = image.as_ref().map(|i| common::py_str(&i["id"]));
        let mut bdms: Vec<Value> = Vec::new();
        let mut boot_image = image_id.clone();
        if let Some(size) = self.boot_from_volume {
            let Some(id) = &image_id else {
                return Err(Error::cmd("An image (--image or --image-property) is required to support --boot-from-volume option"));
            };
            bdms.push(json!({
                "uuid": id, "boot_index": 0, "source_type": "image", "destination_type": "volume",
                "volume_size": size, "delete_on_termination": self.delete_on_termination,
            }));
            boot_image = None;
        } else if let Some(id) = &image_id {
            bdms.push(json!({
                "uuid": id, "boot_index": 0, "source_type": "image", "destination_type": "local",
                "delete_on_termination": true,
            }));
        } else if let Some(v) = &volume {
            bdms.push(json!({"uuid": v, "boot_index": 0, "source_type": "volume", "destination_type": "volume"}));
        } else if let Some(sn) = &snapshot {
            bdms.push(json!({
                "uuid": sn, "boot_index": 0, "source_type": "snapshot", "destination_type": "volume",
                "delete_on_termination": false,
            }));
        }
        if let Some(swap) = self.swap {
            bdms.push(json!({
                "boot_index": -1, "source_type": "blank", "destination_type": "local", "guest_format": "swap",
                "volume_size": swap, "delete_on_termination": true,
            }));
        }
        for e in ephemerals {
            let mut m = json!({
                "boot_index": -1, "source_type": "blank", "destination_type": "local",
                "delete_on_termination": true, "volume_size": e["size"],
            });
            if let Some(f) = e.get("format") {
                m["guest_format"] = f.clone();
            }
            bdms.push(m);
        }
        for mut m in legacy {
            let uuid = common::py_str(&m["uuid"]);
            let id = match m["source_type"].as_str() {
                Some("volume") => common::VOLUMES.find_id(s, &uuid)?,
                Some("snapshot") => common::SNAPSHOTS.find_id(s, &uuid)?,
                _ => common::id_or_err(common::find_image(s, &uuid)?, "image", &uuid)?,
            };
            m.insert("uuid".into(), json!(id));
            bdms.push(Value::Object(m));
        }
        for mut m in devices {
            if let Some(b) = m.get("boot_index").cloned() {
                let n = match &b {
                    Value::Number(n) => n.as_i64(),
                    other => common::py_str(other).parse::<i64>().ok(),
                };
                let n = n.ok_or_else(|| {
                    Error::cmd("The boot_index key of --block-device should be an integer")
                })?;
                m.insert("boot_index".into(), json!(n));
            }
            if m.contains_key("tag") {
                common::require(s, "2.42", "the tag key of --block-device")?;
            }
            if m.contains_key("volume_type") {
                common::require(s, "2.67", "the volume_type key of --block-device")?;
            }
            match m.get("source_type").and_then(Value::as_str) {
                Some("volume" | "image" | "snapshot" | "blank") => {}
                Some(_) => return Err(Error::cmd("The source_type key of --block-device should be one of: volume, image, snapshot, blank")),
                None => {
                    m.insert("source_type".into(), json!("blank"));
                }
            }
            match m.get("destination_type").and_then(Value::as_str) {
                Some("local" | "volume") => {}
                Some(_) => return Err(Error::cmd(
                    "The destination_type key of --block-device should be one of: local, volume",
                )),
                None => {
                    let d = if m["source_type"] == "blank" {
                        "local"
                    } else {
                        "volume"
                    };
                    m.insert("destination_type".into(), json!(d));
                }
            }
            if let Some(d) = m.get("delete_on_termination").cloned() {
                let b = bool_from_str(&d).ok_or_else(|| {
                    Error::cmd("The delete_on_termination key of --block-device should be a boolean-like value")
                })?;
                m.insert("delete_on_termination".into(), json!(b));
            } else if m["destination_type"] == "local" {
                m.insert("delete_on_termination".into(), json!(true));
            }
            bdms.push(Value::Object(m));
        }
        if !bdms.iter().any(|b| b.get("boot_index") == Some(&json!(0))) {
            return Err(Error::cmd("An image (--image, --image-property) or bootable volume (--volume, --snapshot, --block-device) is required"));
        }

        let networks: Value = if nics.iter().any(|n| matches!(n, Nic::Auto | Nic::None)) {
            if nics.len() > 1 {
                return Err(Error::cmd(
                    "Specifying a --nic of auto or none cannot be used with any other --nic, --network or --port value.",
                ));
            }
            common::require(
                s,
                "2.37",
                "explicit auto-allocation of a network or to disable network allocation",
            )?;
            json!(if nics[0] == Nic::Auto { "auto" } else { "none" })
        } else {
            let mut list = Vec::new();
            for n in &nics {
                let Nic::Spec(m) = n else { continue };
                if m.contains_key("tag") {
                    common::require(s, "2.43", "the --nic tag field")?;
                }
                let mut net = Map::new();
                if let Some(id) = m.get("net-id").and_then(Value::as_str) {
                    net.insert("uuid".into(), json!(common::NETWORKS.find_id(s, id)?));
                }
                if let Some(id) = m.get("port-id").and_then(Value::as_str) {
                    net.insert("port".into(), json!(common::PORTS.find_id(s, id)?));
                }
                if let Some(ip) = m.get("v4-fixed-ip").or_else(|| m.get("v6-fixed-ip")) {
                    net.insert("fixed_ip".into(), ip.clone());
                }
                if let Some(t) = m.get("tag") {
                    net.insert("tag".into(), t.clone());
                }
                list.push(Value::Object(net));
            }
            if nics.is_empty() && common::supports(s, "2.37")? {
                json!("auto")
            } else {
                Value::Array(list)
            }
        };

        let security_groups: Option<Vec<Value>> = if self.no_security_group {
            Some(Vec::new())
        } else if self.security_group.is_empty() {
            None
        } else {
            let mut v = Vec::new();
            for g in &self.security_group {
                // The ID avoids ambiguity between groups of the same name.
                v.push(json!({"name": common::SECURITY_GROUPS.find_id(s, g)?}));
            }
            Some(v)
        };
        if let Some(g) = &self.server_group {
            let id = common::id_or_err(crate::server_group::find_group(s, g)?, "server group", g)?;
            hints.insert("group".into(), json!(id));
        }
        let config_drive: Option<Value> = if let Some(cd) = &self.config_drive {
            match cd.to_lowercase().as_str() {
                "true" | "1" => Some(json!(true)),
                "false" | "0" | "" | "none" => None,
                _ => Some(json!(cd)),
            }
        } else if self.use_config_drive {
            Some(json!(true))
        } else {
            None
        };

        let mut server = json!({
            "name": self.server_name,
            "imageRef": boot_image.clone().unwrap_or_default(),
            "flavorRef": flavor_id,
            "min_count": self.min,
            "max_count": self.max,
        });
        let o = server
            .as_object_mut()
            .ok_or_else(|| Error::cmd("internal: server body"))?;
        if let Some(d) = &self.description {
            o.insert("description".into(), json!(d));
        }
        if let Some(az) = &self.availability_zone {
            o.insert("availability_zone".into(), json!(az));
        }
        if let Some(p) = &self.password {
            o.insert("adminPass".into(), json!(p));
        }
        if !properties.is_empty() {
            o.insert("metadata".into(), Value::Object(properties));
        }
        if let Some(k) = &self.key_name {
            o.insert("key_name".into(), json!(k));
        }
        if let Some(u) = user_data {
            o.insert("user_data".into(), json!(u));
        }
        if !personality.is_empty() {
            o.insert("personality".into(), Value::Array(personality));
        }
        if let Some(g) = security_groups {
            o.insert("security_groups".into(), Value::Array(g));
        }
        if !bdms.is_empty() {
            o.insert("block_device_mapping_v2".into(), Value::Array(bdms));
        }
        o.insert("networks".into(), networks);
        if let Some(cd) = config_drive {
            o.insert("config_drive".into(), cd);
        }
        if !self.tag.is_empty() {
            common::require(s, "2.52", "the --tag option")?;
            o.insert("tags".into(), json!(self.tag));
        }
        if let Some(h) = &self.host {
            common::require(s, "2.74", "the --host option")?;
            o.insert("host".into(), json!(h));
        }
        if let Some(h) = &self.hypervisor_hostname {
            common::require(s, "2.74", "the --hypervisor-hostname option")?;
            o.insert("hypervisor_hostname".into(), json!(h));
        }
        if let Some(h) = &self.hostname {
            common::require(s, "2.90", "the --hostname option")?;
            o.insert("hostname".into(), json!(h));
        }
        if !self.trusted_image_cert.is_empty() {
            if image_id.is_none() || self.boot_from_volume.is_some() {
                return Err(Error::cmd("--trusted-image-cert option is only supported for servers booted directly from images"));
            }
            common::require(s, "2.63", "the --trusted-image-cert option")?;
            o.insert(
                "trusted_image_certificates".into(),
                json!(self.trusted_image_cert),
            );
        }
        let mut body = json!({ "server": server });
        if !hints.is_empty() {
            body["OS-SCH-HNT:scheduler_hints"] = Value::Object(hints);
        }
        let created = common::unwrap_key(common::post(s, "/servers", body, mv::SERVER)?, "server");
        let id = common::py_str(&created["id"]);
        if self.wait {
            super::wait(s, &id, &["ACTIVE"], "creating")?;
        }
        let fetched = super::get_server(s, &id)?;
        Ok(Output::Show(detail(s, refresh_merge(&created, &fetched))?))
    }
}

/// Standard base64, for user data and personality files.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nics_parse_as_osc() {
        assert_eq!(parse_nic("auto").unwrap(), Nic::Auto);
        let Nic::Spec(m) = parse_nic("net-id=abc,v4-fixed-ip=10.0.0.5").unwrap() else {
            panic!()
        };
        assert_eq!(m["net-id"], "abc");
        assert!(parse_nic("net-id=a,port-id=b").is_err());
        assert!(parse_nic("bogus=1").is_err());
        assert!(wrapped_nic("net-id", "--network", "a,b").is_err());
    }

    #[test]
    fn legacy_block_device_mapping() {
        let m = legacy_bdm("vdb=vol1:snapshot:10:true").unwrap();
        assert_eq!(m["source_type"], "snapshot");
        assert_eq!(m["volume_size"], "10");
        assert!(legacy_bdm("vdb").is_err());
        assert!(legacy_bdm("vdb=x:bogus").is_err());
    }

    #[test]
    fn base64_encodes() {
        assert_eq!(base64(b"#!/bin/sh\n"), "IyEvYmluL3NoCg==");
    }
}
