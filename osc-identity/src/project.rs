//! `project create|delete|list|set|show`.

use crate::common::*;
use osc_core::resource::{col, table, Col};
use osc_core::{Context, Error, Method, Output, Result};
use serde_json::{json, Value};

/// SDK `Project` attributes shown by create/show, sorted (`get_osc_show_columns_for_sdk_resource`).
const SHOW: &[&str] = &[
    "description",
    "domain_id",
    "enabled",
    "id",
    "is_domain",
    "name",
    "options",
    "parent_id",
    "tags",
];

/// Fields the SDK hides from project records.
const HIDDEN: &[&str] = &["links", "location", "parents_as_ids", "subtree_as_ids"];

/// The SDK's attributes plus any extra property Keystone returns (`--property k=v`),
/// sorted, as `get_osc_show_columns_for_sdk_resource` shows a project.
fn project_fields(p: &Value) -> osc_core::Record {
    let mut r = same_fields(p, SHOW);
    if let Some(m) = p.as_object() {
        for (k, v) in m {
            if !SHOW.contains(&k.as_str()) && !HIDDEN.contains(&k.as_str()) {
                r.push(k.clone(), osc_core::Cell::raw(v.clone()));
            }
        }
    }
    r.fields.sort_by(|a, b| a.0.cmp(&b.0));
    r
}

pub fn project_record(p: &Value) -> Output {
    Output::Show(project_fields(p))
}

/// Tag options shared by create and set.
#[derive(clap::Args)]
pub struct TagFilters {
    /// List projects which have all given tag(s) (Comma-separated list of tags)
    #[arg(long, value_name = "<tag>[,<tag>,...]")]
    tags: Option<String>,
    /// List projects which have any given tag(s) (Comma-separated list of tags)
    #[arg(long = "tags-any", value_name = "<tag>[,<tag>,...]")]
    tags_any: Option<String>,
    /// Exclude projects which have all given tag(s) (Comma-separated list of tags)
    #[arg(long = "not-tags", value_name = "<tag>[,<tag>,...]")]
    not_tags: Option<String>,
    /// Exclude projects which have any given tag(s) (Comma-separated list of tags)
    #[arg(long = "not-tags-any", value_name = "<tag>[,<tag>,...]")]
    not_tags_any: Option<String>,
}

impl TagFilters {
    fn query(&self, q: &mut Vec<(String, String)>) {
        for (k, v) in [
            ("tags", &self.tags),
            ("tags-any", &self.tags_any),
            ("not-tags", &self.not_tags),
            ("not-tags-any", &self.not_tags_any),
        ] {
            if let Some(v) = v {
                q.push(q_pair(k, v));
            }
        }
    }
}

fn q_pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// Marker pagination options (`--limit`, `--marker`, `--max-items`).
#[derive(clap::Args)]
pub struct Pagination {
    /// The maximum number of entries to return per page. If the value exceeds the server-defined maximum, then the server-defined value will be used. Note that this controls the page size, not the total number of entries returned. Use --max-items to limit the total number of entries returned.
    #[arg(long, value_name = "<limit>")]
    pub limit: Option<u32>,
    /// The first position in the collection to return results from. This should be a value that was returned in a previous request.
    #[arg(long, value_name = "<marker>")]
    pub marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed. Use --limit to control the page size.
    #[arg(long = "max-items", value_name = "<max-items>")]
    pub max_items: Option<usize>,
}

impl Pagination {
    pub fn query(&self, q: &mut Vec<(String, String)>) {
        if let Some(l) = self.limit {
            q.push(q_pair("limit", &l.to_string()));
        }
        if let Some(m) = &self.marker {
            q.push(q_pair("marker", m));
        }
    }
    pub fn truncate(&self, mut v: Vec<Value>) -> Vec<Value> {
        if let Some(n) = self.max_items {
            v.truncate(n);
        }
        v
    }
}

/// osc_lib's `sort_items`: `key[:asc|desc],...`. General: should move to osc-core.
pub fn sort_items(items: &mut [Value], spec: &str) -> Result<()> {
    for part in spec.trim().split(',').rev() {
        let (key, dir) = part.split_once(':').unwrap_or((part, "asc"));
        if key.is_empty() {
            return Err(Error::cmd("'<empty string>'' is not a valid sort key"));
        }
        if dir != "asc" && dir != "desc" {
            let d = if dir.is_empty() {
                "<empty string>"
            } else {
                dir
            };
            return Err(Error::cmd(format!("'{d}' is not a valid sort direction for sort key {key}, use 'asc' or 'desc' instead")));
        }
        items.sort_by(|a, b| {
            let (x, y) = (&a[key], &b[key]);
            let o = match (x, y) {
                (Value::String(x), Value::String(y)) => x.cmp(y),
                (Value::Number(x), Value::Number(y)) => x
                    .as_f64()
                    .partial_cmp(&y.as_f64())
                    .unwrap_or(std::cmp::Ordering::Equal),
                (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
                (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
                (Value::Null, _) => std::cmp::Ordering::Less,
                (_, Value::Null) => std::cmp::Ordering::Greater,
                _ => x.to_string().cmp(&y.to_string()),
            };
            if dir == "desc" {
                o.reverse()
            } else {
                o
            }
        });
    }
    Ok(())
}

fn property_map(props: &[String]) -> Result<serde_json::Map<String, Value>> {
    let mut m = serde_json::Map::new();
    for p in props {
        let (k, v) = key_value(p).map_err(Error::usage)?;
        // OSC turns is_domain's text into a boolean/None.
        let val = if k == "is_domain" {
            match v.to_lowercase().as_str() {
                "true" => json!(true),
                "false" => json!(false),
                "none" => Value::Null,
                _ => json!(v),
            }
        } else {
            json!(v)
        };
        m.insert(k, val);
    }
    Ok(m)
}

/// Create new project
#[derive(clap::Args)]
pub struct CreateProject {
    /// New project name
    #[arg(value_name = "project-name")]
    name: String,
    /// Domain owning the project (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Parent of the project (name or ID)
    #[arg(long, value_name = "<project>")]
    parent: Option<String>,
    /// Project description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable project
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable project
    #[arg(long)]
    disable: bool,
    /// Add a property to <name> (repeat option to set multiple properties)
    #[arg(long, value_name = "<key=value>")]
    property: Vec<String>,
    /// Return existing project
    #[arg(long = "or-show")]
    or_show: bool,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
    /// Tag to be added to the project (repeat option to set multiple tags)
    #[arg(long = "tag", value_name = "<tag>")]
    tags: Vec<String>,
}

impl osc_core::Command for CreateProject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = property_map(&self.property)?;
        if let Some(d) = self.description.as_ref().filter(|d| !d.is_empty()) {
            body.insert("description".into(), json!(d));
        }
        body.insert("name".into(), json!(self.name));
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        if let Some(d) = &domain {
            body.insert("domain_id".into(), json!(d));
        }
        if let Some(p) = &self.parent {
            body.insert(
                "parent_id".into(),
                json!(PROJECTS.id_in(s, p, domain.as_deref())?),
            );
        }
        body.insert("enabled".into(), json!(!self.disable));
        if !self.tags.is_empty() {
            let mut t = self.tags.clone();
            t.sort();
            t.dedup();
            body.insert("tags".into(), json!(t));
        }
        if let Some(o) = immutable_options(self.immutable, self.no_immutable) {
            body.insert("options".into(), o);
        }
        let p = match PROJECT.create(s, Value::Object(body)) {
            Ok(p) => p,
            Err(e) if e.status() == Some(409) && self.or_show => {
                let p = PROJECTS.find(s, &self.name, domain.as_deref())?;
                osc_core::log::info(&format!("Returning existing project {}", self.name));
                p
            }
            Err(e) => return Err(e),
        };
        Ok(project_record(&p))
    }
}

/// Delete project(s). This command will remove specified existing project(s) if an active user is authorized to do this. If there are resources managed by other services (for example, Nova, Neutron, Cinder) associated with specified project(s), delete operation will proceed regardless.
#[derive(clap::Args)]
pub struct DeleteProject {
    /// Project(s) to delete (name or ID)
    #[arg(value_name = "project", required = true)]
    projects: Vec<String>,
    /// Domain owning <project> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

impl osc_core::Command for DeleteProject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = match &self.domain {
            Some(d) => Some(DOMAINS.lenient().id(s, d, None)?),
            None => None,
        };
        each(&self.projects, "project", "projects", |p| {
            let id = PROJECTS.find(s, p, domain.as_deref()).and_then(|v| {
                v["id"]
                    .as_str()
                    .map(String::from)
                    .ok_or_else(|| Error::cmd("no id"))
            })?;
            PROJECT.delete(s, &id)
        })
    }
}

/// List projects
#[derive(clap::Args)]
pub struct ListProject {
    /// Filter projects by <domain> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Filter projects whose parent is <parent> (name or ID)
    #[arg(long, value_name = "<parent>")]
    parent: Option<String>,
    /// Filter projects by <user> (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// List projects for the authenticated user. Supersedes other filters.
    #[arg(long = "my-projects")]
    my_projects: bool,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// Sort output by selected keys and directions (asc or desc) (default: asc), repeat this option to specify multiple keys and directions.
    #[arg(long, value_name = "<key>[:<direction>]")]
    sort: Option<String>,
    /// List only enabled projects
    #[arg(long, conflicts_with = "disabled")]
    enabled: bool,
    /// List only disabled projects
    #[arg(long)]
    disabled: bool,
    #[command(flatten)]
    tags: TagFilters,
    #[command(flatten)]
    page: Pagination,
}

const LIST: &[Col] = &[col("ID", "id"), col("Name", "name")];
const LIST_LONG: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Domain ID", "domain_id"),
    col("Description", "description"),
    col("Enabled", "enabled"),
];

impl osc_core::Command for ListProject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        if let Some(d) = &domain {
            query.push(q("domain_id", d));
        }
        if let Some(p) = &self.parent {
            query.push(q("parent_id", PROJECTS.id_in(s, p, domain.as_deref())?));
        }
        let mut user = match &self.user {
            Some(u) => Some(USERS.id(s, u, domain.as_deref())?),
            None => None,
        };
        if let Some(e) = enabled(self.enabled, self.disabled) {
            query.push(q("enabled", e));
        }
        self.tags.query(&mut query);
        self.page.query(&mut query);
        if self.my_projects {
            query.clear();
            user = Some(auth_user_id(s)?);
        }
        let mut data = match user {
            Some(u) => osc_core::resource::list_all(
                s,
                SVC,
                &format!("/users/{u}/projects"),
                "projects",
                &query,
            )?,
            None => match PROJECT.list(s, &query) {
                Ok(d) => d,
                // A non-admin may not list all projects: show their own, as OSC does.
                Err(e) if e.status() == Some(403) && query.is_empty() => {
                    let u = auth_user_id(s)?;
                    osc_core::resource::list_all(
                        s,
                        SVC,
                        &format!("/users/{u}/projects"),
                        "projects",
                        &[],
                    )?
                }
                Err(e) => return Err(e),
            },
        };
        data = self.page.truncate(data);
        if let Some(sort) = &self.sort {
            sort_items(&mut data, sort)?;
        }
        Ok(Output::List(table(
            &data,
            if self.long { LIST_LONG } else { LIST },
        )))
    }
}

/// Set project properties
#[derive(clap::Args)]
pub struct SetProject {
    /// Project to modify (name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Set project name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// Domain owning <project> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Set project description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable project
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable project
    #[arg(long)]
    disable: bool,
    /// Set a property on <project> (repeat option to set multiple properties)
    #[arg(long, value_name = "<key=value>")]
    property: Vec<String>,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
    /// Tag to be added to the project (repeat option to set multiple tags)
    #[arg(long = "tag", value_name = "<tag>")]
    tags: Vec<String>,
    /// Clear tags associated with the project. Specify both --tag and --clear-tags to overwrite current tags
    #[arg(long = "clear-tags")]
    clear_tags: bool,
    /// Tag to be deleted from the project (repeat option to delete multiple tags)
    #[arg(long = "remove-tag", value_name = "<tag>")]
    remove_tags: Vec<String>,
}

impl osc_core::Command for SetProject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut body = Body::new();
        body.nonempty("name", &self.name)
            .nonempty("description", &self.description);
        body.opt("enabled", enabled(self.enable, self.disable));
        body.opt(
            "options",
            immutable_options(self.immutable, self.no_immutable),
        );
        for (k, v) in property_map(&self.property)? {
            body.set(&k, v);
        }
        let domain = match &self.domain {
            Some(d) => Some(DOMAINS.lenient().id(s, d, None)?),
            None => None,
        };
        let project = match PROJECTS.find(s, &self.project, domain.as_deref()) {
            Ok(p) => Some(p),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e),
        };
        if !self.tags.is_empty() || !self.remove_tags.is_empty() || self.clear_tags {
            let existing: Vec<String> = project
                .as_ref()
                .and_then(|p| p["tags"].as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            // As OSC: --clear-tags wins; --tag is applied to the existing set (not after removal).
            let mut tags: Vec<String> = if self.clear_tags {
                Vec::new()
            } else if !self.tags.is_empty() {
                existing.iter().chain(self.tags.iter()).cloned().collect()
            } else {
                existing
                    .iter()
                    .filter(|t| !self.remove_tags.contains(t))
                    .cloned()
                    .collect()
            };
            tags.sort();
            tags.dedup();
            body.set("tags", json!(tags));
        }
        let id = project
            .as_ref()
            .and_then(|p| p["id"].as_str())
            .map(String::from)
            .unwrap_or(self.project.clone());
        PROJECT.update(s, &id, Method::PATCH, body.value())?;
        Ok(Output::None)
    }
}

/// Display project details
#[derive(clap::Args)]
pub struct ShowProject {
    /// Project to display (name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Domain owning <project> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
    /// Show the project's parents as a list
    #[arg(long)]
    parents: bool,
    /// Show project's subtree (children) as a list
    #[arg(long)]
    children: bool,
}

impl osc_core::Command for ShowProject {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let domain = opt_domain_id(s, self.domain.as_deref())?;
        let id = PROJECTS.lenient().id(s, &self.project, domain.as_deref())?;
        let mut query = Vec::new();
        if self.parents {
            query.push(q("parents_as_ids", ""));
        }
        if self.children {
            query.push(q("subtree_as_ids", ""));
        }
        let p = if query.is_empty() {
            PROJECTS.find(s, &id, domain.as_deref())?
        } else {
            let v = s.get_query(SVC, &PROJECT.item_path(&id), &query)?;
            v.get("project").cloned().unwrap_or(v)
        };
        Ok(project_record(&p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_osc_lib() {
        let mut v = vec![
            json!({"name": "b", "n": 1}),
            json!({"name": "a", "n": 2}),
            json!({"name": "c", "n": 1}),
        ];
        sort_items(&mut v, "n:desc,name").unwrap();
        let names: Vec<&str> = v.iter().map(|x| x["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(sort_items(&mut v, "name:up")
            .unwrap_err()
            .to_string()
            .contains("'up' is not a valid sort direction"));
        assert!(sort_items(&mut v, ":asc").is_err());
    }

    #[test]
    fn properties_parse_is_domain() {
        let m = property_map(&["is_domain=True".into(), "k=a=b".into()]).unwrap();
        assert_eq!(m["is_domain"], json!(true));
        assert_eq!(m["k"], json!("a=b"));
        assert!(property_map(&["novalue".into()]).is_err());
    }
}
