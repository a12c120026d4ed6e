#!/usr/bin/env bash
# `make dist`: a release's files in BUILD_DIR/dist/, from the commit checked out (a tag's, in the
# release workflow):
#   ci-bench-VERSION.tar.gz   the source (git archive of HEAD), with ci-bench-source.txt at its top
#                             recording the repository, commit and tag, for `ci-bench init`'s
#                             default pin when it is built without git (cmake/source_pin.cmake)
#   ci-bench_VERSION_ARCH.deb the package BUILD_DIR made (`make package`)
#   SHA256SUMS                their checksums (`sha256sum -c SHA256SUMS`)
# Refuses uncommitted changes to tracked files: the package is built from the working tree, and a
# release is one commit.
#   [CIBENCH_RELEASE_TAG=vX.Y.Z] bash ci/dist.sh [BUILD_DIR]
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "dist: uncommitted changes to tracked files (git status): a release is made from a commit" >&2
  exit 1
fi
source ci/one-package.sh
package="$(one_package "$build" dist)" || exit 1
version="$(sed -n 's/^project(ci-bench VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
commit="$(git rev-parse HEAD)"
# What the build would record (cmake/source_pin.cmake: origin's GitHub repository, the one tag on
# HEAD), the tag being CIBENCH_RELEASE_TAG (the release workflow's) when given, which must name HEAD.
pin="$(mktemp)"
trap 'rm -f "$pin"' EXIT
cmake -DROOT="$(pwd -P)" -DOUT="$pin" -P cmake/source_pin.cmake
repository="$(sed -n 's/^repository=//p' "$pin")"
tag="$(sed -n 's/^tag=//p' "$pin")"
if [ -n "${CIBENCH_RELEASE_TAG:-}" ]; then
  if [ "$(git rev-parse --verify --quiet "refs/tags/$CIBENCH_RELEASE_TAG^{commit}" || true)" != "$commit" ]; then
    echo "dist: the tag $CIBENCH_RELEASE_TAG does not name HEAD ($commit)" >&2
    exit 1
  fi
  tag="$CIBENCH_RELEASE_TAG"
fi
# The package must be this commit's, built from a clean tree (its source.txt, cmake/source_pin.cmake).
packaged="$(dpkg-deb --fsys-tarfile "$package" 2>/dev/null | tar -xOf - ./usr/share/ci-bench/source.txt 2>/dev/null || true)"
if ! grep -qx "commit=$commit" <<<"$packaged" || ! grep -qx "modified=" <<<"$packaged"; then
  echo "dist: $package was not built from $commit with no uncommitted changes (its share/ci-bench/source.txt:" \
       "$(tr '\n' ' ' <<<"${packaged:-none}")): make package again" >&2
  exit 1
fi

dist="$build/dist"
rm -rf "$dist"
mkdir -p "$dist/.source"
printf 'repository=%s\ncommit=%s\ntag=%s\n' "$repository" "$commit" "$tag" > "$dist/.source/ci-bench-source.txt"
name="ci-bench-$version"
# gzip -n and git archive's commit-time stamps: the same commit gives the same bytes.
git archive --format=tar --prefix="$name/" --add-file="$dist/.source/ci-bench-source.txt" HEAD | gzip -n -9 > "$dist/$name.tar.gz"
rm -rf "$dist/.source"
cp "$package" "$dist/"
(cd "$dist" && sha256sum -- *.tar.gz *.deb > SHA256SUMS)
echo "dist: $dist (commit ${commit:0:12}${tag:+, $tag}):"
(cd "$dist" && ls -l -- *)
