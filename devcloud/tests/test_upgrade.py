"""devcloud's own tests of releases and of devcloud/upgrade's verification.

    devcloud/test                 # runs this file too, with the system python3

Nothing here starts a service: the release selection runs against a
temporary state directory, and the verification is shown to fail loudly on
a snapshot in which one resource was tampered with (as `devcloud/upgrade
--tamper KIND` does on a real cloud).
"""
import contextlib
import copy
import io
import os
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
os.environ.setdefault("DEVCLOUD_HOME", tempfile.mkdtemp(prefix="devcloud-t-"))
sys.path.insert(0, str(HERE))
import devcloud  # noqa: E402
import upgrade  # noqa: E402

BEFORE = {
    "server": {"id": "s1", "name": "upg-server", "status": "ACTIVE",
               "addresses": {"upg-net": ["10.77.0.5"]}, "key_name": "upg-key",
               "flavor": "m1.tiny", "image": "cirros",
               "volumes_attached": [{"id": "v1"}]},
    "volume": {"id": "v1", "status": "in-use", "size": 1,
               "attachments": [["s1", "/dev/vdb"]]},
    "image": {"id": "i1", "checksum": "abc", "bytes_sha256": "f00",
              "bytes_as_uploaded": True},
    "objects": {"list": [["obj-1", 65536, "h1"], ["obj-2", 30, "h2"]],
                "obj-1_sha256": "o1", "obj-1_as_uploaded": True,
                "obj-2_sha256": "o2", "obj-2_as_uploaded": True},
    "project": {"id": "p1", "assignments": [["member", "upg-user"],
                                            ["reader", "demo"]]},
    "keypair": {"name": "upg-key", "fingerprint": "aa:bb"},
}


class Verification(unittest.TestCase):
    def fails(self, after, *expect):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            with self.assertRaises(upgrade.UpgradeError):
                upgrade.verify(BEFORE, after, "test")
        out = err.getvalue()
        self.assertIn("VERIFICATION FAILED", out)
        for e in expect:
            self.assertIn(e, out)

    def test_unchanged_passes(self):
        with contextlib.redirect_stdout(io.StringIO()):
            upgrade.verify(BEFORE, copy.deepcopy(BEFORE), "test")

    def test_tampered_object(self):
        after = copy.deepcopy(BEFORE)
        after["objects"]["obj-1_sha256"] = "other"
        after["objects"]["obj-1_as_uploaded"] = False
        self.fails(after, "objects.obj-1_sha256", "obj-1 bytes differ")

    def test_removed_assignment(self):
        after = copy.deepcopy(BEFORE)
        after["project"]["assignments"] = [["member", "upg-user"]]
        self.fails(after, "project.assignments")

    def test_missing_keypair(self):
        after = copy.deepcopy(BEFORE)
        after["keypair"] = {"MISSING": "No keypair with a name upg-key"}
        self.fails(after, "keypair: disappeared", "keypair is missing")

    def test_server_shut_off(self):
        after = copy.deepcopy(BEFORE)
        after["server"]["status"] = "SHUTOFF"
        self.fails(after, "server.status", "not ACTIVE")

    def test_detached_volume(self):
        after = copy.deepcopy(BEFORE)
        after["server"]["volumes_attached"] = []
        after["volume"]["status"] = "available"
        after["volume"]["attachments"] = []
        self.fails(after, "server.volumes_attached", "volume.attachments")


class Releases(unittest.TestCase):
    def setUp(self):
        self.home = Path(tempfile.mkdtemp(prefix="devcloud-rel-"))
        self.saved = (devcloud.HOME, devcloud.VENV, devcloud.RELEASE)
        devcloud.HOME, devcloud.VENV = self.home, self.home / "venv"

    def tearDown(self):
        devcloud.HOME, devcloud.VENV, devcloud.RELEASE = self.saved

    def test_every_release_has_its_pins(self):
        for r in devcloud.RELEASE_ORDER:
            devcloud.set_release(r)
            for f in (devcloud.requirements_file(),
                      devcloud.constraints_file()):
                self.assertTrue(f.exists(), f)
            self.assertIn("keystone==", devcloud.constraints_file()
                          .read_text())
        devcloud.set_release("current")
        self.assertEqual(devcloud.requirements_file(),
                         HERE / "requirements.txt")

    def test_default_is_current_in_venv(self):
        self.assertEqual(devcloud.choose_release(None), "current")
        self.assertEqual(devcloud.venv_dir(), self.home / "venv")
        self.assertEqual(devcloud.venv_stamp("venv"), "venv")

    def test_other_release_is_a_symlink(self):
        devcloud.choose_release("2025.2")
        self.assertEqual(devcloud.venv_dir(), self.home / "venvs" / "2025.2")
        (self.home / "venvs" / "2025.2").mkdir(parents=True)
        devcloud.link_venv()
        self.assertEqual(os.readlink(self.home / "venv"), "venvs/2025.2")
        self.assertEqual(devcloud.venv_stamp("venv"), "venv-2025.2")

    def test_switching_release_is_upgrades_job(self):
        (self.home / "venv").mkdir()
        (self.home / "devcloud-release").write_text("2025.2\n")
        with self.assertRaises(devcloud.DevcloudError) as e:
            devcloud.choose_release("current")
        self.assertIn("devcloud/upgrade --from 2025.2 --to current",
                      str(e.exception))
        self.assertEqual(devcloud.choose_release(None), "2025.2")

    def test_unknown_release(self):
        with self.assertRaises(devcloud.DevcloudError):
            devcloud.choose_release("2012.1")

    def test_upgrade_goes_step_by_step(self):
        self.assertEqual(upgrade.path("2025.2", "current"),
                         ["2025.2", "2026.1", "current"])
        with self.assertRaises(upgrade.UpgradeError):
            upgrade.path("current", "2025.2")


if __name__ == "__main__":
    unittest.main(verbosity=2)
