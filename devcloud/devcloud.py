#!/usr/bin/env python3
"""devcloud: a real, small OpenStack from PyPI on 127.0.0.1.

Entry points (thin wrappers beside this file): ``up``, ``down``, ``status``.
Standard library only: this runs with the system python3, before the venv
exists.  Everything lives in the state directory ``$DEVCLOUD_HOME``
(default ``${XDG_DATA_HOME:-$HOME/.local/share}/osc-devcloud``).
"""

import concurrent.futures
import fcntl
import hashlib
import json
import os
import pwd
import grp
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _default_home():
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share")
    return os.path.join(data, "osc-devcloud")


HOME = Path(os.environ.get("DEVCLOUD_HOME") or _default_home()).absolute()
# The venv of the state directory's release; for a release other than
# "current" a symlink to venvs/<release> (see set_release()).
VENV = HOME / "venv"
BIN = VENV / "bin"
ETC = HOME / "etc"
LOG = HOME / "log"
RUN = HOME / "run"
DATA = HOME / "data"
STAMP = HOME / "stamps"

IP = "127.0.0.1"
PASSWORD = "secret"
REGION = "RegionOne"
AUTH_URL = "http://%s:5000/v3" % IP
KEYSTONE_URL = "http://%s:5000" % IP
DB_USER = "devcloud"
MYSQL_SOCK = RUN / "mysqld.sock"
RABBIT_PORT = 5672
EPMD_PORT = 4369
RABBIT_DIST_PORT = 25672
TRANSPORT_URL = "rabbit://%s:%s@%s:%d/" % (DB_USER, PASSWORD, IP, RABBIT_PORT)
USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name

# The built-in services in start order, their layer (docs/architecture.md:
# Identity, Image, Compute 1; Network, Volume, Object, Bare metal 2;
# Telemetry 3; Orchestration, DNS... 4), and what each needs.  Services of
# the hook files (hooks/*.py, $DEVCLOUD_HOOKS) are added by load_hooks().
SERVICES = ["keystone", "glance", "placement", "nova", "neutron", "cinder",
            "swift"]
LAYER = {"keystone": 1, "glance": 1, "placement": 1, "nova": 1,
         "neutron": 2, "cinder": 2, "swift": 2}
MAX_LAYER = 7
# What plain `devcloud/up` starts (no --layers, DEVCLOUD_LAYERS or
# DEVCLOUD_SERVICES): the built-ins; hooks with DEFAULT = True join them.
DEFAULT_SERVICES = list(SERVICES)
HOOKS = {}  # service -> hook module
DEPENDS = {
    "keystone": [],
    "glance": ["keystone"],
    "placement": ["keystone"],
    "nova": ["keystone", "glance", "placement", "neutron"],
    "neutron": ["keystone"],
    "cinder": ["keystone"],
    "swift": ["keystone"],
}
DATABASES = {
    "keystone": ["keystone"],
    "glance": ["glance"],
    "placement": ["placement"],
    "nova": ["nova_api", "nova_cell0", "nova_cell1"],
    "neutron": ["neutron"],
    "cinder": ["cinder"],
    "swift": [],
}
NEEDS_RABBIT = {"nova", "neutron", "cinder"}

# Neutron's service plugins beyond those it always loads (auto_allocate,
# tag, timestamp, network_ip_availability, flavors, revisions), and ML2
# extension drivers: what python-openstackclient's network commands use.
# QoS, trunk and log work through the drivers in osc_devcloud/ml2.py.
NEUTRON_SERVICE_PLUGINS = [
    "router", "qos", "trunk", "segments", "network_segment_range",
    "port_forwarding", "local_ip", "ndp_proxy", "metering",
    "conntrack_helper", "log", "pvlan"]
NEUTRON_ML2_EXTENSIONS = [
    "port_security", "qos",
    # dns + dns-domain-ports + subnet-dns-publish-fixed-ip + keywords
    "dns_domain_keywords",
    "data_plane_status", "uplink_status_propagation",
    "uplink_status_propagation_updatable", "port_hints",
    "port_hint_ovs_tx_steering", "port_trusted",
    "port_hardware_offload_type"]

PORTS = {
    "keystone": 5000, "glance": 9292, "placement": 8778, "nova-api": 8774,
    "neutron": 9696, "cinder-api": 8776, "swift-proxy": 8080,
    "swift-account": 6202, "swift-container": 6201, "swift-object": 6200,
    "rabbitmq": RABBIT_PORT, "epmd": EPMD_PORT,
}

SYSTEM_BINARIES = {
    "mariadbd": ["/usr/sbin/mariadbd", "/usr/bin/mariadbd"],
    "mariadb-install-db": ["/usr/bin/mariadb-install-db"],
    "mariadb": ["/usr/bin/mariadb"],
    "rabbitmq-server": ["/usr/lib/rabbitmq/bin/rabbitmq-server"],
    "epmd": ["/usr/bin/epmd", "/usr/lib/erlang/bin/epmd"],
}


class DevcloudError(Exception):
    pass


# --------------------------------------------------------------------------
# releases: "current" is requirements.txt + constraints.txt beside this file
# (what plain `up` and CI run); an earlier release R has its own pins in
# releases/R/.  What a release's services need differently, one row each
# (only the keys that differ from "current"):
#   neutron_drop_plugins / neutron_drop_ml2_extensions: not in that Neutron
#   nova_api_env, neutron_env: extra environment of nova-api, neutron
#   swift_dir_first: the Swift servers get swift.conf's directory first
RELEASES = {
    "current": {"series": "2026.2", "dir": "."},
    "2025.2": {
        "series": "2025.2",
        "dir": "releases/2025.2",
        "neutron_drop_plugins": ["pvlan"],
        "neutron_drop_ml2_extensions": [],
        # nova 32's API monkey-patches eventlet unless told not to (native
        # threading is opt-in there, the default from nova 33 on); gunicorn's
        # gthread worker needs the threading backend.
        "nova_api_env": {"OS_NOVA_DISABLE_EVENTLET_PATCHING": "true"},
        # swift 2.36 reads /etc/swift/swift.conf before the config's
        # swift_dir: osc_devcloud.swift_server sets the directory first
        "swift_dir_first": True,
        # neutron 27 does its once-per-server work only in uWSGI's first
        # worker (no default segment ranges, so no tenant networks, else)
        "neutron_env": {"DEVCLOUD_NEUTRON_FIRST_WORKER": "1"},
    },
    "2026.1": {
        "series": "2026.1",
        "dir": "releases/2026.1",
        "neutron_drop_plugins": ["pvlan"],
        "neutron_env": {"DEVCLOUD_NEUTRON_FIRST_WORKER": "1"},
    },
}
# Oldest first: the order `upgrade` goes through.
RELEASE_ORDER = ["2025.2", "2026.1", "current"]
RELEASE = "current"


def release_file():
    return HOME / "devcloud-release"


def recorded_release():
    """The release the state directory was set up with (None when new; a
    state directory from before releases existed is "current")."""
    try:
        return release_file().read_text().strip() or None
    except OSError:
        venv = HOME / "venv"
        return "current" if venv.is_dir() and not venv.is_symlink() else None


def rel(key, default=None):
    """The current release's value of ``key`` in RELEASES."""
    return RELEASES[RELEASE].get(key, default)


def release_dir(name=None):
    return (HERE / RELEASES[name or RELEASE]["dir"]).resolve()


def requirements_file():
    return release_dir() / "requirements.txt"


def constraints_file():
    return release_dir() / "constraints.txt"


def venv_dir(name=None):
    """Where the release's venv really is: venv/ for "current" (as before
    releases existed), venvs/<release>/ for the others, and for "current"
    too in a state directory that has run another release (an upgrade)."""
    name = name or RELEASE
    if name == "current" and not (HOME / "venvs").is_dir():
        return HOME / "venv"
    return HOME / "venvs" / name


def venv_stamp(name):
    """Stamp names of the venv: as before for venv/, per release else."""
    return name if venv_dir() == HOME / "venv" else "%s-%s" % (name, RELEASE)


def set_release(name):
    global RELEASE
    if name not in RELEASES:
        raise DevcloudError("unknown release %r (known: %s)" % (
            name, ", ".join(RELEASE_ORDER)))
    RELEASE = name


def choose_release(asked):
    """The release of this run: --release, else $DEVCLOUD_RELEASE, else
    the state directory's, else "current".  A state directory runs one
    release: switching is `devcloud/upgrade`'s job."""
    recorded = recorded_release()
    want = asked or os.environ.get("DEVCLOUD_RELEASE") or recorded or "current"
    set_release(want)
    if recorded and recorded != want and (HOME / "venv").exists():
        raise DevcloudError(
            "state directory %s has release %s, not %s: use `devcloud/upgrade "
            "--from %s --to %s`, another DEVCLOUD_HOME, or `devcloud/down "
            "--purge` first" % (HOME, recorded, want, recorded, want))
    return want


def say(msg):
    print("devcloud: %s" % msg, flush=True)


def elapsed(t0):
    return "%.1fs" % (time.monotonic() - t0)


# --------------------------------------------------------------------------
# hooks: one Python file per service, in devcloud/hooks/ (the in-tree higher
# layers) and in each directory of $DEVCLOUD_HOOKS (colon-separated; default
# $DEVCLOUD_HOME/hooks), later directories overriding earlier ones.  The
# format is described in README.md ("Hooks"); hook functions get this module
# as their one argument.


def hook_dirs():
    extra = os.environ.get("DEVCLOUD_HOOKS")
    if extra is None:
        extra = str(HOME / "hooks")
    return [HERE / "hooks"] + [Path(d) for d in extra.split(":") if d]


def load_hooks():
    import importlib.util
    found = {}
    for d in hook_dirs():
        if d.is_dir():
            for f in sorted(d.glob("*.py")):
                if not f.name.startswith("_"):
                    found[f.stem] = f
    for name, f in sorted(found.items()):
        if name in LAYER:
            raise DevcloudError("hook %s: %s is a built-in service" % (f, name))
        spec = importlib.util.spec_from_file_location(
            "devcloud_hook_" + name.replace("-", "_"), f)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception as e:
            raise DevcloudError("hook %s does not load: %s: %s"
                                % (f, type(e).__name__, e))
        layer = getattr(mod, "LAYER", None)
        if not isinstance(layer, int) or not 1 <= layer <= MAX_LAYER:
            raise DevcloudError("hook %s: LAYER must be a number 1..%d"
                                % (f, MAX_LAYER))
        if not callable(getattr(mod, "units", None)):
            raise DevcloudError("hook %s: no units() function" % f)
        mod.NAME, mod.PATH = name, f
        HOOKS[name] = mod
        LAYER[name] = layer
        DEPENDS[name] = list(getattr(mod, "DEPENDS", ["keystone"]))
        DATABASES[name] = list(getattr(mod, "DATABASES", []))
        if getattr(mod, "RABBIT", False):
            NEEDS_RABBIT.add(name)
        PORTS.update(getattr(mod, "PORTS", {}))
        RPC_UNITS.update(getattr(mod, "RPC_UNITS", ()))
        if getattr(mod, "DEFAULT", False):
            DEFAULT_SERVICES.append(name)
    builtin = list(SERVICES)
    SERVICES[:] = sorted(SERVICES + sorted(HOOKS), key=lambda s: (
        LAYER[s], s in HOOKS, builtin.index(s) if s in builtin else
        getattr(HOOKS[s], "ORDER", 50), s))
    order = []  # within that order, every hook after the hooks it needs

    def visit(s, path=()):
        if s in path:
            raise DevcloudError("services depend on each other in a circle: "
                                "%s" % " -> ".join(path + (s,)))
        if s not in order:
            for d in DEPENDS.get(s, []):
                if d in HOOKS:
                    visit(d, path + (s,))
            order.append(s)
    for s in list(SERVICES):
        visit(s)
    SERVICES[:] = order
    DEFAULT_SERVICES[:] = [s for s in SERVICES if s in DEFAULT_SERVICES]


def hook_call(service, fn, *args):
    """Call a hook's function (if it has it) with this module; errors become
    one line naming the hook."""
    f = getattr(HOOKS[service], fn, None)
    if f is None:
        return None
    try:
        return f(sys.modules[__name__], *args)
    except DevcloudError:
        raise
    except Exception as e:
        raise DevcloudError("%s hook %s(): %s: %s" % (
            HOOKS[service].PATH, fn, type(e).__name__, e))


SELECTED = []     # the services of this `up`, for hooks that look at them
LOWER_CONFIG = {}  # service -> {section: {key: value}} asked for by hooks


def lower_config(service, sections):
    """Merge what selected higher-layer hooks ask of ``service``'s config
    (their lower_config()) into ``sections``; unchanged when none asks."""
    for section, values in LOWER_CONFIG.get(service, {}).items():
        sections[section] = dict(sections.get(section, {}), **values)
    return sections


# --------------------------------------------------------------------------
# helpers


def sysbin(name):
    for cand in SYSTEM_BINARIES[name]:
        if os.access(cand, os.X_OK):
            return cand
    found = shutil.which(name)
    return found


def missing_system_binaries():
    return [n for n in SYSTEM_BINARIES if not sysbin(n)]


def ensure_system_deps():
    missing = missing_system_binaries()
    if not missing:
        return
    if os.geteuid() != 0:
        raise DevcloudError(
            "missing system packages (%s): run `sudo %s` first"
            % (", ".join(missing), HERE / "install-system-deps"))
    say("missing %s: running install-system-deps" % ", ".join(missing))
    subprocess.run([str(HERE / "install-system-deps")], check=True)
    missing = missing_system_binaries()
    if missing:
        raise DevcloudError("still missing after install-system-deps: %s"
                            % ", ".join(missing))


def write(path, text, mode=0o644):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text() == text:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def ini(sections):
    """Render {section: {key: value}} as an ini file."""
    out = []
    for section, values in sections.items():
        out.append("[%s]" % section)
        for key, value in values.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            out.append("%s = %s" % (key, value))
        out.append("")
    return "\n".join(out)


def tail(path, n=40):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except OSError:
        return "(no log at %s)" % path


def run(cmd, log=None, env=None, check=True, quiet=True):
    """Run a setup command, appending its output to ``log``."""
    cmd = [str(c) for c in cmd]
    full_env = dict(os.environ)
    full_env.update(env or {})
    if log:
        LOG.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as f:
            f.write(("\n=== %s $ %s\n" % (time.strftime("%F %T"),
                                          " ".join(cmd))).encode())
            f.flush()
            proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=full_env)
    else:
        proc = subprocess.run(cmd, env=full_env, stdin=subprocess.DEVNULL,
                              capture_output=quiet)
    if check and proc.returncode != 0:
        msg = "command failed (exit %d): %s" % (proc.returncode, " ".join(cmd))
        if log:
            msg += "\n--- tail of %s ---\n%s" % (log, tail(log))
        elif quiet:
            msg += "\n%s%s" % (proc.stdout.decode(errors="replace"),
                               proc.stderr.decode(errors="replace"))
        raise DevcloudError(msg)
    return proc


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, Path):
            if p.is_dir():
                for f in sorted(p.rglob("*")):
                    if f.is_file() and "__pycache__" not in f.parts:
                        h.update(str(f.relative_to(p)).encode())
                        h.update(f.read_bytes())
            else:
                h.update(p.read_bytes())
        else:
            h.update(str(p).encode())
    return h.hexdigest()


def stamp_ok(name, value):
    f = STAMP / name
    return f.exists() and f.read_text().strip() == value


def stamp_set(name, value):
    STAMP.mkdir(parents=True, exist_ok=True)
    (STAMP / name).write_text(value + "\n")


# --------------------------------------------------------------------------
# process bookkeeping: pid files hold "<pid> <starttime>"; a process is ours
# only while /proc/<pid> has the same start time.


def _stat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    # fields after the command: state(3) ppid(4) pgrp(5) ... starttime(22)
    return {"state": rest[0], "ppid": int(rest[1]), "pgrp": int(rest[2]),
            "start": int(rest[19])}


def _all_pids():
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def pidfile(unit):
    return RUN / ("%s.pid" % unit)


def read_pid(unit):
    try:
        pid, start = pidfile(unit).read_text().split()
        return int(pid), int(start)
    except (OSError, ValueError):
        return None


def running_pid(unit):
    rec = read_pid(unit)
    if not rec:
        return None
    pid, start = rec
    st = _stat(pid)
    if st and st["start"] == start and st["state"] != "Z":
        return pid
    return None


def unit_members(unit):
    """Processes belonging to a unit we started: the leader, its process
    group and its descendants, all started no earlier than the leader."""
    rec = read_pid(unit)
    if not rec:
        return []
    leader, start = rec
    stats = {}
    for pid in _all_pids():
        st = _stat(pid)
        if st and st["start"] >= start:
            stats[pid] = st
    members = set()
    if leader in stats and stats[leader]["start"] == start:
        members.add(leader)
    for pid, st in stats.items():
        if st["pgrp"] == leader:
            members.add(pid)
    changed = True
    while changed:
        changed = False
        for pid, st in stats.items():
            if pid not in members and st["ppid"] in members:
                members.add(pid)
                changed = True
    return sorted(p for p in members if stats[p]["state"] != "Z")


def rss_kib(pid, field="Rss"):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def spawn(unit, cmd, env=None, cwd=None):
    LOG.mkdir(parents=True, exist_ok=True)
    RUN.mkdir(parents=True, exist_ok=True)
    logpath = LOG / ("%s.log" % unit)
    full_env = dict(os.environ)
    full_env.pop("OS_CLOUD", None)
    full_env["PATH"] = "%s:%s:%s" % (SHIM_BIN, BIN, full_env.get("PATH", "/usr/bin:/bin"))
    full_env["HOME"] = str(HOME)
    full_env["PYTHONUNBUFFERED"] = "1"
    full_env["DEVCLOUD_LOG_FILE"] = str(logpath)
    full_env.update(env or {})
    with open(logpath, "ab") as logf:
        logf.write(("\n=== devcloud: starting %s at %s\n=== %s\n" % (
            unit, time.strftime("%F %T"), " ".join(map(str, cmd)))).encode())
        logf.flush()
        proc = subprocess.Popen([str(c) for c in cmd], stdin=subprocess.DEVNULL,
                                stdout=logf, stderr=subprocess.STDOUT,
                                env=full_env, cwd=str(cwd or HOME),
                                start_new_session=True, close_fds=True)
    st = _stat(proc.pid)
    pidfile(unit).write_text("%d %d\n" % (proc.pid, st["start"] if st else 0))
    return proc


def stop_units(units, timeout=20):
    """SIGTERM every process of ``units`` at once, SIGKILL what is left
    after ``timeout`` seconds, remove the pid files.  Returns the units
    that had processes."""
    had = [u for u in units if unit_members(u)]

    def signal_all(sig):
        for unit in units:
            for pid in unit_members(unit):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass

    if had:
        signal_all(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(unit_members(u) for u in units):
                break
            time.sleep(0.2)
        if any(unit_members(u) for u in units):
            signal_all(signal.SIGKILL)
            deadline = time.monotonic() + 10
            while any(unit_members(u) for u in units) and \
                    time.monotonic() < deadline:
                time.sleep(0.1)
    for unit in units:
        try:
            pidfile(unit).unlink()
        except FileNotFoundError:
            pass
    return had


# --------------------------------------------------------------------------
# readiness checks


def check_http(url):
    def probe():
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status < 500
        except urllib.error.HTTPError as e:
            return e.code < 500
        except (urllib.error.URLError, OSError):
            return False
    return probe


def check_tcp(port):
    def probe():
        try:
            with socket.create_connection((IP, port), timeout=2):
                return True
        except OSError:
            return False
    return probe


def check_amqp():
    def probe():
        try:
            with socket.create_connection((IP, RABBIT_PORT), timeout=3) as s:
                s.sendall(b"AMQP\x00\x00\x09\x01")
                s.settimeout(5)
                data = s.recv(8)
                return data[:1] == b"\x01"
        except OSError:
            return False
    return probe


def check_mysql():
    def probe():
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(3)
            s.connect(str(MYSQL_SOCK))
            data = s.recv(64)
            s.close()
            return len(data) > 4 and data[4] == 10  # protocol version 10
        except OSError:
            return False
    return probe


def sql(query, db=None):
    cmd = [sysbin("mariadb"), "--no-defaults", "--socket=%s" % MYSQL_SOCK,
           "-uroot", "-N", "-B", "-e", query]
    if db:
        cmd.append(db)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise DevcloudError("SQL failed: %s\n%s" % (query, p.stderr))
    return p.stdout


def check_service_row(table, binary, since):
    """An RPC service answers once it has (re)written its services row."""
    ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(since - 5))

    def probe():
        try:
            out = sql("SELECT COUNT(*) FROM %s WHERE `binary`='%s' AND "
                      "deleted=0 AND COALESCE(updated_at, created_at) >= '%s'"
                      % (table, binary, ts))
            return int(out.strip() or 0) > 0
        except DevcloudError:
            return False
    return probe


def check_compute_node(since):
    ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(since - 5))

    def probe():
        try:
            out = sql("SELECT COUNT(*) FROM nova_cell1.compute_nodes WHERE "
                      "deleted=0 AND COALESCE(updated_at, created_at) >= '%s'"
                      % ts)
            return int(out.strip() or 0) > 0
        except DevcloudError:
            return False
    return probe


def port_free_or_die(unit):
    port = PORTS.get(unit)
    if port and check_tcp(port)():
        raise DevcloudError(
            "cannot start %s: port %s:%d is in use by a process devcloud did "
            "not start (another devcloud with a different DEVCLOUD_HOME?)"
            % (unit, IP, port))


def wait_units(units, timeout):
    """Wait until every (name, probe) answers; fail fast if one dies."""
    pending = dict(units)
    t0 = time.monotonic()
    deadline = t0 + timeout
    ready = []
    while pending:
        for name in list(pending):
            if running_pid(name) is None:
                raise DevcloudError(
                    "%s exited during startup\n--- tail of %s ---\n%s"
                    % (name, LOG / (name + ".log"), tail(LOG / (name + ".log"))))
            if pending[name]():
                del pending[name]
                ready.append("%s %s" % (name, elapsed(t0)))
        if not pending:
            break
        if time.monotonic() > deadline:
            name = sorted(pending)[0]
            raise DevcloudError(
                "%s did not answer within %ds\n--- tail of %s ---\n%s"
                % (", ".join(sorted(pending)), timeout,
                   LOG / (name + ".log"), tail(LOG / (name + ".log"))))
        time.sleep(0.5)
    return ready


# --------------------------------------------------------------------------
# configuration


def db_url(name):
    return ("mysql+pymysql://%s:%s@localhost/%s?unix_socket=%s&charset=utf8mb4"
            % (DB_USER, PASSWORD, name, MYSQL_SOCK))


def authtoken(user):
    return {
        "www_authenticate_uri": KEYSTONE_URL,
        "auth_url": KEYSTONE_URL,
        "auth_type": "password",
        "username": user,
        "password": PASSWORD,
        "project_name": "service",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "region_name": REGION,
        "service_token_roles_required": True,
    }


def service_auth(user, **extra):
    d = {
        "auth_url": KEYSTONE_URL,
        "auth_type": "password",
        "username": user,
        "password": PASSWORD,
        "project_name": "service",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "region_name": REGION,
    }
    d.update(extra)
    return d


def site_packages():
    return VENV / "lib" / ("python%d.%d" % sys.version_info[:2]) / \
        "site-packages"


def paste_ini_with_conf(path, project, conf):
    """A service's paste ini (``path`` inside site-packages) whose
    keystonemiddleware reads ``conf`` rather than /etc/PROJECT/."""
    key = "oslo_config_project = %s" % project
    return (site_packages() / path).read_text().replace(
        key, "%s\noslo_config_file = %s" % (key, conf))


def copy_paste_ini(service, name):
    src = VENV / "etc" / service / name
    dst = ETC / service / name
    write(dst, src.read_text())


def configure(services):
    for d in (ETC, LOG, RUN, DATA):
        d.mkdir(parents=True, exist_ok=True)
    LOWER_CONFIG.clear()
    for s in services:
        if s in HOOKS:
            for lower, sections in (hook_call(s, "lower_config") or {}).items():
                if lower in services:
                    for section, values in sections.items():
                        LOWER_CONFIG.setdefault(lower, {}).setdefault(
                            section, {}).update(values)
    for s in services:
        (DATA / s / "lock").mkdir(parents=True, exist_ok=True)
    if "nova" in services:
        (DATA / "nova" / "instances").mkdir(parents=True, exist_ok=True)
    if "glance" in services:
        for d in ("images", "staging", "tasks", "cache"):
            (DATA / "glance" / d).mkdir(parents=True, exist_ok=True)
    common = {"debug": False, "use_stderr": False}
    locks = lambda s: {"lock_path": str(DATA / s / "lock")}  # noqa: E731

    if "keystone" in services:
        write(ETC / "keystone" / "keystone.conf", ini(lower_config("keystone", {
            "DEFAULT": dict(common),
            "database": {"connection": db_url("keystone")},
            # dev cloud: cheap password hashes make every token issue faster
            "identity": {"password_hash_rounds": 4,
                         "max_password_length": 72},
            "token": {"provider": "fernet"},
            "fernet_tokens": {"key_repository": ETC / "keystone" / "fernet-keys"},
            "fernet_receipts": {"key_repository": ETC / "keystone" / "fernet-keys"},
            "credential": {"key_repository": ETC / "keystone" / "credential-keys"},
            "oslo_concurrency": locks("keystone"),
        })))

    if "glance" in services:
        copy_paste_ini("glance", "glance-api-paste.ini")
        write(ETC / "glance" / "glance-api.conf", ini(lower_config("glance", {
            "DEFAULT": dict(common, **{
                "enabled_backends": "file:file",
                "workers": 1,
                "worker_self_reference_url": "http://%s:9292" % IP,
                "image_cache_dir": DATA / "glance" / "cache",
            }),
            "database": {"connection": db_url("glance")},
            "glance_store": {"default_backend": "file"},
            "file": {"filesystem_store_datadir": DATA / "glance" / "images"},
            "os_glance_staging_store": {
                "filesystem_store_datadir": DATA / "glance" / "staging"},
            "os_glance_tasks_store": {
                "filesystem_store_datadir": DATA / "glance" / "tasks"},
            "keystone_authtoken": authtoken("glance"),
            "paste_deploy": {"flavor": "keystone"},
            "oslo_messaging_notifications": {"driver": "noop"},
            "oslo_concurrency": locks("glance"),
        })))

    if "placement" in services:
        write(ETC / "placement" / "placement.conf", ini(lower_config("placement", {
            "DEFAULT": dict(common),
            "placement_database": {"connection": db_url("placement")},
            "api": {"auth_strategy": "keystone"},
            "keystone_authtoken": authtoken("placement"),
            "oslo_concurrency": locks("placement"),
        })))

    if "nova" in services:
        copy_paste_ini("nova", "api-paste.ini")
        base = {
            "DEFAULT": dict(common, **{
                "host": "devcloud",
                "my_ip": IP,
                "state_path": DATA / "nova",
                "instances_path": DATA / "nova" / "instances",
                "transport_url": TRANSPORT_URL,
                "compute_driver": "fake.FakeDriverWithoutFakeNodes",
                "osapi_compute_workers": 1,
                "metadata_workers": 1,
                "allow_resize_to_same_host": True,
                "graceful_shutdown_timeout": 5,
            }),
            "api": {"auth_strategy": "keystone"},
            "wsgi": {"api_paste_config": ETC / "nova" / "api-paste.ini"},
            "conductor": {"workers": 1},
            "scheduler": {"workers": 1, "discover_hosts_in_cells_interval": 2},
            "keystone_authtoken": authtoken("nova"),
            "service_user": service_auth("nova", send_service_user_token=True),
            "placement": service_auth("placement"),
            "neutron": service_auth("neutron"),
            "cinder": {"os_region_name": REGION, "auth_type": "password",
                       "auth_url": KEYSTONE_URL, "username": "cinder",
                       "password": PASSWORD, "project_name": "service",
                       "user_domain_name": "Default",
                       "project_domain_name": "Default"},
            "glance": {"region_name": REGION},
            "vnc": {"enabled": False},
            "spice": {"enabled": False},
            "oslo_messaging_notifications": {"driver": "noop"},
            "notifications": {"notification_format": "unversioned"},
            "oslo_concurrency": locks("nova"),
            "compute": {"cpu_allocation_ratio": 16.0},
        }
        api = dict(base)
        api["api_database"] = {"connection": db_url("nova_api")}
        api["database"] = {"connection": db_url("nova_cell1")}
        write(ETC / "nova" / "nova.conf", ini(lower_config("nova", api)))
        cpu = dict(base)
        cpu["DEFAULT"] = dict(base["DEFAULT"], vif_plugging_is_fatal=False,
                              vif_plugging_timeout=0)
        write(ETC / "nova" / "nova-cpu.conf", ini(lower_config("nova", cpu)))

    if "neutron" in services:
        copy_paste_ini("neutron", "api-paste.ini")
        write(ETC / "neutron" / "neutron.conf", ini(lower_config("neutron", {
            "DEFAULT": dict(common, **{
                "core_plugin": "ml2",
                "service_plugins": ",".join(
                    p for p in NEUTRON_SERVICE_PLUGINS
                    if p not in rel("neutron_drop_plugins", [])),
                "dns_domain": "openstackgate.local.",
                "transport_url": TRANSPORT_URL,
                "api_workers": 1,
                "rpc_workers": 0,
                "rpc_state_report_workers": 0,
                "state_path": DATA / "neutron",
                "auth_strategy": "keystone",
                "dhcp_agent_notification": False,
                "notify_nova_on_port_status_changes": True,
                "notify_nova_on_port_data_changes": True,
                "api_paste_config": ETC / "neutron" / "api-paste.ini",
                "allow_overlapping_ips": True,
            }),
            "database": {"connection": db_url("neutron")},
            "keystone_authtoken": authtoken("neutron"),
            "nova": service_auth("nova"),
            # segments (routed networks) and QoS minimum-bandwidth rules
            # write to Placement
            "placement": service_auth("placement"),
            "oslo_messaging_notifications": {"driver": "noop"},
            "oslo_concurrency": locks("neutron"),
            "agent": {"root_helper": "true"},
        })))
        write(ETC / "neutron" / "ml2_conf.ini", ini({
            "ml2": {
                "type_drivers": "flat,vlan,vxlan",
                "tenant_network_types": "vxlan",
                "mechanism_drivers": "devcloud",
                "extension_drivers": ",".join(
                    e for e in NEUTRON_ML2_EXTENSIONS
                    if e not in rel("neutron_drop_ml2_extensions", [])),
            },
            "ml2_type_flat": {"flat_networks": "public"},
            "ml2_type_vlan": {"network_vlan_ranges": "public"},
            "ml2_type_vxlan": {"vni_ranges": "1:1000"},
            "securitygroup": {"firewall_driver": "noop"},
        }))

    if "cinder" in services:
        copy_paste_ini("cinder", "api-paste.ini")
        copy_paste_ini("cinder", "resource_filters.json")
        write(ETC / "cinder" / "cinder.conf", ini(lower_config("cinder", {
            "DEFAULT": dict(common, **{
                "host": "devcloud",
                "my_ip": IP,
                "state_path": DATA / "cinder",
                "transport_url": TRANSPORT_URL,
                "auth_strategy": "keystone",
                "api_paste_config": ETC / "cinder" / "api-paste.ini",
                "osapi_volume_workers": 1,
                "enabled_backends": "lvmdriver-1",
                "default_volume_type": "lvmdriver-1",
                "volumes_dir": DATA / "cinder" / "volumes",
                "backup_driver": "cinder.backup.drivers.posix.PosixBackupDriver",
                "backup_posix_path": DATA / "cinder" / "backups",
                "rootwrap_config": "/dev/null",
                "graceful_shutdown_timeout": 5,
                "resource_query_filters_file":
                    ETC / "cinder" / "resource_filters.json",
            }),
            "lvmdriver-1": {
                "volume_driver":
                    "osc_devcloud.cinder_driver.DevcloudVolumeDriver",
                "volume_backend_name": "lvmdriver-1",
                "volume_group": "devcloud-volumes",
                "target_helper": "fake",
            },
            "database": {"connection": db_url("cinder")},
            "keystone_authtoken": authtoken("cinder"),
            "nova": service_auth("nova", interface="public"),
            "service_user": service_auth("cinder",
                                         send_service_user_token=True),
            "coordination": {"backend_url":
                             "file://%s" % (DATA / "cinder" / "coordination")},
            "oslo_messaging_notifications": {"driver": "noop"},
            "oslo_concurrency": locks("cinder"),
        })))
        for d in ("volumes", "backups", "coordination"):
            (DATA / "cinder" / d).mkdir(parents=True, exist_ok=True)

    if "swift" in services:
        configure_swift()

    for s in services:
        if s in HOOKS:
            hook_call(s, "configure")


def configure_swift():
    sdir = ETC / "swift"
    devices = DATA / "swift" / "node"
    (devices / "sdb1").mkdir(parents=True, exist_ok=True)
    write(sdir / "swift.conf", ini({
        "swift-hash": {"swift_hash_path_suffix": "osc-devcloud",
                       "swift_hash_path_prefix": "osc-devcloud"},
        "storage-policy:0": {"name": "Policy-0", "default": "yes"},
    }))
    base = {
        "swift_dir": sdir,
        "user": USER,
        "bind_ip": IP,
        "workers": 0,
        "log_custom_handlers": "osc_devcloud.swift_log.to_stderr",
        "log_level": "INFO",
    }
    for kind in ("account", "container", "object"):
        d = dict(base, bind_port=PORTS["swift-" + kind], devices=devices,
                 mount_check=False, disable_fallocate=True,
                 log_name="%s-server" % kind)
        sections = {
            "DEFAULT": d,
            "pipeline:main": {"pipeline": "healthcheck recon %s-server" % kind},
            "app:%s-server" % kind: {"use": "egg:swift#%s" % kind},
            "filter:healthcheck": {"use": "egg:swift#healthcheck"},
            "filter:recon": {"use": "egg:swift#recon",
                             "recon_cache_path": DATA / "swift" / "recon"},
            "%s-replicator" % kind: {},
            "%s-updater" % kind: {},
            "%s-auditor" % kind: {},
        }
        if kind == "container":
            sections["container-sync"] = {}
        write(sdir / ("%s-server.conf" % kind), ini(sections))
    (DATA / "swift" / "recon").mkdir(parents=True, exist_ok=True)
    pipeline = ("catch_errors gatekeeper healthcheck proxy-logging "
                "listing_formats bulk tempurl authtoken keystoneauth copy "
                "container-quotas account-quotas slo dlo versioned_writes "
                "symlink proxy-logging proxy-server")
    filters = {}
    for f in ("catch_errors", "gatekeeper", "healthcheck", "proxy-logging",
              "listing_formats", "bulk", "tempurl", "copy", "container-quotas",
              "account-quotas", "slo", "dlo", "versioned_writes", "symlink"):
        filters["filter:%s" % f] = {"use": "egg:swift#%s" % f.replace("-", "_")}
    auth = authtoken("swift")
    auth.pop("service_token_roles_required")
    auth["paste.filter_factory"] = "keystonemiddleware.auth_token:filter_factory"
    auth["delay_auth_decision"] = True
    write(sdir / "proxy-server.conf", ini(dict({
        "DEFAULT": dict(base, bind_port=PORTS["swift-proxy"],
                        log_name="proxy-server"),
        "pipeline:main": {"pipeline": pipeline},
        "app:proxy-server": {"use": "egg:swift#proxy",
                             "account_autocreate": True,
                             "allow_account_management": True},
        "filter:authtoken": auth,
        "filter:keystoneauth": {"use": "egg:swift#keystoneauth",
                                "operator_roles": "admin, member",
                                "reseller_admin_role": "ResellerAdmin"},
    }, **filters)))


# --------------------------------------------------------------------------
# install


SUDO_SHIM = """#!/bin/sh
# Written by devcloud/up. The services already run with the devcloud's own rights;
# os-brick and privsep prefix commands with "sudo <service>-rootwrap CONF", which
# would need sudo and rootwrap filters: run the command itself instead.
case "$1" in
  *-rootwrap) shift 2 ;;
esac
exec "$@"
"""


SHIM_BIN = HOME / "shim-bin"


def ensure_sudo_shim():
    # In a directory of its own, on the services' PATH only: a user who puts the venv's
    # bin on PATH must not get a sudo that grants nothing.
    stale = BIN / "sudo"
    if stale.exists() and stale.read_text() == SUDO_SHIM:
        stale.unlink()
    SHIM_BIN.mkdir(parents=True, exist_ok=True)
    shim = SHIM_BIN / "sudo"
    if not shim.exists() or shim.read_text() != SUDO_SHIM:
        shim.write_text(SUDO_SHIM)
        os.chmod(shim, 0o755)


def link_venv():
    """Point venv/ at the release's venv: for "current" venv/ is the venv
    itself; for another release a symlink to venvs/<release>."""
    real = venv_dir()
    if real == VENV:
        if VENV.is_symlink():
            VENV.unlink()
        return
    if VENV.is_symlink():
        if Path(os.readlink(VENV)) == real.relative_to(HOME):
            return
        VENV.unlink()
    elif VENV.exists() or VENV.is_symlink():
        raise DevcloudError("%s is the venv of another release; "
                            "`devcloud/down --purge` first" % VENV)
    VENV.symlink_to(real.relative_to(HOME))


def ensure_venv(hooks=()):
    t0 = time.monotonic()
    req = requirements_file()
    con = constraints_file()
    pkg = HERE / "osc_devcloud"
    want = sha(req, con, sys.version)
    real = venv_dir()
    py = real / "bin" / "python"
    log = LOG / "pip.log"
    if not py.exists():
        say("creating venv %s" % real)
        real.parent.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "venv", real], log=log)
    link_venv()
    if RELEASE != "current" and any(getattr(HOOKS[h], "PIP", None)
                                    for h in hooks):
        raise DevcloudError(
            "release %s pins only the built-in services (Layers 1-2 without "
            "Ironic); the hooks %s pin the current release's packages" % (
                RELEASE, ", ".join(h for h in hooks
                                   if getattr(HOOKS[h], "PIP", None))))
    if not stamp_ok(venv_stamp("venv"), want):
        say("installing OpenStack from PyPI into %s (log: %s)" % (VENV, log))
        run([py, "-m", "pip", "install", "-r", req, "-c", con], log=log)
        stamp_set(venv_stamp("venv"), want)
        STAMP.joinpath(venv_stamp("osc_devcloud")).unlink(missing_ok=True)
        say("installed in %s" % elapsed(t0))
    want_pkg = sha(pkg / "pyproject.toml", pkg / "osc_devcloud")
    if not stamp_ok(venv_stamp("osc_devcloud"), want_pkg):
        # build from a copy: keeps build/ and *.egg-info out of the checkout
        build = HOME / "build" / "osc_devcloud"
        shutil.rmtree(build, ignore_errors=True)
        shutil.copytree(pkg, build, ignore=shutil.ignore_patterns(
            "build", "*.egg-info", "__pycache__"))
        run([py, "-m", "pip", "install", "--no-deps",
             "--force-reinstall", build], log=log)
        shutil.rmtree(build, ignore_errors=True)
        stamp_set(venv_stamp("osc_devcloud"), want_pkg)
    ensure_sudo_shim()
    # The hooks' own packages (PIP), only for the hooks selected, under the
    # same constraints; one pip run for all of them.
    # The stamp lists every pin installed so far under these constraints.
    pins = sorted({p for h in hooks for p in getattr(HOOKS[h], "PIP", [])})
    base = sha(con, req, sys.version)
    try:
        done = (STAMP / venv_stamp("venv-hooks")).read_text().split()
    except OSError:
        done = []
    done = done[1:] if done and done[0] == base else []
    todo = [p for p in pins if p not in done]
    if todo:
        t1 = time.monotonic()
        say("installing %s into the venv (log: %s)" % (" ".join(todo), log))
        run([py, "-m", "pip", "install", "-c", con] + todo, log=log)
        stamp_set(venv_stamp("venv-hooks"),
                  " ".join([base] + sorted(set(done) | set(todo))))
        say("installed in %s" % elapsed(t1))
    ensure_hook_packages(hooks)


def ensure_hook_packages(hooks):
    """Debian packages of the selected hooks: APT = {"binary": "package"};
    installed (apt-get) as root when a binary is missing."""
    missing = {}
    for h in hooks:
        for binary, package in getattr(HOOKS[h], "APT", {}).items():
            if not (os.access(binary, os.X_OK) or shutil.which(binary)):
                missing[binary] = package
    if not missing:
        return
    pkgs = sorted(set(missing.values()))
    if os.geteuid() != 0:
        raise DevcloudError("missing Debian packages %s (for %s): run `sudo "
                            "apt-get install %s` first" % (
                                ", ".join(pkgs), ", ".join(sorted(missing)),
                                " ".join(pkgs)))
    say("installing Debian packages %s (log: %s)" % (" ".join(pkgs),
                                                     LOG / "apt.log"))
    run([HERE / "install-system-deps"] + pkgs, log=LOG / "apt.log")
    still = [b for b in missing if not (os.access(b, os.X_OK) or shutil.which(b))]
    if still:
        raise DevcloudError("still missing after installing %s: %s"
                            % (" ".join(pkgs), ", ".join(still)))


# --------------------------------------------------------------------------
# infrastructure: MariaDB, epmd, RabbitMQ


def ensure_mariadb(dbs):
    datadir = HOME / "mysql"
    log = LOG / "mariadb.log"
    if not (datadir / "mysql").is_dir():
        say("initialising MariaDB in %s" % datadir)
        shutil.rmtree(datadir, ignore_errors=True)
        args = [sysbin("mariadb-install-db"), "--no-defaults",
                "--datadir=%s" % datadir, "--auth-root-authentication-method=normal",
                "--skip-test-db"]
        if os.geteuid() == 0:
            args.append("--user=%s" % USER)
        run(args, log=LOG / "mariadb-install.log")
    if not running_pid("mariadb"):
        cmd = [sysbin("mariadbd"), "--no-defaults",
               "--datadir=%s" % datadir, "--socket=%s" % MYSQL_SOCK,
               "--pid-file=%s" % (RUN / "mariadbd.pid"), "--skip-networking",
               "--log-error=%s" % log, "--skip-log-bin",
               "--character-set-server=utf8mb4",
               "--collation-server=utf8mb4_general_ci",
               "--max-connections=1000", "--innodb-buffer-pool-size=128M",
               "--innodb-flush-log-at-trx-commit=2", "--skip-name-resolve",
               "--tmpdir=%s" % RUN]
        if os.geteuid() == 0:
            cmd.append("--user=%s" % USER)
        say("starting mariadb")
        spawn("mariadb", cmd)
        say("  answering: %s"
            % ", ".join(wait_units([("mariadb", check_mysql())], 60)))
    wait_units([("mariadb", check_mysql())], 60)
    stmts = ["CREATE USER IF NOT EXISTS '%s'@'localhost' IDENTIFIED BY '%s'"
             % (DB_USER, PASSWORD),
             "GRANT ALL PRIVILEGES ON *.* TO '%s'@'localhost'" % DB_USER]
    for db in dbs:
        stmts.append("CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4"
                     % db)
    sql("; ".join(stmts))


def rabbit_env():
    base = HOME / "rabbitmq"
    return {
        "HOME": str(base),
        "RABBITMQ_NODENAME": "devcloud@localhost",
        "RABBITMQ_USE_LONGNAME": "false",
        "RABBITMQ_NODE_IP_ADDRESS": IP,
        "RABBITMQ_NODE_PORT": str(RABBIT_PORT),
        "RABBITMQ_DIST_PORT": str(RABBIT_DIST_PORT),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(LOG / "rabbitmq"),
        "RABBITMQ_LOGS": "-",
        "RABBITMQ_CONFIG_FILE": str(ETC / "rabbitmq" / "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(ETC / "rabbitmq" / "advanced.config"),
        "RABBITMQ_CONF_ENV_FILE": str(ETC / "rabbitmq" / "rabbitmq-env.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(ETC / "rabbitmq" / "enabled_plugins"),
        "RABBITMQ_PLUGINS_EXPAND_DIR": str(base / "plugins-expand"),
        "RABBITMQ_PID_FILE": str(RUN / "rabbitmq-beam.pid"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS":
            "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
        "ERL_EPMD_ADDRESS": IP,
        "ERL_EPMD_PORT": str(EPMD_PORT),
    }


def start_rabbitmq():
    env = rabbit_env()
    base = HOME / "rabbitmq"
    base.mkdir(parents=True, exist_ok=True)
    (LOG / "rabbitmq").mkdir(parents=True, exist_ok=True)
    write(ETC / "rabbitmq" / "rabbitmq.conf", "\n".join([
        "listeners.tcp.default = %s:%d" % (IP, RABBIT_PORT),
        "loopback_users = none",
        "default_user = %s" % DB_USER,
        "default_pass = %s" % PASSWORD,
        "log.console = true",
        "log.console.level = warning",
        "log.file = false",
        "disk_free_limit.absolute = 50MB",
        "",
    ]))
    write(ETC / "rabbitmq" / "advanced.config", "[].\n")
    write(ETC / "rabbitmq" / "rabbitmq-env.conf", "# devcloud: empty on purpose\n")
    write(ETC / "rabbitmq" / "enabled_plugins", "[].\n")
    cookie = base / ".erlang.cookie"
    if not cookie.exists():
        cookie.write_text(hashlib.sha256(os.urandom(32)).hexdigest()[:20])
        os.chmod(cookie, 0o400)
    if not running_pid("epmd"):
        port_free_or_die("epmd")
        say("starting epmd")
        spawn("epmd", [sysbin("epmd"), "-port", str(EPMD_PORT)], env=env)
    wait_units([("epmd", check_tcp(EPMD_PORT))], 30)
    if not running_pid("rabbitmq"):
        port_free_or_die("rabbitmq")
        say("starting rabbitmq (in the background)")
        spawn("rabbitmq", [sysbin("rabbitmq-server")], env=env, cwd=base)
        return True
    return False


def wait_rabbitmq(started):
    ready = wait_units([("rabbitmq", check_amqp())], 120)
    if started:
        say("  answering: %s" % ", ".join(ready))


# --------------------------------------------------------------------------
# OpenStack services


def gunicorn(unit, port, module, env, args="", threads=4):
    cmd = [BIN / "gunicorn", "--bind", "%s:%d" % (IP, port), "--workers", "1",
           "--worker-class", "gthread", "--threads", str(threads),
           "--timeout", "300", "--graceful-timeout", "5",
           # Apache's limit, as devstack serves the APIs: Nova asks Neutron for the ports of
           # 150 servers at a time in one ~7 KB URL, over gunicorn's default of 4094.
           "--limit-request-line", "8190",
           "--no-control-socket", "--name", unit,
           "osc_devcloud.wsgi:application"]
    e = {"DEVCLOUD_WSGI_MODULE": module, "DEVCLOUD_WSGI_PROG": unit,
         "DEVCLOUD_WSGI_ARGS": args}
    e.update(env)
    return (unit, cmd, e)


def http_probe(port, path="/"):
    """A probe factory for units_for(): answers once GET returns < 500."""
    return lambda since: check_http("http://%s:%d%s" % (IP, port, path))


def tcp_probe(port):
    """A probe factory: answers once 127.0.0.1:PORT accepts connections."""
    return lambda since: check_tcp(port)


def row_probe(table, binary):
    """A probe factory: an RPC service answers once it has (re)written its
    row in ``table`` (e.g. "ironic.conductors" needs a `binary` column)."""
    return lambda since: check_service_row(table, binary, since)


def sql_probe(query):
    """A probe factory: answers once ``query`` (a COUNT; "{since}" stands for
    the unit's start time minus 5 s, as UTC) returns more than 0."""
    def factory(since):
        ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(since - 5))

        def probe():
            try:
                return int(sql(query.format(since=ts)).strip() or 0) > 0
            except DevcloudError:
                return False
        return probe
    return factory


def alive_probe(unit, seconds=5):
    """A probe factory for daemons that show nothing when ready: answers
    once the unit has kept running ``seconds`` after its start."""
    def factory(since):
        return lambda: time.time() - since >= seconds and \
            running_pid(unit) is not None
    return factory


def log_probe(unit, text):
    """A probe factory: answers once ``text`` appears in the unit's log
    after its start (for daemons that write no row anywhere)."""
    def factory(since):
        path = LOG / ("%s.log" % unit)
        try:
            start = path.stat().st_size
        except OSError:
            start = 0

        def probe():
            try:
                with open(path, "rb") as f:
                    f.seek(start)
                    return text.encode() in f.read()
            except OSError:
                return False
        return probe
    return factory


def units_for(service):
    """[(unit, cmd, env, probe_factory)] for one service."""
    if service in HOOKS:
        return list(hook_call(service, "units"))
    k, g, p = ETC / "keystone", ETC / "glance", ETC / "placement"
    n, q, c, s = ETC / "nova", ETC / "neutron", ETC / "cinder", ETC / "swift"
    http = lambda port, path="/": (  # noqa: E731
        lambda since: check_http("http://%s:%d%s" % (IP, port, path)))
    if service == "keystone":
        return [gunicorn("keystone", 5000, "keystone.wsgi.api",
                         {"OS_KEYSTONE_CONFIG_DIR": str(k)}) + (http(5000),)]
    if service == "glance":
        return [gunicorn("glance", 9292, "glance.wsgi.api",
                         {"OS_GLANCE_CONFIG_DIR": str(g)}) + (http(9292),)]
    if service == "placement":
        return [gunicorn("placement", 8778, "placement.wsgi.api",
                         {"OS_PLACEMENT_CONFIG_DIR": str(p)}) + (http(8778),)]
    if service == "nova":
        conf = ["--config-file", n / "nova.conf"]
        return [
            gunicorn("nova-api", 8774, "nova.wsgi.osapi_compute",
                     dict({"OS_NOVA_CONFIG_DIR": str(n),
                           "OS_NOVA_CONFIG_FILES": "api-paste.ini;nova.conf"},
                          **rel("nova_api_env", {})))
            + (http(8774),),
            ("nova-conductor", [BIN / "nova-conductor"] + conf, {},
             lambda since: check_service_row("nova_cell1.services",
                                             "nova-conductor", since)),
            ("nova-scheduler", [BIN / "nova-scheduler"] + conf, {},
             lambda since: check_service_row("nova_cell1.services",
                                             "nova-scheduler", since)),
            # nova-compute whose fake hypervisor keeps its guests over a
            # restart (osc_devcloud/nova_driver.py)
            ("nova-compute", [BIN / "python", "-m", "osc_devcloud.nova_compute",
                              "--config-file", n / "nova-cpu.conf"], {},
             check_compute_node),
        ]
    if service == "neutron":
        return [gunicorn("neutron", 9696, "neutron.wsgi.api",
                         dict({"OS_NEUTRON_CONFIG_DIR": str(q),
                               "OS_NEUTRON_CONFIG_FILES":
                                   "neutron.conf;ml2_conf.ini"},
                              **rel("neutron_env", {})))
                + (http(9696),)]
    if service == "cinder":
        conf = ["--config-file", c / "cinder.conf"]
        row = lambda b: (lambda since: check_service_row(  # noqa: E731
            "cinder.services", b, since))
        return [
            gunicorn("cinder-api", 8776, "cinder.wsgi.api", {},
                     args="--config-file %s" % (c / "cinder.conf"))
            + (http(8776),),
            ("cinder-scheduler", [BIN / "cinder-scheduler"] + conf, {},
             row("cinder-scheduler")),
            ("cinder-volume", [BIN / "cinder-volume"] + conf, {},
             row("cinder-volume")),
            ("cinder-backup", [BIN / "cinder-backup"] + conf, {},
             row("cinder-backup")),
        ]
    if service == "swift":
        def server(kind):
            if rel("swift_dir_first"):
                return [BIN / "python", "-m", "osc_devcloud.swift_server", s,
                        "swift-%s-server" % kind]
            return [BIN / ("swift-%s-server" % kind)]
        out = []
        for kind in ("object", "container", "account"):
            out.append(("swift-" + kind,
                        server(kind) + [s / ("%s-server.conf" % kind)], {},
                        http(PORTS["swift-" + kind], "/healthcheck")))
        out.append(("swift-proxy", server("proxy") + [s / "proxy-server.conf"],
                    {}, http(8080, "/healthcheck")))
        return out
    raise KeyError(service)


def all_units(services):
    units = []
    if any(DATABASES[s] for s in services):
        units.append("mariadb")
    if NEEDS_RABBIT & set(services):
        units += ["epmd", "rabbitmq"]
    for s in services:
        units += [u[0] for u in units_for(s)]
    return units


def known_units():
    return all_units(SERVICES)


def unit_layers():
    """unit -> its service's layer ("infra" for MariaDB and RabbitMQ)."""
    out = {"mariadb": "infra", "epmd": "infra", "rabbitmq": "infra"}
    for s in SERVICES:
        for u in units_for(s):
            out[u[0]] = str(LAYER[s])
    return out


class Setup:
    """The one-off setup (schemas, keys, rings) of every service that needs
    it, three at a time in the background (they only share the database
    server), so that a service can start as soon as its own setup is done."""

    def __init__(self, services):
        self.todo = [s for s in services if not stamp_ok(
            "setup-" + s, setup_want(s))]
        self.pool = None
        self.futures = {}
        if self.todo:
            say("setting up %s in the background (schemas, keys, rings; "
                "logs: %s/<service>-setup.log)" % (", ".join(self.todo), LOG))
            self.t0 = time.monotonic()
            self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=3)
            for s in self.todo:
                self.futures[s] = self.pool.submit(setup_service, s)

    def wait(self, service):
        f = self.futures.get(service)
        if f is not None:
            f.result()  # raises the setup's error

    def close(self):
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)


SETUP_PACKAGE = {"keystone": "keystone", "glance": "glance",
                 "placement": "openstack-placement", "nova": "nova",
                 "neutron": "neutron", "cinder": "cinder", "swift": "swift"}


def setup_want(service):
    """The setup stamp: the service's own pinned version (what its schema
    migrations depend on), and a hook's file."""
    pins = [ln.strip() for ln in constraints_file().read_text().lower()
            .splitlines() if "==" in ln]
    if service in HOOKS:
        names = [p.split("==")[0].split("[")[0].lower()
                 for p in getattr(HOOKS[service], "PIP", [])]
        extra = [HOOKS[service].PATH]
    else:
        names, extra = [SETUP_PACKAGE[service]], []
    return sha(service, *[p for p in pins if p.split("==")[0] in names],
               *extra)


def setup_service(service):
    """One-off setup (database schema, keys, rings), recorded by stamps."""
    want = setup_want(service)
    if stamp_ok("setup-" + service, want):
        return
    t0 = time.monotonic()
    log = LOG / ("%s-setup.log" % service)
    if service in HOOKS:
        hook_call(service, "setup", log)
    elif service == "keystone":
        kc = ["--config-file", ETC / "keystone" / "keystone.conf"]
        km = BIN / "keystone-manage"
        run([km] + kc + ["db_sync"], log=log)
        run([km] + kc + ["fernet_setup", "--keystone-user", USER,
                         "--keystone-group", GROUP], log=log)
        run([km] + kc + ["credential_setup", "--keystone-user", USER,
                         "--keystone-group", GROUP], log=log)
        run([km] + kc + [
            "bootstrap", "--bootstrap-password", PASSWORD,
            "--bootstrap-username", "admin",
            "--bootstrap-project-name", "admin",
            "--bootstrap-role-name", "admin",
            "--bootstrap-service-name", "keystone",
            "--bootstrap-region-id", REGION,
            "--bootstrap-admin-url", KEYSTONE_URL,
            "--bootstrap-internal-url", KEYSTONE_URL,
            "--bootstrap-public-url", KEYSTONE_URL], log=log)
    elif service == "glance":
        run([BIN / "glance-manage", "--config-file",
             ETC / "glance" / "glance-api.conf", "db_sync"], log=log)
    elif service == "placement":
        run([BIN / "placement-manage", "--config-file",
             ETC / "placement" / "placement.conf", "db", "sync"], log=log)
    elif service == "nova":
        nm = [BIN / "nova-manage", "--config-file", ETC / "nova" / "nova.conf"]
        run(nm + ["api_db", "sync"], log=log)
        run(nm + ["cell_v2", "map_cell0", "--database_connection",
                  db_url("nova_cell0")], log=log)
        p = run(nm + ["cell_v2", "create_cell", "--name", "cell1",
                      "--verbose"], log=log, check=False)
        if p.returncode not in (0, 2):
            raise DevcloudError("nova-manage cell_v2 create_cell failed\n%s"
                                % tail(log))
        run(nm + ["db", "sync"], log=log)
    elif service == "neutron":
        run([BIN / "neutron-db-manage", "--config-file",
             ETC / "neutron" / "neutron.conf", "--config-file",
             ETC / "neutron" / "ml2_conf.ini", "upgrade", "head"], log=log)
    elif service == "cinder":
        run([BIN / "cinder-manage", "--config-file",
             ETC / "cinder" / "cinder.conf", "db", "sync"], log=log)
    elif service == "swift":
        sdir = ETC / "swift"
        for kind in ("account", "container", "object"):
            b = sdir / ("%s.builder" % kind)
            if b.exists():
                b.unlink()
            rb = BIN / "swift-ring-builder"
            run([rb, b, "create", "10", "1", "1"], log=log)
            run([rb, b, "add", "r1z1-%s:%d/sdb1" % (IP, PORTS["swift-" + kind]),
                 "1"], log=log)
            p = run([rb, b, "rebalance"], log=log, check=False)
            if p.returncode not in (0, 1):  # 1 = warning
                raise DevcloudError("swift-ring-builder rebalance failed\n%s"
                                    % tail(log))
    stamp_set("setup-" + service, want)
    say("  set up %s in %s" % (service, elapsed(t0)))


def start_service(service, deferred):
    """Start the service's units that are not running.  HTTP APIs are
    waited for at once; RPC workers (which answer by writing their
    services row, every few seconds) are appended to ``deferred`` and
    waited for before seeding."""
    units = units_for(service)
    now, later = [], []
    for unit, cmd, env, probe in units:
        if running_pid(unit):
            continue
        if unit_members(unit):  # leader gone, children left: clear them
            stop_units([unit])
        port_free_or_die(unit)
        (later if unit in RPC_UNITS else now).append((unit, probe(time.time())))
        spawn(unit, cmd, env=env)
    if now or later:
        say("starting %s" % ", ".join(u for u, _ in now + later))
    if now:
        ready = wait_units(now, 180)
        say("  answering: %s" % ", ".join(ready))
    deferred.extend(later)


RPC_UNITS = {"nova-conductor", "nova-scheduler", "nova-compute",
             "cinder-scheduler", "cinder-volume", "cinder-backup"}


def hook_catalog(services):
    """What the seeding creates for the selected hook services: service
    users and catalog entries (JSON for osc_devcloud.seed)."""
    out = {}
    for s in services:
        if s in HOOKS:
            h = HOOKS[s]
            out[s] = {"users": list(getattr(h, "USERS", [])),
                      "catalog": [list(c) for c in getattr(h, "CATALOG", [])]}
    return json.dumps(out, sort_keys=True)


def seed(phase, services):
    """Run osc_devcloud.seed PHASE, unless a run of this seed.py already
    seeded these services (the stamp lists every service seeded so far:
    seeding only adds, so `up --layers all` then plain `up` seeds once)."""
    catalog = hook_catalog(services)
    code = sha(HERE / "osc_devcloud" / "osc_devcloud" / "seed.py", phase)
    cat = json.loads(catalog)
    mine = ["%s:%s" % (s, sha(json.dumps(cat[s], sort_keys=True)))
            if s in cat else s for s in services]
    try:
        old = (STAMP / ("seed-" + phase)).read_text().split()
    except OSError:
        old = []
    if old and old[0] == code and set(mine) <= set(old[1:]) \
            and not os.environ.get("DEVCLOUD_RESEED"):
        return
    seeded = sorted(set(mine) | (set(old[1:]) if old and old[0] == code
                                 else set()))
    env = {"OS_CLIENT_CONFIG_FILE": str(HOME / "clouds.yaml"),
           "DEVCLOUD_SERVICES": ",".join(services),
           "DEVCLOUD_CATALOG": catalog,
           "DEVCLOUD_HOME": str(HOME)}
    env.pop("OS_CLOUD", None)
    log = LOG / "seed.log"
    t0 = time.monotonic()
    run([BIN / "python", "-m", "osc_devcloud.seed", phase], log=log, env=env)
    stamp_set("seed-" + phase, " ".join([code] + seeded))
    say("seeded %s in %s" % (phase, elapsed(t0)))


def venv_python(code, log):
    """Run Python ``code`` in the venv (openstacksdk, the services' own
    modules) with the devcloud's clouds.yaml; for hooks' setup and seed."""
    env = {"OS_CLIENT_CONFIG_FILE": str(HOME / "clouds.yaml"),
           "DEVCLOUD_HOME": str(HOME)}
    return run([BIN / "python", "-c", code], log=log, env=env)


def seed_hooks(services):
    """Each selected hook's seed() (datastores, pools...), once per version
    of its file."""
    for s in services:
        if s not in HOOKS or not hasattr(HOOKS[s], "seed"):
            continue
        want = sha(HOOKS[s].PATH)
        if stamp_ok("seed-" + s, want) and not os.environ.get("DEVCLOUD_RESEED"):
            continue
        t0 = time.monotonic()
        hook_call(s, "seed")
        stamp_set("seed-" + s, want)
        say("seeded %s in %s" % (s, elapsed(t0)))


CLOUDS = [
    ("devstack", "demo", "demo"),
    ("devstack-admin", "admin", "admin"),
    ("devstack-alt", "alt_demo", "alt_demo"),
    ("devstack-system-admin", "admin", None),
]


def write_clouds():
    lines = ["# Written by osc devcloud/up; passwords are the dev cloud's own.",
             "clouds:"]
    for name, user, project in CLOUDS:
        lines += ["  %s:" % name, "    auth:",
                  "      auth_url: %s" % AUTH_URL,
                  "      username: %s" % user,
                  "      password: %s" % PASSWORD,
                  "      user_domain_id: default"]
        if project:
            lines += ["      project_name: %s" % project,
                      "      project_domain_id: default"]
        else:
            lines += ["      system_scope: all"]
        lines += ["    region_name: %s" % REGION,
                  "    identity_api_version: 3",
                  "    interface: public"]
    write(HOME / "clouds.yaml", "\n".join(lines) + "\n", mode=0o600)
    write(HOME / "env", "export OS_CLIENT_CONFIG_FILE=%s\n"
          % (HOME / "clouds.yaml"))


def parse_layers(spec):
    """"all", "N", "A-B" or a comma list of those -> set of layer numbers."""
    spec = spec.strip()
    if spec == "all":
        return set(range(1, MAX_LAYER + 1))
    layers = set()
    for part in spec.split(","):
        try:
            a, _, b = part.strip().partition("-")
            lo, hi = int(a), int(b or a)
        except ValueError:
            lo = hi = 0
        if not 1 <= lo <= hi <= MAX_LAYER:
            raise DevcloudError("bad layer %r in %r: use N, A-B, A,B or all "
                                "(layers 1..%d)" % (part, spec, MAX_LAYER))
        layers.update(range(lo, hi + 1))
    return layers


def selected_services(layers_spec=None):
    """The services of this `up`, in start order: those of the selected
    layers (--layers, else DEVCLOUD_LAYERS) plus DEVCLOUD_SERVICES plus
    what they depend on; with neither, DEFAULT_SERVICES."""
    raw = os.environ.get("DEVCLOUD_SERVICES", "").strip()
    if layers_spec is None:
        layers_spec = os.environ.get("DEVCLOUD_LAYERS", "").strip() or None
    if layers_spec is None and (not raw or raw == "all"):
        return list(DEFAULT_SERVICES)
    layers = parse_layers(layers_spec) if layers_spec else set()
    todo = [s for s in SERVICES if LAYER[s] in layers]
    if raw == "all":
        todo += DEFAULT_SERVICES
    elif raw:
        todo += [s.strip() for s in raw.split(",") if s.strip()]
    wanted = set()
    while todo:
        s = todo.pop()
        if s not in DEPENDS:
            raise DevcloudError("unknown service %r in DEVCLOUD_SERVICES "
                                "(known: %s)" % (s, ",".join(SERVICES)))
        if s not in wanted:
            wanted.add(s)
            todo += DEPENDS[s]
    return [s for s in SERVICES if s in wanted]


# --------------------------------------------------------------------------
# commands


deferred_done = set()


def wait_deferred(deferred, services):
    """Wait for the RPC services started so far (see start_service); then
    (once) let Nova discover its compute host."""
    if not deferred:
        return
    ready = wait_units(deferred, 180)
    say("  answering: %s" % ", ".join(ready))
    if "nova" in services and "discovered" not in deferred_done:
        deferred_done.add("discovered")
        run([BIN / "nova-manage", "--config-file", ETC / "nova" / "nova.conf",
             "cell_v2", "discover_hosts"], log=LOG / "nova-setup.log")
    deferred.clear()


def cmd_up(layers_spec=None, install_only=False):
    t0 = time.monotonic()
    services = selected_services(layers_spec)
    SELECTED[:] = services
    higher = [s for s in services if s not in DEFAULT_SERVICES]
    say("state directory %s; %sservices: %s" % (
        HOME, "" if RELEASE == "current" else "release %s; " % RELEASE,
        ", ".join("%s(%d)" % (s, LAYER[s]) if s in higher else s
                  for s in services)))
    if not install_only:
        ensure_system_deps()
    for d in (HOME, LOG, RUN, DATA, ETC):
        d.mkdir(parents=True, exist_ok=True)
    ensure_venv([s for s in services if s in HOOKS])
    write(release_file(), RELEASE + "\n")
    if install_only:
        say("installed release %s into %s in %s (nothing started)" % (
            RELEASE, venv_dir(), elapsed(t0)))
        return
    configure(services)
    write_clouds()
    dbs = [db for s in services for db in DATABASES[s]]
    ensure_mariadb(dbs)
    rabbit = bool(NEEDS_RABBIT & set(services))
    rabbit_started = start_rabbitmq() if rabbit else False
    setup = Setup(services)
    deferred = []
    try:
        for service in services:
            setup.wait(service)
            if LAYER[service] > 2 and deferred:
                # Layers 3+ start once everything below them answers.
                wait_deferred(deferred, services)
            if rabbit and service in NEEDS_RABBIT:
                wait_rabbitmq(rabbit_started)
                rabbit = False
            start_service(service, deferred)
            if service == "keystone":
                seed("identity", services)
    finally:
        setup.close()
    wait_deferred(deferred, services)
    seed("resources", services)
    seed_hooks(services)
    say("up in %s" % elapsed(t0))
    print()
    print("To use it:")
    print("  export OS_CLIENT_CONFIG_FILE=%s" % (HOME / "clouds.yaml"))
    print("  export PATH=%s:$PATH   # reference python-openstackclient" % BIN)
    print("  openstack --os-cloud devstack server list")
    print("(or: source %s)" % (HOME / "env"))


def cmd_down(purge=False, only=None):
    t0 = time.monotonic()
    if only:
        units = []
        for name in only:
            if name in SERVICES:
                if name in HOOKS:
                    hook_call(name, "stop")
                units += [u[0] for u in units_for(name)]
            elif name in known_units():
                units.append(name)
            else:
                raise DevcloudError("unknown service or unit %r" % name)
        stopped = stop_units(units)
        say("stopped %s in %s" % (", ".join(stopped) if stopped else
                                  "nothing (not running)", elapsed(t0)))
        return
    known = known_units()
    infra = ["mariadb", "epmd", "rabbitmq"]
    extra = []
    if RUN.is_dir():  # pid files of units this version does not know
        extra = [f.stem for f in RUN.glob("*.pid")
                 if f.stem not in known and f.stem not in
                 ("mariadbd", "rabbitmq-beam")]
    stopped = []
    for s in HOOKS:
        hook_call(s, "stop")
    # OpenStack services first (all at once), then the bus, then the database.
    stopped += stop_units([u for u in known if u not in infra] + extra)
    stopped += stop_units(["rabbitmq"], timeout=30)
    stopped += stop_units(["epmd"])
    stopped += stop_units(["mariadb"], timeout=60)
    say("stopped %s in %s" % (", ".join(stopped) if stopped else
                              "nothing (not running)", elapsed(t0)))
    if purge:
        if HOME.exists():
            shutil.rmtree(HOME)
        say("purged %s" % HOME)


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return 0
    rest = data[data.rindex(")") + 2:].split()
    return int(rest[11]) + int(rest[12])  # utime + stime


def cmd_status(cpu_seconds=0):
    rows = []
    total_rss = total_pss = 0
    any_running = False
    layers = unit_layers()
    cpu = {}
    if cpu_seconds:
        # CPU used by each unit's processes over the interval, in % of one core
        before = {u: {p: cpu_ticks(p) for p in unit_members(u)}
                  for u in known_units()}
        time.sleep(cpu_seconds)
        hz = os.sysconf("SC_CLK_TCK")
        for u, pids in before.items():
            used = sum(max(0, cpu_ticks(p) - t) for p, t in pids.items())
            cpu[u] = 100.0 * used / hz / cpu_seconds
    for unit in known_units():
        members = unit_members(unit)
        pid = running_pid(unit)
        if not pidfile(unit).exists() and not members:
            state = "-"
        elif pid:
            state = "running"
        else:
            state = "DEAD" if not members else "degraded"
        rss = sum(rss_kib(m) for m in members)
        pss = sum(rss_kib(m, "Pss") for m in members)
        total_rss += rss
        total_pss += pss
        any_running |= bool(members)
        rows.append((unit, layers.get(unit, "-"), state, str(pid or "-"),
                     str(PORTS.get(unit, "-")) if unit != "mariadb" else "sock",
                     str(len(members)), "%.0f" % (rss / 1024),
                     "%.0f" % (pss / 1024))
                    + (("%.1f" % cpu.get(unit, 0),) if cpu_seconds else ()))
    hdr = ("SERVICE", "LAYER", "STATE", "PID", "PORT", "PROCS", "RSS_MiB",
           "PSS_MiB") + (("CPU%",) if cpu_seconds else ())
    widths = [max(len(r[i]) for r in rows + [hdr]) for i in range(len(hdr))]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    print("state directory: %s" % HOME)
    r = recorded_release()
    if r:
        print("release: %s (%s)" % (r, RELEASES.get(r, {}).get("series", "?")))
    print(fmt % hdr)
    for r in rows:
        print(fmt % r)
    print("TOTAL  RSS %.0f MiB (%.2f GiB)  PSS %.0f MiB (%.2f GiB)" % (
        total_rss / 1024, total_rss / 1024 / 1024,
        total_pss / 1024, total_pss / 1024 / 1024)
        + ("  CPU %.1f%% of one core over %ds" % (sum(cpu.values()),
                                                  cpu_seconds)
           if cpu_seconds else ""))
    return 0 if any_running else 3


def lock():
    """Serialise up/down runs on the same state directory."""
    HOME.mkdir(parents=True, exist_ok=True)
    f = open(HOME / ".lock", "w")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        say("another devcloud up/down is running on %s; waiting" % HOME)
        fcntl.flock(f, fcntl.LOCK_EX)
    return f


def main(argv):
    if len(argv) < 2 or argv[1] not in ("up", "down", "status"):
        print("usage: devcloud.py up [--layers all|N|A-B|A,B] [--release R] "
              "[--install-only] | "
              "down [--purge | SERVICE|UNIT...] | status", file=sys.stderr)
        return 2
    try:
        load_hooks()
        if argv[1] == "up":
            layers = release = None
            install_only = False
            args = argv[2:]
            while args:
                a = args.pop(0)
                if a == "--layers" and args:
                    layers = args.pop(0)
                elif a.startswith("--layers="):
                    layers = a.split("=", 1)[1]
                elif a == "--release" and args:
                    release = args.pop(0)
                elif a.startswith("--release="):
                    release = a.split("=", 1)[1]
                elif a == "--install-only":
                    install_only = True
                else:
                    raise DevcloudError(
                        "up: unknown argument %r (usage: up [--layers "
                        "all|N|A-B|A,B] [--release %s] [--install-only])"
                        % (a, "|".join(RELEASE_ORDER)))
            if layers is not None:
                parse_layers(layers)  # bad input fails before anything runs
            _lock = lock()  # noqa: F841
            choose_release(release)
            cmd_up(layers, install_only=install_only)
        elif argv[1] == "down":
            args = argv[2:]
            purge = "--purge" in args
            only = [a for a in args if not a.startswith("-")]
            if purge and only:
                raise DevcloudError("--purge stops everything; "
                                    "do not name services with it")
            if HOME.exists():
                _lock = lock()  # noqa: F841
            set_release(recorded_release() or "current")
            cmd_down(purge=purge, only=only)
        else:
            args = argv[2:]
            if args and (args[0] != "--cpu" or len(args) != 2
                         or not args[1].isdigit() or int(args[1]) < 1):
                raise DevcloudError("usage: status [--cpu SECONDS]")
            set_release(recorded_release() or "current")
            return cmd_status(int(args[1]) if args else 0)
    except DevcloudError as e:
        print("devcloud: ERROR: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `devcloud/status | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
