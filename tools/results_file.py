"""Reading a ci-bench results.json, shared by the scripts in tools/."""
import json
import sys


def load_results(path, program):
    """The parsed results.json, or exit with a message naming `program` and the file."""
    try:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"{program}: {path}: {e}")
    if not isinstance(results, dict) or not isinstance(results.get("benchmarks"), list):
        sys.exit(f"{program}: {path}: not a ci-bench results.json (no \"benchmarks\" list)")
    return results
