#!/usr/bin/env python3
"""Generates plugins/placement/manifest.json from osc-placement 4.9's own argparse parsers
(arguments, metavars, help, exclusive groups) and its command docstrings.

Run with the reference client's interpreter (the devcloud venv), no cloud needed:
    ~/.local/share/osc-devcloud/venv/bin/python plugins/placement/tools/gen_manifest.py
Columns are the widest set (they depend on the microversion; the plugin picks them).
"""
import argparse, json, os
from importlib.metadata import entry_points
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = {"help", "columns", "formatter", "sort_columns", "sort_direction", "max_width",
        "fit_width", "print_empty", "noindent", "quote_mode", "variables", "prefix"}
# Options whose requirement depends on the microversion: checked by the plugin.
NOT_REQUIRED = {"project_id", "user_id", "consumer_type", "resource_class"}
COLUMNS = {
    "resource provider list": ["uuid", "name", "generation", "root_provider_uuid", "parent_provider_uuid"],
    "resource provider aggregate list": ["uuid"],
    "resource provider aggregate set": ["uuid"],
    "resource provider allocation set": ["resource_provider", "generation", "resources", "project_id", "user_id", "consumer_type"],
    "resource provider allocation unset": ["resource_provider", "generation", "resources", "project_id", "user_id", "consumer_type"],
    "resource provider allocation show": ["resource_provider", "generation", "resources", "project_id", "user_id", "consumer_type"],
    "resource provider inventory list": ["resource_class", "allocation_ratio", "min_unit", "max_unit", "reserved", "step_size", "total", "used"],
    "resource provider inventory set": ["resource_provider", "resource_class", "allocation_ratio", "min_unit", "max_unit", "reserved", "step_size", "total"],
    "resource provider trait list": ["name"],
    "resource provider trait set": ["name"],
    "resource provider usage show": ["resource_class", "usage"],
    "resource usage show": ["resource_class", "usage"],
    "resource class list": ["name"],
    "trait list": ["name"],
    "allocation candidate list": ["#", "allocation", "resource provider", "inventory used/capacity", "traits"],
}


def main():
    app = mock.Mock()
    app.client_manager.session = None  # get_version() -> MAX_VERSION_NO_GAP (1.29)
    commands = []
    for ep in sorted(entry_points(group="openstack.placement.v1"), key=lambda e: e.name):
        name = ep.name.replace("_", " ")
        cls = ep.load()
        cmd = cls(app, None)
        parser = cmd.get_parser("openstack " + name)
        excl = {}
        for i, g in enumerate(parser._mutually_exclusive_groups):
            for a in g._group_actions:
                excl[a.dest] = f"g{i}"
        args = []
        for a in parser._actions:
            if a.dest in SKIP:
                continue
            spec = {"name": a.dest}
            longs = [o for o in a.option_strings if o.startswith("--")]
            if longs:
                spec["long"] = longs[0]
            if a.metavar:
                spec["value"] = a.metavar if a.metavar.startswith("<") else f"<{a.metavar}>"
            h = "" if a.help in (None, argparse.SUPPRESS) else " ".join(a.help.split())
            spec["help"] = h
            kind = type(a).__name__
            if kind in ("_StoreTrueAction",):
                spec["flag"] = True
            if kind in ("_AppendAction", "AppendToGroup"):
                spec["multiple"] = True
            if a.required and not (a.option_strings and a.dest in NOT_REQUIRED):
                spec["required"] = True
            if a.choices:
                spec["choices"] = list(a.choices)
            if a.default not in (None, [], False, argparse.SUPPRESS) and not spec.get("flag"):
                spec["default"] = str(a.default)
            if a.type is int:
                spec["type"] = "int"
            if a.dest in excl:
                spec["exclusive"] = excl[a.dest]
            if a.help == argparse.SUPPRESS:
                # Hidden in osc-placement's help, but part of its surface: shown here.
                spec["help"] = f"Deprecated; use {'--member-of'} instead."
            # The inventory fields of `inventory class set` keep their underscores.
            if kind == "GroupAction":
                spec["multiple"] = True
            args.append(spec)
        base = cls.__mro__[1].__name__
        kind = {"Lister": "list", "ShowOne": "show"}.get(
            next((c.__name__ for c in cls.__mro__ if c.__name__ in ("Lister", "ShowOne")), ""), "command")
        doc = (cls.__doc__ or "").strip().splitlines()[0].strip()
        c = {"name": name, "about": doc, "kind": kind, "args": args}
        if name in COLUMNS:
            c["columns"] = COLUMNS[name]
        commands.append(c)
    manifest = {
        "name": "placement", "version": "0.1.0", "abi": [1, 0], "layer": 2,
        "services": ["placement"], "group": "placement",
        "description": "Placement (resource providers, classes, traits, inventories, allocations, usages) as osc-placement 4.9 has it",
        "commands": commands,
    }
    with open(os.path.join(HERE, "..", "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


main()
