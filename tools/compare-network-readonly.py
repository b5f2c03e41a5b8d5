#!/usr/bin/env python3
"""Runs every network `list` command that needs no argument with osc and with the
reference openstack client (devcloud), and reports which give the same `-f json`.

    python3 plugins/network/tools/compare_readonly.py [target/debug/osc] [cloud]
"""
import json, os, subprocess, sys

HOME = os.path.expanduser("~/.local/share/osc-devcloud")
OSC = sys.argv[1] if len(sys.argv) > 1 else "target/debug/osc"
CLOUD = sys.argv[2] if len(sys.argv) > 2 else "devstack-admin"
REF = os.path.join(HOME, "venv/bin/openstack")
env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
env["OS_CLIENT_CONFIG_FILE"] = os.path.join(HOME, "clouds.yaml")
env["OSC_CACHE_DIR"] = "/tmp/osc-compare-cache-%d" % os.getpid()  # a fresh catalog
parity = json.load(open("/work/shared/parity/commands.json"))
cmds = sorted(k for k, v in parity.items() if v.get("service") == "network" and v["kind"] == "list"
              and not [p for p in v["positionals"]])


def run(binary, words):
    r = subprocess.run([binary, "--os-cloud", CLOUD, *words.split(), "-f", "json"], capture_output=True, text=True,
                       env=env, timeout=60)
    try:
        return r.returncode, json.loads(r.stdout) if r.returncode == 0 else r.stderr.strip().splitlines()[-1:]
    except Exception:
        return r.returncode, r.stdout[:200]


same, differ = [], []
for c in cmds:
    a, b = run(OSC, c), run(REF, c)
    if a == b or (a[0] != 0 and b[0] != 0):
        same.append(c)
    else:
        differ.append((c, a, b))
print("same: %d / %d" % (len(same), len(cmds)))
for c, a, b in differ:
    print("DIFF", c, "\n   osc:", str(a)[:300], "\n   ref:", str(b)[:300])
