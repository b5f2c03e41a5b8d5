"""Heat (Layer 4, orchestration): heat-api + heat-engine, one worker each.

Like devstack/lib/heat: service `heat`/`orchestration` at
:8004/v1/$(project_id)s, user `heat` (admin + service in service), role
`heat_stack_user`, domain `heat` with its admin `heat_domain_admin`
(stack_user_domain_name, stack_domain_admin), deferred auth by trusts.
The CloudFormation API (heat-api-cfn) is not run.
"""

LAYER = 4
DEPENDS = ["keystone"]
PIP = ["openstack-heat==27.0.1"]
DATABASES = ["heat"]
RABBIT = True
PORTS = {"heat-api": 8004}
RPC_UNITS = {"heat-engine"}
USERS = ["heat"]
CATALOG = [("heat", "orchestration", "Heat Orchestration Service",
            "http://127.0.0.1:8004/v1/$(project_id)s")]


def conf(dc):
    return dc.ETC / "heat" / "heat.conf"


def configure(dc):
    dc.copy_paste_ini("heat", "api-paste.ini")
    auth = dc.authtoken("heat")
    dc.write(conf(dc), dc.ini({
        "DEFAULT": {
            "debug": False, "use_stderr": False, "host": "devcloud",
            "transport_url": dc.TRANSPORT_URL,
            "num_engine_workers": 1,
            "periodic_interval": 120,
            "auth_encryption_key": "767c3ed056cbaa3b9dfedb8c6f825bf0",
            "region_name_for_services": dc.REGION,
            "deferred_auth_method": "trusts",
            "stack_user_domain_name": "heat",
            "stack_domain_admin": "heat_domain_admin",
            "stack_domain_admin_password": dc.PASSWORD,
            "heat_metadata_server_url": "http://%s:8000" % dc.IP,
            "heat_waitcondition_server_url":
                "http://%s:8000/v1/waitcondition" % dc.IP,
            "hidden_stack_tags": "hidden",
            "enable_stack_adopt": True, "enable_stack_abandon": True,
            "max_nested_stack_depth": 5,
        },
        "heat_api": {"bind_host": dc.IP, "bind_port": 8004, "workers": 1},
        "database": {"connection": dc.db_url("heat")},
        "keystone_authtoken": auth,
        "ec2authtoken": {"auth_uri": dc.AUTH_URL},
        "trustee": {"auth_type": "password", "auth_url": dc.KEYSTONE_URL,
                    "username": "heat", "password": dc.PASSWORD,
                    "user_domain_id": "default"},
        "clients_keystone": {"auth_uri": dc.KEYSTONE_URL},
        "clients": {"endpoint_type": "public"},
        "paste_deploy": {"api_paste_config": dc.ETC / "heat" / "api-paste.ini"},
        "cache": {"enabled": True, "backend": "dogpile.cache.memory"},
        "volumes": {"backups_enabled": False},
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": dc.DATA / "heat" / "lock"},
    }))
    (dc.DATA / "heat" / "lock").mkdir(parents=True, exist_ok=True)


def setup(dc, log):
    dc.run([dc.BIN / "heat-manage", "--config-file", conf(dc), "db_sync"],
           log=log)


SEED = '''
import openstack
c = openstack.connect(cloud="devstack-admin")
idc = c.identity
if not idc.find_role("heat_stack_user"):
    idc.create_role(name="heat_stack_user")
d = idc.find_domain("heat") or idc.create_domain(
    name="heat", description="Owns users and projects created by heat")
u = idc.find_user("heat_domain_admin", domain_id=d.id) or idc.create_user(
    name="heat_domain_admin", password="secret", domain_id=d.id)
admin = idc.find_role("admin")
if not idc.validate_user_has_domain_role(d, u, admin):
    idc.assign_domain_role_to_user(d, u, admin)
print("heat domain, heat_domain_admin and heat_stack_user done")
'''


def seed(dc):
    dc.venv_python(SEED, dc.LOG / "seed.log")


def units(dc):
    return [
        dc.gunicorn("heat-api", 8004, "heat.wsgi.api", {},
                    args="--config-file %s" % conf(dc))
        + (dc.http_probe(8004),),
        ("heat-engine", [dc.BIN / "heat-engine", "--config-file", conf(dc)],
         {}, dc.sql_probe("SELECT COUNT(*) FROM heat.service WHERE "
                          "`binary`='heat-engine' AND deleted_at IS NULL AND "
                          "COALESCE(updated_at, created_at) >= '{since}'")),
    ]
