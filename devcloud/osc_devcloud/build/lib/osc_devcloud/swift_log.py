"""Swift logging hook: log to stderr (the service's log file), not syslog.

There is no /dev/log socket here, and Swift's fallback is a UDP syslog
handler.  Configure ``log_custom_handlers = osc_devcloud.swift_log.to_stderr``.
"""
import logging
import logging.handlers
import sys


def to_stderr(conf, name, log_to_console, log_route, fmt, logger, adapted_logger):
    from swift.common.utils import logs

    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.SysLogHandler):
            logger.removeHandler(handler)
            try:
                handler.close()
            except Exception:
                pass
    if not any(getattr(h, "_devcloud", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.__stderr__)
        handler._devcloud = True
        handler.setFormatter(
            logs.SwiftLogFormatter(fmt="%(asctime)s " + (fmt or "%(message)s")))
        logger.addHandler(handler)
