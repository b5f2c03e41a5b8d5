"""Ironic (Layer 2, bare metal): API + conductor, fake-hardware only.

Nodes of the `fake-hardware` type with the fake interfaces go through the
whole state machine (enroll, manage, provide, deploy, rescue, clean) without
touching any hardware, network or image; network interface `noop`.
Like devstack/lib/ironic: service `ironic`/`baremetal`, user `ironic`
(admin + service in service), `ironic-dbsync`,
rbac_service_role_elevated_access.  oslo.policy always enforces scope now:
nodes, ports... work with project admin (devstack-admin); drivers and
conductors need system scope (devstack-system-admin).
"""

LAYER = 2
DEPENDS = ["keystone"]
PIP = ["ironic==39.0.0"]
DATABASES = ["ironic"]
RABBIT = True
PORTS = {"ironic-api": 6385}
RPC_UNITS = {"ironic-conductor"}
USERS = ["ironic"]
CATALOG = [("ironic", "baremetal", "Ironic baremetal provisioning service",
            "http://127.0.0.1:6385")]

FAKE = {  # interface -> enabled implementations (the first is the default)
    "bios": "fake,no-bios", "boot": "fake", "console": "fake,no-console",
    "deploy": "fake", "firmware": "fake,no-firmware",
    "inspect": "fake,no-inspect", "management": "fake", "network": "noop",
    "power": "fake", "raid": "fake,no-raid", "rescue": "fake,no-rescue",
    "storage": "noop,fake", "vendor": "fake,no-vendor",
}


def conf(dc):
    return dc.ETC / "ironic" / "ironic.conf"


def configure(dc):
    default = {
        "debug": False, "use_stderr": False, "host": "devcloud",
        "my_ip": dc.IP, "state_path": dc.DATA / "ironic",
        "auth_strategy": "keystone", "transport_url": dc.TRANSPORT_URL,
        "rpc_transport": "oslo", "enabled_hardware_types": "fake-hardware",
        "rbac_service_role_elevated_access": True,
        "minimum_required_memory": 256,
    }
    for iface, impls in FAKE.items():
        default["enabled_%s_interfaces" % iface] = impls
        default["default_%s_interface" % iface] = impls.split(",")[0]
    clients = {s: dc.service_auth("ironic") for s in
               ("service_catalog", "glance", "neutron", "cinder", "swift",
                "nova", "inspector")}
    clients["nova"]["send_power_notifications"] = False
    dc.write(conf(dc), dc.ini(dict({
        "DEFAULT": default,
        "api": {"host_ip": dc.IP, "port": 6385, "api_workers": 1},
        "conductor": {
            # one small conductor, slow periodic tasks; threads are cheap, and a
            # pool of 8 filled up with periodic work and refused every action with
            # "lack of free conductor workers" (HTTP 503)
            "workers_pool_size": 64, "reserved_workers_pool_percentage": 25,
            "periodic_max_workers": 1,
            "sync_power_state_workers": 1,
            "heartbeat_interval": 30, "heartbeat_timeout": 120,
            # fake-hardware keeps its power state in Ironic's own database, so
            # the sync has nothing to learn; all it does is clear a failed
            # node's last_error ("confirmed power state match") within a
            # minute, under the tests that read it
            "sync_power_state_interval": 0,
            "check_provision_state_interval": 60,
            "check_rescue_state_interval": 60,
            "check_allocations_interval": 60,
            "sync_local_state_interval": 600,
            "automated_clean": True,
        },
        "database": {"connection": dc.db_url("ironic")},
        "keystone_authtoken": dc.authtoken("ironic"),
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": dc.DATA / "ironic" / "lock"},
        "dhcp": {"dhcp_provider": "none"},
        "deploy": {"erase_devices_priority": 0, "fast_track": False},
    }, **clients)))
    (dc.DATA / "ironic" / "lock").mkdir(parents=True, exist_ok=True)


def setup(dc, log):
    dc.run([dc.BIN / "ironic-dbsync", "--config-file", conf(dc)], log=log)


def units(dc):
    return [
        dc.gunicorn("ironic-api", 6385, "ironic.wsgi", {},
                    args="--config-file %s" % conf(dc))
        + (dc.http_probe(6385),),
        ("ironic-conductor", [dc.BIN / "ironic-conductor", "--config-file",
                              conf(dc)], {},
         dc.sql_probe("SELECT COUNT(*) FROM ironic.conductors WHERE online=1 "
                      "AND COALESCE(updated_at, created_at) >= '{since}'")),
    ]
