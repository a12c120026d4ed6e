# What `ci-bench init` pins its workflows to by default: the GitHub repository and the commit this
# ci-bench is built from, with the commit's tag when exactly one tag names it. Read from git when
# the source is a clone, else from ci-bench-source.txt, which `make dist` puts at the top of the
# source tarball. A script, run by every build (harness/CMakeLists.txt's cibench_source_pin), so
# that a commit, a tag or an edit made since configuring is seen; it rewrites OUT only when its text
# changes. A file beside the driver, not a string in it: a new commit must not change the driver,
# whose digest keys reuse.
#   cmake -DROOT=ci-bench's source -DOUT=share/ci-bench/source.txt [-DREPOSITORY=OWNER/NAME] -P source_pin.cmake

function(cibench_git out)
  execute_process(COMMAND git -C ${ROOT} ${ARGN} OUTPUT_VARIABLE value RESULT_VARIABLE failed
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
if(git_top AND git_top STREQUAL ROOT)
  cibench_git(pin_commit rev-parse --verify --quiet HEAD)
  cibench_git(tags tag --points-at HEAD)
  if(tags AND NOT tags MATCHES "\n") # two tags on one commit: which is the release is not for us to guess
    set(pin_tag "${tags}")
  endif()
  cibench_git(origin remote get-url origin)
  if(origin MATCHES "^(https://|ssh://git@|git@)github\\.com[:/]([A-Za-z0-9-]+/[A-Za-z0-9_.-]+)$")
    string(REGEX REPLACE "\\.git$" "" pin_repository "${CMAKE_MATCH_2}")
  endif()
  cibench_git(changes status --porcelain --untracked-files=no)
  if(changes)
    set(pin_modified "yes")
  endif()
elseif(EXISTS ${ROOT}/ci-bench-source.txt)
  file(STRINGS ${ROOT}/ci-bench-source.txt lines)
  foreach(line ${lines})
    if(line MATCHES "^(repository|commit|tag)=(.*)$")
      set(pin_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
endif()
if(REPOSITORY AND NOT REPOSITORY MATCHES "^OWNER/") # OWNER/: an old placeholder
  set(pin_repository "${REPOSITORY}")
endif()

set(text "repository=${pin_repository}\ncommit=${pin_commit}\ntag=${pin_tag}\nmodified=${pin_modified}\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT}.new "${text}")
  file(RENAME ${OUT}.new ${OUT})
endif()
