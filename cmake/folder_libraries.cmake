# One static library per folder of harness/src, and a build that refuses a cycle between folders.
#
# cibench_folder(NAME DEPENDS folder...) makes cibench_NAME of every .cpp under harness/src/NAME
# (a new file is in its folder's library without a line here: CONFIGURE_DEPENDS). Its sources find
# headers only through include roots: a folder in the build tree that holds one link, NAME ->
# harness/src/NAME, so `#include "NAME/x.hpp"` works in the folder itself and in the folders that
# depend on it (DEPENDS, transitively), and nowhere else: including a folder one does not depend on
# is a compile error. And a folder may depend only on folders declared before it, so the folders are
# declared bottom up and a cycle cannot be declared: CMake stops, naming the two folders.

function(cibench_folder name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEPENDS")
  get_property(declared GLOBAL PROPERTY CIBENCH_FOLDERS)
  foreach(dependency ${arg_DEPENDS})
    if(NOT dependency IN_LIST declared)
      message(FATAL_ERROR "harness/src/${name} depends on ${dependency}, which is not declared below it. "
                          "Folders are declared bottom up (each may include only those before it; "
                          "docs/architecture.md): if ${dependency} includes ${name}, that is a cycle, so "
                          "move what both need down into a folder below both.")
    endif()
  endforeach()
  set(root "${CMAKE_CURRENT_BINARY_DIR}/include_roots/${name}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/src/${name}" "${root}/${name}" SYMBOLIC)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/${name}/*.cpp")
  add_library(cibench_${name} STATIC ${sources})
  target_include_directories(cibench_${name} PUBLIC "$<BUILD_INTERFACE:${root}>")
  list(TRANSFORM arg_DEPENDS PREPEND cibench_)
  target_link_libraries(cibench_${name} PUBLIC ${arg_DEPENDS})
  set_property(GLOBAL APPEND PROPERTY CIBENCH_FOLDERS ${name})
endfunction()
