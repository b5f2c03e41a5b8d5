"""Run a Swift server's console script with swift.conf from SWIFT_DIR.

    python -m osc_devcloud.swift_server SWIFT_DIR swift-object-server CONF

Swift before 2.38 validates swift.conf (``/etc/swift/swift.conf``) before
it reads ``swift_dir`` from the server's config; this sets the directory
first, then runs the console script named like the ``bin/`` one.
"""
import sys
from importlib import metadata

from swift.common import utils


def main():
    swift_dir, script = sys.argv[1], sys.argv[2]
    utils.set_swift_dir(swift_dir)
    (ep,) = [e for e in metadata.entry_points(group="console_scripts")
             if e.name == script]
    sys.argv = [script] + sys.argv[3:]
    sys.exit(ep.load()())


if __name__ == "__main__":
    main()
