#!/usr/bin/python3
"""Check baseline_hashes.py against the imagehash 4.3.2 reference vectors.

For every image in shared/reference/expected.json, compute the four hashes with
baseline_hashes.hash_file and compare them with expected["imagehash"]. Prints
per-hash match counts, every mismatch (with its Hamming distance and the
reference's fragility flags), and the library versions in use.

    /usr/bin/python3 check_reference.py [--reference DIR]

DIR defaults to /work/shared/reference (or $DOPPEL_REFERENCE_DIR).
Exit status 0 only if all hashes of all images match exactly.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline_hashes as bh  # noqa: E402

NAMES = [name for name, _ in bh.HASHES]


def hamming(a, b):
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", default=os.environ.get(
        "DOPPEL_REFERENCE_DIR", "/work/shared/reference"))
    args = ap.parse_args(argv)

    with open(os.path.join(args.reference, "expected.json"), encoding="utf-8") as fh:
        images = json.load(fh)["images"]

    matches = {n: 0 for n in NAMES}
    all_four = 0
    mismatches = []
    for key in sorted(images):
        entry = images[key]
        expected = entry["imagehash"]
        path = os.path.join(args.reference, "images", key)
        try:
            got = bh.hash_file(path)
        except Exception as exc:
            mismatches.append((key, "error", f"{type(exc).__name__}: {exc}", "", ""))
            continue
        ok = 0
        for n in NAMES:
            if got[n] == expected[n]:
                matches[n] += 1
                ok += 1
            else:
                flags = entry.get("imagehash_flags", {})
                mismatches.append((key, n, got[n], expected[n],
                                   f"hamming={hamming(got[n], expected[n])} flags={flags}"))
        all_four += ok == len(NAMES)

    total = len(images)
    print("versions:", json.dumps(bh.versions()))
    for n in NAMES:
        print(f"{n}: {matches[n]}/{total} exact")
    print(f"all four exact: {all_four}/{total} images; "
          f"{sum(matches.values())}/{total * len(NAMES)} hashes")
    for key, n, got, exp, info in mismatches:
        print(f"MISMATCH {key} {n}: got {got} expected {exp} {info}")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
