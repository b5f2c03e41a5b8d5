"""devcloud's own tests: layer selection and the hook format.

    devcloud/test                 # runs this file with the system python3

The selection tests need nothing running.  test_hook_service_in_catalog
adds a tiny service ("hello", Layer 5, a python3 http.server on
127.0.0.1:19999) through a hook file in a temporary directory, runs
`DEVCLOUD_HOOKS=DIR DEVCLOUD_SERVICES=hello devcloud/up` against the running
devcloud (it only adds to it), checks `openstack catalog list` and
`devcloud/status`, then stops the unit and deletes its catalog entry.  It
skips when Keystone does not answer.  The Failure tests add a Layer 6
service ("broken") that cannot start (it dies at start; its port is taken)
and check that `up` stops with its name, the tail of its log and a non-zero
exit while the layers below (Keystone) keep running.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

HELLO = '''
"""A tiny service for devcloud's hook test."""
LAYER = 5
DEPENDS = ["keystone"]
PORTS = {"hello": 19999}
USERS = []
CATALOG = [("hello", "hello-world", "Hook test service",
            "http://127.0.0.1:19999")]


def units(dc):
    return [("hello", [dc.sys.executable, "-m", "http.server", "--bind",
                       dc.IP, "19999", "--directory", str(dc.DATA)], {},
             dc.http_probe(19999))]
'''

BROKEN = '''
"""A service that cannot start, for devcloud's failure-path test."""
LAYER = 6
DEPENDS = ["keystone"]
PORTS = {"broken": 19998}


def units(dc):
    return [("broken", [dc.sys.executable, "-c",
                        "import sys; print('broken: migration 42 failed: "
                        "table frobs is missing', flush=True); sys.exit(3)"],
             {}, dc.http_probe(19998))]
'''


def fresh_devcloud(env):
    """A new devcloud module with hooks loaded under ``env``."""
    import importlib
    old = dict(os.environ)
    os.environ.update(env)
    try:
        sys.modules.pop("devcloud", None)
        dc = importlib.import_module("devcloud")
        dc.load_hooks()
        return dc
    finally:
        os.environ.clear()
        os.environ.update(old)


class Selection(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        Path(self.tmp, "hello.py").write_text(HELLO)
        self.dc = fresh_devcloud({"DEVCLOUD_HOOKS": self.tmp})
        self.env = dict(os.environ)
        for k in ("DEVCLOUD_SERVICES", "DEVCLOUD_LAYERS"):
            os.environ.pop(k, None)

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self.env)
        shutil.rmtree(self.tmp)

    def test_default_is_the_builtins(self):
        self.assertEqual(self.dc.selected_services(), [
            "keystone", "glance", "placement", "nova", "neutron", "cinder",
            "swift"])

    def test_layers(self):
        dc = self.dc
        self.assertEqual(dc.parse_layers("1-3"), {1, 2, 3})
        self.assertEqual(dc.parse_layers("2,4"), {2, 4})
        self.assertEqual(dc.parse_layers("all"), set(range(1, 8)))
        for bad in ("0", "8", "3-1", "x", ""):
            self.assertRaises(dc.DevcloudError, dc.parse_layers, bad)
        got = dc.selected_services("5")
        self.assertEqual(got, ["keystone", "hello"])  # + its dependency
        every = dc.selected_services("all")
        self.assertEqual(every[-1], "hello")
        self.assertEqual([dc.LAYER[s] for s in every],
                         sorted(dc.LAYER[s] for s in every))
        os.environ["DEVCLOUD_LAYERS"] = "1"
        self.assertEqual(dc.selected_services(),
                         ["keystone", "glance", "placement", "nova", "neutron"])

    def test_services_add_dependencies(self):
        os.environ["DEVCLOUD_SERVICES"] = "hello,cinder"
        self.assertEqual(self.dc.selected_services(),
                         ["keystone", "cinder", "hello"])
        os.environ["DEVCLOUD_SERVICES"] = "nope"
        self.assertRaises(self.dc.DevcloudError, self.dc.selected_services)

    def test_bad_hook_is_one_line(self):
        Path(self.tmp, "broken.py").write_text("LAYER = 9\n")
        with self.assertRaises(Exception) as cm:
            fresh_devcloud({"DEVCLOUD_HOOKS": self.tmp})
        self.assertIn("broken.py: LAYER must be", str(cm.exception))


class LowerConfig(unittest.TestCase):
    def test_hook_config_reaches_a_lower_service(self):
        tmp = tempfile.mkdtemp()
        try:
            hooks = Path(tmp, "hooks")
            hooks.mkdir()
            Path(hooks, "tele.py").write_text(
                "LAYER = 3\n"
                "def units(dc):\n    return []\n"
                "def lower_config(dc):\n"
                "    return {'keystone': {'oslo_messaging_notifications':"
                " {'driver': 'messagingv2'}}}\n")
            dc = fresh_devcloud({"DEVCLOUD_HOME": str(Path(tmp, "home")),
                                 "DEVCLOUD_HOOKS": str(hooks)})
            dc.configure(["keystone"])
            plain = (dc.ETC / "keystone" / "keystone.conf").read_text()
            self.assertNotIn("messagingv2", plain)
            dc.configure(["keystone", "tele"])
            conf = (dc.ETC / "keystone" / "keystone.conf").read_text()
            self.assertIn("[oslo_messaging_notifications]\ndriver = "
                          "messagingv2", conf)
            self.assertIn("password_hash_rounds = 4", conf)
        finally:
            shutil.rmtree(tmp)


def keystone_answers():
    try:
        urllib.request.urlopen("http://127.0.0.1:5000/v3", timeout=3)
        return True
    except Exception:
        return False


@unittest.skipUnless(keystone_answers(), "no devcloud running (devcloud/up)")
class HookService(unittest.TestCase):
    def test_hook_service_in_catalog(self):
        dc = fresh_devcloud({})
        tmp = tempfile.mkdtemp()
        Path(tmp, "hello.py").write_text(HELLO)
        env = dict(os.environ, DEVCLOUD_HOOKS=tmp, DEVCLOUD_SERVICES="hello")
        env.pop("DEVCLOUD_LAYERS", None)
        osc = [str(dc.BIN / "openstack"), "--os-cloud", "devstack-admin"]
        oenv = dict(env, OS_CLIENT_CONFIG_FILE=str(dc.HOME / "clouds.yaml"))
        oenv.pop("OS_CLOUD", None)
        # This run seeds only keystone+hello: keep the stamps of the seeding
        # of the full cloud, so the next plain `up` does not seed again.
        saved = {f: f.read_bytes() for f in dc.STAMP.glob("seed-*")}
        try:
            up = subprocess.run([str(HERE / "up")], env=env, text=True,
                                capture_output=True, timeout=300)
            self.assertEqual(up.returncode, 0, up.stdout + up.stderr)
            cat = subprocess.run(osc + ["catalog", "list", "-f", "value",
                                        "-c", "Type"], env=oenv, text=True,
                                 capture_output=True, timeout=120)
            self.assertEqual(cat.returncode, 0, cat.stderr)
            self.assertIn("hello-world", cat.stdout.split())
            st = subprocess.run([str(HERE / "status")], env=env, text=True,
                                capture_output=True, timeout=60)
            line = [ln for ln in st.stdout.splitlines()
                    if ln.startswith("hello ")]
            self.assertEqual(len(line), 1, st.stdout)
            self.assertEqual(line[0].split()[1:3], ["5", "running"])
            with urllib.request.urlopen("http://127.0.0.1:19999/") as r:
                self.assertEqual(r.status, 200)
        finally:
            down = subprocess.run([str(HERE / "down"), "hello"], env=env,
                                  text=True, capture_output=True, timeout=60)
            subprocess.run(osc + ["service", "delete", "hello"], env=oenv,
                           capture_output=True, timeout=120)
            for f, data in saved.items():
                f.write_bytes(data)
            for f in dc.STAMP.glob("seed-*"):
                if f not in saved:
                    f.unlink()
            shutil.rmtree(tmp)
        self.assertEqual(down.returncode, 0, down.stderr)
        self.assertIsNone(dc.running_pid("hello"))


@unittest.skipUnless(keystone_answers(), "no devcloud running (devcloud/up)")
class Failure(unittest.TestCase):
    """A layer that cannot start stops `up`; the layers below keep running."""

    def up_broken(self):
        dc = fresh_devcloud({})
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        Path(tmp, "broken.py").write_text(BROKEN)
        env = dict(os.environ, DEVCLOUD_HOOKS=tmp, DEVCLOUD_SERVICES="broken")
        env.pop("DEVCLOUD_LAYERS", None)
        saved = {f: f.read_bytes() for f in dc.STAMP.glob("seed-*")}
        try:
            return subprocess.run([str(HERE / "up")], env=env, text=True,
                                  capture_output=True, timeout=300)
        finally:
            subprocess.run([str(HERE / "down"), "broken"], env=env,
                           capture_output=True, timeout=60)
            for f, data in saved.items():
                f.write_bytes(data)
            for f in dc.STAMP.glob("seed-*"):
                if f not in saved:
                    f.unlink()
            self.assertTrue(keystone_answers(), "keystone stopped answering")
            self.assertIsNone(dc.running_pid("broken"))

    def test_unit_dies_at_start(self):
        up = self.up_broken()
        self.assertEqual(up.returncode, 1, up.stdout + up.stderr)
        err = up.stderr.strip().splitlines()
        self.assertTrue(err[0].startswith(
            "devcloud: ERROR: broken exited during startup"), up.stderr)
        self.assertIn("--- tail of ", up.stderr)
        self.assertIn("broken.log ---", up.stderr)
        self.assertIn("migration 42 failed: table frobs is missing",
                      up.stderr)

    def test_port_taken(self):
        import socket
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 19998))
        s.listen(1)
        try:
            up = self.up_broken()
        finally:
            s.close()
        self.assertEqual(up.returncode, 1, up.stdout + up.stderr)
        self.assertIn("cannot start broken: port 127.0.0.1:19998 is in use",
                      up.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
