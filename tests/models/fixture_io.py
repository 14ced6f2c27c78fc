"""Shared helpers for the gen_*.py fixture generators: freshness checks and atomic writes."""
import json
import os
import zlib


def up_to_date(outputs, sources):
    """True when every output exists and is newer than every source (re-runs then skip the work)."""
    try:
        oldest_output = min(os.path.getmtime(p) for p in outputs)
    except (FileNotFoundError, ValueError):
        return False
    newest_source = max(os.path.getmtime(p) for p in sources)
    return oldest_output >= newest_source


def seed_for(name):
    """A stable per-fixture seed, so one fixture's content does not depend on which others were rebuilt."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def write_atomically(path, write):
    """Calls write(tmp_path), then renames into place: an interrupted run never leaves a half-written fixture."""
    tmp = path + ".part"
    write(tmp)
    os.replace(tmp, path)


def write_bytes(path, data):
    write_atomically(path, lambda tmp: open(tmp, "wb").write(data))


def write_json(path, obj):
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    write_atomically(path, write)


def save_scripted(module, path):
    write_atomically(path, lambda tmp: module.save(tmp))
