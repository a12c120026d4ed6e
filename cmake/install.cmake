# What `cmake --install` (and `make install PREFIX=...`, and the .deb) puts where:
#   bin/ci-bench                          the driver
#   bin/ci-bench-report, -export, -post-comment   links to the scripts below
#   lib/ci-bench/libcibench-heap.so       the heap counter a suite's heap = true run preloads
#   include/cibench/*.hpp                 the workload and measure_time headers
#   share/ci-bench/source.txt             the repository and commit init pins by default
#   share/ci-bench/                       report.py and the modules it imports (report_*.py),
#                                         export.py, post_comment.py, results_file.py,
#                                         visible_text.py, results.schema.json
#   lib/cmake/cibench/                    find_package(cibench CONFIG): cibench::workload,
#                                         cibench::measure_time, cibench::ci-bench (the driver)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CIBENCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cibench)
set(CIBENCH_SCRIPTS_DIR ${CMAKE_INSTALL_DATADIR}/ci-bench)

install(TARGETS ci-bench cibench_workload cibench_measure_time EXPORT cibenchTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS cibench_heap_counter LIBRARY DESTINATION ${CIBENCH_HEAP_COUNTER_DIR})
install(DIRECTORY harness/include/cibench DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

# The scripts find each other beside themselves (Python puts a script's real folder, symbolic
# links resolved, first on sys.path), so they run from share/ci-bench/ or through the bin/ links.
install(PROGRAMS tools/report.py tools/export.py tools/post_comment.py DESTINATION ${CIBENCH_SCRIPTS_DIR})
install(FILES ${CIBENCH_SOURCE_PIN_FILE} DESTINATION ${CIBENCH_SCRIPTS_DIR}) # init's default pin
install(FILES tools/report_facts.py tools/report_html.py tools/report_markdown.py tools/report_text.py
  tools/results_file.py tools/visible_text.py harness/schema/results.schema.json DESTINATION ${CIBENCH_SCRIPTS_DIR})
file(RELATIVE_PATH scripts_from_bin
  ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR} ${CMAKE_INSTALL_PREFIX}/${CIBENCH_SCRIPTS_DIR})
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/links)
foreach(script report export post_comment)
  string(REPLACE "_" "-" command ci-bench-${script})
  file(CREATE_LINK ${scripts_from_bin}/${script}.py ${PROJECT_BINARY_DIR}/links/${command} SYMBOLIC)
  install(PROGRAMS ${PROJECT_BINARY_DIR}/links/${command} DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

install(EXPORT cibenchTargets NAMESPACE cibench:: DESTINATION ${CIBENCH_CMAKE_DIR})
configure_package_config_file(cmake/cibenchConfig.cmake.in ${PROJECT_BINARY_DIR}/cibenchConfig.cmake
  INSTALL_DESTINATION ${CIBENCH_CMAKE_DIR} PATH_VARS CIBENCH_SCRIPTS_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cibenchConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cibenchConfig.cmake ${PROJECT_BINARY_DIR}/cibenchConfigVersion.cmake
  DESTINATION ${CIBENCH_CMAKE_DIR})

if(PROJECT_IS_TOP_LEVEL) # a consumer's `package` target stays the consumer's
  include(cmake/package.cmake)
endif()
