"""Gnocchi (Layer 3, telemetry): gnocchi-api + gnocchi-metricd.

File storage (and incoming) in data/gnocchi, indexer in the devcloud's
MariaDB, `gnocchi-upgrade` (which creates the default archive policies),
coordination through files.  One metricd worker; it looks for new measures
every 60 s (`measures show --refresh` processes them at once).
Like DevStack's gnocchi plugin: service `gnocchi`/`metric` at :8041, user
`gnocchi` (admin + service in service).
"""

LAYER = 3
DEPENDS = ["keystone"]
PIP = ["gnocchi[mysql,file]==4.7.1"]
DATABASES = ["gnocchi"]
PORTS = {"gnocchi-api": 8041}
RPC_UNITS = {"gnocchi-metricd"}
USERS = ["gnocchi"]
CATALOG = [("gnocchi", "metric", "OpenStack Metric Service",
            "http://127.0.0.1:8041")]


def conf(dc):
    return dc.ETC / "gnocchi" / "gnocchi.conf"


def configure(dc):
    data = dc.DATA / "gnocchi"
    for d in ("storage", "locks"):
        (data / d).mkdir(parents=True, exist_ok=True)
    paste = dc.ETC / "gnocchi" / "api-paste.ini"
    # keystonemiddleware reads its options from this file, not /etc/gnocchi
    dc.write(paste, dc.paste_ini_with_conf("gnocchi/rest/api-paste.ini",
                                           "gnocchi", conf(dc)))
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {"debug": False, "use_stderr": True,
                    "coordination_url": "file://%s" % (data / "locks"),
                    "parallel_operations": 1},
        "api": {"auth_mode": "keystone", "paste_config": paste,
                "host": dc.IP, "port": 8041},
        "indexer": {"url": dc.db_url("gnocchi")},
        "storage": {"driver": "file", "file_basepath": data / "storage"},
        "metricd": {"workers": 1, "metric_processing_delay": 60,
                    "metric_reporting_delay": 600,
                    "metric_cleanup_delay": 600, "processing_replicas": 1},
        "keystone_authtoken": dc.authtoken("gnocchi"),
    }))


def setup(dc, log):
    dc.run([dc.BIN / "gnocchi-upgrade", "--config-file", conf(dc)], log=log)


def units(dc):
    return [
        dc.gunicorn("gnocchi-api", 8041, "gnocchi.rest.wsgi", {},
                    args="--config-file %s" % conf(dc))
        + (dc.http_probe(8041),),
        ("gnocchi-metricd", [dc.BIN / "gnocchi-metricd", "--config-file",
                             conf(dc)], {},
         dc.log_probe("gnocchi-metricd", "Joined coordination group")),
    ]
