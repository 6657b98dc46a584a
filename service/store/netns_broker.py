"""The broker that keeps the Oxigraph server child out of every other local user's reach.

Run by entente.service.store.netns as `python -I -S netns_broker.py FD`, standard library only.
It moves itself into a new user and network namespace (unprivileged: the user namespace maps
the caller's own uid to root inside, which is what allows bringing the namespace's loopback up),
says "ready" on the control socket FD, and then, for each port number entente sends, connects
to 127.0.0.1:PORT *inside* the namespace and hands the connected socket back over FD
(SCM_RIGHTS). The Oxigraph server joins the same namespaces before it starts (setns), so it
listens on a loopback no other process on the machine shares: no local user can connect to it,
and a SERVICE or LOAD it would run reaches nothing but itself. A socket keeps the namespace it
was made in, so entente talks to the server over the handed-over sockets at full speed; the
broker only takes part in connecting.

The broker exits when the control socket closes (entente stopped or dropped it).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import socket
import struct
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def enter_namespaces() -> bool:
    """A new network namespace, inside a new user namespace when the kernel allows it (as root
    the network namespace alone is enough). True when a user namespace was made."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.geteuid(), os.getegid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
        return True
    first = ctypes.get_errno()
    if uid == 0 and libc.unshare(CLONE_NEWNET) == 0:
        return False
    raise OSError(first, f"unshare: {os.strerror(first)}")


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, request)[:18])[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags | IFF_UP, b""))


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


def serve(control: socket.socket) -> None:
    while True:
        try:
            request = control.recv(32)
        except InterruptedError:
            continue
        if not request:
            return
        try:
            port = int(request)
            conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        except (OSError, ValueError) as exc:
            code = exc.errno if isinstance(exc, OSError) and exc.errno else errno.EINVAL
            control.send(b"F%d" % code)
            continue
        try:
            conn.settimeout(None)
            local_port = conn.getsockname()[1]
            socket.send_fds(control, [b"K%d" % local_port], [conn.fileno()])
        finally:
            conn.close()


def main() -> int:
    control = socket.socket(fileno=int(sys.argv[1]))
    try:
        user = enter_namespaces()
        loopback_up()
    except OSError as exc:
        control.send(b"E" + str(exc).encode("utf-8", "replace")[:500])
        return 1
    control.send(b"R1" if user else b"R0")
    serve(control)
    return 0


if __name__ == "__main__":
    sys.exit(main())
