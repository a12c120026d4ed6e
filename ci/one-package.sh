# Sourced by ci/try-deb.sh and ci/dist.sh (from the repository's root): the one ci-bench_*.deb that `make package` left in a
# build folder, or a message naming the folder and an exit.
#   package="$(one_package BUILD_DIR SCRIPT_NAME)" || exit 1
one_package() {
  local debs
  shopt -s nullglob
  debs=("$1"/ci-bench_*.deb)
  shopt -u nullglob
  if [ ${#debs[@]} -ne 1 ]; then
    echo "$2: expected one ci-bench_*.deb in $1 (make package), found ${#debs[@]}" >&2
    return 1
  fi
  echo "${debs[0]}"
}
