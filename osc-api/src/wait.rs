//! The one wait loop every command that waits uses (`--wait`, waiting for an image to
//! become active, for a deleted server to be gone...). [`Wait`] polls a closure until it says
//! done or fails, with a deadline, a growing interval and OSC-style progress on a terminal;
//! [`Status`] is the common check: a status field reaching one of a set of values.
//!
//! ```text
//! let server = Wait::new(format!("server {id}"))
//!     .timeout(Duration::from_secs(24 * 3600))
//!     .status(Status::new(&["ACTIVE"], &["ERROR"]), || SERVERS.get(s, id))?;
//! ```

use crate::error::{Error, ErrorStatus};
use serde_json::Value;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `-q`: no wait shows progress in this process, even on a terminal (osc sets it at start).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether [`set_quiet`] turned progress off.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// One poll's verdict when it is not a failure (failures are `Err`).
#[derive(Clone, Debug, PartialEq)]
pub enum Poll<T> {
    /// The wait is over, with this result.
    Done(T),
    /// Not yet: `status` is shown as progress and in the timeout error, with `percent` when
    /// the object reports one.
    Pending {
        status: String,
        percent: Option<u64>,
    },
}

impl<T> Poll<T> {
    /// Not done yet, in this status.
    pub fn pending(status: impl Into<String>) -> Self {
        Poll::Pending {
            status: status.into(),
            percent: None,
        }
    }
}

/// Where a wait's time comes from: the real clock, or a fake one in tests.
pub trait Clock {
    /// Time since the wait began.
    fn elapsed(&self) -> Duration;
    fn sleep(&mut self, d: Duration);
}

struct RealClock(Instant);

impl Clock for RealClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// A wait: what is waited for (for messages), a deadline, the poll interval and where progress
/// goes. Build it, then run [`Wait::poll`] or [`Wait::status`].
pub struct Wait {
    what: String,
    timeout: Duration,
    first: Duration,
    max: Duration,
    progress: Option<Box<dyn Write>>,
    clock: Option<Box<dyn Clock>>,
}

impl Wait {
    /// A wait for `what` ("server 1234", "the import of image 1234"): one hour, polling every
    /// 0.5 s growing by half up to 5 s, progress on stderr when it is a terminal (and not
    /// [`set_quiet`]).
    pub fn new(what: impl Into<String>) -> Self {
        use std::io::IsTerminal;
        let progress: Option<Box<dyn Write>> = if std::io::stderr().is_terminal() && !is_quiet() {
            Some(Box::new(std::io::stderr()))
        } else {
            None
        };
        Wait {
            what: what.into(),
            timeout: Duration::from_secs(3600),
            first: Duration::from_millis(500),
            max: Duration::from_secs(5),
            progress,
            clock: None,
        }
    }

    /// Gives up after `d` (after the first poll that passes it).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Polls after `first`, then each interval half again as long, up to `max` (equal values:
    /// a fixed interval).
    pub fn interval(mut self, first: Duration, max: Duration) -> Self {
        self.first = first;
        self.max = max.max(first);
        self
    }

    /// No progress output, even on a terminal.
    pub fn quiet(mut self) -> Self {
        self.progress = None;
        self
    }

    /// Progress goes to `w` instead of the terminal.
    pub fn progress_to(mut self, w: impl Write + 'static) -> Self {
        self.progress = Some(Box::new(w));
        self
    }

    /// Time from `clock` instead of the real one.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Box::new(clock));
        self
    }

    /// Calls `check` until it returns done (its value) or an error (returned as is); after the
    /// deadline, fails with "Timed out after Ns waiting for <what> (status <last status>)".
    /// Each pending poll shows "\r<status> [N%]..." when progress is on.
    pub fn poll<T, E: From<Error>>(
        mut self,
        mut check: impl FnMut() -> Result<Poll<T>, E>,
    ) -> Result<T, E> {
        let mut clock = self
            .clock
            .take()
            .unwrap_or_else(|| Box::new(RealClock(Instant::now())));
        let mut interval = self.first;
        let mut printed = false;
        let result = loop {
            let (status, percent) = match check() {
                Ok(Poll::Done(v)) => break Ok(v),
                Err(e) => break Err(e),
                Ok(Poll::Pending { status, percent }) => (status, percent),
            };
            let elapsed = clock.elapsed();
            if elapsed >= self.timeout {
                let last = if status.is_empty() {
                    String::new()
                } else {
                    format!(" (status {status})")
                };
                break Err(Error::other(format!(
                    "Timed out after {}s waiting for {}{last}",
                    self.timeout.as_secs(),
                    self.what
                ))
                .into());
            }
            if let Some(out) = self.progress.as_mut() {
                let percent = percent.map(|p| format!(" {p}%")).unwrap_or_default();
                // Progress is a courtesy: a closed stderr must not fail the wait.
                let _ = write!(out, "\r{status}{percent}...");
                let _ = out.flush();
                printed = true;
            }
            clock.sleep(interval.min(self.timeout - elapsed));
            interval = interval
                .checked_mul(3)
                .map_or(self.max, |d| d / 2)
                .min(self.max);
        };
        if printed {
            if let Some(out) = self.progress.as_mut() {
                let _ = writeln!(out);
            }
        }
        result
    }

    /// Waits on `fetch` by `status`; an error status fails with
    /// "<what> went to status <S>[: <fault message>]".
    pub fn status<E: From<Error> + ErrorStatus>(
        self,
        status: Status<'_>,
        mut fetch: impl FnMut() -> Result<Value, E>,
    ) -> Result<Value, E> {
        let what = self.what.clone();
        self.poll(|| {
            status.check(fetch(), |obj, st| {
                let fault = fault(obj).map(|m| format!(": {m}")).unwrap_or_default();
                Error::other(format!("{what} went to status {st}{fault}")).into()
            })
        })
    }
}

/// The common check: a status field reaching one of `done` (compared ignoring case); one of
/// `error` fails.
#[derive(Clone, Copy, Debug)]
pub struct Status<'a> {
    field: &'a str,
    done: &'a [&'a str],
    error: &'a [&'a str],
    gone: bool,
    idle: Option<&'a str>,
}

impl<'a> Status<'a> {
    /// Done at one of `done` in the top-level `status`; failed at one of `error`.
    pub const fn new(done: &'a [&'a str], error: &'a [&'a str]) -> Self {
        Status {
            field: "status",
            done,
            error,
            gone: false,
            idle: None,
        }
    }

    /// Waiting for a deletion: done only when the fetch answers 404 (an object still shown,
    /// even with status DELETED, is not gone yet); failed at one of `error`.
    pub const fn gone(error: &'a [&'a str]) -> Self {
        Status {
            field: "status",
            done: &[],
            error,
            gone: true,
            idle: None,
        }
    }

    /// Reads the status from `field` instead: a key, or a JSON pointer (`/a/b`).
    pub const fn field(mut self, field: &'a str) -> Self {
        self.field = field;
        self
    }

    /// Done only once `field` is also null or absent: a server SHELVED with its offload
    /// (`OS-EXT-STS:task_state`) still running refuses the next action with a 409.
    pub const fn idle(mut self, field: &'a str) -> Self {
        self.idle = Some(field);
        self
    }

    /// The verdict on one fetch: done (the object; `null` once gone), pending (its status and,
    /// unless waiting for deletion, its `progress` percent), or `fail(object, status)` at an error status. Fetch errors are
    /// returned as they are, except the 404 that ends a wait for deletion.
    pub fn check<E: ErrorStatus>(
        &self,
        fetched: Result<Value, E>,
        fail: impl FnOnce(&Value, &str) -> E,
    ) -> Result<Poll<Value>, E> {
        let obj = match fetched {
            Ok(o) => o,
            Err(e) if self.gone && e.is_not_found() => return Ok(Poll::Done(Value::Null)),
            Err(e) => return Err(e),
        };
        let value = if self.field.starts_with('/') {
            obj.pointer(self.field)
        } else {
            obj.get(self.field)
        };
        let status = value.and_then(Value::as_str).unwrap_or("").to_string();
        let is = |set: &[&str]| set.iter().any(|d| d.eq_ignore_ascii_case(&status));
        let task = self
            .idle
            .and_then(|f| obj.get(f))
            .and_then(Value::as_str)
            .map(str::to_string);
        if !self.gone && is(self.done) {
            match task {
                None => return Ok(Poll::Done(obj)),
                Some(task) => {
                    return Ok(Poll::Pending {
                        status: format!("{status} ({task})"),
                        percent: None,
                    })
                }
            }
        }
        if is(self.error) {
            return Err(fail(&obj, &status));
        }
        // A build's progress says nothing about a deletion.
        let percent = match self.gone {
            true => None,
            false => obj.get("progress").and_then(Value::as_u64),
        };
        Ok(Poll::Pending { status, percent })
    }
}

/// The object's fault message (Nova's `fault.message`), if any.
pub fn fault(obj: &Value) -> Option<&str> {
    obj.get("fault")
        .and_then(|f| f.get("message"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use serde_json::json;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A clock that only moves when slept on, recording each sleep.
    #[derive(Clone, Default)]
    struct Fake {
        now: Rc<RefCell<Duration>>,
        slept: Rc<RefCell<Vec<Duration>>>,
    }

    impl Clock for Fake {
        fn elapsed(&self) -> Duration {
            *self.now.borrow()
        }
        fn sleep(&mut self, d: Duration) {
            *self.now.borrow_mut() += d;
            self.slept.borrow_mut().push(d);
        }
    }

    #[derive(Clone, Default)]
    struct Buf(Rc<RefCell<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buf {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.borrow()).into_owned()
        }
    }

    /// A fetch that answers `seq` in turn (the last one for ever), counting calls.
    fn answers(seq: Vec<Result<Value>>) -> (impl FnMut() -> Result<Value>, Rc<RefCell<usize>>) {
        let calls = Rc::new(RefCell::new(0));
        let c = calls.clone();
        let seq = RefCell::new(seq);
        let f = move || {
            *c.borrow_mut() += 1;
            let mut s = seq.borrow_mut();
            if s.len() > 1 {
                s.remove(0)
            } else {
                match &s[0] {
                    Ok(v) => Ok(v.clone()),
                    Err(e) if e.is_not_found() => Err(not_found()),
                    Err(e) => Err(Error::other(e.to_string())),
                }
            }
        };
        (f, calls)
    }

    fn not_found() -> Error {
        Error::Http {
            status: 404,
            message: "gone".into(),
            request_id: None,
        }
    }

    fn wait(clock: &Fake) -> Wait {
        Wait::new("server s1").quiet().clock(clock.clone())
    }

    #[test]
    fn polls_until_done_with_growing_interval() {
        let clock = Fake::default();
        let (fetch, calls) = answers(vec![
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "active", "id": "s1"})),
        ]);
        let got = wait(&clock)
            .status(Status::new(&["ACTIVE"], &["ERROR"]), fetch)
            .unwrap();
        assert_eq!(
            got["id"], "s1",
            "the final object is returned; case is ignored"
        );
        assert_eq!(*calls.borrow(), 7);
        let ms: Vec<u128> = clock.slept.borrow().iter().map(|d| d.as_millis()).collect();
        assert_eq!(ms, vec![500, 750, 1125, 1687, 2531, 3796]);
    }

    #[test]
    fn interval_is_capped() {
        let clock = Fake::default();
        let (fetch, _) = answers(vec![
            Ok(json!({"status": "x"})),
            Ok(json!({"status": "x"})),
            Ok(json!({"status": "x"})),
            Ok(json!({"status": "ok"})),
        ]);
        wait(&clock)
            .interval(Duration::from_secs(2), Duration::from_secs(2))
            .status(Status::new(&["ok"], &[]), fetch)
            .unwrap();
        assert_eq!(*clock.slept.borrow(), vec![Duration::from_secs(2); 3]);
    }

    #[test]
    fn error_status_fails_with_fault() {
        let clock = Fake::default();
        let (fetch, _) = answers(vec![
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "ERROR", "fault": {"message": "No valid host"}})),
        ]);
        let e = wait(&clock)
            .status(Status::new(&["ACTIVE"], &["ERROR"]), fetch)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "server s1 went to status ERROR: No valid host"
        );
        let (fetch, _) = answers(vec![Ok(json!({"status": "error"}))]);
        let e = wait(&clock)
            .status(Status::new(&["ACTIVE"], &["ERROR"]), fetch)
            .unwrap_err();
        assert_eq!(e.to_string(), "server s1 went to status error");
    }

    #[test]
    fn custom_failure_message() {
        let st = Status::new(&["available"], &["error"]);
        let e = st
            .check(Ok(json!({"status": "error"})), |_, s| {
                Error::other(format!("Volume v is in status '{s}'"))
            })
            .unwrap_err();
        assert_eq!(e.to_string(), "Volume v is in status 'error'");
    }

    #[test]
    fn fetch_errors_end_the_wait_at_once() {
        let clock = Fake::default();
        let (fetch, calls) = answers(vec![Err(not_found())]);
        let e = wait(&clock)
            .status(Status::new(&["ACTIVE"], &["ERROR"]), fetch)
            .unwrap_err();
        assert!(
            e.is_not_found(),
            "a 404 is only done when waiting for deletion"
        );
        assert_eq!(*calls.borrow(), 1);
        assert!(clock.slept.borrow().is_empty());
    }

    #[test]
    fn gone_ends_only_at_404() {
        let clock = Fake::default();
        let (fetch, calls) = answers(vec![
            Ok(json!({"status": "ACTIVE", "progress": 100})),
            Ok(json!({"status": "DELETED"})),
            Ok(json!({"status": "deleted"})),
            Err(not_found()),
        ]);
        let buf = Buf::default();
        let got = wait(&clock)
            .progress_to(buf.clone())
            .status(Status::gone(&["ERROR"]), fetch)
            .unwrap();
        assert_eq!(got, Value::Null);
        assert_eq!(buf.text(), "\rACTIVE...\rDELETED...\rdeleted...\n");
        assert_eq!(*calls.borrow(), 4);

        let (fetch, _) = answers(vec![Ok(
            json!({"status": "ERROR", "fault": {"message": "stuck"}}),
        )]);
        let e = wait(&clock)
            .status(Status::gone(&["ERROR"]), fetch)
            .unwrap_err();
        assert_eq!(e.to_string(), "server s1 went to status ERROR: stuck");

        let (fetch, _) = answers(vec![Err(Error::other("HTTP 500"))]);
        let e = wait(&clock)
            .status(Status::gone(&["ERROR"]), fetch)
            .unwrap_err();
        assert_eq!(e.to_string(), "HTTP 500", "only a 404 means gone");
    }

    #[test]
    fn done_waits_for_the_task_to_end() {
        let st = Status::new(&["SHELVED"], &["ERROR"]).idle("OS-EXT-STS:task_state");
        let check = |v: Value| st.check(Ok(v), |_, _| Error::other("x")).unwrap();
        let busy = json!({"status": "SHELVED", "OS-EXT-STS:task_state": "shelving_offloading"});
        assert_eq!(check(busy), Poll::pending("SHELVED (shelving_offloading)"));
        let idle = json!({"status": "SHELVED", "OS-EXT-STS:task_state": null});
        assert!(matches!(check(idle), Poll::Done(_)));
        assert!(matches!(check(json!({"status": "SHELVED"})), Poll::Done(_)));
    }

    #[test]
    fn other_status_fields() {
        let st = Status::new(&["done"], &["failed"]).field("task_state");
        let p = st
            .check(
                Ok(json!({"status": "done", "task_state": "running"})),
                |_, _| Error::other("x"),
            )
            .unwrap();
        assert_eq!(p, Poll::pending("running"));
        let st = Status::new(&["done"], &[]).field("/migration/state");
        let p = st
            .check(Ok(json!({"migration": {"state": "done"}})), |_, _| {
                Error::other("x")
            })
            .unwrap();
        assert!(matches!(p, Poll::Done(_)));
    }

    #[test]
    fn times_out_with_the_last_status() {
        let clock = Fake::default();
        let (fetch, calls) = answers(vec![Ok(json!({"status": "BUILD"}))]);
        let e = wait(&clock)
            .timeout(Duration::from_secs(3))
            .status(Status::new(&["ACTIVE"], &["ERROR"]), fetch)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Timed out after 3s waiting for server s1 (status BUILD)"
        );
        // 0.5 + 0.75 + 1.125, then the sleep is cut to the deadline and one last poll is made.
        let slept: Duration = clock.slept.borrow().iter().sum();
        assert_eq!(slept, Duration::from_secs(3));
        assert_eq!(*calls.borrow(), 5);
    }

    #[test]
    fn timeout_without_status() {
        let clock = Fake::default();
        let e = wait(&clock)
            .timeout(Duration::ZERO)
            .poll(|| Ok::<_, Error>(Poll::<()>::pending("")))
            .unwrap_err();
        assert_eq!(e.to_string(), "Timed out after 0s waiting for server s1");
    }

    #[test]
    fn progress_only_where_asked() {
        let clock = Fake::default();
        let buf = Buf::default();
        let (fetch, _) = answers(vec![
            Ok(json!({"status": "BUILD", "progress": 10})),
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "ACTIVE"})),
        ]);
        Wait::new("server s1")
            .clock(clock.clone())
            .progress_to(buf.clone())
            .status(Status::new(&["ACTIVE"], &[]), fetch)
            .unwrap();
        assert_eq!(buf.text(), "\rBUILD 10%...\rBUILD...\n");

        // Done at once: nothing printed, not even the newline.
        let buf = Buf::default();
        let (fetch, _) = answers(vec![Ok(json!({"status": "ACTIVE"}))]);
        Wait::new("server s1")
            .clock(clock.clone())
            .progress_to(buf.clone())
            .status(Status::new(&["ACTIVE"], &[]), fetch)
            .unwrap();
        assert_eq!(buf.text(), "");

        // Quiet wins over an earlier sink.
        let buf = Buf::default();
        let (fetch, _) = answers(vec![
            Ok(json!({"status": "BUILD"})),
            Ok(json!({"status": "ACTIVE"})),
        ]);
        Wait::new("server s1")
            .clock(clock)
            .progress_to(buf.clone())
            .quiet()
            .status(Status::new(&["ACTIVE"], &[]), fetch)
            .unwrap();
        assert_eq!(buf.text(), "");
    }

    #[test]
    fn custom_checks() {
        let clock = Fake::default();
        let mut n = 0;
        let got = wait(&clock)
            .poll(|| {
                n += 1;
                Ok::<_, Error>(if n < 3 {
                    Poll::pending("copying")
                } else {
                    Poll::Done(n)
                })
            })
            .unwrap();
        assert_eq!(got, 3);
    }
}
