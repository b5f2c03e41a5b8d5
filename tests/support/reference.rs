//! The reference `openstack` through `reference_server.py`: python-openstackclient imported
//! once per test process and forked per command, instead of ~2 s of CPU start-up on every
//! run (the tests run it hundreds of times on two cores). The child runs the same
//! `openstackclient.shell.main` as the `openstack` script, with the same environment.
//! `OSC_TEST_REFERENCE_SERVER=0` runs the `openstack` script instead.

use super::Cloud;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub struct Server {
    socket: PathBuf,
    dir: PathBuf,
    // Held for the process's lifetime: the server exits when this pipe closes.
    _stdin: ChildStdin,
    _child: Child,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

/// The running server, started on first use; `None` when disabled or it failed to start
/// (then the caller runs the script, and the reason is printed once).
pub fn server(c: &Cloud, env: impl FnOnce(&mut Command)) -> Option<&'static Server> {
    SERVER
        .get_or_init(|| {
            if std::env::var("OSC_TEST_REFERENCE_SERVER").is_ok_and(|v| v == "0") {
                return None;
            }
            start(c, env)
                .map_err(|e| eprintln!("reference server: {e}; running the openstack script"))
                .ok()
        })
        .as_ref()
}

fn start(c: &Cloud, env: impl FnOnce(&mut Command)) -> Result<Server, String> {
    let python = c
        .openstack
        .parent()
        .map(|d| d.join("python"))
        .ok_or("no venv")?;
    let dir = std::env::temp_dir().join(format!("osc-reference-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let socket = dir.join("sock");
    let mut cmd = Command::new(python);
    env(&mut cmd);
    cmd.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/reference_server.py"
    ))
    .arg(&socket)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    if line.trim() != "ready" {
        let _ = child.kill();
        return Err(format!("did not start (said {line:?})"));
    }
    Ok(Server {
        socket,
        dir,
        _stdin: stdin,
        _child: child,
    })
}

impl Server {
    /// Runs `openstack args` in a fresh child of the server.
    pub fn run(&self, args: &[&str]) -> Result<Output, String> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let out = self.dir.join(format!("{n}.out"));
        let err = self.dir.join(format!("{n}.err"));
        let req = serde_json::json!({"args": args, "stdout": out, "stderr": err});
        let mut conn = UnixStream::connect(&self.socket).map_err(|e| e.to_string())?;
        writeln!(conn, "{req}").map_err(|e| e.to_string())?;
        let mut code = String::new();
        BufReader::new(&conn)
            .read_line(&mut code)
            .map_err(|e| e.to_string())?;
        let code: i32 = code
            .trim()
            .parse()
            .map_err(|_| format!("the command ended without an exit code ({code:?})"))?;
        let read = |p: &PathBuf| {
            let data = std::fs::read(p).unwrap_or_default();
            let _ = std::fs::remove_file(p);
            data
        };
        Ok(Output {
            status: ExitStatus::from_raw((code & 0xff) << 8),
            stdout: read(&out),
            stderr: read(&err),
        })
    }
}
