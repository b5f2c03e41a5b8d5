"""Zaqar (Layer 4, messaging): zaqar-server (WSGI transport) with Redis
from Debian's packages as the message store (unit `zaqar-redis`,
127.0.0.1:6379, in memory only: messages do not survive a restart) and the
devcloud's MariaDB as the management store (pools, flavors, queue catalog).

Pooling is on, with the configured Redis as the virtual pool, so queues
work without a registered pool and `messaging pool`/`flavor` commands work
too.  Like DevStack's zaqar plugin: service `zaqar`/`messaging` at :8888,
user `zaqar` (admin + service in service); no websocket transport.
zaqar-server is one process serving one request at a time (wsgiref).
"""

LAYER = 4
DEPENDS = ["keystone"]
PIP = ["zaqar==23.0.1"]
APT = {"/usr/bin/redis-server": "redis-server"}
DATABASES = ["zaqar"]
PORTS = {"zaqar-redis": 6379, "zaqar": 8888}
USERS = ["zaqar"]
CATALOG = [("zaqar", "messaging", "Zaqar Service", "http://127.0.0.1:8888")]
REDIS = "redis://127.0.0.1:6379"


def conf(dc):
    return dc.ETC / "zaqar" / "zaqar.conf"


def configure(dc):
    (dc.DATA / "zaqar" / "redis").mkdir(parents=True, exist_ok=True)
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {"debug": False, "use_stderr": True, "pooling": True,
                    "admin_mode": True,
                    "auth_strategy": "keystone", "unreliable": False},
        "drivers": {"transport": "wsgi", "message_store": "redis",
                    "management_store": "sqlalchemy"},
        "drivers:transport:wsgi": {"bind": dc.IP, "port": 8888},
        "drivers:message_store:redis": {"uri": REDIS},
        "drivers:management_store:sqlalchemy": {"uri": dc.db_url("zaqar")},
        "pooling:catalog": {"enable_virtual_pool": True},
        "signed_url": {"secret_key": "devcloud-zaqar-signed-url"},
        "keystone_authtoken": dc.authtoken("zaqar"),
        "oslo_concurrency": {"lock_path": dc.DATA / "zaqar"},
    }))


def setup(dc, log):
    dc.run([dc.BIN / "zaqar-sql-db-manage", "--config-file", conf(dc),
            "upgrade", "head"], log=log)


def units(dc):
    return [
        ("zaqar-redis", ["/usr/bin/redis-server", "--bind", dc.IP,
                         "--port", "6379", "--save", "", "--appendonly", "no",
                         "--dir", dc.DATA / "zaqar" / "redis",
                         "--daemonize", "no", "--hz", "1",
                         "--loglevel", "warning"], {},
         dc.tcp_probe(6379)),
        ("zaqar", [dc.BIN / "zaqar-server", "--config-file", conf(dc)], {},
         dc.http_probe(8888)),
    ]
