"""Designate (Layer 4, DNS): designate-api, -central, -worker, -producer,
-mdns, and BIND 9 from Debian's packages (`named`, unit `designate-bind`)
as the pool's backend.

Ports on 127.0.0.1: API 9001, mDNS 5354, BIND (the zones' nameserver,
`dig @127.0.0.1 -p 1053`) 1053, rndc 9530.  BIND runs as the devcloud's own
user with its files in data/designate/bind (zones added with `rndc addzone`,
allow-new-zones); one BIND worker thread, no recursion.  Like DevStack's
designate plugin with backend-bind9: service `designate`/`dns`, user
`designate` (admin + service in service), pool `default` with NS record
ns1.devstack.org., `designate-manage pool update`.  Zones go ACTIVE once
BIND has transferred them from mDNS (a few seconds: the producer bumps
serials every 5 s).
"""

LAYER = 4
DEPENDS = ["keystone"]
PIP = ["designate==23.0.0"]
APT = {"/usr/sbin/named": "bind9", "/usr/sbin/rndc": "bind9-utils",
       "/usr/bin/dig": "bind9-dnsutils"}
DATABASES = ["designate"]
RABBIT = True
DNS_PORT, MDNS_PORT, RNDC_PORT, API_PORT = 1053, 5354, 9530, 9001
PORTS = {"designate-api": API_PORT, "designate-mdns": MDNS_PORT,
         "designate-bind": DNS_PORT}
RPC_UNITS = {"designate-central", "designate-worker", "designate-producer",
             "designate-mdns"}
USERS = ["designate"]
CATALOG = [("designate", "dns", "Designate DNS Service",
            "http://127.0.0.1:%d" % API_PORT)]


def conf(dc):
    return dc.ETC / "designate" / "designate.conf"


def bind_dir(dc):
    return dc.DATA / "designate" / "bind"


def configure(dc):
    import base64
    import os
    etc, bind = dc.ETC / "designate", bind_dir(dc)
    bind.mkdir(parents=True, exist_ok=True)
    (dc.DATA / "designate" / "lock").mkdir(parents=True, exist_ok=True)
    dc.copy_paste_ini("designate", "api-paste.ini")
    key = etc / "rndc.key"
    if not key.exists():
        dc.write(key, 'key "rndc-key" {\n    algorithm hmac-sha256;\n'
                 '    secret "%s";\n};\n'
                 % base64.b64encode(os.urandom(32)).decode(), mode=0o600)
    dc.write(etc / "rndc.conf", 'include "%s";\noptions {\n'
             '    default-key "rndc-key";\n    default-server %s;\n'
             '    default-port %d;\n};\n' % (key, dc.IP, RNDC_PORT))
    dc.write(etc / "named.conf", """include "%(key)s";
controls {
    inet %(ip)s port %(rndc)d allow { %(ip)s; } keys { "rndc-key"; };
};
options {
    directory "%(dir)s";
    pid-file "%(run)s/named.pid";
    session-keyfile "%(dir)s/session.key";
    managed-keys-directory "%(dir)s";
    listen-on port %(dns)d { %(ip)s; };
    listen-on-v6 { none; };
    allow-new-zones yes;
    recursion no;
    dnssec-validation no;
    auth-nxdomain no;
    minimal-responses yes;
    notify no;
};
""" % {"key": key, "ip": dc.IP, "rndc": RNDC_PORT, "dir": bind,
       "run": dc.RUN, "dns": DNS_PORT})
    dc.write(etc / "pools.yaml", """---
- name: default
  description: devcloud BIND pool
  attributes: {}
  ns_records:
    - hostname: ns1.devstack.org.
      priority: 1
  nameservers:
    - host: %(ip)s
      port: %(dns)d
  targets:
    - type: bind9
      description: BIND on %(ip)s:%(dns)d
      masters:
        - host: %(ip)s
          port: %(mdns)d
      options:
        host: %(ip)s
        port: %(dns)d
        rndc_host: %(ip)s
        rndc_port: %(rndc)d
        rndc_config_file: %(etc)s/rndc.conf
        rndc_key_file: %(etc)s/rndc.key
        clean_zonefile: true
""" % {"ip": dc.IP, "dns": DNS_PORT, "mdns": MDNS_PORT, "rndc": RNDC_PORT,
       "etc": etc})
    one = {"workers": 1}
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {"debug": False, "use_stderr": True,
                    "transport_url": dc.TRANSPORT_URL,
                    "state_path": dc.DATA / "designate",
                    "host": "devcloud"},
        "storage:sqlalchemy": {"connection": dc.db_url("designate")},
        "service:api": {"listen": "%s:%d" % (dc.IP, API_PORT),
                        "auth_strategy": "keystone", "enable_api_v2": True,
                        "enable_api_admin": True, "enable_host_header": True,
                        "enabled_extensions_admin": "quotas",
                        "quotas_verify_project_id": True, "workers": 1},
        "service:central": one,
        "service:mdns": {"listen": "%s:%d" % (dc.IP, MDNS_PORT),
                         "workers": 1},
        "service:producer": one,
        "service:worker": {"workers": 1, "poll_retry_interval": 5,
                           "poll_max_retries": 6},
        "producer_task:delayed_notify": {"interval": 10},
        "producer_task:worker_periodic_recovery": {"interval": 300},
        "heartbeat_emitter": {"heartbeat_interval": 30},
        "coordination": {"backend_url": "file://%s"
                         % (dc.DATA / "designate" / "lock")},
        "keystone_authtoken": dc.authtoken("designate"),
        "keystone": {"region_name": dc.REGION},
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": dc.DATA / "designate" / "lock"},
    }))


def setup(dc, log):
    dc.run([dc.BIN / "designate-manage", "--config-file", conf(dc),
            "database", "sync"], log=log)


def seed(dc):
    dc.run([dc.BIN / "designate-manage", "--config-file", conf(dc), "pool",
            "update", "--file", dc.ETC / "designate" / "pools.yaml"],
           log=dc.LOG / "designate-setup.log")


def beat(name):
    return ("SELECT COUNT(*) FROM designate.service_statuses WHERE "
            "service_name='%s' AND heartbeated_at >= '{since}'" % name)


def units(dc):
    c = ["--config-file", conf(dc)]
    e = {"OS_DESIGNATE_CONFIG_DIR": str(dc.ETC / "designate")}
    out = [("designate-bind", ["/usr/sbin/named", "-g", "-4", "-n", "1",
                               "-c", dc.ETC / "designate" / "named.conf"],
            {}, dc.log_probe("designate-bind", "running"))]
    out.append(dc.gunicorn("designate-api", API_PORT, "designate.wsgi.api", e)
               + (dc.http_probe(API_PORT),))
    for s in ("central", "worker", "producer", "mdns"):
        out.append(("designate-" + s, [dc.BIN / ("designate-" + s)] + c, {},
                    dc.sql_probe(beat(s))))
    return out
