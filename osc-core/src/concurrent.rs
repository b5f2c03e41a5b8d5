//! Commands that act on many objects (`server delete A B C …`) send their requests a few
//! at a time instead of one after another, and still report as python-openstackclient
//! does: every failure in the order the names were given, then the summary.

use crate::{Result, Session};

pub use osc_api::concurrent::BOUND;
use osc_api::concurrent::{in_order, Step};

/// `f` for every item, at most [`BOUND`] at a time, each thread with its own fork of the
/// session; the results in the items' order. The first item runs alone on `s`, so that
/// authentication and version discovery happen once and every fork starts from them.
pub fn map<T, R, F>(s: &Session, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&Session, &T) -> R + Sync,
{
    let Some((first, rest)) = items.split_first() else {
        return Vec::new();
    };
    let mut out = vec![f(s, first)];
    if rest.is_empty() {
        return out;
    }
    // No authentication (a wrong password failed the first item): the rest go one after
    // another on `s`, as before, not one failing login per thread.
    let Ok(first_fork) = s.fork() else {
        out.extend(rest.iter().map(|item| f(s, item)));
        return out;
    };
    let forks: Vec<Session> = std::iter::once(first_fork)
        .chain((1..rest.len().min(BOUND)).filter_map(|_| s.fork().ok()))
        .collect();
    let (mut slots, forks) = in_order(rest, forks, |fork, item| Step::Next(f(fork, item)));
    for fork in forks {
        s.absorb(fork);
    }
    // Whatever no thread finished (a thread panicked) runs here, in order.
    for (slot, item) in slots.iter_mut().zip(rest) {
        if slot.is_none() {
            *slot = Some(f(s, item));
        }
    }
    out.extend(slots.into_iter().flatten());
    out
}

/// [`crate::resource::for_each_named`] with the work done by [`map`]: each name's failure
/// warned about in the order given, then "N of M <plural> failed to <verb>.".
pub fn for_each_named<F>(
    s: &Session,
    names: &[String],
    display: &str,
    plural: &str,
    verb: &str,
    f: F,
) -> Result<crate::Output>
where
    F: Fn(&Session, &str) -> Result<()> + Sync,
{
    let results = map(s, names, |s, n| f(s, n));
    let mut it = results.into_iter();
    crate::resource::for_each_named(names, display, plural, verb, |_| {
        it.next().unwrap_or(Ok(()))
    })
}
