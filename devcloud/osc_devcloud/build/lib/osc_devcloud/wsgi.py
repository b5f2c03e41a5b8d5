"""Generic WSGI loader for gunicorn.

OpenStack's WSGI entry modules parse ``sys.argv`` with oslo.config, so
gunicorn's own command line would make them exit.  This module resets
``sys.argv`` (to ``DEVCLOUD_WSGI_PROG`` plus ``DEVCLOUD_WSGI_ARGS``) and then
imports ``DEVCLOUD_WSGI_MODULE`` and re-exports its ``application``.

    gunicorn ... osc_devcloud.wsgi:application
"""
import importlib
import os
import shlex
import sys

sys.argv = [os.environ.get("DEVCLOUD_WSGI_PROG", "devcloud-wsgi")] + shlex.split(
    os.environ.get("DEVCLOUD_WSGI_ARGS", "")
)

application = importlib.import_module(os.environ["DEVCLOUD_WSGI_MODULE"]).application
