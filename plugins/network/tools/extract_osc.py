#!/usr/bin/env python3
"""Extracts the network command surface of python-openstackclient 10.5 (arguments, help,
mutually exclusive groups, descriptions) into plugins/network/osc-surface.json.

Run with the reference client's interpreter (the devcloud venv):
    ~/.local/share/osc-devcloud/venv/bin/python plugins/network/tools/extract_osc.py
It imports OSC's command classes and walks their argparse parsers; no cloud is needed.
"""
import argparse, importlib, json, os, sys
from importlib.metadata import entry_points
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
PARITY = "/work/shared/parity/commands.json"
FORMATTER_GROUPS = {"output formatters", "json formatter", "shell formatter", "table formatter",
                    "CSV Formatter", "csv formatter", "value formatter", "yaml formatter"}


def ep_map():
    eps = {}
    for group in ("openstack.network.v2", "openstack.common", "openstack.compute.v2"):
        for ep in entry_points(group=group):
            eps.setdefault(ep.name.replace("_", " "), ep)
    return eps


def help_text(a):
    h = a.help or ""
    if h == argparse.SUPPRESS:
        return ""
    try:
        h = h % {"default": a.default, "prog": "openstack", "dest": a.dest,
                 "choices": ", ".join(map(str, a.choices or []))}
    except Exception:
        pass
    return " ".join(h.split())


def arg_spec(a, excl):
    spec = {"help": help_text(a)}
    if a.help == argparse.SUPPRESS:
        spec["hidden"] = True
    longs = [o for o in a.option_strings if o.startswith("--")]
    shorts = [o for o in a.option_strings if not o.startswith("--")]
    kind = type(a).__name__
    if a.option_strings:
        if not longs:
            return None
        spec["long"] = longs[0]
        spec["name"] = longs[0][2:].replace("-", "_")
        if len(longs) > 1:
            spec["aliases"] = longs[1:]
        if shorts and len(shorts[0]) == 2:
            spec["short"] = shorts[0][1]
    else:
        spec["name"] = a.dest
    spec["dest"] = a.dest
    if kind in ("_StoreTrueAction", "_StoreFalseAction", "_StoreConstAction", "_CountAction", "BooleanOptionalAction"):
        spec["flag"] = True
    else:
        spec["value"] = a.metavar if isinstance(a.metavar, str) else "<%s>" % a.dest.replace("_", "-")
        if kind in ("_AppendAction", "MultiKeyValueAction", "KeyValueAction", "MultiKeyValueCommaAction",
                    "_ExtendAction", "KeyValueAppendAction") or a.nargs in ("+", "*"):
            spec["multiple"] = True
        if a.type is int:
            spec["type"] = "int"
        if a.choices:
            spec["choices"] = [str(c) for c in a.choices]
        spec["action"] = kind
    if a.required or (not a.option_strings and a.nargs not in ("?", "*")):
        spec["required"] = True
    if a in excl:
        spec["exclusive"] = excl[a]
    return spec


def main():
    parity = json.load(open(PARITY))
    wanted = sorted(k for k, v in parity.items() if v.get("service") == "network")
    eps = ep_map()
    app = mock.MagicMock()
    app.client_manager.is_network_endpoint_enabled.return_value = True
    out = {}
    for name in wanted:
        ep = eps.get(name)
        if ep is None:
            print("no entry point for", name, file=sys.stderr)
            continue
        cls = ep.load()
        cmd = cls(app, None)
        parser = cmd.get_parser("openstack " + name)
        excl = {}
        for i, g in enumerate(parser._mutually_exclusive_groups):
            for a in g._group_actions:
                excl[a] = "g%d" % i
        skip = set()
        for g in parser._action_groups:
            if g.title in FORMATTER_GROUPS:
                skip.update(g._group_actions)
        args = []
        for a in parser._actions:
            if a in skip or isinstance(a, argparse._HelpAction):
                continue
            s = arg_spec(a, excl)
            if s:
                args.append(s)
        desc = getattr(cls, "_description", None) or (cls.__doc__ or "").strip().split("\n")[0]
        out[name] = {"about": str(desc).strip(), "kind": parity[name]["kind"], "args": args,
                     "class": "%s:%s" % (cls.__module__, cls.__name__)}
    path = os.path.join(HERE, "..", "osc-surface.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d commands to %s" % (len(out), os.path.normpath(path)))


if __name__ == "__main__":
    main()
