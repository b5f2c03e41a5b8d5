"""Swift logging hook: log to the unit's log file, not to syslog.

There is no /dev/log socket here, and Swift's fallback is a UDP syslog
handler (an open UDP socket on 0.0.0.0).  Configure

    log_custom_handlers = osc_devcloud.swift_log.to_stderr

Importing this module (which Swift does for the first logger it creates)
replaces Swift's syslog handler class with one that appends to the unit's log file, so loggers
made later without the hook (e.g. proxy-logging's access logger) never
open a socket; the hook itself removes the syslog handler of the loggers
created before the import.
"""
import logging
import logging.handlers
import os
import sys

from swift.common.utils import logs


_stream = None


def _log_stream():
    """The unit's log file (devcloud sets DEVCLOUD_LOG_FILE).  Swift points
    fds 0-2 at /dev/null once it daemonizes its stdio, so stderr is no use
    after startup; the file is opened for appending, like stdout's."""
    global _stream
    if _stream is None:
        path = os.environ.get("DEVCLOUD_LOG_FILE")
        _stream = open(path, "a", buffering=1) if path else sys.__stderr__
    return _stream


class StderrHandler(logging.StreamHandler):
    """Stands in for Swift's ThreadSafeSysLogHandler."""

    def __init__(self, address=None, facility=None, socktype=None):
        super().__init__(_log_stream())
        self.setFormatter(logging.Formatter("%(asctime)s %(message)s"))

    def setFormatter(self, fmt):
        # keep a timestamp in front of Swift's own format
        if fmt is not None and "asctime" not in (fmt._fmt or ""):
            fmt = logs.SwiftLogFormatter(fmt="%(asctime)s " + fmt._fmt)
        super().setFormatter(fmt)


logs.ThreadSafeSysLogHandler = StderrHandler


def to_stderr(conf, name, log_to_console, log_route, fmt, logger,
              adapted_logger):
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.SysLogHandler):
            logger.removeHandler(handler)
            try:
                handler.close()
            except Exception:
                pass
            new = StderrHandler()
            new.setFormatter(handler.formatter)
            logger.addHandler(new)
            holder = getattr(logs.get_swift_logger, "handler4logger", None)
            if holder is not None and holder.get(logger) is handler:
                holder[logger] = new
