"""Cinder's FakeLoggingVolumeDriver, reporting the configured backend name, with each
volume backed by a sparse file so that cinder-backup can read and restore it.

The stock fake driver (shipped in the cinder wheel) always reports
``volume_backend_name = fake``; DevStack's volume type ``lvmdriver-1``
selects its backend by ``volume_backend_name=lvmdriver-1``. It also hands out
fake iSCSI connections, which os-brick cannot attach, so backups never finish;
here connections are os-brick's ``local`` type pointing at the volume's file.
"""
import os

from oslo_config import cfg

from cinder.tests.fake_driver import FakeLoggingVolumeDriver


class DevcloudVolumeDriver(FakeLoggingVolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = (
            self.configuration.safe_get("volume_backend_name") or "fake")

    def _path(self, volume):
        base = os.path.join(cfg.CONF.state_path, "devcloud-volumes")
        os.makedirs(base, exist_ok=True)
        return os.path.join(base, "volume-%s" % volume["id"])

    def _ensure_file(self, volume):
        path = self._path(volume)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.truncate(int(volume["size"] or 1) * 1024 ** 3)
        return path

    def create_volume(self, volume):
        update = super().create_volume(volume)
        self._ensure_file(volume)
        return update

    def create_cloned_volume(self, volume, src_vol):
        self._ensure_file(volume)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._ensure_file(volume)

    def extend_volume(self, volume, new_size):
        path = self._ensure_file(volume)
        with open(path, "r+b") as f:
            f.truncate(int(new_size) * 1024 ** 3)

    def delete_volume(self, volume):
        try:
            os.unlink(self._path(volume))
        except FileNotFoundError:
            pass

    def initialize_connection(self, volume, connector):
        info = super().initialize_connection(volume, connector)
        return {"driver_volume_type": "local",
                "data": {"device_path": self._ensure_file(volume),
                         "access_mode": info["data"]["access_mode"]}}

    def validate_connector(self, connector):
        # Local files need no initiator; the base class insists on iSCSI's.
        pass
