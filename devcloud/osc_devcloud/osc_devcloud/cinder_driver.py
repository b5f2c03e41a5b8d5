"""Cinder's FakeLoggingVolumeDriver, reporting the configured backend name.

The stock fake driver (shipped in the cinder wheel) always reports
``volume_backend_name = fake``; DevStack's volume type ``lvmdriver-1``
selects its backend by ``volume_backend_name=lvmdriver-1``.
"""
from cinder.tests.fake_driver import FakeLoggingVolumeDriver


class DevcloudVolumeDriver(FakeLoggingVolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = (
            self.configuration.safe_get("volume_backend_name") or "fake")
