//! `image create/list/show/set/unset/delete/save/stage/import`.

use crate::common::{
    current_project, find_image, image_id, image_record, key_values, parse_size, project_id,
    py_str, str_field, IMAGE, PATCH_TYPE, SVC,
};
use crate::transfer::{self, Sink, Source};
use osc_core::resource::{col, col_list, table, Col};
use osc_core::wait::{Poll, Wait};
use osc_core::{log, Body, Context, Error, Method, Output, Request, Result, Session};
use serde_json::{json, Map, Value};
use std::time::Duration;

const CONTAINER_CHOICES: [&str; 7] = ["ami", "ari", "aki", "bare", "docker", "ova", "ovf"];
const DISK_CHOICES: [&str; 11] = [
    "ami", "ari", "aki", "vhd", "vmdk", "raw", "qcow2", "vhdx", "vdi", "iso", "ploop",
];

// Visibility options shared by create and set, one at most. (A plain comment: clap would
// take a doc comment here as the about text of every command that flattens this.)
#[derive(clap::Args, Debug, Default)]
pub struct VisibilityArgs {
    /// Image is accessible and visible to all users
    #[arg(long, group = "visibility")]
    public: bool,
    /// Image is only accessible by the owner (default until --os-image-api-version 2.5)
    #[arg(long, group = "visibility")]
    private: bool,
    /// Image is accessible by all users but does not appear in the default image list of
    /// any user except the owner (requires --os-image-api-version 2.5 or later)
    #[arg(long, group = "visibility")]
    community: bool,
    /// Image is only accessible by the owner and image members (requires
    /// --os-image-api-version 2.5 or later) (default since --os-image-api-version 2.5)
    #[arg(long, group = "visibility")]
    shared: bool,
}

impl VisibilityArgs {
    fn value(&self) -> Option<&'static str> {
        [
            (self.public, "public"),
            (self.private, "private"),
            (self.community, "community"),
            (self.shared, "shared"),
        ]
        .into_iter()
        .find(|(set, _)| *set)
        .map(|(_, v)| v)
    }
}

// `--protected` / `--unprotected`.
#[derive(clap::Args, Debug, Default)]
pub struct ProtectedArgs {
    /// Prevent image from being deleted
    #[arg(long, group = "protection")]
    protected: bool,
    /// Allow image to be deleted (default)
    #[arg(long, group = "protection")]
    unprotected: bool,
}

impl ProtectedArgs {
    fn value(&self) -> Option<bool> {
        if self.protected {
            Some(true)
        } else if self.unprotected {
            Some(false)
        } else {
            None
        }
    }
}

fn dead_option(name: &str) -> Error {
    Error::cmd(format!("ERROR: --{name} was given, which is an Image v1 option that is no longer supported in Image v2"))
}

// ---- create ------------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct CreateImage {
    /// New image name
    #[arg(value_name = "image-name")]
    name: String,
    /// Image ID to reserve
    #[arg(long, value_name = "id")]
    id: Option<String>,
    /// Image container format. The supported options are: ami, ari, aki, bare, docker, ova,
    /// ovf. The default format is: bare
    #[arg(long, value_name = "container-format", default_value = "bare", value_parser = CONTAINER_CHOICES)]
    container_format: String,
    /// Image disk format. The supported options are: ami, ari, aki, vhd, vmdk, raw, qcow2,
    /// vhdx, vdi, iso, ploop. The default format is: raw
    #[arg(long, value_name = "disk-format", default_value = "raw", value_parser = DISK_CHOICES)]
    disk_format: String,
    /// Minimum disk size needed to boot image, in gigabytes
    #[arg(long, value_name = "disk-gb")]
    min_disk: Option<i64>,
    /// Minimum RAM size needed to boot image, in megabytes
    #[arg(long, value_name = "ram-mb")]
    min_ram: Option<i64>,
    /// Size of image data in bytes. Providing this can improve upload performance.
    #[arg(long, value_name = "size", value_parser = parse_size)]
    size: Option<u64>,
    /// Upload image from local file ('-' reads standard input)
    #[arg(long, value_name = "file", conflicts_with = "volume")]
    file: Option<String>,
    /// Create image from a volume
    #[arg(long, value_name = "volume")]
    volume: Option<String>,
    /// Force image creation if volume is in use (only meaningful with --volume)
    #[arg(long)]
    force: bool,
    /// Show upload progress bar (on a terminal)
    #[arg(long)]
    progress: bool,
    /// Sign the image using the specified private key. Only use in combination with
    /// --sign-cert-id
    #[arg(long, value_name = "sign-key-path")]
    sign_key_path: Option<String>,
    /// The specified certificate UUID is a reference to the certificate in the key manager
    /// that corresponds to the public key and is used for signature validation. Only use in
    /// combination with --sign-key-path
    #[arg(long, value_name = "sign-cert-id")]
    sign_cert_id: Option<String>,
    #[command(flatten)]
    protection: ProtectedArgs,
    #[command(flatten)]
    visibility: VisibilityArgs,
    /// Set a property on this image (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    properties: Vec<String>,
    /// Set a tag on this image (repeat option to set multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
    /// Set an alternate project on this image (name or ID)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Force the use of glance image import instead of direct upload
    #[arg(long = "import")]
    use_import: bool,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    #[arg(long, hide = true)]
    location: Option<String>,
    #[arg(long, hide = true)]
    copy_from: Option<String>,
    #[arg(long, hide = true)]
    checksum: Option<String>,
    #[arg(long, hide = true)]
    store: Option<String>,
}

impl osc_core::Command for CreateImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        for (name, v) in [
            ("location", &self.location),
            ("copy-from", &self.copy_from),
            ("checksum", &self.checksum),
            ("store", &self.store),
        ] {
            if v.is_some() {
                return Err(dead_option(name));
            }
        }
        if self.volume.is_some() {
            return self.create_from_volume(ctx);
        }
        let props = key_values(&self.properties)?;
        // Open the data first so a bad file fails before anything is created.
        let src = Source::open(self.file.as_deref())?;
        if self.size.is_some() && src.is_none() {
            return Err(Error::cmd("--size requires image data via --file or stdin"));
        }
        if self.sign_key_path.is_some() || self.sign_cert_id.is_some() {
            if !matches!(src, Some(Source::File { .. })) {
                return Err(Error::cmd(
                    "signing an image requires the --file option, passing files via stdin when signing is not supported.",
                ));
            }
            if self.sign_key_path.is_none() || self.sign_cert_id.is_none() {
                return Err(Error::cmd(
                    "'sign-key-path' and 'sign-cert-id' must both be specified when attempting to sign an image.",
                ));
            }
            return Err(Error::Unsupported(
                "Image signing (--sign-key-path/--sign-cert-id) is not supported by osc yet; sign with python-openstackclient".into(),
            ));
        }
        let s = ctx.session()?;
        let mut body = Map::new();
        body.insert("name".into(), json!(self.name));
        body.insert("disk_format".into(), json!(self.disk_format));
        body.insert("container_format".into(), json!(self.container_format));
        if let Some(id) = &self.id {
            body.insert("id".into(), json!(id));
        }
        if let Some(v) = self.min_disk {
            body.insert("min_disk".into(), json!(v));
        }
        if let Some(v) = self.min_ram {
            body.insert("min_ram".into(), json!(v));
        }
        if !self.tags.is_empty() {
            body.insert("tags".into(), json!(self.tags));
        }
        if let Some(v) = self.visibility.value() {
            body.insert("visibility".into(), json!(v));
        }
        if let Some(p) = self.protection.value() {
            body.insert("protected".into(), json!(p));
        }
        if let Some(p) = &self.project {
            body.insert(
                "owner".into(),
                json!(project_id(s, p, self.project_domain.as_deref())?),
            );
        }
        for (k, v) in props {
            body.insert(k, json!(v));
        }
        // openstacksdk records these on every image it creates; OSC never fills the hashes.
        body.entry("owner_specified.openstack.md5")
            .or_insert(json!(""));
        body.entry("owner_specified.openstack.sha256")
            .or_insert(json!(""));
        body.entry("owner_specified.openstack.object")
            .or_insert(json!(format!("images/{}", self.name)));

        let size = self.size.or_else(|| src.as_ref().and_then(Source::size));
        if self.use_import && src.is_some() {
            let methods = import_methods(s)?;
            if !methods.iter().any(|m| m == "glance-direct") {
                return Err(Error::cmd(
                    "Importing image was requested but the cloud does not support the image import method.",
                ));
            }
        }
        let created = s.post(SVC, "/images", Value::Object(body))?;
        let id = image_id(&created)?;
        let Some(src) = src else {
            return Ok(Output::Show(image_record(&IMAGE.get(s, &id)?, false)));
        };
        let uploaded = if self.use_import {
            transfer::upload(s, &id, "stage", src, size, self.progress).and_then(|d| {
                s.post(
                    SVC,
                    &format!("/images/{id}/import"),
                    json!({"method": {"name": "glance-direct"}}),
                )?;
                Ok(d)
            })
        } else {
            transfer::upload(s, &id, "file", src, size, self.progress)
        };
        // As openstacksdk: a failed upload leaves no half-made image behind.
        let fail = |e: Error| -> Error {
            let cleanup = match IMAGE.delete(s, &id) {
                Ok(()) => format!("image {id} was deleted"),
                Err(d) => format!("image {id} was left behind (deleting it failed: {d})"),
            };
            Error::cmd(format!("{e}; {cleanup}"))
        };
        let digests = uploaded.map_err(fail)?;
        let img = if self.use_import {
            wait_import(s, &id, 3600).map_err(fail)?
        } else {
            IMAGE.get(s, &id)?
        };
        verify_upload(s, &img, &digests)?;
        Ok(Output::Show(image_record(&img, false)))
    }
}

impl CreateImage {
    /// `--volume`: Cinder uploads the volume to a new image.
    fn create_from_volume(&self, ctx: &Context) -> Result<Output> {
        for (set, name) in [
            (self.id.is_some(), "id"),
            (self.min_disk.is_some(), "min_disk"),
            (self.min_ram.is_some(), "min_ram"),
            (self.progress, "progress"),
            (self.sign_key_path.is_some(), "sign_key_path"),
            (self.sign_cert_id.is_some(), "sign_cert_id"),
            (!self.properties.is_empty(), "properties"),
            (!self.tags.is_empty(), "tags"),
            (self.project.is_some(), "project"),
            (self.use_import, "import"),
        ] {
            if set {
                log::warn(&format!(
                    "'--{name}' was given, which is not supported when creating an image from a volume. This will be an error in a future version."
                ));
            }
        }
        let s = ctx.session()?;
        let volumes =
            osc_core::resource::Resource::new("block-storage", "/volumes", "volume", "volumes")
                .list_path("/volumes/detail");
        let vol = volumes.find(s, self.volume.as_deref().unwrap_or_default())?;
        let vid = image_id(&vol)?;
        let action = json!({"os-volume_upload_image": {
            "image_name": self.name,
            "force": self.force,
            "disk_format": self.disk_format,
            "container_format": self.container_format,
            "visibility": self.visibility.value().unwrap_or("private"),
            "protected": self.protection.value().unwrap_or(false),
        }});
        let resp = s.json(
            Request::new(
                Method::POST,
                "block-storage",
                format!("/volumes/{vid}/action"),
            )
            .json(action)
            .microversion("3.1"),
        )?;
        let mut info = resp.get("os-volume_upload_image").cloned().unwrap_or(resp);
        if let Some(m) = info.as_object_mut() {
            let vt = m
                .get("volume_type")
                .and_then(|t| t.get("name"))
                .cloned()
                .unwrap_or(Value::Null);
            m.insert("volume_type".into(), vt);
        }
        Ok(Output::Show(osc_core::resource::record_sorted(
            &info,
            &[],
            &[],
        )))
    }
}

/// The import methods the cloud supports (`/info/import`).
pub fn import_methods(s: &Session) -> Result<Vec<String>> {
    let info = s.get(SVC, "/info/import").map_err(|e| {
        if e.is_not_found() {
            Error::Unsupported(
                "The Image Import feature is not supported by this deployment".into(),
            )
        } else {
            e
        }
    })?;
    Ok(info
        .get("import-methods")
        .and_then(|m| m.get("value"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default())
}

/// Waits for an import to finish. Dots on a terminal, as OSC.
fn wait_import(s: &Session, id: &str, timeout_secs: u64) -> Result<Value> {
    Wait::new(format!("the import of image {id}"))
        .timeout(Duration::from_secs(timeout_secs))
        .interval(Duration::from_millis(200), Duration::from_secs(3))
        .poll(|| import_state(IMAGE.get(s, id)?, id))
}

/// An import is done when the image is active, and failed when Glance records a failure
/// (`os_glance_failed_import`, killed or deleted status).
fn import_state(img: Value, id: &str) -> Result<Poll<Value>> {
    let status = str_field(&img, "status").unwrap_or("");
    if status == "active" {
        return Ok(Poll::Done(img));
    }
    let failed = str_field(&img, "os_glance_failed_import").unwrap_or("");
    if !failed.is_empty() || matches!(status, "killed" | "deleted") {
        let stores = if failed.is_empty() {
            String::new()
        } else {
            format!(" (failed stores: {failed})")
        };
        return Err(Error::cmd(format!(
            "Import of image {id} failed: status {status}{stores}"
        )));
    }
    Ok(Poll::pending(status))
}

/// Fails loudly, and removes the image, when Glance holds something other than what was sent.
fn verify_upload(s: &Session, img: &Value, sent: &transfer::Digests) -> Result<()> {
    let id = str_field(img, "id").unwrap_or_default();
    let status = str_field(img, "status").unwrap_or("");
    if status != "active" {
        return Err(Error::cmd(format!(
            "Image {id} is in status '{status}' after the upload of {} bytes; its data could not be verified",
            sent.bytes
        )));
    }
    if !transfer::verifiable(img) {
        log::warn(&format!(
            "Glance reports no checksum for image {id}; its data could not be verified"
        ));
    }
    let bad = transfer::mismatches(img, sent);
    if bad.is_empty() {
        return Ok(());
    }
    let cleanup = match IMAGE.delete(s, id) {
        Ok(()) => "the image was deleted".to_string(),
        Err(e) => format!("deleting the image failed: {e}"),
    };
    Err(Error::cmd(format!(
        "Image {id} does not hold the data osc sent ({}); {cleanup}",
        bad.join("; ")
    )))
}

// ---- list ----------------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct ListImage {
    /// List only public images
    #[arg(long, group = "visibility")]
    public: bool,
    /// List only private images
    #[arg(long, group = "visibility")]
    private: bool,
    /// List only community images (requires --os-image-api-version 2.5 or later)
    #[arg(long, group = "visibility")]
    community: bool,
    /// List only shared images (requires --os-image-api-version 2.5 or later)
    #[arg(long, group = "visibility")]
    shared: bool,
    /// List all images
    #[arg(long, group = "visibility")]
    all: bool,
    /// Filter output based on property (repeat option to filter on multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    properties: Vec<String>,
    /// Filter images based on name.
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Filter images based on status.
    #[arg(long, value_name = "status")]
    status: Option<String>,
    /// Filter images based on member status. The supported options are: accepted, pending,
    /// rejected, all.
    #[arg(long, value_name = "member-status", value_parser = parse_member_status)]
    member_status: Option<String>,
    /// Search by project (admin only) (name or ID)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    /// Filter images based on tag. (repeat option to filter on multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
    /// List hidden images
    #[arg(long)]
    hidden: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    #[arg(long, hide = true, value_name = "size")]
    page_size: Option<String>,
    /// Sort output by selected keys and directions (asc or desc) (default: name:asc),
    /// multiple keys and directions can be specified separated by comma
    #[arg(long, value_name = "<key>[:<direction>]", default_value = "name:asc")]
    sort: String,
    /// The maximum number of entries to return per page. If the value exceeds the
    /// server-defined maximum, then the server-defined value will be used. Note that this
    /// controls the page size, not the total number of entries returned. Use --max-items to
    /// limit the total number of entries returned.
    #[arg(long, value_name = "limit", value_parser = clap::value_parser!(u64))]
    limit: Option<u64>,
    /// The first position in the collection to return results from. This should be a value
    /// that was returned in a previous request.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests
    /// if needed. Use --limit to control the page size.
    #[arg(long, value_name = "max-items", value_parser = clap::value_parser!(u64))]
    max_items: Option<u64>,
}

fn parse_member_status(v: &str) -> std::result::Result<String, String> {
    let v = v.to_lowercase();
    if ["accepted", "pending", "rejected", "all"].contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!(
            "invalid choice: '{v}' (choose from 'accepted', 'pending', 'rejected', 'all')"
        ))
    }
}

const LIST_COLUMNS: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Status", "status"),
];
const LONG_COLUMNS: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Disk Format", "disk_format"),
    col("Container Format", "container_format"),
    col("Size", "size"),
    col("Checksum", "checksum"),
    col("Status", "status"),
    col("Visibility", "visibility"),
    col("Protected", "protected"),
    col("Project", "owner"),
    col("Hash Algorithm", "os_hash_algo"),
    col("Hash Value", "os_hash_value"),
    col_list("Tags", "tags"),
];

/// openstacksdk attribute names a `--sort` key may use, mapped to Glance's field names.
fn sort_field(key: &str) -> &str {
    match key {
        "is_protected" => "protected",
        "owner_id" => "owner",
        "is_hidden" => "os_hidden",
        "hash_algo" => "os_hash_algo",
        "hash_value" => "os_hash_value",
        k => k,
    }
}

/// osc_lib's `sort_items(items, sort, str)`: stable sorts from the last key to the first,
/// comparing Python `str()` of each value.
pub fn sort_items(items: &mut [Value], sort: &str) -> Result<()> {
    if sort.trim().is_empty() {
        return Ok(());
    }
    for spec in sort.trim().split(',').rev() {
        let (key, reverse) = match spec.split_once(':') {
            Some(("", _)) => return Err(Error::cmd("'<empty string>'' is not a valid sort key")),
            Some((k, "asc")) => (k, false),
            Some((k, "desc")) => (k, true),
            Some((k, d)) => {
                let d = if d.is_empty() { "<empty string>" } else { d };
                return Err(Error::cmd(format!(
                    "'{d}' is not a valid sort direction for sort key {k}, use 'asc' or 'desc' instead"
                )));
            }
            None => (spec, false),
        };
        let f = sort_field(key);
        items.sort_by(|a, b| {
            let o = py_str(a.get(f).unwrap_or(&Value::Null))
                .cmp(&py_str(b.get(f).unwrap_or(&Value::Null)));
            if reverse {
                o.reverse()
            } else {
                o
            }
        });
    }
    Ok(())
}

impl osc_core::Command for ListImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let props = key_values(&self.properties)?;
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        let vis = [
            (self.public, "public"),
            (self.private, "private"),
            (self.community, "community"),
            (self.shared, "shared"),
            (self.all, "all"),
        ]
        .into_iter()
        .find(|(on, _)| *on)
        .map(|(_, v)| v);
        if let Some(v) = vis {
            q.push(("visibility".into(), v.into()));
        }
        if let Some(l) = self.limit.filter(|l| *l > 0) {
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(m) = &self.marker {
            q.push(("marker".into(), image_id(&find_image(s, m)?)?));
        }
        if let Some(n) = &self.name {
            q.push(("name".into(), n.clone()));
        }
        if let Some(st) = &self.status {
            q.push(("status".into(), st.clone()));
        }
        if let Some(ms) = &self.member_status {
            q.push(("member_status".into(), ms.clone()));
        }
        for t in &self.tags {
            q.push(("tag".into(), t.clone()));
        }
        if let Some(p) = &self.project {
            q.push((
                "owner".into(),
                project_id(s, p, self.project_domain.as_deref())?,
            ));
        }
        if self.hidden {
            q.push(("os_hidden".into(), "true".into()));
        }
        // --limit asks for one page only, as OSC (the SDK's `paginated=False`).
        let mut images = if q.iter().any(|(k, _)| k == "limit") {
            IMAGE.list_page(s, &q)?
        } else {
            IMAGE.list(s, &q)?
        };
        if let Some(max) = self.max_items {
            images.truncate(max as usize);
        }
        // osc_lib's simple_filter: exact match on a string field.
        for (k, v) in &props {
            images.retain(|img| {
                img.get(k)
                    .and_then(Value::as_str)
                    .is_some_and(|x| !x.is_empty() && x == v)
            });
        }
        sort_items(&mut images, &self.sort)?;
        Ok(Output::List(table(
            &images,
            if self.long {
                LONG_COLUMNS
            } else {
                LIST_COLUMNS
            },
        )))
    }
}

// ---- show ----------------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct ShowImage {
    /// Print image size in a human-friendly format.
    #[arg(long)]
    human_readable: bool,
    /// Image to display (name or ID)
    #[arg(value_name = "image")]
    image: String,
}

impl osc_core::Command for ShowImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let img = find_image(s, &self.image)?;
        Ok(Output::Show(image_record(&img, self.human_readable)))
    }
}

// ---- delete --------------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct DeleteImage {
    /// Image(s) to delete (name or ID)
    #[arg(value_name = "image", required = true)]
    images: Vec<String>,
    /// Store to delete image(s) from.
    #[arg(long, value_name = "STORE")]
    store: Option<String>,
}

impl osc_core::Command for DeleteImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for name in &self.images {
            let r = find_image(s, name).and_then(|img| {
                let id = image_id(&img)?;
                match &self.store {
                    Some(store) => s.delete(
                        SVC,
                        &format!("/stores/{}/{id}", osc_core::resource::encode_segment(store)),
                    ),
                    None => IMAGE.delete(s, &id),
                }
            });
            if let Err(e) = r {
                failed += 1;
                log::warn(&format!(
                    "Failed to delete image with name or ID '{name}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "Failed to delete {failed} of {} images.",
                self.images.len()
            )));
        }
        Ok(Output::None)
    }
}

// ---- set / unset ---------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct SetImage {
    /// Image to modify (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// New image name
    #[arg(long, value_name = "name")]
    name: Option<String>,
    /// Minimum disk size needed to boot image, in gigabytes
    #[arg(long, value_name = "disk-gb")]
    min_disk: Option<i64>,
    /// Minimum RAM size needed to boot image, in megabytes
    #[arg(long, value_name = "ram-mb")]
    min_ram: Option<i64>,
    /// Image container format. The supported options are: ami, ari, aki, bare, docker, ova,
    /// ovf
    #[arg(long, value_name = "container-format", value_parser = CONTAINER_CHOICES)]
    container_format: Option<String>,
    /// Image disk format. The supported options are: ami, ari, aki, vhd, vmdk, raw, qcow2,
    /// vhdx, vdi, iso, ploop
    #[arg(long, value_name = "disk-format", value_parser = DISK_CHOICES)]
    disk_format: Option<String>,
    #[command(flatten)]
    protection: ProtectedArgs,
    #[command(flatten)]
    visibility: VisibilityArgs,
    /// Set a property on this image (repeat option to set multiple properties)
    #[arg(long = "property", value_name = "key=value")]
    properties: Vec<String>,
    /// Set a tag on this image (repeat option to set multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
    /// Operating system architecture
    #[arg(long, value_name = "architecture")]
    architecture: Option<String>,
    /// ID of server instance used to create this image
    #[arg(long, alias = "instance-uuid", value_name = "instance-id")]
    instance_id: Option<String>,
    /// ID of kernel image used to boot this disk image
    #[arg(long, value_name = "kernel-id")]
    kernel_id: Option<String>,
    /// Operating system distribution name
    #[arg(long, value_name = "os-distro")]
    os_distro: Option<String>,
    /// Operating system distribution version
    #[arg(long, value_name = "os-version")]
    os_version: Option<String>,
    /// ID of ramdisk image used to boot this disk image
    #[arg(long, value_name = "ramdisk-id")]
    ramdisk_id: Option<String>,
    /// Deactivate the image
    #[arg(long, conflicts_with = "activate")]
    deactivate: bool,
    /// Activate the image
    #[arg(long)]
    activate: bool,
    /// Set an alternate project on this image (name or ID)
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
    #[arg(long = "visibility", hide = true)]
    dead_visibility: Option<String>,
    /// Accept the image membership for either the project indicated by '--project', if
    /// provided, or the current user's project
    #[arg(long, group = "membership")]
    accept: bool,
    /// Reject the image membership for either the project indicated by '--project', if
    /// provided, or the current user's project
    #[arg(long, group = "membership")]
    reject: bool,
    /// Reset the image membership to 'pending'
    #[arg(long, group = "membership")]
    pending: bool,
    /// Hide the image
    #[arg(long, conflicts_with = "unhidden")]
    hidden: bool,
    /// Unhide the image
    #[arg(long)]
    unhidden: bool,
}

/// A JSON-patch operation that sets `key`: `replace` when the image has it, else `add`.
fn set_op(img: &Value, key: &str, value: Value) -> Value {
    let op = if img.get(key).is_some() {
        "replace"
    } else {
        "add"
    };
    json!({"op": op, "path": format!("/{}", key.replace('~', "~0").replace('/', "~1")), "value": value})
}

fn patch_image(s: &Session, id: &str, ops: Vec<Value>) -> Result<Value> {
    let bytes = serde_json::to_vec(&ops)
        .map_err(|e| Error::cmd(format!("Cannot encode the update: {e}")))?;
    s.json(
        Request::new(Method::PATCH, SVC, format!("/images/{id}"))
            .body(Body::Bytes(bytes, PATCH_TYPE)),
    )
}

impl osc_core::Command for SetImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        if self.dead_visibility.is_some() {
            return Err(dead_option("visibility"));
        }
        let props = key_values(&self.properties)?;
        let s = ctx.session()?;
        let img = find_image(s, &self.image)?;
        let id = image_id(&img)?;
        let project = match &self.project {
            Some(p) => Some(project_id(s, p, self.project_domain.as_deref())?),
            None => None,
        };
        let mut activation = None;
        if self.deactivate {
            s.send(Request::new(
                Method::POST,
                SVC,
                format!("/images/{id}/actions/deactivate"),
            ))?;
            activation = Some("deactivated");
        }
        if self.activate {
            s.send(Request::new(
                Method::POST,
                SVC,
                format!("/images/{id}/actions/reactivate"),
            ))?;
            activation = Some("activated");
        }
        let membership = [
            (self.accept, "accepted"),
            (self.reject, "rejected"),
            (self.pending, "pending"),
        ]
        .into_iter()
        .find(|(on, _)| *on)
        .map(|(_, v)| v);
        if let Some(status) = membership {
            let member = match &project {
                Some(p) => p.clone(),
                None => current_project(s)?,
            };
            s.put(
                SVC,
                &format!("/images/{id}/members/{member}"),
                json!({"status": status}),
            )?;
        }

        let mut ops = Vec::new();
        let strings = [
            ("architecture", &self.architecture),
            ("container_format", &self.container_format),
            ("disk_format", &self.disk_format),
            ("instance_id", &self.instance_id),
            ("kernel_id", &self.kernel_id),
            ("name", &self.name),
            ("os_distro", &self.os_distro),
            ("os_version", &self.os_version),
            ("ramdisk_id", &self.ramdisk_id),
        ];
        for (k, v) in strings {
            if let Some(v) = v {
                ops.push(set_op(&img, k, json!(v)));
            }
        }
        for (k, v) in [("min_disk", self.min_disk), ("min_ram", self.min_ram)] {
            if let Some(v) = v {
                ops.push(set_op(&img, k, json!(v)));
            }
        }
        for (k, v) in props {
            ops.push(set_op(&img, &k, json!(v)));
        }
        if let Some(p) = self.protection.value() {
            ops.push(set_op(&img, "protected", json!(p)));
        }
        if let Some(v) = self.visibility.value() {
            ops.push(set_op(&img, "visibility", json!(v)));
        }
        // With --accept/--reject/--pending, --project names the member, not a new owner.
        if let (Some(p), None) = (&project, membership) {
            ops.push(set_op(&img, "owner", json!(p)));
        }
        if !self.tags.is_empty() {
            let mut tags: Vec<String> = img
                .get("tags")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            for t in &self.tags {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
            ops.push(set_op(&img, "tags", json!(tags)));
        }
        if self.hidden || self.unhidden {
            ops.push(set_op(&img, "os_hidden", json!(self.hidden)));
        }
        if ops.is_empty() {
            return Ok(Output::None);
        }
        if let Err(e) = patch_image(s, &id, ops) {
            if let Some(a) = activation {
                log::info(&format!("Image {id} was {a}."));
            }
            return Err(e);
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct UnsetImage {
    /// Image to modify (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Unset a tag on this image (repeat option to unset multiple tags)
    #[arg(long = "tag", value_name = "tag")]
    tags: Vec<String>,
    /// Unset a property on this image (repeat option to unset multiple properties)
    #[arg(long = "property", value_name = "property-key")]
    properties: Vec<String>,
}

impl osc_core::Command for UnsetImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let img = find_image(s, &self.image)?;
        let id = image_id(&img)?;
        let mut tag_failed = 0;
        for t in &self.tags {
            let path = format!(
                "/images/{id}/tags/{}",
                osc_core::resource::encode_segment(t)
            );
            if s.delete(SVC, &path).is_err() {
                log::warn(&format!("tag unset failed, '{t}' is a nonexistent tag "));
                tag_failed += 1;
            }
        }
        let mut prop_failed = 0;
        if !self.properties.is_empty() {
            let mut ops = Vec::new();
            for k in &self.properties {
                if img.get(k).is_some() {
                    ops.push(json!({"op": "remove", "path": format!("/{}", k.replace('~', "~0").replace('/', "~1"))}));
                } else {
                    log::warn(&format!(
                        "property unset failed, '{k}' is a nonexistent property "
                    ));
                    prop_failed += 1;
                }
            }
            if !ops.is_empty() {
                patch_image(s, &id, ops)?;
            }
        }
        let (tt, pt) = (self.tags.len(), self.properties.len());
        match (tag_failed, prop_failed) {
            (0, 0) => Ok(Output::None),
            (t, 0) => Err(Error::cmd(format!("Failed to unset {t} of {tt} tags."))),
            (0, p) => Err(Error::cmd(format!(
                "Failed to unset {p} of {pt} properties."
            ))),
            (t, p) => Err(Error::cmd(format!(
                "Failed to unset {t} of {tt} tags,Failed to unset {p} of {pt} properties."
            ))),
        }
    }
}

// ---- save ----------------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct SaveImage {
    /// Size in bytes to read from the wire and buffer at one time (default: 1024)
    #[arg(long, value_name = "chunk-size", default_value_t = 1024)]
    chunk_size: usize,
    /// Downloaded image save filename (default: stdout)
    #[arg(long, value_name = "filename")]
    file: Option<String>,
    /// Preferred store to download the image from (repeat option to specify multiple store
    /// preferences in order)
    #[arg(long = "store-preference", value_name = "store")]
    store_preferences: Vec<String>,
    /// Image to save (name or ID)
    #[arg(value_name = "image")]
    image: String,
}

impl osc_core::Command for SaveImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let img = find_image(s, &self.image)?;
        let id = image_id(&img)?;
        // Fresh details: the hashes to verify against.
        let details = IMAGE.get(s, &id)?;
        let sink = match self.file.as_deref() {
            None | Some("-") => Sink::Stdout,
            Some(f) => Sink::File(std::path::Path::new(f)),
        };
        if !transfer::verifiable(&details) {
            log::debug(&format!(
                "Image {id} has no checksum; the download cannot be verified"
            ));
        }
        transfer::download(s, &details, sink, self.chunk_size, &self.store_preferences)?;
        Ok(Output::None)
    }
}

// ---- stage / import ------------------------------------------------------------------------

#[derive(clap::Args, Debug)]
pub struct StageImage {
    /// Local file that contains disk image to be uploaded. Alternatively, images can be
    /// passed via stdin.
    #[arg(long, value_name = "file")]
    file: Option<String>,
    /// Size of image data in bytes. Providing this can improve upload performance.
    #[arg(long, value_name = "size", value_parser = parse_size)]
    size: Option<u64>,
    /// Show upload progress bar (on a terminal)
    #[arg(long)]
    progress: bool,
    /// Image to upload data for (name or ID)
    #[arg(value_name = "image")]
    image: String,
}

impl osc_core::Command for StageImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let img = find_image(s, &self.image)?;
        let id = image_id(&img)?;
        let src = Source::open(self.file.as_deref())?;
        if self.size.is_some() && src.is_none() {
            return Err(Error::cmd("--size requires image data via --file or stdin"));
        }
        let status = str_field(&img, "status").unwrap_or("");
        if status != "queued" {
            return Err(Error::cmd(format!(
                "Image stage is only possible for images in the queued state. Current state is {status}"
            )));
        }
        let Some(src) = src else {
            return Err(Error::cmd(
                "No data to stage: give --file or pipe the image data to standard input",
            ));
        };
        let size = self.size.or_else(|| src.size());
        transfer::upload(s, &id, "stage", src, size, self.progress)?;
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ImportImage {
    /// Image to initiate import process for (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Import method used for image import process. Not all deployments will support all
    /// methods. The 'glance-direct' method (default) requires images be first staged using
    /// the 'image-stage' command.
    #[arg(long = "method", value_name = "method", default_value = "glance-direct",
          value_parser = ["glance-direct", "web-download", "glance-download", "copy-image"])]
    import_method: String,
    /// URI to download the external image (only valid with the 'web-download' import method)
    #[arg(long, value_name = "uri")]
    uri: Option<String>,
    /// The image of remote glance (ID only) to be imported (only valid with the
    /// 'glance-download' import method)
    #[arg(long, value_name = "REMOTE_IMAGE")]
    remote_image: Option<String>,
    /// The remote Glance region to download the image from (only valid with the
    /// 'glance-download' import method)
    #[arg(long, value_name = "REMOTE_GLANCE_REGION")]
    remote_region: Option<String>,
    /// The remote Glance service interface to use when importing images (only valid with
    /// the 'glance-download' import method)
    #[arg(long, value_name = "REMOTE_SERVICE_INTERFACE")]
    remote_service_interface: Option<String>,
    /// Backend store to upload image to (specify multiple times to upload to multiple
    /// stores) (either '--store' or '--all-stores' required with the 'copy-image' import
    /// method)
    #[arg(long = "store", value_name = "STORE", num_args = 0.., conflicts_with = "all_stores")]
    stores: Option<Vec<String>>,
    /// Make image available to all stores (either '--store' or '--all-stores' required with
    /// the 'copy-image' import method)
    #[arg(long)]
    all_stores: bool,
    /// When uploading to multiple stores, indicate that the import should be continue should
    /// any of the uploads fail. Only usable with --stores or --all-stores
    #[arg(long, conflicts_with = "disallow_failure")]
    allow_failure: bool,
    /// When uploading to multiple stores, indicate that the import should be reverted should
    /// any of the uploads fail. Only usable with --stores or --all-stores
    #[arg(long)]
    disallow_failure: bool,
    /// Wait for operation to complete
    #[arg(long)]
    wait: bool,
}

impl osc_core::Command for ImportImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let methods = import_methods(s)?;
        let method = self.import_method.as_str();
        if !methods.iter().any(|m| m == method) {
            return Err(Error::cmd(format!(
                "The '{method}' import method is not supported by this deployment. Supported: {}",
                methods.join(", ")
            )));
        }
        if method == "web-download" {
            let Some(uri) = &self.uri else {
                return Err(Error::cmd(
                    "The '--uri' option is required when using '--method=web-download'",
                ));
            };
            if !valid_url(uri) {
                return Err(Error::cmd(format!("'{uri}' is not a valid url")));
            }
        } else if self.uri.is_some() {
            return Err(Error::cmd(
                "The '--uri' option is only supported when using '--method=web-download'",
            ));
        }
        if method == "glance-download" {
            if self.remote_region.is_none() || self.remote_image.is_none() {
                return Err(Error::cmd(
                    "The '--remote-region' and '--remote-image' options are required when using '--method=web-download'",
                ));
            }
        } else {
            for (set, opt) in [
                (self.remote_region.is_some(), "--remote-region"),
                (self.remote_image.is_some(), "--remote-image"),
                (
                    self.remote_service_interface.is_some(),
                    "--remote-service-interface",
                ),
            ] {
                if set {
                    return Err(Error::cmd(format!(
                        "The '{opt}' option is only supported when using '--method=glance-download'"
                    )));
                }
            }
        }
        let stores = self.stores.clone().unwrap_or_default();
        if method == "copy-image" && stores.is_empty() && !self.all_stores {
            return Err(Error::cmd(
                "The '--stores' or '--all-stores' options are required when using '--method=copy-image'",
            ));
        }
        let img = find_image(s, &self.image)?;
        let id = image_id(&img)?;
        if str_field(&img, "container_format").is_none() && str_field(&img, "disk_format").is_none()
        {
            return Err(Error::cmd(
                "The 'container_format' and 'disk_format' properties must be set on an image before it can be imported",
            ));
        }
        let status = str_field(&img, "status").unwrap_or("");
        let needed = match method {
            "glance-direct" => Some("uploading"),
            "web-download" => Some("queued"),
            "copy-image" => Some("active"),
            _ => None,
        };
        if let Some(needed) = needed {
            if status != needed {
                return Err(Error::cmd(format!(
                    "The '{method}' import method can only be used with an image in status '{needed}'"
                )));
            }
        }
        let mut m = json!({"name": method});
        if let Some(uri) = &self.uri {
            m["uri"] = json!(uri);
        }
        if let (Some(region), Some(remote)) = (&self.remote_region, &self.remote_image) {
            if let Some(iface) = &self.remote_service_interface {
                m["glance_service_interface"] = json!(iface);
            }
            m["glance_region"] = json!(region);
            m["glance_image_id"] = json!(remote);
        }
        let mut body = json!({"method": m, "all_stores": self.all_stores, "all_stores_must_succeed": self.disallow_failure});
        if !stores.is_empty() {
            body["stores"] = json!(stores);
        }
        s.post(SVC, &format!("/images/{id}/import"), body)?;
        let shown = if self.wait {
            if method == "copy-image" {
                wait_copy(s, &id, &stores)?
            } else {
                wait_import(s, &id, 3600)?
            }
        } else {
            img
        };
        Ok(Output::Show(image_record(&shown, false)))
    }
}

/// Waits (quietly, each second, for an hour) for a copy-image import.
fn wait_copy(s: &Session, id: &str, stores: &[String]) -> Result<Value> {
    Wait::new(format!("the copy of image {id}"))
        .interval(Duration::from_secs(1), Duration::from_secs(1))
        .quiet()
        .poll(|| copy_state(IMAGE.get(s, id)?, id, stores))
}

/// copy-image keeps the image active; it is done when the stores list names every target
/// store (or, with no target named, when nothing is importing), and failed when the import
/// reports failed stores.
fn copy_state(img: Value, id: &str, stores: &[String]) -> Result<Poll<Value>> {
    let failed = str_field(&img, "os_glance_failed_import").unwrap_or("");
    if !failed.is_empty() {
        return Err(Error::cmd(format!(
            "Copying image {id} failed for stores: {failed}"
        )));
    }
    let have: Vec<&str> = str_field(&img, "stores")
        .map(|v| v.split(',').collect())
        .unwrap_or_default();
    let importing = str_field(&img, "os_glance_importing_to_stores").unwrap_or("");
    let all_there = !stores.is_empty() && stores.iter().all(|st| have.contains(&st.as_str()));
    if all_there || (stores.is_empty() && importing.is_empty()) {
        return Ok(Poll::Done(img));
    }
    Ok(Poll::pending(if importing.is_empty() {
        str_field(&img, "status").unwrap_or("").to_string()
    } else {
        format!("importing to {importing}")
    }))
}

/// A URL with a scheme and a host, as OSC's `urlparse` check.
fn valid_url(u: &str) -> bool {
    match u.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.split(['/', '?', '#']).next().unwrap_or("").is_empty()
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_osc() {
        let mut v = vec![
            json!({"name": "b", "size": 10}),
            json!({"name": "a", "size": 9}),
            json!({"name": null}),
        ];
        sort_items(&mut v, "name:asc").unwrap();
        let names: Vec<String> = v.iter().map(|i| py_str(&i["name"])).collect();
        assert_eq!(names, vec!["None", "a", "b"]);
        sort_items(&mut v, "size:desc").unwrap();
        assert_eq!(v[1]["size"], json!(9), "str() ordering: None > 9 > 10");
        assert!(sort_items(&mut v, "name:up").is_err());
    }

    #[test]
    fn urls() {
        assert!(valid_url("http://example.com/x.img"));
        assert!(!valid_url("example.com/x"));
        assert!(!valid_url("http:///x"));
    }

    #[test]
    fn patch_ops() {
        let img = json!({"name": "a"});
        assert_eq!(set_op(&img, "name", json!("b"))["op"], "replace");
        assert_eq!(set_op(&img, "a/b", json!("c"))["path"], "/a~1b");
        assert_eq!(set_op(&img, "x", json!("c"))["op"], "add");
    }

    #[test]
    fn import_states() {
        let st = |v: Value| import_state(v, "i1");
        assert!(matches!(st(json!({"status": "active"})), Ok(Poll::Done(_))));
        assert_eq!(
            st(json!({"status": "importing"})).unwrap(),
            Poll::pending("importing")
        );
        let e = st(json!({"status": "importing", "os_glance_failed_import": "s1"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Import of image i1 failed: status importing (failed stores: s1)"
        );
        let e = st(json!({"status": "killed", "os_glance_failed_import": ""})).unwrap_err();
        assert_eq!(e.to_string(), "Import of image i1 failed: status killed");
    }

    #[test]
    fn copy_states() {
        let two = ["a".to_string(), "b".to_string()];
        let st = |v: Value, stores: &[String]| copy_state(v, "i1", stores);
        let partial = json!({"stores": "a", "os_glance_importing_to_stores": "b"});
        assert_eq!(
            st(partial.clone(), &two).unwrap(),
            Poll::pending("importing to b")
        );
        assert!(matches!(
            st(json!({"stores": "a,b"}), &two),
            Ok(Poll::Done(_))
        ));
        assert!(matches!(st(json!({"stores": "a"}), &[]), Ok(Poll::Done(_))));
        assert!(matches!(st(partial, &[]), Ok(Poll::Pending { .. })));
        let e = st(json!({"stores": "a", "os_glance_failed_import": "b"}), &two).unwrap_err();
        assert_eq!(e.to_string(), "Copying image i1 failed for stores: b");
    }
}
