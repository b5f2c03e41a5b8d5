"""A canned Keystone+Cinder for comparing requests and output of osc and openstack."""
import json, re, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qsl
PORT = int(sys.argv[1]); LOG = sys.argv[2]
B = f"http://127.0.0.1:{PORT}"
P = "proj1"
VOL = {"id":"11111111-1111-1111-1111-111111111111","name":"vol1","status":"in-use","size":1,"availability_zone":"nova","created_at":"2026-01-01T00:00:00.000000","updated_at":"2026-01-01T00:00:01.000000","attachments":[{"server_id":"s1","attachment_id":"a1","attached_at":"2026-01-01T00:00:00.000000","host_name":None,"volume_id":"11111111-1111-1111-1111-111111111111","device":"/dev/vdb","id":"11111111-1111-1111-1111-111111111111"}],"bootable":"false","encrypted":False,"multiattach":False,"metadata":{"a":"b"},"volume_type":"lvm","volume_type_id":"t1","user_id":"u","os-vol-tenant-attr:tenant_id":P,"os-vol-host-attr:host":"h@b#p","consistencygroup_id":None,"links":[],"replication_status":None,"snapshot_id":None,"source_volid":None,"description":None,"group_id":None,"provider_id":None,"service_uuid":"s","shared_targets":False,"cluster_name":None,"consumes_quota":True,"encryption_key_id":None,"os-vol-mig-status-attr:migstat":None,"os-vol-mig-status-attr:name_id":None,"backup_id":None,"extra_unknown":1}
SNAP = {"id":"22222222-2222-2222-2222-222222222222","name":"snap1","status":"available","size":1,"created_at":"c","updated_at":"u","description":None,"volume_id":VOL["id"],"metadata":{"k":"v"},"os-extended-snapshot-attributes:progress":"100%","os-extended-snapshot-attributes:project_id":P,"user_id":"u","group_snapshot_id":None,"consumes_quota":True}
BACKUP = {"id":"33333333-3333-3333-3333-333333333333","name":"bk1","status":"available","size":1,"availability_zone":"nova","container":"c","created_at":"c","updated_at":"u","data_timestamp":"d","description":None,"encryption_key_id":None,"fail_reason":None,"has_dependent_backups":False,"is_incremental":False,"links":[],"metadata":{},"object_count":2,"os-backup-project-attr:project_id":P,"snapshot_id":None,"user_id":"u","volume_id":VOL["id"]}
TYPE = {"id":"44444444-4444-4444-4444-444444444444","name":"lvm","description":"d","is_public":False,"os-volume-type-access:is_public":False,"extra_specs":{"volume_backend_name":"lvm"},"qos_specs_id":None}
QOS = {"id":"55555555-5555-5555-5555-555555555555","name":"q1","consumer":"both","specs":{"read_iops_sec":"100"}}
XFER = {"id":"66666666-6666-6666-6666-666666666666","name":"x1","volume_id":VOL["id"],"created_at":"c","links":[],"no_snapshots":False,"destination_project_id":None,"source_project_id":P,"accepted":False}
ATT = {"id":"77777777-7777-7777-7777-777777777777","status":"attached","instance":"s1","volume_id":VOL["id"],"attached_at":"a","detached_at":None,"attach_mode":"rw","connection_info":{"driver_volume_type":"fake"}}
GROUP = {"id":"88888888-8888-8888-8888-888888888888","name":"g1","status":"available","description":None,"group_type":"gt1","volume_types":["t1"],"availability_zone":"nova","created_at":"c","group_snapshot_id":None,"source_group_id":None,"replication_status":"disabled","project_id":P}
GTYPE = {"id":"99999999-9999-9999-9999-999999999999","name":"gt1","description":None,"is_public":True,"group_specs":{"consistent_group_snapshot_enabled":"<is> True"}}
GSNAP = {"id":"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa","name":"gs1","status":"available","description":None,"group_id":GROUP["id"],"group_type_id":GTYPE["id"],"created_at":"c","project_id":P}
MSG = {"id":"bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb","event_id":"VOLUME_000001","resource_type":"VOLUME","resource_uuid":VOL["id"],"message_level":"ERROR","user_message":"schedule allocate volume: Could not find any available weighted backend.","request_id":"req-1","created_at":"c","guaranteed_until":"g","links":[]}
SVC = {"binary":"cinder-volume","host":"h@b","zone":"nova","status":"enabled","state":"up","updated_at":"u","cluster":None,"backend_state":"up","disabled_reason":None,"replication_status":"disabled","frozen":False,"active_backend_id":None}
CG = {"id":"cccccccc-cccc-cccc-cccc-cccccccccccc","name":"cg1","status":"available","description":None,"availability_zone":"nova","created_at":"c","volume_types":["t1"]}
CGS = {"id":"dddddddd-dddd-dddd-dddd-dddddddddddd","name":"cgs1","status":"available","description":None,"consistencygroup_id":CG["id"],"created_at":"c"}
COLL = {"consistencygroups":CG,"cgsnapshots":CGS,"volumes":VOL,"snapshots":SNAP,"backups":BACKUP,"types":TYPE,"qos-specs":QOS,"volume-transfers":XFER,"attachments":ATT,"groups":GROUP,"group_types":GTYPE,"group_snapshots":GSNAP,"messages":MSG}
KEYS = {"consistencygroups":("consistencygroup","consistencygroups"),"cgsnapshots":("cgsnapshot","cgsnapshots"),"volumes":("volume","volumes"),"snapshots":("snapshot","snapshots"),"backups":("backup","backups"),"types":("volume_type","volume_types"),"qos-specs":("qos_specs","qos_specs"),"volume-transfers":("transfer","transfers"),"attachments":("attachment","attachments"),"groups":("group","groups"),"group_types":("group_type","group_types"),"group_snapshots":("group_snapshot","group_snapshots"),"messages":("message","messages")}
lock = threading.Lock()
def catalog():
    def ep(t, n, url): return {"type":t,"name":n,"endpoints":[{"interface":"public","region":"RegionOne","region_id":"RegionOne","url":url,"id":n}]}
    return [ep("identity","keystone",f"{B}/identity"), ep("block-storage","cinderv3",f"{B}/volume/v3/{P}"), ep("volumev3","cinderv3b",f"{B}/volume/v3/{P}"), ep("compute","nova",f"{B}/compute/v2.1"), ep("image","glance",f"{B}/image")]
class H(BaseHTTPRequestHandler):
    def log_message(self,*a): pass
    def reply(self, code, body=None, headers=()):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type","application/json"); self.send_header("Content-Length",str(len(data)))
        for k,v in headers: self.send_header(k,v)
        self.end_headers(); self.wfile.write(data)
    def handle_any(self, method):
        u = urlparse(self.path); n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        path = u.path
        if not path.startswith("/identity"):
            with lock, open(LOG,"a") as f:
                f.write(json.dumps({"m":method,"p":path,"q":sorted(parse_qsl(u.query)),"mv":self.headers.get("OpenStack-API-Version"),"b":json.loads(body) if body else None})+"\n")
        if path in ("/identity","/identity/"):
            return self.reply(300 if path=="/identity/" else 200, {"versions":{"values":[{"id":"v3.14","status":"stable","links":[{"rel":"self","href":f"{B}/identity/v3/"}],"media-types":[]}]}})
        if path.startswith("/identity/v3"):
            if path.endswith("/auth/tokens"):
                tok = {"token":{"methods":["password"],"expires_at":"2099-01-01T00:00:00.000000Z","issued_at":"2026-01-01T00:00:00.000000Z","user":{"id":"u","name":"demo","domain":{"id":"default","name":"Default"}},"project":{"id":P,"name":"demo","domain":{"id":"default","name":"Default"}},"roles":[{"id":"r","name":"admin"}],"catalog":catalog()}}
                return self.reply(201, tok, [("X-Subject-Token","tok")])
            if path.endswith("/v3") or path.endswith("/v3/"):
                return self.reply(200, {"version":{"id":"v3.14","status":"stable","links":[{"rel":"self","href":f"{B}/identity/v3/"}]}})
            m = re.match(r".*/projects/(.*)", path)
            if m: return self.reply(200, {"project":{"id":m.group(1),"name":m.group(1),"domain_id":"default"}})
            return self.reply(404, {"error":{"message":"nope","code":404}})
        if path.startswith("/image"):
            if "/images" in path: return self.reply(200, {"images":[{"id":"img1","name":"cirros"}]})
            return self.reply(300, {"versions":[{"id":"v2.16","status":"CURRENT","links":[{"rel":"self","href":f"{B}/image/v2/"}]}]})
        if path.startswith("/compute"):
            if "servers" in path: return self.reply(200, {"servers":[{"id":"s1","name":"vm1"}]})
            return self.reply(200, {"version":{"id":"v2.1","status":"CURRENT","version":"2.96","min_version":"2.1","links":[{"rel":"self","href":f"{B}/compute/v2.1/"}]}})
        if path in ("/volume","/volume/","/volume/v3","/volume/v3/"):
            return self.reply(200 if path!="/volume/" else 300, {"versions":[{"id":"v3.0","status":"CURRENT","version":"3.71","min_version":"3.0","links":[{"rel":"self","href":f"{B}/volume/v3/"}]}]})
        rest = path[len(f"/volume/v3/{P}"):].strip("/").split("/")
        if not rest or rest==[""]:
            return self.reply(200, {"versions":[{"id":"v3.0","status":"CURRENT","version":"3.71","min_version":"3.0","links":[{"rel":"self","href":f"{B}/volume/v3/"}]}]})
        c = rest[0]
        if c == "os-services": return self.reply(200, {"services":[SVC]})
        if c == "scheduler-stats": return self.reply(200, {"pools":[{"name":"h@b#p","capabilities":{"total_capacity_gb":10,"free_capacity_gb":5}}]})
        if c == "volumes" and len(rest)>1 and rest[1]=="summary": return self.reply(200, {"volume-summary":{"total_size":1,"total_count":1,"metadata":{"a":["b"]}}})
        if c == "resource_filters": return self.reply(200, {"resource_filters":[{"resource":"volume","filters":["name","status"]}]})
        if c == "types" and len(rest)>2 and rest[2]=="os-volume-type-access": return self.reply(200, {"volume_type_access":[{"volume_type_id":TYPE["id"],"project_id":P}]})
        if c == "types" and len(rest)>2 and rest[2]=="encryption":
            if method == "POST": return self.reply(200, json.loads(body))
            return self.reply(200, {})
        if c == "types" and len(rest)>2 and rest[2]=="extra_specs" and method == "POST": return self.reply(200, json.loads(body))
        if c == "qos-specs" and len(rest)>2 and rest[2]=="associations": return self.reply(200, {"qos_associations":[{"association_type":"volume_type","name":"lvm","id":TYPE["id"]}]})
        if c in COLL:
            s, p = KEYS[c]; obj = COLL[c]
            if method != "GET":
                return self.reply(202 if method!="DELETE" else 202, {s: obj} if method!="DELETE" else None)
            if len(rest)==1 or rest[1]=="detail":
                nm = dict(parse_qsl(u.query)).get("name")
                items = [obj] if (nm is None or nm==obj["name"]) else []
                return self.reply(200, {p: items})
            if rest[1] in (obj["id"],):
                return self.reply(200, {s: obj})
            return self.reply(404, {"itemNotFound":{"message":f"{c} {rest[1]} could not be found.","code":404}})
        return self.reply(404, {"itemNotFound":{"message":"not here","code":404}})
    def do_GET(self): self.handle_any("GET")
    def do_POST(self): self.handle_any("POST")
    def do_PUT(self): self.handle_any("PUT")
    def do_DELETE(self): self.handle_any("DELETE")
ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
