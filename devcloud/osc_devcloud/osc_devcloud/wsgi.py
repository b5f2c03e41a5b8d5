"""Generic WSGI loader for gunicorn.

OpenStack's WSGI entry modules parse ``sys.argv`` with oslo.config, so
gunicorn's own command line would make them exit.  This module resets
``sys.argv`` (to ``DEVCLOUD_WSGI_PROG`` plus ``DEVCLOUD_WSGI_ARGS``) and then
imports ``DEVCLOUD_WSGI_MODULE`` and re-exports its ``application``.

    gunicorn ... osc_devcloud.wsgi:application

``DEVCLOUD_WSGI_MODULE=package.module:factory`` calls
``factory(argv=[DEVCLOUD_WSGI_ARGS...])`` instead.
"""
import importlib
import os
import shlex
import sys

sys.argv = [os.environ.get("DEVCLOUD_WSGI_PROG", "devcloud-wsgi")] + shlex.split(
    os.environ.get("DEVCLOUD_WSGI_ARGS", "")
)

if os.environ.get("DEVCLOUD_NEUTRON_FIRST_WORKER"):
    # Neutron before 29 asks uWSGI which API worker it is and does its
    # once-per-server work (the default network segment ranges, from which
    # tenant networks are allocated) only in the first; gunicorn's one
    # worker is that first worker.
    from neutron.common import wsgi_utils
    wsgi_utils.get_api_worker_id = lambda: wsgi_utils.FIRST_WORKER_ID

_module = os.environ["DEVCLOUD_WSGI_MODULE"]
if ":" in _module:
    # "package.module:factory": a factory that takes the arguments itself
    # (aodh.api.app:build_wsgi_app ignores sys.argv).
    _module, _factory = _module.split(":", 1)
    application = getattr(importlib.import_module(_module), _factory)(
        argv=sys.argv[1:])
else:
    application = importlib.import_module(_module).application
