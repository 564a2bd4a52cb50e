"""A network namespace of its own for this process, loopback only (see ../shared/CLUSTER.md).

Ray advertises the machine's external address and probes a public DNS server to find it;
inside a fresh namespace loopback is the only interface, so every packet stays on
127.0.0.1 and the probe fails at once. Entering one needs root (CI runs as root).
The namespace is entered by the calling thread and everything it starts afterwards
(Ray's nodes, the driver's threads); leaving returns the thread to the namespace it had.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess

CLONE_NEWNET = 0x40000000


def why_unavailable() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "a network namespace needs root (CI runs as root)"
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2) to bring loopback up"
    return None


@contextlib.contextmanager
def loopback_only():
    libc = ctypes.CDLL(None, use_errno=True)
    original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        if libc.unshare(CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        yield
    finally:
        if libc.setns(original, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back to the original network namespace failed")
        os.close(original)
