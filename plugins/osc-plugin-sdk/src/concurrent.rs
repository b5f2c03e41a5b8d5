//! Work on many objects at once, as osc's own commands do (`osc_core::concurrent`): a
//! plugin's `port delete A B C …` sends its requests a few at a time and still reports as
//! python-openstackclient does, every failure in the order given, then the summary.
//!
//! With a host of ABI 1.1 the items after the first run on up to [`BOUND`] threads, each
//! calling the host with a session of its own; with a 1.0 host (or the fake host) they
//! run one after another, with the same results.

use crate::{Error, Host, Result, IN_HANDLER, LAST_PANIC};
use osc_plugin_abi::OscHost;

pub use osc_api::concurrent::BOUND;
use osc_api::concurrent::{in_order, Step};

/// The host table, shared with worker threads only between begin_concurrent and
/// end_concurrent, when the ABI lets several threads call it.
#[derive(Clone, Copy)]
struct SharedTable(*const OscHost);
// SAFETY: see above; the table outlives the scoped threads that use it.
unsafe impl Send for SharedTable {}
unsafe impl Sync for SharedTable {}

impl SharedTable {
    /// The table; a method, so that closures capture the whole (Sync) wrapper.
    fn get(self) -> *const OscHost {
        self.0
    }
}

/// `f` for every item, the results in the items' order. The first item runs alone (so
/// authentication and version discovery happen once), the rest concurrently when the
/// host allows it.
pub fn map<T, R, F>(host: &Host, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&Host, &T) -> R + Sync,
{
    let Some((first, rest)) = items.split_first() else {
        return Vec::new();
    };
    let mut out = vec![f(host, first)];
    let raw = host.raw;
    let workers = match (raw.has_1_1(), raw.begin_concurrent) {
        (true, Some(begin)) if !rest.is_empty() => {
            // SAFETY: valid host table, called from the invoking thread.
            unsafe { begin(raw.ctx, rest.len().min(BOUND) as u32) as usize }
        }
        _ => 0,
    };
    if workers == 0 {
        out.extend(rest.iter().map(|item| f(host, item)));
        return out;
    }
    let endpoints = host.endpoints.borrow().clone();
    let table = SharedTable(raw);
    let (slots, _) = in_order(rest, vec![(); workers], |_, item| {
        // SAFETY: the table is valid for the invocation, which outlives the scoped
        // threads; the host allows them until end_concurrent.
        let h = unsafe { Host::from_raw(&*table.get()) };
        *h.endpoints.borrow_mut() = endpoints.clone();
        IN_HANDLER.with(|c| c.set(true));
        // A panic is caught here, so its message is kept and the worker stops.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&h, item))) {
            Ok(r) => Step::Next(Ok(r)),
            Err(_) => Step::Last(Err(LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".into()))),
        }
    });
    if let Some(end) = raw.end_concurrent {
        // SAFETY: as for begin.
        unsafe { end(raw.ctx) }
    }
    let mut done: Vec<Option<R>> = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            // A panic in a worker is the command's panic, reported as any other.
            Some(Err(msg)) => {
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg.clone()));
                std::panic::resume_unwind(Box::new(msg));
            }
            Some(Ok(r)) => done.push(Some(r)),
            None => done.push(None),
        }
    }
    // Whatever no thread reached runs here, in order.
    for (slot, item) in done.iter_mut().zip(rest) {
        if slot.is_none() {
            *slot = Some(f(host, item));
        }
    }
    out.extend(done.into_iter().flatten());
    out
}

/// [`osc_api::resource::for_each_named`] with the work done by [`map`]: each name's
/// failure warned about in the order given, then "N of M <plural> failed to <verb>.".
pub fn for_each_named<F>(
    host: &Host,
    names: &[String],
    display: &str,
    plural: &str,
    verb: &str,
    f: F,
) -> Result<()>
where
    F: Fn(&Host, &str) -> Result<()> + Sync,
{
    let results = map(host, names, |h, n| f(h, n));
    let mut it = results.into_iter();
    osc_api::resource::for_each_named(host, names, display, plural, verb, |_| {
        it.next().unwrap_or(Ok::<(), Error>(()))
    })
}
