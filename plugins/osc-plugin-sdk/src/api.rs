//! The shared machinery for plugins: [`Host`] is an [`osc_api::Transport`], so a plugin's
//! resources list (every pagination style), look up by name or ID (OSC's messages), create,
//! update, delete and wait exactly as osc's built-in commands do:
//!
//! ```ignore
//! const NETWORKS: Resource = Resource::new("network", "/networks", "network", "networks").sdk("Network");
//! let net = NETWORKS.find(host, "private")?;            // by ID, then by name
//! let all = NETWORKS.list(host, &[("shared".into(), "true".into())])?;
//! ```

use crate::{Error, Fields, Host, Request};
use osc_api::{page::Page, Transport};
use serde_json::Value;

fn convert(r: osc_api::Request) -> Request<'static> {
    let mut out = Request::new(r.method.as_str(), &r.service, r.path);
    out.query = r.query;
    out.headers = r.headers;
    out.json = r.json;
    out.microversion = r.microversion;
    out.max_microversion = r.max_microversion;
    out
}

impl Transport for Host<'_> {
    type Error = Error;

    fn json(&self, req: osc_api::Request) -> Result<Value, Error> {
        self.request(convert(req))?.ok()?.json()
    }

    fn send(&self, req: osc_api::Request) -> Result<(), Error> {
        self.request(convert(req))?.ok().map(drop)
    }

    fn page(&self, req: osc_api::Request, key: &str, fields: Fields) -> Result<Page, Error> {
        let mut resp = self.request(convert(req))?.ok()?;
        // As osc's own listings: a page is parsed from memory (several times faster than
        // from a reader), a body over 8 MB or of unannounced size as it comes.
        let small = resp
            .header("content-length")
            .and_then(|n| n.trim().parse::<u64>().ok())
            .is_some_and(|n| n <= 8 << 20);
        if small {
            let bytes = resp.read_all()?;
            if bytes.is_empty() {
                return Ok(Page::default());
            }
            return osc_api::page::parse(&bytes, key, fields).map_err(|e| resp.body_error(e));
        }
        osc_api::page::parse_reader(std::io::BufReader::new(&mut resp), key, fields)
            .map_err(|e| resp.body_error(e))
    }

    fn endpoint(&self, service: &str) -> Result<String, Error> {
        self.known_endpoint(service).ok_or_else(|| {
            Error::other(format!(
                "the endpoint of {service} is not known before a request to it"
            ))
        })
    }

    fn warn(&self, message: &str) {
        Host::warn(self, message)
    }
}
