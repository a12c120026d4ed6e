# What `ci-bench init` pins its workflows to by default: the GitHub repository and the commit this
# ci-bench is built from, with the commit's tag when it has one. Read from git when the source is a
# clone, else from ci-bench-source.txt, which `make dist` puts at the top of the source tarball.
# Written to share/ci-bench/source.txt beside the driver (in the build tree and the install), not
# compiled into the driver: a new commit must not change the driver, whose digest keys reuse.
#   -DCIBENCH_GITHUB_REPOSITORY=OWNER/NAME   overrides the repository read from origin's URL.

get_filename_component(cibench_root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE) # also when another project includes harness/
set(CIBENCH_GITHUB_REPOSITORY "" CACHE STRING "ci-bench's GitHub repository (OWNER/NAME) for init's workflows; empty: origin's")

function(cibench_git out)
  execute_process(COMMAND git -C ${cibench_root} ${ARGN} OUTPUT_VARIABLE value RESULT_VARIABLE failed
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(failed)
    set(value "")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

set(pin_repository "")
set(pin_commit "")
set(pin_tag "")
set(pin_modified "")
# Only a clone whose top is this source folder: a tarball unpacked inside another repository is not
# that repository's commit.
cibench_git(git_top rev-parse --show-toplevel)
if(git_top AND git_top STREQUAL cibench_root)
  cibench_git(pin_commit rev-parse --verify --quiet HEAD)
  cibench_git(pin_tag describe --tags --exact-match HEAD)
  cibench_git(origin remote get-url origin)
  if(origin MATCHES "github\\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)$")
    string(REGEX REPLACE "\\.git$" "" pin_repository "${CMAKE_MATCH_1}")
  endif()
  cibench_git(changes status --porcelain --untracked-files=no)
  if(changes)
    set(pin_modified "yes")
  endif()
  # Configure again when HEAD moves (a commit, a checkout), so that the pin follows it.
  foreach(what HEAD packed-refs)
    cibench_git(git_file rev-parse --path-format=absolute --git-path ${what})
    if(git_file AND EXISTS ${git_file})
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${git_file})
    endif()
  endforeach()
  cibench_git(head_ref symbolic-ref --quiet HEAD)
  if(head_ref)
    cibench_git(ref_file rev-parse --path-format=absolute --git-path ${head_ref})
    if(ref_file AND EXISTS ${ref_file})
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ref_file})
    endif()
  endif()
elseif(EXISTS ${cibench_root}/ci-bench-source.txt)
  file(STRINGS ${cibench_root}/ci-bench-source.txt lines)
  foreach(line ${lines})
    if(line MATCHES "^(repository|commit|tag)=(.*)$")
      set(pin_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
endif()
if(CIBENCH_GITHUB_REPOSITORY AND NOT CIBENCH_GITHUB_REPOSITORY MATCHES "^OWNER/") # OWNER/: an old placeholder
  set(pin_repository "${CIBENCH_GITHUB_REPOSITORY}")
endif()

set(CIBENCH_SOURCE_PIN_TEXT "repository=${pin_repository}\ncommit=${pin_commit}\ntag=${pin_tag}\nmodified=${pin_modified}\n")
