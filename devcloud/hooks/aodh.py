"""Aodh (Layer 3, telemetry alarming): aodh-api, aodh-evaluator,
aodh-notifier (no aodh-listener: nothing here emits the events that event
alarms evaluate; event alarms can still be created and listed).

Alarms in the devcloud's MariaDB (`aodh-dbsync`); gnocchi threshold,
event and composite alarms; the evaluator runs every 60 s.  Like DevStack's
aodh plugin: service `aodh`/`alarming` at :8042, user `aodh` (admin +
service in service).
"""

LAYER = 3
DEPENDS = ["keystone", "gnocchi"]
PIP = ["aodh==23.0.0"]
DATABASES = ["aodh"]
RABBIT = True
PORTS = {"aodh-api": 8042}
RPC_UNITS = {"aodh-evaluator", "aodh-notifier"}
USERS = ["aodh"]
CATALOG = [("aodh", "alarming", "OpenStack Alarming Service",
            "http://127.0.0.1:8042")]


def conf(dc):
    return dc.ETC / "aodh" / "aodh.conf"


def configure(dc):
    paste = dc.ETC / "aodh" / "api-paste.ini"
    dc.write(paste, dc.paste_ini_with_conf("aodh/api/api-paste.ini", "aodh",
                                           conf(dc)))
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {"debug": False, "use_stderr": True,
                    "transport_url": dc.TRANSPORT_URL},
        "api": {"paste_config": paste, "auth_mode": "keystone",
                "gnocchi_external_project_owner": "service"},
        "database": {"connection": dc.db_url("aodh")},
        "keystone_authtoken": dc.authtoken("aodh"),
        "service_credentials": dc.service_auth("aodh", interface="public"),
        "evaluator": {"workers": 1, "evaluation_interval": 60},
        "notifier": {"workers": 1},
        "listener": {"workers": 1},
        "oslo_concurrency": {"lock_path": dc.DATA / "aodh" / "lock"},
    }))
    (dc.DATA / "aodh" / "lock").mkdir(parents=True, exist_ok=True)


def setup(dc, log):
    dc.run([dc.BIN / "aodh-dbsync", "--config-file", conf(dc)], log=log)


def units(dc):
    c = ["--config-file", conf(dc)]
    return [
        dc.gunicorn("aodh-api", 8042, "aodh.api.app:build_wsgi_app", {},
                    args="--config-file %s" % conf(dc))
        + (dc.http_probe(8042),),
        ("aodh-evaluator", [dc.BIN / "aodh-evaluator"] + c, {},
         dc.log_probe("aodh-evaluator", "initiating evaluation cycle")),
        ("aodh-notifier", [dc.BIN / "aodh-notifier"] + c, {},
         dc.alive_probe("aodh-notifier")),
    ]
