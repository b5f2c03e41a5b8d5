//! Federation: `identity provider`, `mapping`, `federation protocol`, `service provider`,
//! `federation domain|project list`.

use crate::common::*;
use osc_core::resource::{col, encode_segment, list_all, table, Col, ListSpec};
use osc_core::{Cell, Context, Error, Method, Output, Record, Request, Result};
use serde_json::{json, Value};

// ---- identity providers ----------------------------------------------------------------

fn idp_record(v: &Value) -> Output {
    let mut r = fields(
        v,
        &[
            ("authorization_ttl", "authorization_ttl"),
            ("description", "description"),
            ("domain_id", "domain_id"),
            ("enabled", "enabled"),
            ("id", "id"),
        ],
    );
    r.push("remote_ids", Cell::list(v["remote_ids"].clone()));
    Output::Show(r)
}

fn remote_ids(ids: &[String], file: &Option<String>) -> Result<Option<Value>> {
    if let Some(f) = file {
        let text = read_file(f)?;
        return Ok(Some(json!(text.lines().map(str::trim).collect::<Vec<_>>())));
    }
    Ok((!ids.is_empty()).then(|| json!(ids)))
}

fn check_ttl(ttl: Option<i64>) -> Result<Option<i64>> {
    match ttl {
        Some(t) if t < 0 => Err(Error::cmd(
            "authorization-ttl must be positive integer or zero.",
        )),
        other => Ok(other),
    }
}

/// Create new identity provider
#[derive(clap::Args)]
pub struct CreateIdentityProvider {
    /// New identity provider name (must be unique)
    #[arg(value_name = "name")]
    identity_provider_id: String,
    /// Remote IDs to associate with the Identity Provider (repeat option to provide multiple values)
    #[arg(
        long = "remote-id",
        value_name = "<remote-id>",
        conflicts_with = "remote_id_file"
    )]
    remote_ids: Vec<String>,
    /// Name of a file that contains many remote IDs to associate with the identity provider, one per line
    #[arg(long = "remote-id-file", value_name = "<file-name>")]
    remote_id_file: Option<String>,
    /// New identity provider description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Domain to associate with the identity provider. If not specified, a domain will be created automatically. (Name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Time to keep the role assignments for users authenticating via this identity provider. When not provided, global default configured in the Identity service will be used. Available since Identity API version 3.14 (Ussuri).
    #[arg(long = "authorization-ttl", value_name = "<authorization-ttl>")]
    authorization_ttl: Option<i64>,
    /// Enable identity provider (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the identity provider
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for CreateIdentityProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("enabled", !self.disable)
            .nonempty("description", &self.description);
        b.opt(
            "remote_ids",
            remote_ids(&self.remote_ids, &self.remote_id_file)?,
        );
        if let Some(d) = &self.domain {
            b.set("domain_id", DOMAINS.lenient().id(s, d, None)?);
        }
        b.opt("authorization_ttl", check_ttl(self.authorization_ttl)?);
        let v = s.put(
            SVC,
            &IDP.item_path(&self.identity_provider_id),
            json!({"identity_provider": b.value()}),
        )?;
        Ok(idp_record(&v["identity_provider"]))
    }
}

/// Delete identity provider(s)
#[derive(clap::Args)]
pub struct DeleteIdentityProvider {
    /// Identity provider(s) to delete
    #[arg(value_name = "identity-provider", required = true)]
    identity_provider: Vec<String>,
}

impl osc_core::Command for DeleteIdentityProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.identity_provider,
            "identity provider",
            "identity providers",
            |i| IDP.delete(s, i),
        )
    }
}

/// List identity providers
#[derive(clap::Args)]
pub struct ListIdentityProvider {
    /// The Identity Providers' ID attribute
    #[arg(long, value_name = "<id>")]
    id: Option<String>,
    /// The Identity Providers that are enabled will be returned
    #[arg(long)]
    enabled: bool,
}

impl osc_core::Command for ListIdentityProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(i) = &self.id {
            query.push(q("id", i));
        }
        if self.enabled {
            query.push(q("enabled", "true"));
        }
        let cols: &[Col] = &[
            col("ID", "id"),
            col("Enabled", "enabled"),
            col("Domain ID", "domain_id"),
            col("Description", "description"),
        ];
        Ok(Output::List(table(&IDP.list(s, &query)?, cols)))
    }
}

/// Set identity provider properties
#[derive(clap::Args)]
pub struct SetIdentityProvider {
    /// Identity provider to modify
    #[arg(value_name = "identity-provider")]
    identity_provider: String,
    /// Set identity provider description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Remote IDs to associate with the Identity Provider (repeat option to provide multiple values)
    #[arg(
        long = "remote-id",
        value_name = "<remote-id>",
        conflicts_with = "remote_id_file"
    )]
    remote_ids: Vec<String>,
    /// Name of a file that contains many remote IDs to associate with the identity provider, one per line
    #[arg(long = "remote-id-file", value_name = "<file-name>")]
    remote_id_file: Option<String>,
    /// Time to keep the role assignments for users authenticating via this identity provider. Available since Identity API version 3.14 (Ussuri).
    #[arg(long = "authorization-ttl", value_name = "<authorization-ttl>")]
    authorization_ttl: Option<i64>,
    /// Enable the identity provider
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the identity provider
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for SetIdentityProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.nonempty("description", &self.description)
            .opt("enabled", enabled(self.enable, self.disable));
        b.opt(
            "remote_ids",
            remote_ids(&self.remote_ids, &self.remote_id_file)?,
        );
        b.opt("authorization_ttl", check_ttl(self.authorization_ttl)?);
        IDP.update(s, &self.identity_provider, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display identity provider details
#[derive(clap::Args)]
pub struct ShowIdentityProvider {
    /// Identity provider to display
    #[arg(value_name = "identity-provider")]
    identity_provider: String,
}

impl osc_core::Command for ShowIdentityProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(idp_record(&IDP.get(s, &self.identity_provider)?))
    }
}

// ---- mappings --------------------------------------------------------------------------

const MAPPING_SHOW: &[&str] = &["id", "rules", "schema_version"];

fn read_rules(path: &str) -> Result<Value> {
    let text = read_file(path)?;
    serde_json::from_str(&text)
        .map_err(|e| Error::cmd(format!("Error while reading rules from file {path}: {e}")))
}

/// Create new mapping
#[derive(clap::Args)]
pub struct CreateMapping {
    /// New mapping name (must be unique)
    #[arg(value_name = "name")]
    mapping: String,
    /// Filename that contains a set of mapping rules (required)
    #[arg(long, value_name = "<filename>", required = true)]
    rules: String,
    /// The federated attribute mapping schema version. The default value on the client side is 'None'; however, that will lead the backend to set the default according to 'attribute_mapping_default_schema_version' option.
    #[arg(long = "schema-version", value_name = "<schema_version>")]
    schema_version: Option<String>,
}

impl osc_core::Command for CreateMapping {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("rules", read_rules(&self.rules)?)
            .opt("schema_version", self.schema_version.clone());
        let v = s.put(
            SVC,
            &MAPPING.item_path(&self.mapping),
            json!({"mapping": b.value()}),
        )?;
        Ok(Output::Show(same_fields(&v["mapping"], MAPPING_SHOW)))
    }
}

/// Delete mapping(s)
#[derive(clap::Args)]
pub struct DeleteMapping {
    /// Mapping(s) to delete
    #[arg(value_name = "mapping", required = true)]
    mapping: Vec<String>,
}

impl osc_core::Command for DeleteMapping {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.mapping, "mapping", "mappings", |m| {
            MAPPING.delete(s, m)
        })
    }
}

/// Set mapping properties
#[derive(clap::Args)]
pub struct SetMapping {
    /// Mapping to modify
    #[arg(value_name = "name")]
    mapping: String,
    /// Filename that contains a new set of mapping rules
    #[arg(long, value_name = "<filename>")]
    rules: Option<String>,
    /// The federated attribute mapping schema version. The default value on the client side is 'None'; however, that will lead the backend to set the default according to 'attribute_mapping_default_schema_version' option.
    #[arg(long = "schema-version", value_name = "<schema_version>")]
    schema_version: Option<String>,
}

impl osc_core::Command for SetMapping {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        if let Some(r) = &self.rules {
            b.set("rules", read_rules(r)?);
        }
        b.opt("schema_version", self.schema_version.clone());
        MAPPING.update(s, &self.mapping, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display mapping details
#[derive(clap::Args)]
pub struct ShowMapping {
    /// Mapping to display
    #[arg(value_name = "mapping")]
    mapping: String,
}

impl osc_core::Command for ShowMapping {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(same_fields(
            &MAPPING.get(s, &self.mapping)?,
            MAPPING_SHOW,
        )))
    }
}

// ---- federation protocols ----------------------------------------------------------------

fn protocol_path(idp: &str, protocol: &str) -> String {
    format!(
        "{}/protocols/{}",
        IDP.item_path(idp),
        encode_segment(protocol)
    )
}

fn protocol_record(p: &Value, idp: &str) -> Output {
    Output::Show(
        Record::new()
            .with("id", Cell::raw(p["id"].clone()))
            .with("identity_provider", Cell::raw(json!(idp)))
            .with("mapping", Cell::raw(p["mapping_id"].clone())),
    )
}

/// Create new federation protocol
#[derive(clap::Args)]
pub struct CreateProtocol {
    /// New federation protocol name (must be unique per identity provider)
    #[arg(value_name = "name")]
    federation_protocol: String,
    /// Identity provider that will support the new federation protocol (name or ID) (required)
    #[arg(
        long = "identity-provider",
        value_name = "<identity-provider>",
        required = true
    )]
    identity_provider: String,
    /// Mapping that is to be used (name or ID) (required)
    #[arg(long, value_name = "<mapping>", required = true)]
    mapping: String,
}

impl osc_core::Command for CreateProtocol {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = s.put(
            SVC,
            &protocol_path(&self.identity_provider, &self.federation_protocol),
            json!({"protocol": {"mapping_id": self.mapping}}),
        )?;
        Ok(protocol_record(&v["protocol"], &self.identity_provider))
    }
}

/// Delete federation protocol(s)
#[derive(clap::Args)]
pub struct DeleteProtocol {
    /// Federation protocol(s) to delete (name or ID)
    #[arg(value_name = "federation-protocol", required = true)]
    federation_protocol: Vec<String>,
    /// Identity provider that supports <federation-protocol> (name or ID) (required)
    #[arg(
        long = "identity-provider",
        value_name = "<identity-provider>",
        required = true
    )]
    identity_provider: String,
}

impl osc_core::Command for DeleteProtocol {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.federation_protocol,
            "federation protocol",
            "federation protocols",
            |p| s.delete(SVC, &protocol_path(&self.identity_provider, p)),
        )
    }
}

/// List federation protocols
#[derive(clap::Args)]
pub struct ListProtocols {
    /// Identity provider to list (name or ID) (required)
    #[arg(
        long = "identity-provider",
        value_name = "<identity-provider>",
        required = true
    )]
    identity_provider: String,
}

impl osc_core::Command for ListProtocols {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let data = list_all(
            s,
            SVC,
            &format!("{}/protocols", IDP.item_path(&self.identity_provider)),
            "protocols",
            &[],
        )?;
        Ok(Output::List(table(
            &data,
            &[col("id", "id"), col("mapping", "mapping_id")],
        )))
    }
}

/// Set federation protocol properties
#[derive(clap::Args)]
pub struct SetProtocol {
    /// Federation protocol to modify (name or ID)
    #[arg(value_name = "name")]
    federation_protocol: String,
    /// Identity provider that supports <federation-protocol> (name or ID) (required)
    #[arg(
        long = "identity-provider",
        value_name = "<identity-provider>",
        required = true
    )]
    identity_provider: String,
    /// Mapping that is to be used (name or ID)
    #[arg(long, value_name = "<mapping>")]
    mapping: Option<String>,
}

impl osc_core::Command for SetProtocol {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.opt("mapping_id", self.mapping.clone());
        s.patch(
            SVC,
            &protocol_path(&self.identity_provider, &self.federation_protocol),
            json!({"protocol": b.value()}),
        )?;
        Ok(Output::None)
    }
}

/// Display federation protocol details
#[derive(clap::Args)]
pub struct ShowProtocol {
    /// Federation protocol to display (name or ID)
    #[arg(value_name = "federation-protocol")]
    federation_protocol: String,
    /// Identity provider that supports <federation-protocol> (name or ID) (required)
    #[arg(
        long = "identity-provider",
        value_name = "<identity-provider>",
        required = true
    )]
    identity_provider: String,
}

impl osc_core::Command for ShowProtocol {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = s.get(
            SVC,
            &protocol_path(&self.identity_provider, &self.federation_protocol),
        )?;
        Ok(protocol_record(&v["protocol"], &self.identity_provider))
    }
}

// ---- service providers ---------------------------------------------------------------------

fn sp_record(v: &Value) -> Output {
    Output::Show(same_fields(
        v,
        &[
            "id",
            "enabled",
            "description",
            "auth_url",
            "sp_url",
            "relay_state_prefix",
        ],
    ))
}

/// Create new service provider
#[derive(clap::Args)]
pub struct CreateServiceProvider {
    /// New service provider name (must be unique)
    #[arg(value_name = "name")]
    service_provider_id: String,
    /// Authentication URL of remote federated service provider (required)
    #[arg(long = "auth-url", value_name = "<auth-url>", required = true)]
    auth_url: String,
    /// New service provider description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// A service URL where SAML assertions are being sent (required)
    #[arg(
        long = "service-provider-url",
        value_name = "<sp-url>",
        required = true
    )]
    service_provider_url: String,
    /// Enable the service provider (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the service provider
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for CreateServiceProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("enabled", !self.disable)
            .nonempty("description", &self.description);
        b.set("auth_url", self.auth_url.clone())
            .set("sp_url", self.service_provider_url.clone());
        let v = s.put(
            SVC,
            &SERVICE_PROVIDER.item_path(&self.service_provider_id),
            json!({"service_provider": b.value()}),
        )?;
        Ok(sp_record(&v["service_provider"]))
    }
}

/// Delete service provider(s)
#[derive(clap::Args)]
pub struct DeleteServiceProvider {
    /// Service provider(s) to delete
    #[arg(value_name = "service-provider", required = true)]
    service_provider: Vec<String>,
}

impl osc_core::Command for DeleteServiceProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.service_provider,
            "service provider",
            "service providers",
            |p| SERVICE_PROVIDER.delete(s, p),
        )
    }
}

/// Set service provider properties
#[derive(clap::Args)]
pub struct SetServiceProvider {
    /// Service provider to modify
    #[arg(value_name = "service-provider")]
    service_provider: String,
    /// New Authentication URL of remote federated service provider
    #[arg(long = "auth-url", value_name = "<auth-url>")]
    auth_url: Option<String>,
    /// New service provider description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// New service provider URL, where SAML assertions are sent
    #[arg(long = "service-provider-url", value_name = "<sp-url>")]
    service_provider_url: Option<String>,
    /// Enable the service provider
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable the service provider
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for SetServiceProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.opt("enabled", enabled(self.enable, self.disable))
            .nonempty("description", &self.description);
        b.nonempty("auth_url", &self.auth_url)
            .nonempty("sp_url", &self.service_provider_url);
        Ok(sp_record(&SERVICE_PROVIDER.update(
            s,
            &self.service_provider,
            Method::PATCH,
            b.value(),
        )?))
    }
}

/// Display service provider details
#[derive(clap::Args)]
pub struct ShowServiceProvider {
    /// Service provider to display
    #[arg(value_name = "service-provider")]
    service_provider: String,
}

impl osc_core::Command for ShowServiceProvider {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(sp_record(&SERVICE_PROVIDER.get(s, &self.service_provider)?))
    }
}

// ---- what a federated (unscoped) token may scope to --------------------------------------

/// List accessible domains
#[derive(clap::Args)]
pub struct ListAccessibleDomains {}

impl osc_core::Command for ListAccessibleDomains {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = s.json(Request::new(Method::GET, SVC, "/auth/domains"))?;
        let items = v["domains"].as_array().cloned().unwrap_or_default();
        Ok(Output::List(table(
            &items,
            &[
                col("ID", "id"),
                col("Enabled", "enabled"),
                col("Name", "name"),
                col("Description", "description"),
            ],
        )))
    }
}

/// List accessible projects
#[derive(clap::Args)]
pub struct ListAccessibleProjects {}

impl osc_core::Command for ListAccessibleProjects {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let v = s.json(Request::new(Method::GET, SVC, "/auth/projects"))?;
        let items = v["projects"].as_array().cloned().unwrap_or_default();
        Ok(Output::List(table(
            &items,
            &[
                col("ID", "id"),
                col("Domain ID", "domain_id"),
                col("Enabled", "enabled"),
                col("Name", "name"),
            ],
        )))
    }
}

/// `mapping list` is a plain listing.
pub const MAPPING_LIST: ListSpec = ListSpec {
    resource: MAPPING,
    columns: &[col("ID", "id"), col("schema_version", "schema_version")],
    long_columns: &[],
    filters: &[],
};

/// `service provider list` is a plain listing.
pub const SP_LIST: ListSpec = ListSpec {
    resource: SERVICE_PROVIDER,
    columns: &[
        col("ID", "id"),
        col("Enabled", "enabled"),
        col("Description", "description"),
        col("Auth URL", "auth_url"),
        col("Service Provider URL", "sp_url"),
        col("Relay State Prefix", "relay_state_prefix"),
    ],
    long_columns: &[],
    filters: &[],
};
