"""Swift logging hook: log to stderr (the service's log file), not syslog.

There is no /dev/log socket here, and Swift's fallback is a UDP syslog
handler (an open UDP socket on 0.0.0.0).  Configure

    log_custom_handlers = osc_devcloud.swift_log.to_stderr

Importing this module (which Swift does for the first logger it creates)
replaces Swift's syslog handler class with a stderr handler, so loggers
made later without the hook (e.g. proxy-logging's access logger) never
open a socket; the hook itself removes the syslog handler of the loggers
created before the import.
"""
import logging
import logging.handlers
import sys

from swift.common.utils import logs


class StderrHandler(logging.StreamHandler):
    """Stands in for Swift's ThreadSafeSysLogHandler."""

    def __init__(self, address=None, facility=None, socktype=None):
        super().__init__(sys.__stderr__)


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
