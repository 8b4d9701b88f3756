#!/usr/bin/python3
"""A read-only FUSE mirror of a folder that answers like a slow network share: every metadata
request (lookup/stat, directory listing, open) waits LATENCY ms, every read waits LATENCY ms
plus its size at the given bandwidth. Used by `npm run bench:network` (Debian: fuse3 and
python3-fusepy; run with /usr/bin/python3).

usage: slow-fs.py SOURCE MOUNTPOINT LATENCY_MS MBPS
"""
import os
import sys
import time

from fusepy import FUSE, FuseOSError, Operations


class SlowMirror(Operations):
    def __init__(self, root, latency_s, bytes_per_s):
        self.root = root
        self.latency_s = latency_s
        self.bytes_per_s = bytes_per_s

    def _path(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _wait(self, nbytes=0):
        time.sleep(self.latency_s + nbytes / self.bytes_per_s)

    def getattr(self, path, fh=None):
        self._wait()
        try:
            st = os.lstat(self._path(path))
        except OSError as error:
            raise FuseOSError(error.errno)
        return {key: getattr(st, key) for key in ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid')}

    def readdir(self, path, fh):
        self._wait()
        return ['.', '..'] + os.listdir(self._path(path))

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
