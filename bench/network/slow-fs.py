#!/usr/bin/python3
"""A read-only FUSE mirror of a folder that answers like a slow network share: every request
(stat, directory listing, open) waits LATENCY ms, every read waits LATENCY ms plus its size at
the given bandwidth. Like NFS (READDIRPLUS) and SMB (QUERY_DIRECTORY) clients, a listing brings
the attributes of its entries, which then answer stats without a round trip for ATTR_CACHE_S
(the Linux clients' default actimeo is about that). Used by `npm run bench:network` (Debian:
fuse3 and python3-fusepy; run with /usr/bin/python3).

usage: slow-fs.py SOURCE MOUNTPOINT LATENCY_MS MBPS
"""
import os
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations

ATTR_CACHE_S = 1.0
ATTR_KEYS = ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid')


def attributes(st):
    return {key: getattr(st, key) for key in ATTR_KEYS}


class SlowMirror(Operations):
    def __init__(self, root, latency_s, bytes_per_s):
        self.root = root
        self.latency_s = latency_s
        self.bytes_per_s = bytes_per_s
        self.cache = {}  # path -> (expires, attributes), filled by listings
        self.cache_lock = threading.Lock()  # not "lock": that is a FUSE operation

    def _path(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _wait(self, nbytes=0):
        time.sleep(self.latency_s + nbytes / self.bytes_per_s)

    def getattr(self, path, fh=None):
        with self.cache_lock:
            cached = self.cache.get(path)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        self._wait()
        try:
            return attributes(os.lstat(self._path(path)))
        except OSError as error:
            raise FuseOSError(error.errno)

    def readdir(self, path, fh):
        self._wait()
        names = os.listdir(self._path(path))
        expires = time.monotonic() + ATTR_CACHE_S
        with os.scandir(self._path(path)) as entries:
            listed = {os.path.join(path, entry.name): (expires, attributes(entry.stat(follow_symlinks=False))) for entry in entries}
        with self.cache_lock:
            now = time.monotonic()
            for key in [key for key, (until, _) in self.cache.items() if until <= now]:
                del self.cache[key]
            self.cache.update(listed)
        return ['.', '..'] + names

    def open(self, path, flags):
        self._wait()
        return os.open(self._path(path), os.O_RDONLY)

    def read(self, path, size, offset, fh):
        data = os.pread(fh, size, offset)
        self._wait(len(data))
        return data

    def release(self, path, fh):
        os.close(fh)
        return 0


if __name__ == '__main__':
    source, mountpoint, latency_ms, mbps = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    FUSE(SlowMirror(source, latency_ms / 1000, mbps * 1e6 / 8), mountpoint, foreground=True, ro=True, allow_other=False)
