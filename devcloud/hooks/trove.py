"""Trove (Layer 4, database): trove-api, trove-conductor,
trove-taskmanager, one worker each; datastore `mysql` with version
`5.7.29` (manager mysql, guest image by tag `trove`) registered with
trove-manage, as DevStack's trove plugin does.

There is no guest agent and no guest image here: the datastore, its
versions, flavors and volume types are listed; creating an instance
reaches Nova (a fake server) but the instance never becomes ACTIVE
(nothing answers on the guest's RPC queue), so backups, users, databases
and configurations of a running instance cannot work.  Like DevStack:
service `trove`/`database` at :8779/v1.0/$(project_id)s, user `trove`
(admin + service in service).
"""

LAYER = 4
DEPENDS = ["keystone", "nova", "neutron", "cinder"]
PIP = ["trove==26.0.0"]
DATABASES = ["trove"]
RABBIT = True
PORTS = {"trove-api": 8779}
RPC_UNITS = {"trove-conductor", "trove-taskmanager"}
USERS = ["trove"]
CATALOG = [("trove", "database", "Trove Service",
            "http://127.0.0.1:8779/v1.0/$(project_id)s")]
DATASTORE, VERSION = "mysql", "5.7.29"


def conf(dc):
    return dc.ETC / "trove" / "trove.conf"


def configure(dc):
    dc.copy_paste_ini("trove", "api-paste.ini")
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {
            "debug": False, "use_stderr": True,
            "transport_url": dc.TRANSPORT_URL, "control_exchange": "trove",
            "taskmanager_manager": "trove.taskmanager.manager.Manager",
            "bind_host": dc.IP, "bind_port": 8779,
            "trove_api_workers": 1, "trove_conductor_workers": 1,
            "api_paste_config": dc.ETC / "trove" / "api-paste.ini",
            "controller_address": dc.IP,
            "default_datastore": DATASTORE,
            "network_driver": "trove.network.neutron.NeutronDriver",
            "cinder_volume_type": "lvmdriver-1",
            "report_interval": 60,
        },
        "database": {"connection": dc.db_url("trove")},
        "keystone_authtoken": dc.authtoken("trove"),
        "service_credentials": dc.service_auth("trove"),
        "cache": {"enabled": True, "backend": "dogpile.cache.memory"},
        "instance_ports_cache": {"caching": False},
        "mysql": {"tcp_ports": "3306"},
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": dc.DATA / "trove" / "lock"},
    }))
    (dc.DATA / "trove" / "lock").mkdir(parents=True, exist_ok=True)


def manage(dc, *args):
    dc.run([dc.BIN / "trove-manage", "--config-file", conf(dc)] + list(args),
           log=dc.LOG / "trove-setup.log")


def setup(dc, log):
    manage(dc, "db_sync")


def seed(dc):
    manage(dc, "datastore_update", DATASTORE, "")
    manage(dc, "datastore_version_update", DATASTORE, VERSION, DATASTORE, "",
           "", "1", "--image-tags", "trove")
    manage(dc, "datastore_update", DATASTORE, VERSION)


def units(dc):
    c = ["--config-file", conf(dc)]
    return [
        # trove's own eventlet server: its WSGI module monkey-patches
        # eventlet and hangs under gunicorn's threads
        ("trove-api", [dc.BIN / "trove-api"] + c, {}, dc.http_probe(8779)),
        ("trove-conductor", [dc.BIN / "trove-conductor"] + c, {},
         dc.alive_probe("trove-conductor")),
        ("trove-taskmanager", [dc.BIN / "trove-taskmanager"] + c, {},
         dc.alive_probe("trove-taskmanager")),
    ]
