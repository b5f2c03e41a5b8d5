"""The functional tests' reference python-openstackclient, without its start-up cost.

Each `openstack` run spends ~2 s of CPU importing openstackclient, openstacksdk and every
reference plugin before it sends a request; the tests run it hundreds of times on a 2-core
machine. This server imports all of that once, then forks one child per command, which runs
`openstackclient.shell.main(argv)`, the very function the `openstack` script calls, with
its own stdout and stderr files. Nothing else is shared: every command authenticates and
discovers anew, as a separate `openstack` process does.

Usage: python reference_server.py SOCKET. Prints "ready" once it listens; a request is one
JSON line {"args": [...], "stdout": PATH, "stderr": PATH}, the reply the exit code. The
server exits when its stdin closes (the test process has ended).
"""

import importlib.metadata
import json
import os
import selectors
import signal
import socket
import sys
import traceback


def preload():
    from openstackclient import shell

    # Command modules load lazily, one per run: import them all here, once.
    eps = importlib.metadata.entry_points()
    try:
        groups = {g: eps.select(group=g) for g in eps.groups}
    except AttributeError:  # Python < 3.10: a dict of group to entry points
        groups = eps
    for group, members in groups.items():
        if not group.startswith("openstack."):
            continue
        for ep in members:
            try:
                ep.load()
            except Exception:  # a module the child would fail to load as well
                pass
    return shell


def child(conn, shell):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = 1
    try:
        req = json.loads(conn.makefile("rb").readline())
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, req["stdout"]), (2, req["stderr"])):
            f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(f, fd)
            os.close(f)
        sys.argv = ["openstack"] + req["args"]
        try:
            code = shell.main(req["args"])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        try:
            conn.sendall(b"%d\n" % (code or 0))
        finally:
            os._exit(code or 0)


def main():
    path = sys.argv[1]
    shell = preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    # Children are never waited for: their exit codes travel on their connections.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print("ready", flush=True)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    sel.register(sys.stdin.fileno(), selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is not listener:
                if not os.read(sys.stdin.fileno(), 4096):
                    os.unlink(path)
                    try:  # the test process's directory, empty once it has read every reply
                        os.rmdir(os.path.dirname(path))
                    except OSError:
                        pass
                    return
                continue
            conn, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                child(conn, shell)
            conn.close()


if __name__ == "__main__":
    main()
