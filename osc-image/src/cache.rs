//! The image cache: `cached image list/queue/delete/clear`.

use crate::common::{find_image, image_id, SVC};
use osc_core::resource::encode_segment;
use osc_core::{log, Cell, Context, Error, Method, Output, Request, Result, Table};
use serde_json::Value;

/// A Unix timestamp as Python's `datetime.fromtimestamp(ts, UTC).isoformat()` (naive).
fn iso_utc(ts: &Value) -> Value {
    let Some(secs) = ts.as_f64() else {
        return ts.clone();
    };
    let whole = secs.floor() as i64;
    let micros = ((secs - whole as f64) * 1e6).round() as i64;
    let days = whole.div_euclid(86400);
    let rem = whole.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let base = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    Value::String(if micros > 0 {
        format!("{base}.{micros:06}")
    } else {
        base
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[derive(clap::Args, Debug)]
pub struct ListCachedImage {}

impl osc_core::Command for ListCachedImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let body = s.get(SVC, "/cache")?;
        let mut t = Table::new([
            "ID",
            "State",
            "Last Accessed (UTC)",
            "Last Modified (UTC)",
            "Size",
            "Hits",
        ]);
        for img in body
            .get("cached_images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let get = |k: &str| img.get(k).cloned().unwrap_or(Value::Null);
            t.rows.push(vec![
                Cell::raw(get("image_id")),
                Cell::raw("cached"),
                Cell::raw(iso_utc(&get("last_accessed"))),
                Cell::raw(iso_utc(&get("last_modified"))),
                Cell::raw(get("size")),
                Cell::raw(get("hits")),
            ]);
        }
        for id in body
            .get("queued_images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            t.rows.push(vec![
                Cell::raw(id.clone()),
                Cell::raw("queued"),
                Cell::raw("N/A"),
                Cell::raw("N/A"),
                Cell::raw("N/A"),
                Cell::raw("N/A"),
            ]);
        }
        Ok(Output::List(t))
    }
}

#[derive(clap::Args, Debug)]
pub struct QueueCachedImage {
    /// Image to display (name or ID)
    #[arg(value_name = "image", required = true)]
    images: Vec<String>,
}

impl osc_core::Command for QueueCachedImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for name in &self.images {
            let r = find_image(s, name)
                .and_then(|i| image_id(&i))
                .and_then(|id| {
                    s.send(Request::new(
                        Method::PUT,
                        SVC,
                        format!("/cache/{}", encode_segment(&id)),
                    ))
                    .map(|_| ())
                });
            if let Err(e) = r {
                failed += 1;
                log::warn(&format!(
                    "Failed to queue image with name or ID '{name}': {e}"
                ));
            }
        }
        if failed > 0 {
            return Err(Error::cmd(format!(
                "Failed to queue {failed} of {} images",
                self.images.len()
            )));
        }
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct DeleteCachedImage {
    /// Image(s) to delete (name or ID)
    #[arg(value_name = "image", required = true)]
    images: Vec<String>,
}

impl osc_core::Command for DeleteCachedImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut failed = 0;
        for name in &self.images {
            let r = find_image(s, name)
                .and_then(|i| image_id(&i))
                .and_then(|id| {
                    // openstacksdk ignores an image that is not cached.
                    match s.delete(SVC, &format!("/cache/{}", encode_segment(&id))) {
                        Err(e) if e.is_not_found() => Ok(()),
                        other => other,
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

#[derive(clap::Args, Debug)]
pub struct ClearCachedImage {
    /// Clears all the cached images
    #[arg(long)]
    cache: bool,
    /// Clears all the queued images
    #[arg(long)]
    queue: bool,
}

impl osc_core::Command for ClearCachedImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        // argparse's store_const into one dest: the last flag given wins; both means neither.
        let target = if self.queue {
            Some("queue")
        } else if self.cache {
            Some("cache")
        } else {
            None
        };
        let mut req = Request::new(Method::DELETE, SVC, "/cache");
        if let Some(t) = target {
            req = req.header("x-image-cache-clear-target", t);
        }
        if let Err(e) = s.send(req) {
            log::warn("Failed to clear image cache");
            log::debug(&e.to_string());
            return Err(Error::cmd("Failed to clear image cache"));
        }
        Ok(Output::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_like_python() {
        assert_eq!(iso_utc(&json!(0)), json!("1970-01-01T00:00:00"));
        assert_eq!(
            iso_utc(&json!(1764080942.5)),
            json!("2025-11-25T14:29:02.500000")
        );
    }
}
