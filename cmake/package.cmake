# `make package`: a .deb of what cmake/install.cmake installs, for `apt install ./ci-bench_*.deb`.
# Depends: the shared libraries the driver links (found by dpkg-shlibdeps), Valgrind (the
# instrument, and <valgrind/callgrind.h> for the workload header) and Python 3 (the scripts).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ci-bench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR ci-bench)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "deterministic performance gate for C and C++ (Valgrind counts against committed baselines)")
set(CPACK_PACKAGE_CONTACT "ci-bench maintainers <ci-bench@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # as Debian does: the debug info is 9/10 of the driver
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # ci-bench_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "valgrind, python3")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
include(CPack)
