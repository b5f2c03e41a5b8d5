//! Interruptions: SIGINT and SIGTERM end osc with 130 and 143 (128 + the signal, as a shell
//! reports a process the signal ended), after removing the partial file of a transfer in
//! progress and saying what state the server-side object was left in.
//!
//! The signal handler only writes the signal's number to a pipe; a thread reading it does
//! the rest, outside the handler.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::Mutex;

/// What to do if the process is interrupted while a [`Guard`] lives.
struct Pending {
    id: u64,
    remove: Option<PathBuf>,
    note: Option<String>,
}

static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(1);
static PIPE_W: AtomicI32 = AtomicI32::new(-1);

/// Registered cleanup, undone when dropped (the operation finished or failed normally).
pub struct Guard(u64);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut p) = PENDING.lock() {
            p.retain(|x| x.id != self.0);
        }
    }
}

/// On interruption, remove `file` (a partial download) and print `note` (the state of the
/// server-side object), until the guard is dropped.
pub fn guard(file: Option<PathBuf>, note: Option<String>) -> Guard {
    install();
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut p) = PENDING.lock() {
        p.push(Pending {
            id,
            remove: file,
            note,
        });
    }
    Guard(id)
}

/// Like [`guard`], for a file `make` creates: the file is made while interruptions wait, so
/// none can end osc between its creation and its registration and leave it behind.
pub fn guard_new<T, E>(
    make: impl FnOnce() -> Result<T, E>,
    path_of: impl FnOnce(&T) -> PathBuf,
) -> Result<(T, Guard), E> {
    install();
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let made = make()?;
    pending.push(Pending {
        id,
        remove: Some(path_of(&made)),
        note: None,
    });
    Ok((made, Guard(id)))
}

extern "C" fn on_signal(sig: libc::c_int) {
    let fd = PIPE_W.load(Ordering::SeqCst);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; the buffer is one valid byte.
        unsafe {
            libc::write(fd, &b as *const u8 as *const libc::c_void, 1);
        }
    }
}

/// Installs the handlers (once). Called at start-up, so every interruption ends the same way.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: a two-element array for pipe2(2).
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return;
        }
        PIPE_W.store(fds[1], Ordering::SeqCst);
        let read_fd = fds[0];
        let spawned = std::thread::Builder::new()
            .name("osc-signals".into())
            .spawn(move || loop {
                let mut b = 0u8;
                // SAFETY: reading one byte into a valid buffer from our pipe.
                let n = unsafe { libc::read(read_fd, &mut b as *mut u8 as *mut libc::c_void, 1) };
                if n == 1 {
                    interrupted(i32::from(b));
                }
                if n == 0 {
                    return;
                }
            });
        if spawned.is_err() {
            return;
        }
        for sig in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: installing a handler that only calls write(2).
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    });
}

fn interrupted(sig: i32) -> ! {
    let name = if sig == libc::SIGTERM {
        "SIGTERM"
    } else {
        "SIGINT"
    };
    // Waits for a guard being registered (held only briefly, never by this thread).
    let pending: Vec<Pending> =
        std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    let mut notes = Vec::new();
    for p in pending {
        if let Some(f) = p.remove {
            let _ = std::fs::remove_file(f);
        }
        notes.extend(p.note);
    }
    let tail = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    eprintln!("Interrupted ({name}){tail}");
    std::process::exit(128 + sig)
}
