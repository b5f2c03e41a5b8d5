//! Work on many objects at once, as osc's own commands do (`osc_core::concurrent`): a
//! plugin's `port delete A B C …` sends its requests a few at a time and still reports as
//! python-openstackclient does, every failure in the order given, then the summary.
//!
//! With a host of ABI 1.1 the items after the first run on up to [`BOUND`] threads, each
//! calling the host with a session of its own; with a 1.0 host (or the fake host) they
//! run one after another, with the same results.

use crate::{Error, Host, Result, IN_HANDLER, LAST_PANIC};
use osc_plugin_abi::OscHost;

/// What one worker did: (item index, result or its panic's message) pairs.
type Worked<R> = Vec<(usize, std::result::Result<R, String>)>;

/// At most this many items at once (osc's own bound).
pub const BOUND: usize = 8;

/// The host table, shared with worker threads only between begin_concurrent and
/// end_concurrent, when the ABI lets several threads call it.
#[derive(Clone, Copy)]
struct SharedTable(*const OscHost);
// SAFETY: see above; the table outlives the scoped threads that use it.
unsafe impl Send for SharedTable {}
unsafe impl Sync for SharedTable {}

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
    let next = std::sync::atomic::AtomicUsize::new(0);
    let table = SharedTable(raw);
    let endpoints = host.endpoints.borrow().clone();
    let done: Vec<std::thread::Result<Worked<R>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (f, next, endpoints) = (&f, &next, endpoints.clone());
                scope.spawn(move || {
                    let table = table;
                    // SAFETY: the table is valid for the invocation, which outlives
                    // this scope; the host allows this thread until end_concurrent.
                    let h = unsafe { Host::from_raw(&*table.0) };
                    *h.endpoints.borrow_mut() = endpoints;
                    IN_HANDLER.with(|c| c.set(true));
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = rest.get(i) else { break };
                        let r =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&h, item)))
                                .map_err(|_| {
                                    LAST_PANIC
                                        .with(|p| p.borrow_mut().take())
                                        .unwrap_or_else(|| "unknown panic".into())
                                });
                        let failed = r.is_err();
                        mine.push((i, r));
                        if failed {
                            break;
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    if let Some(end) = raw.end_concurrent {
        // SAFETY: as for begin.
        unsafe { end(raw.ctx) }
    }
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(rest.len()).collect();
    for mine in done.into_iter().flatten() {
        for (i, r) in mine {
            match r {
                Ok(r) => {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(r);
                    }
                }
                // A panic in a worker is the command's panic, reported as any other.
                Err(msg) => {
                    LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg.clone()));
                    std::panic::resume_unwind(Box::new(msg));
                }
            }
        }
    }
    // Whatever no thread reached runs here, in order.
    for (slot, item) in slots.iter_mut().zip(rest) {
        if slot.is_none() {
            *slot = Some(f(host, item));
        }
    }
    out.extend(slots.into_iter().flatten());
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
