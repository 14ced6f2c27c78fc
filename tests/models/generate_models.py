#!/usr/bin/python3
"""Generates the fixture models the tests convert (random init, no downloads).

Imports every gen_*.py module beside this script and calls its generate(outdir). Each generator
skips files that are already present and newer than its own source, so re-runs take seconds.
Usage: generate_models.py OUTDIR [NAME_FILTER]
"""
import glob
import importlib.util
import os
import sys
import time


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: generate_models.py OUTDIR [NAME_FILTER]")
    outdir = os.path.abspath(sys.argv[1])
    name_filter = sys.argv[2] if len(sys.argv) > 2 else ""
    os.makedirs(outdir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)

    import torch
    # Build machines are small and busy (ctest runs tests beside this): one intra-op thread is several times
    # faster than two contending ones, and the results do not depend on it.
    torch.set_num_threads(1)

    failed = []
    for path in sorted(glob.glob(os.path.join(here, "gen_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        if name_filter not in name:
            continue
        start = time.time()
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            module.generate(outdir)
        except Exception as e:  # report every broken generator, not only the first
            failed.append(name)
            print(f"{name}: FAILED: {type(e).__name__}: {e}", file=sys.stderr)
            import traceback
            traceback.print_exc()
            continue
        print(f"{name}: done in {time.time() - start:.1f}s")
    if failed:
        sys.exit(f"generators failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
