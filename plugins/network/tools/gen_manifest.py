#!/usr/bin/env python3
"""Builds plugins/network/manifest.json (what osc reads without loading the plugin) from
osc-surface.json (extract_osc.py). Plain python3, no dependencies."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
surface = json.load(open(os.path.join(HERE, "..", "osc-surface.json")))
KEEP = ("name", "long", "short", "value", "help", "flag", "multiple", "required", "choices", "type", "exclusive", "hidden")
cmds = []
for name in sorted(surface):
    s = surface[name]
    args, seen = [], set()
    for a in s["args"]:
        a = {k: v for k, v in a.items() if k in KEEP}
        while a["name"] in seen:
            a["name"] += "_"
        seen.add(a["name"])
        args.append(a)
    cmds.append({"name": name, "about": s["about"], "kind": "command" if s["kind"] == "command" else s["kind"], "args": args})
manifest = {"name": "network", "version": "0.1.0", "abi": [1, 0], "layer": 2, "services": ["network", "identity"],
            "group": "network", "description": "Neutron networking: the network commands of python-openstackclient 10.5",
            "commands": cmds}
with open(os.path.join(HERE, "..", "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=0, sort_keys=False)
    f.write("\n")
print(len(cmds), "commands")
