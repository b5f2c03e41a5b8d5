//! Work on many items a few at a time, with the results in the items' order: the
//! scheduling shared by osc-core's `concurrent` (built-in commands, a session fork per
//! thread) and the plugin SDK's (plugin commands, a host table per thread), so that
//! `server delete A B C` and `port delete A B C` behave alike.

/// How many items are worked on at once: enough to hide a service's latency, few enough
/// not to flood a small cloud's API workers.
pub const BOUND: usize = 8;

/// One item's outcome, and whether its worker goes on to the next item.
pub enum Step<R> {
    /// Done; the worker takes the next item.
    Next(R),
    /// Done; the worker stops (the rest is left to the other workers).
    Last(R),
}

/// Runs `work` on the items on one scoped thread per worker, each taking the next item in
/// turn until none are left (or it returned [`Step::Last`]). Returns every item's result in
/// the items' order, `None` for an item no worker finished (its thread panicked), and the
/// workers whose threads ended normally, for the caller to take back (a session's fork).
pub fn in_order<T, R, W, F>(items: &[T], workers: Vec<W>, work: F) -> (Vec<Option<R>>, Vec<W>)
where
    T: Sync,
    R: Send,
    W: Send,
    F: Fn(&mut W, &T) -> Step<R> + Sync,
{
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Results go in as they are made, so a thread that panics loses only its current item.
    let slots: std::sync::Mutex<Vec<Option<R>>> =
        std::sync::Mutex::new(std::iter::repeat_with(|| None).take(items.len()).collect());
    let back: Vec<W> = std::thread::scope(|scope| {
        let handles: Vec<_> = workers
            .into_iter()
            .map(|mut worker| {
                let (work, next, slots) = (&work, &next, &slots);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let (r, go_on) = match work(&mut worker, item) {
                            Step::Next(r) => (r, true),
                            Step::Last(r) => (r, false),
                        };
                        let mut slots = slots.lock().unwrap_or_else(|e| e.into_inner());
                        if let Some(slot) = slots.get_mut(i) {
                            *slot = Some(r);
                        }
                        if !go_on {
                            break;
                        }
                    }
                    worker
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    (slots.into_inner().unwrap_or_else(|e| e.into_inner()), back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_items_order_and_workers_come_back() {
        let items: Vec<u32> = (0..50).collect();
        let (out, workers) = in_order(&items, vec![0usize; 4], |n, i| {
            *n += 1;
            Step::Next(i * 2)
        });
        let out: Vec<u32> = out.into_iter().map(|r| r.unwrap_or(u32::MAX)).collect();
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(workers.len(), 4);
        assert_eq!(workers.iter().sum::<usize>(), 50);
    }

    #[test]
    fn a_stopped_worker_leaves_the_rest_to_the_others_and_none_marks_the_unreached() {
        let items: Vec<u32> = (0..20).collect();
        // One worker that stops after its first item: the rest go unreached.
        let (out, _) = in_order(&items, vec![()], |_, i| Step::Last(*i));
        assert_eq!(out.iter().filter(|r| r.is_some()).count(), 1);
        assert_eq!(out.first().copied().flatten(), Some(0));
        // A panicking worker loses the item it was on, and itself; what it finished stays.
        let (out, workers) = in_order(&items, vec![()], |_, i| {
            if *i == 5 {
                panic!("the worker fails");
            }
            Step::Next(*i)
        });
        assert!(workers.is_empty());
        let finished: Vec<u32> = out.iter().flatten().copied().collect();
        assert_eq!(finished, vec![0, 1, 2, 3, 4]);
    }
}
