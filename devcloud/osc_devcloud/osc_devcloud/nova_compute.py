"""nova-compute whose fake hypervisor keeps its guests over a restart.

    python -m osc_devcloud.nova_compute --config-file nova-cpu.conf

The same as the ``nova-compute`` script (nova.cmd.compute:main, which
monkey-patches eventlet when nova.cmd is imported), with
``osc_devcloud.nova_driver`` applied to the fake driver first.
"""
import sys

from nova.cmd import compute

from osc_devcloud import nova_driver  # noqa: F401  (patches the driver)


def main():
    sys.argv[0] = "nova-compute"
    sys.exit(compute.main())


if __name__ == "__main__":
    main()
