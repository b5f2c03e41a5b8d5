#!/usr/bin/env python3
"""Learns how each network command of python-openstackclient 10.5 talks to Neutron, by
running its take_action against a recording fake client (no cloud needed):

* which openstacksdk resource (path, JSON keys) each call touches,
* the output columns, the Neutron field behind each one and its formatter, found by
  feeding back resources whose every field holds a marker value,
* for every option, the fragment of request body or query it produces (the difference
  against a run without it), with the option's value replaced by a placeholder.

Writes plugins/network/osc-impl.json. Run with the devcloud venv's python after
extract_osc.py. Commands it cannot learn are listed; the plugin treats them by hand.
"""
import argparse, copy, inspect, json, os, re, sys, types
from importlib.metadata import entry_points
from unittest import mock

from openstack import fields, resource
from openstack.network.v2 import _proxy

HERE = os.path.dirname(os.path.abspath(__file__))
SURFACE = json.load(open(os.path.join(HERE, "..", "osc-surface.json")))
MARK = "@@"

# Markers survive the SDK's type conversion (bool('@@x') would be True).
_orig_convert = fields._convert_type
def _convert(value, data_type, formatter=None):
    if isinstance(value, str) and value.startswith(MARK):
        return value
    if isinstance(value, str) and value.startswith("LOOKUP:"):
        return value
    return _orig_convert(value, data_type, formatter)
fields._convert_type = _convert

# proxy method -> resource class
METHOD_RES = {}
for name, fn in inspect.getmembers(_proxy.Proxy, inspect.isfunction):
    try:
        src = inspect.getsource(fn)
    except Exception:
        continue
    m = re.search(r"self\._(?:find|get|create|update|delete|list|head)\(\s*_?(\w+)\.(\w+)", src)
    if m:
        mod = sys.modules.get("openstack.network.v2." + m.group(1).lstrip("_")) or sys.modules.get("openstack.network.v2._" + m.group(1).lstrip("_"))
        if mod is None:
            import importlib
            try:
                mod = importlib.import_module("openstack.network.v2." + m.group(1).lstrip("_"))
            except Exception:
                continue
        cls = getattr(mod, m.group(2), None)
        if cls is not None:
            METHOD_RES[name] = cls


def res_info(cls):
    info = {"path": cls.base_path, "key": cls.resource_key, "keys": cls.resources_key, "class": cls.__name__}
    # Fields openstacksdk converts (Neutron returns some numbers as strings).
    for tname, t in (("ints", int), ("bools", bool)):
        names = sorted(c.name for _, c in cls()._attributes_iterator((fields.Body,)) if getattr(c, "type", None) is t)
        if names:
            info[tname] = names
    return info


def marker_resource(cls, ident="@@id"):
    attrs = {}
    for attr, comp in cls()._attributes_iterator((fields.Body, fields.Computed)):
        t = getattr(comp, "type", None)
        # Typed markers, so code that walks dicts or lists still runs.
        if t is dict:
            attrs[comp.name] = {MARK: comp.name}
        elif t is list:
            attrs[comp.name] = [MARK + comp.name]
        else:
            attrs[comp.name] = MARK + comp.name
    attrs["id"] = ident
    return cls.existing(**attrs)


class Recorder:
    """Stands in for the SDK network proxy; returns marker resources."""
    def __init__(self, show=False):
        self.calls = []
        self.show = show

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        cls = METHOD_RES.get(name)

        def call(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            if cls is None:
                return mock.MagicMock()
            if name.startswith("find_") or name.startswith("get_"):
                val = args[0] if args and isinstance(args[0], str) else "x"
                return marker_resource(cls, "LOOKUP:%s:%s" % (name[len("find_"):] if name.startswith("find_") else name[4:], val))
            if name.startswith(("create_", "update_")):
                return marker_resource(cls)
            if name.startswith("delete_"):
                return None
            # a listing; in a show command it is a detail (router show's ports): empty
            if self.show and any(c[0].startswith("find_") for c in self.calls[:-1]):
                return []
            return [marker_resource(cls)]
        return call


def fake_project(*a, **k):
    name = a[1] if len(a) > 1 else k.get("name_or_id", "x")
    return types.SimpleNamespace(id="LOOKUP:project:%s" % name, name=name)


def run(name, argv):
    ep = None
    for group in ("openstack.network.v2", "openstack.common", "openstack.compute.v2"):
        for e in entry_points(group=group):
            if e.name.replace("_", " ") == name:
                ep = e
                break
        if ep:
            break
    cls = ep.load()
    app = mock.MagicMock()
    app.client_manager.is_network_endpoint_enabled.return_value = True
    rec = Recorder(show=name.endswith(" show"))
    app.client_manager.network = rec
    app.client_manager.sdk_connection.network = rec
    app.client_manager.sdk_connection.identity.find_project.side_effect = \
        lambda *a, **k: types.SimpleNamespace(id="LOOKUP:project:%s" % (a[0] if a else k.get("name_or_id")))
    app.client_manager.sdk_connection.identity.find_domain.side_effect = \
        lambda *a, **k: types.SimpleNamespace(id="LOOKUP:domain:%s" % (a[0] if a else k.get("name_or_id")))
    cmd = cls(app, None)
    parser = cmd.get_parser("openstack " + name)
    pa = parser.parse_args(argv)
    with mock.patch("openstackclient.identity.common.find_project", fake_project), \
         mock.patch("openstackclient.identity.common.find_domain", lambda *a, **k: types.SimpleNamespace(id="LOOKUP:domain:%s" % a[1])):
        result = cmd.take_action(pa)
    if isinstance(result, types.GeneratorType):
        result = list(result)
    return rec.calls, result


def style_of(v):
    n = type(v).__name__
    return {"ListColumn": "list", "DictColumn": "dict", "ListDictColumn": "list_dict", "DictListColumn": "dict_list",
            "SizeColumn": "size"}.get(n, "raw" if isinstance(v, (str, int, float, bool, type(None), list, dict)) else n)


def value_of(v):
    return getattr(v, "_value", v)


def columns_from(result):
    if not isinstance(result, tuple) or len(result) != 2:
        return None
    heads, data = result
    data = list(data)
    if data and isinstance(data[0], (tuple, list)) and len(data[0]) == len(heads) and not isinstance(data[0], str) \
            and any(isinstance(x, (tuple, list)) for x in data):
        row = data[0]
    else:
        row = data
    cols = []
    for h, v in zip(heads, row):
        raw = value_of(v)
        key = raw[len(MARK):] if isinstance(raw, str) and raw.startswith(MARK) else None
        if isinstance(raw, dict) and MARK in raw:
            key = raw[MARK]
        if isinstance(raw, (list, tuple)) and len(raw) == 1 and isinstance(raw[0], str) and raw[0].startswith(MARK):
            key = raw[0][len(MARK):]
        if key is None and isinstance(raw, str) and raw.startswith("LOOKUP:"):
            key = "id"
        cols.append([h, key, style_of(v)])
    return cols


# Values OSC validates before sending (addresses): a valid one that is still unique.
SAMPLE_OVERRIDES = {"address": "10.211.3.4/32"}


def sample(arg):
    if arg["name"] in SAMPLE_OVERRIDES and not arg.get("flag"):
        return [SAMPLE_OVERRIDES[arg["name"]]]
    if arg["name"] == "extra_property":
        return ["type=str,name=S_name,value=S_value"]
    if arg.get("flag"):
        return []
    if arg.get("choices"):
        return [arg["choices"][0]]
    if arg.get("type") == "int" or arg["name"].endswith("_port") or arg["name"] in ("port", "minimum", "maximum"):
        # distinct per option, so a number in a learned body maps back to one option
        return [str(7000 + sum(map(ord, arg["name"])) % 997)]
    meta = arg.get("value") or ""
    if "=" in meta:
        # key=value lists: one placeholder per key, so each maps back unambiguously
        keys = re.findall(r"([\w-]+)=", meta)
        return [",".join("%s=S_%s" % (k, k.replace("-", "_")) for k in keys)]
    return ["S_" + arg["name"]]


def body_of(calls, verb):
    """The request body/query a call sequence produces, by SDK resource."""
    out = {}
    for name, args, kwargs in calls:
        cls = METHOD_RES.get(name)
        if cls is None:
            out.setdefault("other", []).append([name, [str(a) for a in args], {k: str(v) for k, v in kwargs.items()}])
            continue
        if name.startswith(("create_", "update_")):
            kwargs = dict(kwargs)
            # Nested resources (/routers/%(router_id)s/...): the parent comes as an argument.
            for param in re.findall(r"%\((\w+)\)s", cls.base_path):
                if param not in kwargs:
                    parent = next((m.group(0) for a in args for m in [re.search(r"LOOKUP:\w+:[PS]_\w+", str(a))] if m), None)
                    kwargs[param] = parent or "x"
            try:
                r = cls.new(**kwargs)
                body = r._prepare_request(requires_id=False, prepend_key=True).body
            except Exception as e:
                body = {"error": str(e)}
            out.setdefault(name, []).append(body)
        elif not name.startswith(("find_", "get_", "delete_")):
            try:
                q = cls._query_mapping._transpose(kwargs, cls)
            except Exception:
                q = kwargs
            out.setdefault(name, []).append(q)
        else:
            out.setdefault(name, []).append([str(a) for a in args])
    return out


def jsonable(x):
    return json.loads(json.dumps(x, default=str))


def diff(base, new):
    """What `new` adds to `base` (nested dicts)."""
    if isinstance(base, dict) and isinstance(new, dict):
        d = {}
        for k, v in new.items():
            if k not in base:
                d[k] = v
            else:
                sub = diff(base[k], v)
                if sub not in (None, {}, []):
                    d[k] = sub
        return d
    if isinstance(base, list) and isinstance(new, list) and len(base) == len(new):
        parts = [diff(a, b) for a, b in zip(base, new)]
        return parts if any(p not in (None, {}, []) for p in parts) else None
    return None if base == new else new


def removed(base, new, path=()):
    """Paths present in `base` and absent from `new` (an option that drops a default)."""
    out = []
    if isinstance(base, dict) and isinstance(new, dict):
        for k, v in base.items():
            if k not in new:
                out.append(list(path) + [k])
            else:
                out += removed(v, new[k], path + (k,))
    elif isinstance(base, list) and isinstance(new, list) and len(base) == len(new):
        for i, (a, b) in enumerate(zip(base, new)):
            if isinstance(a, dict):
                out += removed(a, b, path + (i,))
    return out


# Commands whose bare form argparse or OSC rejects: the smallest valid invocation.
BASE_OVERRIDES = {
    "network rbac create": ["P_rbac_object", "--type", "network", "--action", "access_as_shared",
                            "--target-project", "S_target_project"],
    "network flavor profile create": ["--driver", "S_driver"],
    "security group default statefulness create": ["--stateful"],
    "security group default statefulness set": ["P_setting", "--stateful"],
}


def main():
    out, failed = {}, []
    for name, spec in sorted(SURFACE.items()):
        pos = [a for a in spec["args"] if "long" not in a]
        base_argv = []
        for a in pos:
            if a.get("required") or a.get("multiple"):
                base_argv += ["P_" + a["name"]]
        # options required by argparse
        for a in spec["args"]:
            if "long" in a and a.get("required"):
                base_argv += [a["long"]] + sample(a)
        base_argv = BASE_OVERRIDES.get(name, base_argv)
        entry = {"base": base_argv, "samples": {a["name"]: sample(a) for a in spec["args"] if "long" in a}}
        try:
            calls, result = run(name, base_argv)
            entry["calls"] = [[c[0], [str(x) for x in c[1]], {k: str(v) for k, v in c[2].items()}] for c in calls]
            entry["resources"] = {c[0]: res_info(METHOD_RES[c[0]]) for c in calls if c[0] in METHOD_RES}
            entry["columns"] = columns_from(result)
            base_body = jsonable(body_of(calls, None))
            entry["body"] = base_body
        except BaseException as e:
            failed.append((name, "base: %s: %s" % (type(e).__name__, e)))
            out[name] = entry
            continue
        opts = {}
        for a in spec["args"]:
            optional_positional = "long" not in a and not a.get("required") and not a.get("multiple")
            if not optional_positional and ("long" not in a or a.get("required") or a["long"] in base_argv):
                continue
            if optional_positional:
                argv = base_argv + ["P_" + a["name"]]
            else:
                argv = base_argv + [a["long"]] + sample(a)
            ref_body, context = base_body, []
            try:
                try:
                    calls, result = run(name, argv)
                except Exception as e:
                    # Options that need another one ("You must specify '--external-gateway'"):
                    # learn them next to it, as the difference against it alone.
                    m = re.search(r"specify '(--[\w-]+)'", str(e))
                    other = next((x for x in spec["args"] if m and x.get("long") == m.group(1)), None)
                    if other is None:
                        raise
                    context = [other["long"]] + sample(other)
                    c0, _ = run(name, base_argv + context)
                    ref_body = jsonable(body_of(c0, None))
                    calls, result = run(name, base_argv + context + [a["long"]] + sample(a))
            except BaseException as e:
                opts[a["name"]] = {"error": "%s: %s" % (type(e).__name__, str(e)[:200])}
                continue
            b = jsonable(body_of(calls, None))
            d = diff(ref_body, b)
            o = {"adds": d, "sample": ["P_" + a["name"]] if optional_positional else sample(a)}
            gone = [p for p in removed(ref_body, b) if not p[0].startswith(("find_", "get_"))]
            if gone:
                o["removes"] = gone
            if context:
                o["needs"] = context[0]
            cols = columns_from(result)
            if a["name"] == "long" or (cols is not None and cols != entry.get("columns")):
                o["columns"] = cols
            opts[a["name"]] = o
        entry["options"] = opts
        out[name] = entry
    out["_finders"] = {m[len("find_"):]: res_info(c) for m, c in METHOD_RES.items() if m.startswith("find_")}
    path = os.path.join(HERE, "..", "osc-impl.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True, default=str)
        f.write("\n")
    print("learned %d commands; failed: %d" % (len(out) - len(failed), len(failed)))
    for n, e in failed:
        print("  ", n, e[:200])


if __name__ == "__main__":
    main()
