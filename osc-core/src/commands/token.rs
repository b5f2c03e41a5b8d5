use crate::error::{Error, Result};
use crate::time::format_osc_expires;
use crate::{Context, Method, Output, Record, Request};

/// Issue new token
#[derive(clap::Args)]
pub struct IssueToken {}

impl crate::Command for IssueToken {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let a = s.auth()?;
        let token = a
            .token
            .clone()
            .ok_or_else(|| Error::Auth("Only an authorized user may issue a new token.".into()))?;
        // OSC builds a dict and prints it sorted by key.
        let mut fields: Vec<(&str, String)> = vec![("id", token)];
        if let Some(e) = &a.expires_at {
            fields.push(("expires", format_osc_expires(e)));
        }
        if let Some(p) = &a.project_id {
            fields.push(("project_id", p.clone()));
        }
        if let Some(u) = &a.user_id {
            fields.push(("user_id", u.clone()));
        }
        if let Some(d) = &a.domain_id {
            fields.push(("domain_id", d.clone()));
        }
        if a.system {
            fields.push(("system", "all".into()));
        }
        fields.sort_by(|x, y| x.0.cmp(y.0));
        let mut r = Record::new();
        for (k, v) in fields {
            r.push(k, v);
        }
        Ok(Output::Show(r))
    }
}

/// Revoke existing token
#[derive(clap::Args)]
pub struct RevokeToken {
    /// Token to be deleted
    #[arg(value_name = "token")]
    token: String,
}

impl crate::Command for RevokeToken {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        s.send(
            Request::new(Method::DELETE, "identity", "/auth/tokens")
                .header("X-Subject-Token", &self.token),
        )?;
        s.cache().remove_token(&self.token);
        Ok(Output::None)
    }
}

/// Delete the cached tokens of every cloud
#[derive(clap::Args)]
pub struct DeleteCloudCache {}

impl crate::Command for DeleteCloudCache {
    fn run(self, ctx: &Context) -> Result<Output> {
        let n = ctx
            .token_cache()
            .clear()
            .map_err(|e| Error::Io(format!("Cannot clear the token cache: {e}")))?;
        crate::log::info(&format!("Deleted {n} cached token(s)"));
        Ok(Output::None)
    }
}
