#!/usr/bin/env bash
# Installs every Debian package ci-bench needs to build, run and test. Idempotent: packages already
# present are left alone and apt is not touched at all when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config   # toolchain
  valgrind                                # the measuring instrument
  libfmt-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev                          # the storage workloads
  libboost-test-dev                       # unit tests
  libbenchmark-dev                        # the side-by-side with Google Benchmark (tools/side_by_side)
  python3                                 # report scripts and their tests
  yamllint                                # checks the GitHub workflows in ci/github/
  clang libclang-rt-14-dev                # libFuzzer, ASan and UBSan for the fuzz targets (make fuzz)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing: ${missing[*]}" >&2
  echo "install-deps: run as root:  sudo $0" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
