#!/usr/bin/env python3
"""A zero-latency OpenStack fixture for benchmarks: Keystone auth, and Nova, Glance, Neutron
and Swift listings of N pre-generated objects. It measures the clients, not the cloud.

usage: fixture_server.py --servers N [--images M] [--ports K] [--objects J] [--port P]
Prints "PORT <n>" on stdout once listening. Only 127.0.0.1.
"""
import argparse
import json
import sys
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROJECT = "b" * 32
USER = "c" * 32
TOKEN = "fixture-token-" + "x" * 40


def server_doc(i, image_id, flavor):
    sid = str(uuid.UUID(int=i + 1))
    return {
        "id": sid, "name": f"bench-{i:05d}", "status": "ACTIVE", "tenant_id": PROJECT, "user_id": USER,
        "metadata": {}, "hostId": "h" * 56, "image": {"id": image_id, "links": []},
        "flavor": flavor, "created": "2026-11-25T10:00:00Z", "updated": "2026-11-25T10:00:05Z",
        "addresses": {"private": [{"version": 4, "addr": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                                   "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"}]},
        "accessIPv4": "", "accessIPv6": "", "links": [], "OS-DCF:diskConfig": "MANUAL", "progress": 0,
        "OS-EXT-AZ:availability_zone": "nova", "config_drive": "", "key_name": None,
        "OS-SRV-USG:launched_at": "2026-11-25T10:00:05.000000", "OS-SRV-USG:terminated_at": None,
        "security_groups": [{"name": "default"}], "OS-EXT-STS:task_state": None,
        "OS-EXT-STS:vm_state": "active", "OS-EXT-STS:power_state": 1,
        "os-extended-volumes:volumes_attached": [], "locked": False, "description": None, "tags": [],
        "trusted_image_certificates": None, "server_groups": [], "locked_reason": None,
        "host_status": "UP", "pinned_availability_zone": None,
    }


def image_doc(i):
    iid = str(uuid.UUID(int=(1 << 100) + i))
    return {"id": iid, "name": f"bench-image-{i:05d}", "status": "active", "visibility": "public",
            "protected": False, "owner": PROJECT, "size": 1024, "disk_format": "raw",
            "container_format": "bare", "checksum": "0" * 32, "os_hash_algo": "sha512",
            "os_hash_value": "0" * 128, "min_disk": 0, "min_ram": 0, "tags": [],
            "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:00Z",
            "self": f"/v2/images/{iid}", "file": f"/v2/images/{iid}/file", "schema": "/v2/schemas/image",
            "virtual_size": None, "os_hidden": False}


def port_doc(i):
    pid = str(uuid.UUID(int=(2 << 100) + i))
    net = str(uuid.UUID(int=3 << 100))
    return {
        "id": pid, "name": f"bench-port-{i:05d}", "network_id": net, "tenant_id": PROJECT,
        "project_id": PROJECT, "mac_address": f"fa:16:3e:{i // 65536 % 256:02x}:{i // 256 % 256:02x}:{i % 256:02x}",
        "admin_state_up": True, "status": "ACTIVE", "device_id": "", "device_owner": "",
        "fixed_ips": [{"subnet_id": str(uuid.UUID(int=4 << 100)),
                       "ip_address": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}],
        "allowed_address_pairs": [], "extra_dhcp_opts": [], "security_groups": [str(uuid.UUID(int=5 << 100))],
        "description": "", "binding:vnic_type": "normal", "binding:profile": {}, "binding:host_id": "",
        "binding:vif_type": "unbound", "binding:vif_details": {}, "port_security_enabled": True,
        "dns_name": "", "dns_assignment": [], "qos_policy_id": None, "qos_network_policy_id": None,
        "propagate_uplink_status": False, "tags": [], "created_at": "2026-11-25T10:00:00Z",
        "updated_at": "2026-11-25T10:00:00Z", "revision_number": 1,
    }


def object_doc(i):
    return {"name": f"bench/object-{i:05d}", "hash": "0" * 32, "bytes": 1024 + i,
            "content_type": "application/octet-stream", "last_modified": "2026-11-25T10:00:00.000000"}


def build(args, port):
    base = f"http://127.0.0.1:{port}"
    flavor = {"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "swap": 0, "original_name": "m1.tiny",
              "extra_specs": {}}
    images = [image_doc(i) for i in range(max(args.images, 1))]
    servers = [server_doc(i, images[0]["id"], flavor) for i in range(args.servers)]
    ep = lambda t, name, url: {"type": t, "name": name, "id": t, "endpoints": [
        {"id": t + i, "interface": i, "region": "RegionOne", "region_id": "RegionOne", "url": url}
        for i in ("public", "internal", "admin")]}
    catalog = [ep("identity", "keystone", f"{base}/identity"), ep("compute", "nova", f"{base}/compute/v2.1"),
               ep("image", "glance", f"{base}/image"), ep("network", "neutron", f"{base}/network"),
               ep("object-store", "swift", f"{base}/object-store/v1/AUTH_{PROJECT}")]
    token = {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
                       "issued_at": "2026-11-25T10:00:00.000000Z", "audit_ids": ["a"],
                       "user": {"id": USER, "name": "bench", "domain": {"id": "default", "name": "Default"}},
                       "project": {"id": PROJECT, "name": "bench", "domain": {"id": "default", "name": "Default"}},
                       "roles": [{"id": "r", "name": "admin"}], "catalog": catalog, "is_domain": False}}
    identity_version = {"version": {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
                                    "links": [{"rel": "self", "href": f"{base}/identity/v3/"}],
                                    "media-types": [{"base": "application/json",
                                                     "type": "application/vnd.openstack.identity-v3+json"}]}}
    compute_version = {"version": {"id": "v2.1", "status": "CURRENT", "version": "2.96", "min_version": "2.1",
                                   "updated": "2013-07-23T11:33:21Z",
                                   "links": [{"rel": "self", "href": f"{base}/compute/v2.1/"}]}}
    image_versions = {"versions": [{"id": "v2.17", "status": "CURRENT",
                                    "links": [{"rel": "self", "href": f"{base}/image/v2/"}]}]}
    network_versions = {"versions": [{"id": "v2.0", "status": "CURRENT",
                                      "links": [{"rel": "self", "href": f"{base}/network/v2.0/"}]}]}
    flavor_full = {"id": "1", "name": "m1.tiny", "ram": 512, "disk": 1, "vcpus": 1, "swap": 0,
                   "OS-FLV-EXT-DATA:ephemeral": 0, "rxtx_factor": 1.0, "os-flavor-access:is_public": True,
                   "OS-FLV-DISABLED:disabled": False, "description": None, "extra_specs": {}, "links": []}
    enc = lambda o: json.dumps(o).encode()
    return {
        ("GET", "/identity"): enc({"versions": {"values": [identity_version["version"]]}}),
        ("GET", "/identity/v3"): enc(identity_version),
        ("POST", "/identity/v3/auth/tokens"): enc(token),
        ("GET", "/compute"): enc({"versions": [compute_version["version"]]}),
        ("GET", "/compute/v2.1"): enc(compute_version),
        ("GET", "/compute/v2.1/servers/detail"): enc({"servers": servers}),
        ("GET", "/compute/v2.1/flavors/detail"): enc({"flavors": [flavor_full]}),
        ("GET", "/compute/v2.1/flavors/1"): enc({"flavor": flavor_full}),
        ("GET", "/image"): enc(image_versions),
        ("GET", "/image/v2/images"): enc({"images": images, "schema": "/v2/schemas/images", "first": "/v2/images"}),
        ("GET", "/network"): enc(network_versions),
        ("GET", "/network/v2.0/networks"): enc({"networks": []}),
        ("GET", "/network/v2.0/ports"): enc({"ports": [port_doc(i) for i in range(args.ports)]}),
        ("GET", f"/object-store/v1/AUTH_{PROJECT}/bench"): enc([object_doc(i) for i in range(args.objects)]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", type=int, default=0)
    ap.add_argument("--images", type=int, default=1)
    ap.add_argument("--ports", type=int, default=0)
    ap.add_argument("--objects", type=int, default=0)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    routes = {}
    listings = {}
    made = {}

    def page_of(path, pages, q):
        """One page of a listing, as Nova and Glance paginate: at most `limit` (Nova's and
        Glance's default max_limit, 1000) items after `marker`, and a link to the next page."""
        key, items, index = pages
        if key is None:
            # Swift: a bare JSON list of at most 10,000 names after `marker` (marker is a
            # name: every name sorts after the ones before it); the client asks again
            # until a page comes back empty.
            limit = min(int(q.get("limit", ["10000"])[0]), 10000)
            marker = q.get("marker", [""])[0]
            start = next((i for i, it in enumerate(items) if it["name"] > marker), len(items)) if marker else 0
            return json.dumps(items[start:start + limit]).encode()
        limit = min(int(q.get("limit", ["1000"])[0]), 1000)
        start = index[q["marker"][0]] + 1 if "marker" in q and q["marker"][0] in index else 0
        chunk = items[start:start + limit]
        doc = {key: chunk}
        if start + limit < len(items) and chunk:
            marker = chunk[-1]["id"]
            if key == "images":
                doc["next"] = f"/v2/images?marker={marker}&limit={limit}"
            else:
                base = f"http://127.0.0.1:{httpd.server_address[1]}{path}"
                doc[f"{key}_links"] = [{"rel": "next", "href": f"{base}?marker={marker}&limit={limit}"}]
        return json.dumps(doc).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def handle_one(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?", 1)[0].rstrip("/")
            query = self.path.split("?", 1)[1] if "?" in self.path else ""
            body = routes.get((method, path))
            pages = listings.get(path) if method == "GET" else None
            if pages is not None:
                # Pages are made once: the fixture measures the clients, not json.dumps.
                if (path, query) not in made:
                    made[(path, query)] = page_of(path, pages, urllib.parse.parse_qs(query))
                body = made[(path, query)]
            if body is None:
                body, status = b'{"itemNotFound": {"code": 404, "message": "not in fixture"}}', 404
            else:
                status = 201 if method == "POST" else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if method == "POST" and path.endswith("/auth/tokens"):
                self.send_header("X-Subject-Token", TOKEN)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.handle_one("GET")

        def do_POST(self):
            self.handle_one("POST")

    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    routes.update(build(args, httpd.server_address[1]))
    # Listings are served in pages; keep their items decoded.
    for path, key in (("/compute/v2.1/servers/detail", "servers"), ("/compute/v2.1/flavors/detail", "flavors"),
                      ("/image/v2/images", "images")):
        items = json.loads(routes.pop(("GET", path)))[key]
        listings[path] = (key, items, {it["id"]: i for i, it in enumerate(items)})
    objects = f"/object-store/v1/AUTH_{PROJECT}/bench"
    listings[objects] = (None, json.loads(routes.pop(("GET", objects))), None)
    print(f"PORT {httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
