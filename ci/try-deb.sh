#!/usr/bin/env bash
# The Debian package, installed on this machine the way a user installs it and used the way a new
# project uses it: `apt-get install ./ci-bench_*.deb` (its declared dependencies from apt), then in
# an empty folder `ci-bench init` and the three commands init prints, which must gate the example
# benchmark green. The package is removed afterwards unless it was installed before.
# .ci/run runs it after `make test` (which leaves the .deb in the build folder). It changes /usr,
# so it needs root and is not part of `make test`.
#   bash ci/try-deb.sh [BUILD_DIR]
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "try-deb: installs a package: run as root (sudo $0)" >&2
  exit 1
fi
source "$(dirname "$0")/one-package.sh"
package="$(one_package "$build" try-deb)" || exit 1

installed_before=0
dpkg-query -W -f='${Status}' ci-bench 2>/dev/null | grep -q 'ok installed' && installed_before=1
work="$(mktemp -d)"
cleanup() {
  cd /
  rm -rf "$work"
  [ $installed_before -eq 1 ] || apt-get remove -y -qq ci-bench >/dev/null
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "$package"
echo "try-deb: installed $(dpkg-query -W -f='${Package} ${Version}' ci-bench): $(command -v ci-bench)"

commit="$(git -C "$(dirname "$0")/.." rev-parse HEAD)"
mkdir "$work/my-project"
cd "$work/my-project"
# The commit the workflows pin is the package's own (its /usr/share/ci-bench/source.txt): this checkout's.
ci-bench init --ci-bench-repository example/ci-bench > "$work/init.txt"
if ! grep -q "reusable-gate.yml@$commit" .github/workflows/ci-bench.yml; then
  echo "try-deb: init did not pin the package's commit $commit:" >&2
  cat .github/workflows/ci-bench.yml >&2
  exit 1
fi
# The three lines after "Next, from .:", each run as a user pastes it.
mapfile -t commands < <(sed -n '/^Next, from \.:$/,+3p' "$work/init.txt" | tail -n 3 | sed 's/^ *//')
if [ ${#commands[@]} -ne 3 ]; then
  echo "try-deb: init did not print three commands:" >&2
  cat "$work/init.txt" >&2
  exit 1
fi
for command in "${commands[@]}"; do
  echo "try-deb: \$ $command"
  bash -c "$command" > "$work/last.txt" 2>&1 || { cat "$work/last.txt" >&2; exit 1; }
done
python3 - build/ci-bench/results.json <<'PY'
import json, sys
statuses = {b["name"]: b["status"] for b in json.load(open(sys.argv[1]))["benchmarks"]}
if not statuses or set(statuses.values()) != {"pass"}:
    sys.exit(f"try-deb: the example did not pass: {statuses}")
PY
echo "try-deb: the installed package gated init's example: $(tail -n 2 "$work/last.txt" | head -n 1)"
