#!/usr/bin/env python3
"""devcloud/upgrade --from R1 --to R2: an upgrade in Grenade's shape.

    devcloud/upgrade --from 2025.2 --to current
    devcloud/upgrade --from 2025.2 --to current --tamper object   # must fail
    devcloud/upgrade --verify-only [--tamper KIND]               # again, later

1. brings up release R1 (``devcloud/up --release R1``) in its own state
   directory ($DEVCLOUD_HOME, default ~/.local/share/osc-devcloud-upgrade,
   never the default devcloud's);
2. creates resources through osc (project ``upg``): a keypair, a security
   group, a network + subnet + router (gateway on ``public``), a port, a
   server on that port with an attached volume, an image, a container with
   objects, a project with a user and role assignments; records them
   (``upgrade/before.json``);
3. stops the OpenStack services (MariaDB and RabbitMQ keep running);
4. for each release after R1 up to R2 (step by step: see README.md,
   *Releases and upgrades*): installs its venv, writes its configuration and
   runs each service's schema and data migrations as its upgrade notes say
   (Keystone expand/migrate/contract, Glance expand/migrate/contract,
   Placement sync + online data migrations, Nova api_db/db sync + online
   data migrations, Neutron expand/contract, Cinder sync + online data
   migrations; Swift needs none);
   an intermediate release is then started (``devcloud/up``), verified as
   in step 6 and stopped again: Nova's services record their version when
   they run, and the next Nova refuses computes older than its predecessor;
5. starts R2 in layer order (``devcloud/up``), runs ``nova-status upgrade
   check``;
6. verifies through osc that every resource is unchanged (server ACTIVE with
   its volume and addresses, image bytes and checksum, object bytes, role
   assignments...): any difference or missing resource fails loudly;
7. creates a second set of the same resources with osc on R2, checks it,
   deletes both sets and checks that they are gone.

``--tamper KIND`` changes one resource after the upgrade (KIND: object,
image, assignment, keypair, volume) so that step 6 must fail: the check of
the check.  The osc binary is $OSC, else the workspace's target/debug/osc
(or target/release/osc), built with `cargo build` when there is none.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if not os.environ.get("DEVCLOUD_HOME"):
    os.environ["DEVCLOUD_HOME"] = os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(
            os.path.expanduser("~"), ".local", "share"),
        "osc-devcloud-upgrade")
sys.path.insert(0, str(HERE))
import devcloud as dc  # noqa: E402

WORK = dc.HOME / "upgrade"
IMAGE = "cirros-0.6.3-x86_64-disk"
TAMPER = ("object", "image", "assignment", "keypair", "volume")


class UpgradeError(Exception):
    pass


def say(msg):
    print("upgrade: %s" % msg, flush=True)


# --------------------------------------------------------------------------
# osc


OSC = None


def find_osc():
    if os.environ.get("OSC"):
        return os.environ["OSC"]
    repo = HERE.parent
    targets = [Path(os.environ["CARGO_TARGET_DIR"])] \
        if os.environ.get("CARGO_TARGET_DIR") else []
    targets.append(repo / "target")
    for t in targets:
        for kind in ("debug", "release"):
            if (t / kind / "osc").exists():
                return str(t / kind / "osc")
    say("no osc binary: cargo build (in %s)" % repo)
    subprocess.run(["cargo", "build"], cwd=repo, check=True)
    return str(targets[0] / "debug" / "osc")


def osc(*args, cloud="devstack", fmt=True, check=True):
    cmd = [OSC, "--os-cloud", cloud] + [str(a) for a in args]
    if fmt:
        cmd += ["-f", "json"]
    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=str(dc.HOME / "clouds.yaml"))
    env.pop("OS_CLOUD", None)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=900)
    with open(dc.LOG / "upgrade-osc.log", "a") as f:
        f.write("$ %s\n(exit %d)\n%s%s\n" % (" ".join(cmd[1:]), p.returncode,
                                             p.stdout[-4000:], p.stderr[-4000:]))
    if check and p.returncode != 0:
        raise UpgradeError("osc %s failed (exit %d): %s" % (
            " ".join(cmd[1:]), p.returncode, (p.stderr or p.stdout).strip()))
    if fmt:  # the parsed output; None when the command failed
        if p.returncode != 0 or not p.stdout.strip():
            return None
        return json.loads(p.stdout)
    return p


def admin(*args, **kw):
    return osc(*args, cloud="devstack-admin", **kw)


def wait_for(what, fn, want, timeout=300):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last == want:
            return
        if isinstance(last, str) and "error" in last.lower():
            break
        time.sleep(2)
    raise UpgradeError("%s: %s, not %s" % (what, last, want))


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------
# the resources


def names(p):
    return {k: "%s-%s" % (p, k) for k in (
        "key", "sg", "net", "subnet", "router", "port", "server", "vol",
        "image", "cont", "project", "user")}


def create(p, cidr):
    """Create one set of resources, named ``p-*``, through osc."""
    n = names(p)
    files = WORK / p
    files.mkdir(parents=True, exist_ok=True)
    for f, size in (("image.raw", 300 * 1024), ("obj-1.bin", 64 * 1024)):
        (files / f).write_bytes(os.urandom(size))
    (files / "obj-2.txt").write_text("object of %s, written before\n" % p)
    t0 = time.monotonic()
    osc("keypair", "create", n["key"], fmt=False)  # prints the private key
    osc("security", "group", "create", n["sg"], "--description", "upgrade")
    osc("security", "group", "rule", "create", "--protocol", "tcp",
        "--dst-port", "22", "--remote-ip", "0.0.0.0/0", n["sg"])
    osc("network", "create", n["net"])
    osc("subnet", "create", n["subnet"], "--network", n["net"],
        "--subnet-range", cidr)
    osc("router", "create", n["router"])
    osc("router", "set", n["router"], "--external-gateway", "public", fmt=False)
    osc("router", "add", "subnet", n["router"], n["subnet"], fmt=False)
    osc("port", "create", n["port"], "--network", n["net"],
        "--security-group", n["sg"])
    osc("server", "create", n["server"], "--flavor", "m1.tiny", "--image",
        IMAGE, "--port", n["port"], "--key-name", n["key"], "--wait")
    osc("volume", "create", n["vol"], "--size", "1")
    wait_for("volume %s" % n["vol"], lambda: osc(
        "volume", "show", n["vol"])["status"], "available")
    osc("server", "add", "volume", n["server"], n["vol"], fmt=False)
    wait_for("volume %s" % n["vol"], lambda: osc(
        "volume", "show", n["vol"])["status"], "in-use")
    osc("image", "create", n["image"], "--file", files / "image.raw",
        "--disk-format", "raw", "--container-format", "bare")
    osc("container", "create", n["cont"])
    osc("object", "create", n["cont"], files / "obj-1.bin", "--name", "obj-1")
    osc("object", "create", n["cont"], files / "obj-2.txt", "--name", "obj-2")
    admin("project", "create", n["project"], "--domain", "default")
    admin("user", "create", n["user"], "--domain", "default", "--password",
          "secret", "--project", n["project"])
    admin("role", "add", "--project", n["project"], "--user", n["user"],
          "member", fmt=False)
    admin("role", "add", "--project", n["project"], "--user", "demo",
          "reader", fmt=False)
    say("created %s-* in %.0fs" % (p, time.monotonic() - t0))


def pick(d, *keys):
    return {k: d.get(k) for k in keys}


def snapshot(p):
    """What must survive the upgrade, per resource, read through osc.  A
    resource that cannot be read is recorded as MISSING with the error."""
    n = names(p)
    files = WORK / p
    out = {}

    def get(key, fn):
        try:
            out[key] = fn()
        except (UpgradeError, KeyError, TypeError, ValueError) as e:
            out[key] = {"MISSING": str(e)[:300]}

    def server():
        s = osc("server", "show", n["server"])
        vols = s.get("volumes_attached")
        return dict(pick(s, "id", "name", "status", "addresses", "key_name",
                         "flavor", "image"),
                    volumes_attached=vols)

    def volume():
        v = osc("volume", "show", n["vol"])
        att = sorted((a.get("server_id"), a.get("device"))
                     for a in (v.get("attachments") or []))
        return dict(pick(v, "id", "name", "size", "status", "type"),
                    attachments=att)

    def port():
        return pick(osc("port", "show", n["port"]), "id", "name",
                    "mac_address", "fixed_ips", "device_id", "network_id",
                    "security_group_ids")

    def network():
        return pick(osc("network", "show", n["net"]), "id", "name",
                    "subnets", "router:external", "shared")

    def subnet():
        return pick(osc("subnet", "show", n["subnet"]), "id", "name", "cidr",
                    "gateway_ip", "allocation_pools", "network_id")

    def router():
        r = pick(osc("router", "show", n["router"]), "id", "name",
                 "external_gateway_info")
        r["ports"] = sorted((x["ID"], json.dumps(x.get("Fixed IP Addresses"),
                                                 sort_keys=True))
                            for x in osc("port", "list", "--router",
                                         n["router"]))
        return r

    def secgroup():
        g = osc("security", "group", "show", n["sg"])
        rules = sorted(json.dumps(pick(r, "id", "direction", "ethertype",
                                       "protocol", "port_range_min",
                                       "port_range_max", "remote_ip_prefix"),
                                  sort_keys=True)
                       for r in g.get("rules") or [])
        return dict(pick(g, "id", "name", "description"), rules=rules)

    def keypair():
        k = pick(osc("keypair", "show", n["key"]), "name", "fingerprint",
                 "type")
        k["public_key"] = osc("keypair", "show", "--public-key", n["key"],
                              fmt=False).stdout.strip()
        return k

    def image():
        i = pick(osc("image", "show", n["image"]), "id", "name", "checksum",
                 "size", "status", "disk_format", "container_format",
                 "os_hash_value", "visibility")
        dl = files / "image.saved"
        dl.unlink(missing_ok=True)
        osc("image", "save", n["image"], "--file", dl, fmt=False)
        i["bytes_sha256"] = sha256(dl)
        i["bytes_as_uploaded"] = i["bytes_sha256"] == sha256(files / "image.raw")
        return i

    def objects():
        rows = osc("object", "list", n["cont"], "--long")
        o = {"list": sorted((r["Name"], r["Bytes"], r["Hash"]) for r in rows)}
        for name, src in (("obj-1", "obj-1.bin"), ("obj-2", "obj-2.txt")):
            dl = files / (name + ".saved")
            dl.unlink(missing_ok=True)
            osc("object", "save", n["cont"], name, "--file", dl, fmt=False)
            o[name + "_sha256"] = sha256(dl)
            o[name + "_as_uploaded"] = sha256(dl) == sha256(files / src)
        return o

    def project():
        pr = pick(admin("project", "show", n["project"]), "id", "name",
                  "enabled", "domain_id")
        pr["user"] = pick(admin("user", "show", n["user"]), "id", "name",
                          "default_project_id", "enabled")
        pr["assignments"] = sorted(
            (a["Role"], a["User"]) for a in admin(
                "role", "assignment", "list", "--project", n["project"],
                "--names"))
        return pr

    for key, fn in (("server", server), ("volume", volume), ("port", port),
                    ("network", network), ("subnet", subnet),
                    ("router", router), ("security_group", secgroup),
                    ("keypair", keypair), ("image", image),
                    ("objects", objects), ("project", project)):
        get(key, fn)
    return json.loads(json.dumps(out))  # tuples -> lists, as read back


def expectations(snap):
    """What must hold of a snapshot by itself (before and after)."""
    bad = []
    s = snap.get("server", {})
    if s.get("status") != "ACTIVE":
        bad.append("server status is %r, not ACTIVE" % s.get("status"))
    if not s.get("addresses"):
        bad.append("server has no addresses")
    if not s.get("volumes_attached"):
        bad.append("server has no volume attached")
    if snap.get("volume", {}).get("status") != "in-use":
        bad.append("volume status is %r, not in-use"
                   % snap.get("volume", {}).get("status"))
    if not snap.get("image", {}).get("bytes_as_uploaded"):
        bad.append("image bytes differ from the uploaded file")
    o = snap.get("objects", {})
    for name in ("obj-1", "obj-2"):
        if not o.get(name + "_as_uploaded"):
            bad.append("object %s bytes differ from the uploaded file" % name)
    for k, v in snap.items():
        if isinstance(v, dict) and "MISSING" in v:
            bad.append("%s is missing: %s" % (k, v["MISSING"]))
    return bad


def compare(before, after):
    """Every difference between two snapshots, one line each."""
    diffs = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if a is None or (isinstance(a, dict) and "MISSING" in a
                         and not (isinstance(b, dict) and "MISSING" in b)):
            diffs.append("%s: disappeared (%s)" % (
                key, (a or {}).get("MISSING", "not read")))
            continue
        if b is None:
            diffs.append("%s: not in the snapshot before" % key)
            continue
        if isinstance(b, dict) and isinstance(a, dict):
            for f in sorted(set(b) | set(a)):
                if b.get(f) != a.get(f):
                    diffs.append("%s.%s: before %s, after %s" % (
                        key, f, json.dumps(b.get(f), sort_keys=True),
                        json.dumps(a.get(f), sort_keys=True)))
        elif a != b:
            diffs.append("%s: before %s, after %s" % (key, b, a))
    return diffs


def verify(before, after, label):
    problems = ["after: %s" % x for x in expectations(after)] + \
        compare(before, after)
    if problems:
        print("\nupgrade: VERIFICATION FAILED (%s): %d problem(s)" % (
            label, len(problems)), file=sys.stderr)
        for x in problems:
            print("  - %s" % x, file=sys.stderr)
        raise UpgradeError("resources changed or disappeared over the "
                           "upgrade (%s); see above" % label)
    say("verified %s: %d resources unchanged" % (label, len(after)))


def tamper(kind, p):
    n = names(p)
    files = WORK / p
    say("TAMPERING with %s (--tamper %s): the verification must fail"
        % (kind, kind))
    if kind == "object":
        f = files / "tampered.bin"
        f.write_bytes(os.urandom(64 * 1024))
        osc("object", "create", n["cont"], f, "--name", "obj-1")
    elif kind == "image":
        admin("image", "delete", n["image"], fmt=False)
    elif kind == "assignment":
        admin("role", "remove", "--project", n["project"], "--user", "demo",
              "reader", fmt=False)
    elif kind == "keypair":
        osc("keypair", "delete", n["key"], fmt=False)
    elif kind == "volume":
        osc("server", "remove", "volume", n["server"], n["vol"], fmt=False)
        wait_for("volume %s" % n["vol"], lambda: osc(
            "volume", "show", n["vol"])["status"], "available")


def delete(p):
    """Delete a set through osc; then each must be gone."""
    n = names(p)
    t0 = time.monotonic()
    steps = [
        lambda: osc("server", "remove", "volume", n["server"], n["vol"],
                    fmt=False),
        lambda: wait_for("volume %s" % n["vol"], lambda: osc(
            "volume", "show", n["vol"])["status"], "available"),
        lambda: osc("server", "delete", "--wait", n["server"], fmt=False),
        lambda: osc("volume", "delete", n["vol"], fmt=False),
        lambda: osc("port", "delete", n["port"], fmt=False),
        lambda: osc("router", "remove", "subnet", n["router"], n["subnet"],
                    fmt=False),
        lambda: osc("router", "delete", n["router"], fmt=False),
        lambda: osc("network", "delete", n["net"], fmt=False),
        lambda: osc("security", "group", "delete", n["sg"], fmt=False),
        lambda: osc("keypair", "delete", n["key"], fmt=False),
        lambda: osc("image", "delete", n["image"], fmt=False),
        lambda: osc("object", "delete", n["cont"], "obj-1", "obj-2",
                    fmt=False),
        lambda: osc("container", "delete", n["cont"], fmt=False),
        lambda: admin("user", "delete", n["user"], fmt=False),
        lambda: admin("project", "delete", n["project"], fmt=False),
    ]
    errors = []
    for step in steps:
        try:
            step()
        except UpgradeError as e:
            errors.append(str(e))
    wait_for("volume %s deleted" % n["vol"], lambda: osc(
        "volume", "show", n["vol"], check=False) is None, True, 120)
    left = [what for what, args in (
        ("server", ("server", "show", n["server"])),
        ("volume", ("volume", "show", n["vol"])),
        ("network", ("network", "show", n["net"])),
        ("router", ("router", "show", n["router"])),
        ("image", ("image", "show", n["image"])),
        ("keypair", ("keypair", "show", n["key"])),
        ("container", ("container", "show", n["cont"])),
    ) if osc(*args, check=False) is not None]
    if admin("project", "show", n["project"], check=False) is not None:
        left.append("project")
    if errors or left:
        raise UpgradeError("deleting %s-*: %s%s" % (
            p, "; ".join(errors), "; still there: %s" % ", ".join(left)
            if left else ""))
    say("deleted %s-* in %.0fs" % (p, time.monotonic() - t0))


# --------------------------------------------------------------------------
# the upgrade itself


def m(log, *cmd, ok=(0,)):
    p = dc.run(cmd, log=log, check=False)
    if p.returncode not in ok:
        raise UpgradeError("%s failed (exit %d)\n--- tail of %s ---\n%s" % (
            " ".join(map(str, cmd)), p.returncode, log, dc.tail(log)))
    return p.returncode


def online(log, *cmd):
    """Online data migrations: again while they report more to do (1)."""
    for _ in range(10):
        if m(log, *cmd, ok=(0, 1)) == 0:
            return
    raise UpgradeError("%s never finished; see %s" % (" ".join(map(str, cmd)),
                                                      log))


def migrate(services, release):
    """Each service's schema and data migrations, with the venv and
    configuration of ``release`` (services stopped)."""
    B, E = dc.BIN, dc.ETC
    for s in services:
        t0 = time.monotonic()
        log = dc.LOG / ("upgrade-%s-%s.log" % (s, release))
        if s == "keystone":
            km = [B / "keystone-manage", "--config-file",
                  E / "keystone" / "keystone.conf"]
            for step in ("--expand", "--migrate", "--contract"):
                m(log, *km, "db_sync", step)
            m(log, *km, "db_sync", "--check")
        elif s == "glance":
            gm = [B / "glance-manage", "--config-file",
                  E / "glance" / "glance-api.conf"]
            for step in ("expand", "migrate", "contract"):
                m(log, *gm, "db", step)
        elif s == "placement":
            pm = [B / "placement-manage", "--config-file",
                  E / "placement" / "placement.conf"]
            m(log, *pm, "db", "sync")
            online(log, *pm, "db", "online_data_migrations")
        elif s == "nova":
            nm = [B / "nova-manage", "--config-file", E / "nova" / "nova.conf"]
            m(log, *nm, "api_db", "sync")
            m(log, *nm, "db", "sync")
            online(log, *nm, "db", "online_data_migrations")
        elif s == "neutron":
            qm = [B / "neutron-db-manage", "--config-file",
                  E / "neutron" / "neutron.conf", "--config-file",
                  E / "neutron" / "ml2_conf.ini"]
            m(log, *qm, "upgrade", "--expand")
            m(log, *qm, "upgrade", "--contract")
        elif s == "cinder":
            cm = [B / "cinder-manage", "--config-file",
                  E / "cinder" / "cinder.conf"]
            m(log, *cm, "db", "sync")
            online(log, *cm, "db", "online_data_migrations")
        elif s == "swift":
            continue  # rings and on-disk data are read as they are
        else:
            raise UpgradeError("no upgrade steps for %s" % s)
        # `up` must not redo the one-off setup (bootstrap, rings) on top
        dc.stamp_set("setup-" + s, dc.setup_want(s))
        say("  migrated %s to %s in %.0fs (log: %s)" % (
            s, release, time.monotonic() - t0, log))


def path(frm, to):
    order = dc.RELEASE_ORDER
    for r in (frm, to):
        if r not in order:
            raise UpgradeError("unknown release %r (known: %s)" % (
                r, ", ".join(order)))
    i, j = order.index(frm), order.index(to)
    if i >= j:
        raise UpgradeError("--from %s must be older than --to %s" % (frm, to))
    return order[i:j + 1]


def fresh():
    """Start from a new R1 cloud: stop what runs in this state directory and
    delete all but the installed venvs (and their stamps)."""
    venv = dc.HOME / "venv"
    if venv.is_dir() and not venv.is_symlink():
        raise UpgradeError("%s has a venv of its own (a devcloud, not an "
                           "upgrade's state directory): use another "
                           "DEVCLOUD_HOME" % dc.HOME)
    if not (dc.HOME / "mysql").exists() and not (dc.HOME / "run").exists():
        return
    dc.set_release(dc.recorded_release() or "current")
    dc.cmd_down()
    for x in dc.HOME.iterdir():
        if x.name in ("venvs", "venv", ".lock", "stamps"):
            continue
        if x.is_dir() and not x.is_symlink():
            shutil.rmtree(x)
        else:
            x.unlink()
    for st in (dc.STAMP.iterdir() if dc.STAMP.is_dir() else []):
        if not st.name.startswith(("venv-", "osc_devcloud-")):
            st.unlink()
    say("started afresh in %s (kept the venvs)" % dc.HOME)


def save(name, data):
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / name).write_text(json.dumps(data, indent=1, sort_keys=True))


def load(name):
    return json.loads((WORK / name).read_text())


def main(argv):
    global OSC
    ap = argparse.ArgumentParser(prog="devcloud/upgrade")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--tamper", choices=TAMPER)
    ap.add_argument("--verify-only", action="store_true",
                    help="verify the resources of the last upgrade again "
                    "against the running devcloud (after --tamper, if given)")
    ap.add_argument("--install-only", action="store_true",
                    help="install the venvs of every release on the way "
                    "(no lock on the ports needed), start nothing")
    ap.add_argument("--keep", action="store_true",
                    help="leave the upg-* resources in place")
    a = ap.parse_args(argv)
    timings = []
    t_all = time.monotonic()

    def phase(name, t0):
        timings.append((name, round(time.monotonic() - t0, 1)))
        say("%s: %.0fs" % (name, time.monotonic() - t0))

    try:
        dc.load_hooks()
        services = list(dc.DEFAULT_SERVICES)
        say("state directory %s" % dc.HOME)
        if a.verify_only:
            OSC = find_osc()
            dc.set_release(dc.recorded_release() or "current")
            if a.tamper:
                tamper(a.tamper, "upg")
            verify(load("before.json"), snapshot("upg"),
                   "upg-* on %s" % dc.RELEASE)
            return 0
        if not a.frm or not a.to:
            ap.error("--from and --to are needed (or --verify-only)")
        steps = path(a.frm, a.to)
        if a.install_only:
            _lock = dc.lock()  # noqa: F841
            if dc.recorded_release() not in (None, a.frm):
                raise UpgradeError("%s has release %s already" % (
                    dc.HOME, dc.recorded_release()))
            (dc.HOME / "venvs").mkdir(parents=True, exist_ok=True)
            for d in (dc.LOG, dc.RUN, dc.DATA, dc.ETC):
                d.mkdir(parents=True, exist_ok=True)
            for r in steps:
                dc.set_release(r)
                dc.ensure_venv([])
            dc.set_release(a.frm)
            dc.link_venv()
            say("installed %s (nothing started)" % ", ".join(steps))
            return 0
        OSC = find_osc()
        say("osc: %s; releases: %s" % (OSC, " -> ".join(steps)))
        _lock = dc.lock()  # noqa: F841

        t0 = time.monotonic()
        # venvs/ from the start: every release's venv goes there, "current"
        # too (venv/ is a symlink to the one running)
        fresh()
        (dc.HOME / "venvs").mkdir(parents=True, exist_ok=True)
        dc.choose_release(a.frm)
        dc.cmd_up()
        phase("up %s" % a.frm, t0)

        t0 = time.monotonic()
        for p in ("upg", "upg2"):  # leftovers of an earlier run
            if osc("server", "show", names(p)["server"], check=False) \
                    is not None or admin("project", "show",
                                         names(p)["project"],
                                         check=False) is not None:
                say("deleting %s-* left by an earlier run" % p)
                try:
                    delete(p)
                except UpgradeError as e:
                    say("  (%s)" % e)
        create("upg", "10.77.0.0/24")
        before = snapshot("upg")
        bad = expectations(before)
        if bad:
            raise UpgradeError("resources not right even before the "
                               "upgrade: %s" % "; ".join(bad))
        save("before.json", before)
        phase("create resources on %s" % a.frm, t0)

        t0 = time.monotonic()
        infra = ("mariadb", "epmd", "rabbitmq")
        stopped = dc.stop_units([u for u in dc.known_units()
                                 if u not in infra])
        phase("stop %d units" % len(stopped), t0)

        for r in steps[1:]:
            t0 = time.monotonic()
            dc.set_release(r)
            dc.ensure_venv([])
            dc.configure(services)
            phase("install + configure %s" % r, t0)
            t0 = time.monotonic()
            migrate(services, r)
            dc.write(dc.release_file(), r + "\n")
            phase("migrate to %s" % r, t0)
            if r != a.to:
                # An intermediate release runs before the next one: Nova's
                # services record their version when they start, and the
                # next Nova refuses computes older than the release before it.
                t0 = time.monotonic()
                dc.choose_release(r)
                dc.cmd_up()
                verify(before, snapshot("upg"), "upg-* on %s" % r)
                dc.stop_units([u for u in dc.known_units() if u not in infra])
                phase("start, verify, stop %s" % r, t0)

        t0 = time.monotonic()
        dc.choose_release(a.to)
        dc.cmd_up()
        phase("start %s" % a.to, t0)
        t0 = time.monotonic()
        rc = m(dc.LOG / "upgrade-nova-status.log", dc.BIN / "nova-status",
               "--config-file", dc.ETC / "nova" / "nova.conf", "upgrade",
               "check", ok=(0, 1))
        say("nova-status upgrade check: %s" % ("ok" if rc == 0 else
                                               "warnings (see log)"))

        if a.tamper:
            tamper(a.tamper, "upg")
        after = snapshot("upg")
        save("after.json", after)
        verify(before, after, "upg-* from %s to %s" % (a.frm, a.to))
        phase("verify", t0)

        t0 = time.monotonic()
        create("upg2", "10.78.0.0/24")
        bad = expectations(snapshot("upg2"))
        if bad:
            raise UpgradeError("osc cannot create them on %s: %s"
                               % (a.to, "; ".join(bad)))
        delete("upg2")
        if not a.keep:
            delete("upg")
        phase("create + delete with osc on %s" % a.to, t0)
        timings.append(("total", round(time.monotonic() - t_all, 1)))
        save("timings.json", timings)
        say("PASSED: %s -> %s in %.0fs (%s)" % (
            a.frm, a.to, time.monotonic() - t_all,
            ", ".join("%s %ss" % t for t in timings[:-1])))
        return 0
    except (UpgradeError, dc.DevcloudError) as e:
        print("upgrade: FAILED: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
