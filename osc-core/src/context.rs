//! What a running command sees: the global options, the resolved cloud (loaded on first
//! use, so commands that need no cloud never read clouds.yaml) and the HTTP session.

use crate::cache::TokenCache;
use crate::config::{self, CloudConfig, ConfigFiles, Env};
use crate::error::Result;
use crate::globals::Globals;
use crate::registry::Registry;
use crate::session::{Session, SessionOptions};
use std::cell::OnceCell;
use std::rc::Rc;

pub struct Context {
    pub globals: Globals,
    pub env: Env,
    pub registry: Rc<Registry>,
    /// The program name (`osc`, or `openstack` when run under that name).
    pub prog: String,
    /// How the output will be rendered (`-f`, `-c`...), for commands whose data depends on
    /// it as OSC's do (e.g. `server list` fetching extra columns asked for with `-c`).
    pub format: osc_output::FormatOptions,
    /// The command's own arguments as given (after the command words), for commands that
    /// need the relative order of different options.
    pub args: Vec<String>,
    files: OnceCell<ConfigFiles>,
    cloud: OnceCell<CloudConfig>,
    session: OnceCell<Session>,
}

impl Context {
    pub fn new(globals: Globals, env: Env, registry: Rc<Registry>, prog: String) -> Self {
        Context {
            globals,
            env,
            registry,
            prog,
            format: osc_output::FormatOptions::default(),
            args: Vec::new(),
            files: OnceCell::new(),
            cloud: OnceCell::new(),
            session: OnceCell::new(),
        }
    }

    pub fn files(&self) -> Result<&ConfigFiles> {
        if let Some(f) = self.files.get() {
            return Ok(f);
        }
        let f = ConfigFiles::discover(&self.env)?;
        Ok(self.files.get_or_init(|| f))
    }

    pub fn cloud(&self) -> Result<&CloudConfig> {
        if let Some(c) = self.cloud.get() {
            return Ok(c);
        }
        let c = config::resolve(self.files()?, &self.env, &self.globals)?;
        Ok(self.cloud.get_or_init(|| c))
    }

    pub fn session(&self) -> Result<&Session> {
        if let Some(s) = self.session.get() {
            return Ok(s);
        }
        let cfg = self.cloud()?.clone();
        let no_cache = cfg.get_bool("cache") == Some(false)
            || self
                .env
                .get("OS_CACHE")
                .is_some_and(|v| v == "0" || v.eq_ignore_ascii_case("false"));
        let cache = TokenCache::new(true);
        let s = Session::new(
            cfg,
            cache,
            SessionOptions {
                timing: self.globals.timing,
                no_cache,
            },
        );
        Ok(self.session.get_or_init(|| s))
    }

    /// The session if one was created (for `--timing` at the end).
    pub fn session_if_started(&self) -> Option<&Session> {
        self.session.get()
    }

    /// A token cache for commands that manage it directly.
    pub fn token_cache(&self) -> TokenCache {
        TokenCache::new(true)
    }
}
