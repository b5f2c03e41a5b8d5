"""Seed the devcloud like DevStack does.  Idempotent.

    python -m osc_devcloud.seed identity    # after keystone answers
    python -m osc_devcloud.seed resources   # after everything answers

Reads OS_CLIENT_CONFIG_FILE and DEVCLOUD_SERVICES from the environment.
"""
import hashlib
import json
import os
import sys
import time

import openstack

PASSWORD = "secret"
REGION = "RegionOne"
IP = "127.0.0.1"
IMAGE_NAME = "cirros-0.6.3-x86_64-disk"

# DevStack's service catalog: (name, type, description, url)
CATALOG = {
    "glance": [("glance", "image", "Glance Image Service",
                "http://%s:9292" % IP)],
    "placement": [("placement", "placement", "Placement Service",
                   "http://%s:8778" % IP)],
    "nova": [("nova", "compute", "Nova Compute Service",
              "http://%s:8774/v2.1" % IP)],
    "neutron": [("neutron", "network", "Neutron Service",
                 "http://%s:9696" % IP)],
    "cinder": [("cinder", "block-storage", "Cinder Volume Service",
                "http://%s:8776/v3" % IP),
               ("cinderv3", "volumev3", "Cinder Volume Service V3",
                "http://%s:8776/v3" % IP)],
    "swift": [("swift", "object-store", "Swift Service",
               "http://%s:8080/v1/AUTH_$(project_id)s" % IP)],
}

# DevStack's flavors (lib/nova create_flavors) plus tempest's nano/micro.
FLAVORS = [
    ("m1.nano", "42", 128, 1, 1),
    ("m1.micro", "84", 192, 1, 1),
    ("m1.tiny", "1", 512, 1, 1),
    ("m1.small", "2", 2048, 20, 1),
    ("m1.medium", "3", 4096, 40, 2),
    ("m1.large", "4", 8192, 80, 4),
    ("m1.xlarge", "5", 16384, 160, 8),
    ("cirros256", "c1", 256, 1, 1),
    ("ds512M", "d1", 512, 5, 1),
    ("ds1G", "d2", 1024, 10, 1),
    ("ds2G", "d3", 2048, 10, 2),
    ("ds4G", "d4", 4096, 20, 4),
]


def log(msg):
    print("seed: %s" % msg, flush=True)


def services():
    raw = os.environ.get("DEVCLOUD_SERVICES", "")
    return set(s.strip() for s in raw.split(",") if s.strip())


def hook_catalog():
    """{service: {"users": [...], "catalog": [[name, type, desc, url]...]}}
    of the selected hook services (DEVCLOUD_CATALOG, written by up)."""
    return json.loads(os.environ.get("DEVCLOUD_CATALOG") or "{}")


def connect(cloud):
    last = None
    for _ in range(30):
        try:
            conn = openstack.connect(cloud=cloud)
            conn.authorize()
            return conn
        except Exception as e:  # keystone may still be warming up
            last = e
            time.sleep(1)
    raise SystemExit("seed: cannot authenticate as %s: %s" % (cloud, last))


# ----------------------------------------------------------------- identity

def role(idc, name):
    r = idc.find_role(name)
    return r or idc.create_role(name=name)


def project(idc, name, desc):
    p = idc.find_project(name, domain_id="default")
    return p or idc.create_project(name=name, domain_id="default",
                                   description=desc)


def user(idc, name, default_project=None):
    u = idc.find_user(name, domain_id="default")
    if u:
        return u
    kw = {"name": name, "password": PASSWORD, "domain_id": "default"}
    if default_project:
        kw["default_project_id"] = default_project.id
    return idc.create_user(**kw)


def grant(idc, r, u, p):
    if not idc.validate_user_has_project_role(p, u, r):
        idc.assign_project_role_to_user(p, u, r)


def seed_identity(conn, svcs):
    idc = conn.identity
    roles = {n: role(idc, n) for n in
             ("admin", "member", "reader", "service", "ResellerAdmin",
              "anotherrole")}
    admin_p = project(idc, "admin", "Bootstrap project")
    service_p = project(idc, "service", "Service project")
    demo_p = project(idc, "demo", "Demo project")
    alt_p = project(idc, "alt_demo", "Alternate demo project")
    project(idc, "invisible_to_admin", "Invisible to admin")
    admin = idc.find_user("admin", domain_id="default")
    demo = user(idc, "demo", demo_p)
    alt = user(idc, "alt_demo", alt_p)
    grant(idc, roles["admin"], admin, admin_p)
    grant(idc, roles["admin"], admin, demo_p)
    grant(idc, roles["admin"], admin, alt_p)
    grant(idc, roles["member"], demo, demo_p)
    grant(idc, roles["anotherrole"], demo, demo_p)
    grant(idc, roles["member"], alt, alt_p)
    hooks = hook_catalog()
    names = [n for n in ("glance", "placement", "nova", "neutron", "cinder",
                         "swift") if n in svcs]
    names += [u for h in hooks.values() for u in h["users"]]
    for name in names:
        u = user(idc, name)
        grant(idc, roles["admin"], u, service_p)
        grant(idc, roles["service"], u, service_p)
    existing = {(s.name, s.type): s for s in idc.services()}
    endpoints = [(e.service_id, e.interface) for e in idc.endpoints()]
    catalog = dict(CATALOG)
    catalog.update((k, [tuple(c) for c in h["catalog"]])
                   for k, h in hooks.items())
    for key in catalog:
        if key not in svcs:
            continue
        for name, stype, desc, url in catalog[key]:
            s = existing.get((name, stype))
            if not s:
                s = idc.create_service(name=name, type=stype,
                                       description=desc, is_enabled=True)
            for iface in ("public", "internal", "admin"):
                if (s.id, iface) in endpoints:
                    continue
                u = url
                if stype == "object-store" and iface == "admin":
                    u = "http://%s:8080" % IP
                idc.create_endpoint(service_id=s.id, interface=iface, url=u,
                                    region_id=REGION, is_enabled=True)
    log("identity done")


# ---------------------------------------------------------------- resources

def seed_flavors(conn):
    have = {f.name for f in conn.compute.flavors(is_public=None)}
    for name, fid, ram, disk, vcpus in FLAVORS:
        if name not in have:
            conn.compute.create_flavor(name=name, id=fid, ram=ram, disk=disk,
                                       vcpus=vcpus, is_public=True)
    log("flavors done")


def image_payload():
    # Glance inspects uploads: these plain bytes are declared "raw".
    block = b"osc devcloud test image (stands in for cirros)\n"
    data = (block * (1024 * 1024 // len(block) + 1))[:1024 * 1024]
    return data


def seed_image(conn):
    img = conn.image.find_image(IMAGE_NAME)
    if img and img.status == "active":
        log("image exists")
        return
    if img:
        conn.image.delete_image(img)
    data = image_payload()
    conn.image.create_image(
        name=IMAGE_NAME, disk_format="raw", container_format="bare",
        visibility="public", data=data, validate_checksum=False)
    img = conn.image.find_image(IMAGE_NAME)
    for _ in range(60):
        img = conn.image.get_image(img.id)
        if img.status == "active":
            break
        time.sleep(0.5)
    log("image %s %s (md5 %s)" % (IMAGE_NAME, img.status,
                                  hashlib.md5(data).hexdigest()))


# DevStack's default subnet pools (lib/neutron_plugins/services/l3:
# SUBNETPOOL_PREFIX_V4/V6, SUBNETPOOL_SIZE_V4/V6), shared and default, so
# `network auto allocated topology create` and `--use-default-subnet-pool`
# work.  The IPv6 ones are in an address scope with the IPv6 subnet of
# `public`: router NDP proxies need the external network and the internal
# one in the same IPv6 address scope.
ADDRESS_SCOPE_V6 = "shared-address-scope-v6"
POOL_V4 = ("shared-default-subnetpool-v4", ["10.0.0.0/22"], 26)
POOL_V6 = ("shared-default-subnetpool-v6", ["fd00:db8::/56"], 64)
PUBLIC_POOL_V6 = ("public-subnetpool-v6", ["2001:db8::/64"], 64)


def subnet_pool(net, name, prefixes, size, **kw):
    pool = net.find_subnet_pool(name)
    return pool or net.create_subnet_pool(
        name=name, prefixes=prefixes, default_prefix_length=size, **kw)


def seed_network(conn):
    net = conn.network
    demo = conn.identity.find_project("demo", domain_id="default")
    scope6 = net.find_address_scope(ADDRESS_SCOPE_V6)
    if not scope6:
        scope6 = net.create_address_scope(name=ADDRESS_SCOPE_V6, ip_version=6,
                                          is_shared=True)
    pool4 = subnet_pool(net, *POOL_V4, is_shared=True, is_default=True)
    subnet_pool(net, *POOL_V6, is_shared=True, is_default=True,
                address_scope_id=scope6.id)
    public_pool6 = subnet_pool(net, *PUBLIC_POOL_V6,
                               address_scope_id=scope6.id)
    public = net.find_network("public")
    if not public:
        public = net.create_network(
            name="public", is_router_external=True, is_default=True,
            provider_network_type="flat",
            provider_physical_network="public")
    if not net.find_subnet("public-subnet", network_id=public.id):
        net.create_subnet(
            name="public-subnet", network_id=public.id, ip_version=4,
            cidr="172.24.4.0/24", gateway_ip="172.24.4.1",
            allocation_pools=[{"start": "172.24.4.2", "end": "172.24.4.254"}],
            is_dhcp_enabled=False)
    private = net.find_network("private", project_id=demo.id)
    if not private:
        private = net.create_network(name="private", project_id=demo.id)
    subnet = net.find_subnet("private-subnet", network_id=private.id)
    if not subnet:
        # from the pool, as DevStack does (which allocates 10.0.0.0/26)
        subnet = net.create_subnet(
            name="private-subnet", network_id=private.id, ip_version=4,
            cidr="10.0.0.0/26", gateway_ip="10.0.0.1", project_id=demo.id,
            subnet_pool_id=pool4.id)
    elif not subnet.subnet_pool_id:
        # seeded before the pools existed
        net.onboard_network_subnets(pool4, private)
    router = net.find_router("router1", project_id=demo.id)
    if not router:
        router = net.create_router(
            name="router1", project_id=demo.id,
            external_gateway_info={"network_id": public.id})
        net.add_interface_to_router(router, subnet_id=subnet.id)
    # After router1, which keeps an IPv4-only gateway on every cloud, old
    # or new.
    if not net.find_subnet("ipv6-public-subnet", network_id=public.id):
        net.create_subnet(
            name="ipv6-public-subnet", network_id=public.id, ip_version=6,
            cidr="2001:db8::/64", gateway_ip="2001:db8::2",
            subnet_pool_id=public_pool6.id, is_dhcp_enabled=False)
    log("network done")


def seed_volume_type(conn):
    bs = conn.block_storage
    t = bs.find_type("lvmdriver-1")
    if not t:
        bs.create_type(name="lvmdriver-1", is_public=True,
                       extra_specs={"volume_backend_name": "lvmdriver-1"})
    log("volume type done")


def wait_hypervisor(conn):
    for _ in range(120):
        if list(conn.compute.hypervisors()):
            rps = list(conn.placement.resource_providers())
            if rps:
                log("hypervisor and resource provider present")
                return
        time.sleep(1)
    raise SystemExit("seed: nova-compute never showed up as a hypervisor")


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "resources"
    svcs = services()
    conn = connect("devstack-admin")
    if phase == "identity":
        seed_identity(conn, svcs)
        return
    if "nova" in svcs:
        seed_flavors(conn)
    if "glance" in svcs:
        seed_image(conn)
    if "neutron" in svcs:
        seed_network(conn)
    if "cinder" in svcs:
        seed_volume_type(conn)
    if "nova" in svcs:
        wait_hypervisor(conn)


if __name__ == "__main__":
    main()
