#!/usr/bin/env python3
"""Writes a plugin's manifest.json from the reference OSC plugin's own argparse parsers:
the commands of an entry-point group (`openstack.baremetal.v1`...), their arguments, help,
defaults, choices, mutually exclusive groups and kinds (cliff's Lister: list, ShowOne: show,
else command). Only the commands listed in the plugin's `commands.txt` (one name per line,
the ones implemented) are written, so a command appears in osc when it works.

Run with the devcloud venv's interpreter (where the reference client is installed):
    ~/.local/share/osc-devcloud/venv/bin/python plugins/tools/manifest_from_osc.py \
        --group openstack.baremetal.v1 --plugin plugins/baremetal
It reads the plugin's `manifest-head.json` (name, version, abi, layer, services, group,
description) and writes `manifest.json` beside it. No cloud is needed.
"""
import argparse
import json
import os
import sys
from importlib.metadata import entry_points
from unittest import mock

FORMATTER_GROUPS = {"output formatters", "json formatter", "shell formatter", "table formatter",
                    "CSV Formatter", "csv formatter", "value formatter", "yaml formatter"}
STANDARD_FORMATS = {"list": {"csv", "json", "table", "value", "yaml"},
                    "show": {"json", "shell", "table", "value", "yaml"}}
MULTI = {"_AppendAction", "MultiKeyValueAction", "KeyValueAction", "MultiKeyValueCommaAction",
         "_ExtendAction", "KeyValueAppendAction"}


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


def arg_spec(a, excl, seen):
    spec = {}
    longs = [o for o in a.option_strings if o.startswith("--")]
    shorts = [o for o in a.option_strings if not o.startswith("--")]
    kind = type(a).__name__
    if a.option_strings:
        if not longs:
            return None
        spec["name"] = longs[0][2:].replace("-", "_")
        spec["long"] = longs[0]
        if shorts and len(shorts[0]) == 2:
            spec["short"] = shorts[0][1]
    else:
        spec["name"] = a.dest
    while spec["name"] in seen:
        spec["name"] += "_"
    seen.add(spec["name"])
    if kind in ("_StoreTrueAction", "_StoreFalseAction", "_StoreConstAction", "_CountAction",
                "BooleanOptionalAction"):
        spec["flag"] = True
    else:
        spec["value"] = a.metavar if isinstance(a.metavar, str) else "<%s>" % a.dest.replace("_", "-")
        if kind in MULTI or a.nargs in ("+", "*"):
            spec["multiple"] = True
        if a.option_strings and a.nargs in ("+", "*"):
            spec["multiple_values"] = True
        if a.type is int:
            spec["type"] = "int"
        elif a.type is float:
            spec["type"] = "float"
        if a.choices:
            spec["choices"] = [str(c) for c in a.choices]
        if a.option_strings and isinstance(a.default, (str, int)) and not isinstance(a.default, bool):
            spec["default"] = str(a.default)
        if a.option_strings and a.nargs == "?" and a.const is not None:
            spec["missing"] = str(a.const)
    if a.required or (not a.option_strings and a.nargs not in ("?", "*")):
        spec["required"] = True
    spec["help"] = help_text(a)
    if a.help == argparse.SUPPRESS:
        spec["hidden"] = True
    if a in excl:
        spec["exclusive"] = excl[a]
    return spec


def kind_of(cls):
    """The kind of the first of Lister and ShowOne in the MRO: cliff formats with its
    produce_output (gnocchiclient's benchmarks are ShowOnes mixed into Listers)."""
    for c in cls.__mro__:
        if c.__name__ == "Lister":
            return "list"
        if c.__name__ == "ShowOne":
            return "show"
    return "command"


# A ShowOne mixed into a Lister gets the Lister's sort options too, which the host only
# provides to list commands: they are written as the command's own arguments.
SORT_DESTS = {"sort_columns", "sort_direction"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--group", required=True, action="append")
    ap.add_argument("--plugin", required=True, help="the plugin's directory")
    ap.add_argument("--aliases", action="store_true",
                    help="write each further long option of an argument (`--metric`, `--metrics`) "
                         "as an argument of its own, named after it, for the plugin to merge")
    a = ap.parse_args()
    wanted = [l.strip() for l in open(os.path.join(a.plugin, "commands.txt"))
              if l.strip() and not l.startswith("#")]
    eps = {}
    for g in a.group:
        for ep in entry_points(group=g):
            eps.setdefault(ep.name.replace("_", " "), ep)
    app = mock.MagicMock()
    cmds = []
    for name in wanted:
        ep = eps.get(name)
        if ep is None:
            sys.exit(f"no entry point for {name!r} in {a.group}")
        cls = ep.load()
        parser = cls(app, None).get_parser("openstack " + name)
        excl = {}
        for i, g in enumerate(parser._mutually_exclusive_groups):
            for act in g._group_actions:
                excl[act] = "g%d" % i
        skip = set()
        mixed = kind_of(cls) == "show" and any(c.__name__ == "Lister" for c in cls.__mro__)
        for g in parser._action_groups:
            if g.title in FORMATTER_GROUPS:
                skip.update(x for x in g._group_actions
                            if not (mixed and x.dest in SORT_DESTS))
        seen, args = set(), []
        for act in parser._actions:
            if act in skip or isinstance(act, argparse._HelpAction):
                continue
            s = arg_spec(act, excl, seen)
            if s:
                args.append(s)
                longs = [o for o in act.option_strings if o.startswith("--")]
                for alias in longs[1:] if a.aliases else []:
                    extra = {k: v for k, v in s.items() if k not in ("short", "required", "default")}
                    extra["name"] = alias[2:].replace("-", "_")
                    while extra["name"] in seen:
                        extra["name"] += "_"
                    seen.add(extra["name"])
                    extra["long"] = alias
                    extra["help"] = "Same as %s" % s["long"]
                    args.append(extra)
        about = getattr(cls, "_description", None) or (cls.__doc__ or "").strip().split("\n")[0]
        cmd = {"name": name, "about": " ".join(str(about).split()), "kind": kind_of(cls),
               "args": args}
        # `-f`: the command's formatter_default and formatters beyond cliff's (heatclient's
        # `log` and `dot`).
        for act in parser._actions:
            if act.dest == "formatter" and act.choices:
                standard = STANDARD_FORMATS.get(cmd["kind"], set())
                if act.default and act.default != "table":
                    cmd["format"] = act.default
                extra = sorted(set(act.choices) - standard)
                if extra:
                    cmd["formats"] = extra
        cmds.append(cmd)
    manifest = json.load(open(os.path.join(a.plugin, "manifest-head.json")))
    # Commands that write to stdout themselves (`stack event list --follow`).
    for c in cmds:
        if c["name"] in manifest.get("stdout_commands", []):
            c["stdout"] = True
    manifest.pop("stdout_commands", None)
    manifest["commands"] = cmds
    with open(os.path.join(a.plugin, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cmds)} commands to {a.plugin}/manifest.json")


if __name__ == "__main__":
    main()
