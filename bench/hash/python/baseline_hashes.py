#!/usr/bin/python3
"""Peer baseline: imagehash-compatible aHash / dHash / pHash / wHash in plain Python.

This is the "what a data scientist would write" reference for Doppel's hashing
benchmark. It reproduces the four 64-bit hashes of Python imagehash 4.3.2
(average_hash, dhash, phash, whash; hash_size=8, wHash mode 'haar',
remove_max_haar_ll=True) with Pillow + numpy + scipy + PyWavelets. It was
written from the definitions in shared/reference/README.md, section
"imagehash (hash_size = 8)"; no imagehash code is copied or imported.

Run it with the Debian interpreter, which has the Debian packages
python3-pil, python3-numpy, python3-scipy and python3-pywt:

    /usr/bin/python3 baseline_hashes.py [--json] FILE...
    /usr/bin/python3 baseline_hashes.py [--json] --list PATHS.txt

Output, one line per file, in input order:
  * plain:   "<ahash> <dhash> <phash> <whash>  <path>"  (or "ERROR <message>  <path>")
  * --json:  {"path","ahash","dhash","phash","whash"}  or  {"path","error"}
             followed by a final {"summary": true, ...} line.
A timing summary (files, seconds, files_per_s, peak RSS) always goes to stderr.
Exit status: 0, or 1 if any file could not be hashed.

Like imagehash, each file is opened once with Image.open (no EXIF transpose) and
every hash does its own convert("L") + LANCZOS resize of that image. The work is
single process and single thread (numpy/BLAS thread pools are pinned to 1
before numpy is imported, although nothing here uses BLAS).
"""

import os

# Single thread: pin any native thread pools before numpy/scipy load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import math
import resource
import sys
import time

import numpy as np
import pywt
import scipy
import scipy.fftpack
import PIL
from PIL import Image

HASH_SIZE = 8
LANCZOS = Image.Resampling.LANCZOS


def bits_to_hex(bits):
    """8x8 boolean array -> 16 lowercase hex digits.

    Row-major; the first bit is the most significant bit of the 64-bit number
    (the format of imagehash's str(ImageHash)).
    """
    return np.packbits(np.asarray(bits, dtype=bool).ravel()).tobytes().hex()


def gray_resized(image, width, height):
    """Pillow integer greyscale, then Pillow's LANCZOS resize, as a uint8 array."""
    return np.asarray(image.convert("L").resize((width, height), LANCZOS))


def average_hash(image):
    pixels = gray_resized(image, HASH_SIZE, HASH_SIZE)
    return pixels > pixels.mean()  # float64 mean of the 64 values


def difference_hash(image):
    pixels = gray_resized(image, HASH_SIZE + 1, HASH_SIZE)  # 9 wide, 8 high
    return pixels[:, 1:] > pixels[:, :-1]


def perceptual_hash(image):
    size = HASH_SIZE * 4  # highfreq_factor = 4 -> 32x32
    pixels = gray_resized(image, size, size)
    # Unnormalized type-II DCT (scipy.fftpack convention): columns, then rows.
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pixels, axis=0), axis=1)
    low = dct[:HASH_SIZE, :HASH_SIZE]  # includes the DC term
    return low > np.median(low)


def wavelet_hash(image):
    # The working size comes from the ORIGINAL image's smaller side.
    scale = max(2 ** int(math.log2(min(image.size))), HASH_SIZE)
    ll_max_level = int(math.log2(scale))
    dwt_level = ll_max_level - int(math.log2(HASH_SIZE))

    pixels = gray_resized(image, scale, scale) / 255.0  # float64

    # Remove the lowest-frequency (single LL) coefficient of the full haar
    # decomposition and reconstruct.
    coeffs = pywt.wavedec2(pixels, "haar", level=ll_max_level)
    coeffs[0] *= 0
    pixels = pywt.waverec2(coeffs, "haar")

    low = pywt.wavedec2(pixels, "haar", level=dwt_level)[0]  # 8x8 LL band
    return low > np.median(low)


HASHES = (
    ("ahash", average_hash),
    ("dhash", difference_hash),
    ("phash", perceptual_hash),
    ("whash", wavelet_hash),
)


def hash_file(path):
    """Return {"ahash","dhash","phash","whash"} (hex strings) for one file."""
    with Image.open(path) as image:
        return {name: bits_to_hex(fn(image)) for name, fn in HASHES}


def versions():
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "Pillow": PIL.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pywt": pywt.__version__,
    }


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true",
                    help="JSON lines output, with a final summary line")
    ap.add_argument("--list", metavar="FILE",
                    help="read paths from FILE, one per line")
    ap.add_argument("files", nargs="*", metavar="FILE")
    args = ap.parse_args(argv)

    paths = list(args.files)
    if args.list:
        with open(args.list, encoding="utf-8") as fh:
            paths.extend(line.rstrip("\r\n") for line in fh if line.strip())
    if not paths:
        ap.error("no input files (give FILE... or --list FILE)")

    out = sys.stdout
    errors = 0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for path in paths:
        try:
            hashes = hash_file(path)
        except Exception as exc:  # one bad file must not stop the run
            errors += 1
            msg = f"{type(exc).__name__}: {exc}"
            if args.json:
                out.write(json.dumps({"path": path, "error": msg}) + "\n")
            else:
                out.write(f"ERROR {msg}  {path}\n")
            continue
        if args.json:
            out.write(json.dumps({"path": path, **hashes}) + "\n")
        else:
            out.write(" ".join(hashes[n] for n, _ in HASHES) + f"  {path}\n")
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - cpu0

    summary = {
        "summary": True,
        "files": len(paths),
        "errors": errors,
        "seconds": round(seconds, 6),
        "cpu_seconds": round(cpu_seconds, 6),
        "files_per_s": round(len(paths) / seconds, 3) if seconds > 0 else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "versions": versions(),
    }
    if args.json:
        out.write(json.dumps(summary) + "\n")
    out.flush()
    print(
        f"files={summary['files']} errors={errors} seconds={seconds:.3f} "
        f"cpu_seconds={cpu_seconds:.3f} files_per_s={summary['files_per_s']} "
        f"peak_rss_mb={summary['peak_rss_mb']} "
        f"(Pillow {PIL.__version__}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, pywt {pywt.__version__})",
        file=sys.stderr,
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
