#include "measure/syscall_trace.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

using namespace cibench;

namespace {

const std::filesystem::path kSandbox = "/tmp/.cibench-AbCdEf";

SyscallTrace trace_of(const std::string& log) {
  SyscallTrace trace;
  add_syscall_log(trace, log, kSandbox);
  return trace;
}

} // namespace

// Lines as Valgrind 3.19 prints them (copied from real --trace-syscalls=yes logs).
BOOST_AUTO_TEST_SUITE(syscall_trace)

BOOST_AUTO_TEST_CASE(opens_and_lookups_found_or_not_are_recorded_with_their_outcome_on_a_later_line) {
  const auto t = trace_of(
      "==1== Command: /tmp/.cibench-AbCdEf/prog 100\n"
      "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x40290b1(/etc/ld.so.cache), 524288 ) --> [async] ... \n"
      "SYSCALL[1,1](257) ... [async] --> Success(0x4) \n"
      "SYSCALL[1,1](262) sys_newfstatat ( 4, 0x4029c99(), 0x1ffefff780 )[sync] --> Success(0x0) \n"
      "SYSCALL[1,1](21) sys_access ( 0x402a2a0(/etc/ld.so.preload), 4 )[sync] --> Failure(0x2) \n"
      "SYSCALL[1,1](262) sys_newfstatat ( 4294967196, 0x1ffefff6c0(/lib/glibc-hwcaps/x86-64-v3), 0x1ffefff780 )[sync] --> Failure(0x2) \n");
  BOOST_TEST(t.unprovable.empty());
  BOOST_TEST(t.looked_up == (std::set<std::string>{"/etc/ld.so.cache", "/etc/ld.so.preload", "/lib/glibc-hwcaps/x86-64-v3"}));
}

BOOST_AUTO_TEST_CASE(a_listed_folder_is_the_one_its_descriptor_was_opened_on_and_sandbox_paths_stay_relative) {
  const auto t = trace_of(
      "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/data/set), 591872 ) --> [async] ... \n"
      "SYSCALL[1,1](257) ... [async] --> Success(0x3) \n"
      "SYSCALL[1,1](217) sys_getdents64 ( 3, 0x403e2a0, 32768 ) --> [async] ... \n"
      "SYSCALL[1,1](217) ... [async] --> Success(0x1f8) \n"
      "SYSCALL[1,1](257) sys_openat ( 3, 0x6(inner.txt), 0 ) --> [async] ... \n"
      "SYSCALL[1,1](257) ... [async] --> Success(0x5) \n"
      "SYSCALL[1,1](3) sys_close ( 3 )[sync] --> Success(0x0) \n"
      "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x7(input/a.txt), 0 ) --> [async] ... \n"
      "SYSCALL[1,1](257) ... [async] --> Success(0x3) \n"
      "SYSCALL[1,1](217) sys_getdents64 ( 3, 0x403e2a0, 32768 ) --> [async] ... \n");
  BOOST_TEST(t.unprovable.empty());
  BOOST_TEST(t.listed == (std::set<std::string>{"/data/set"})); // the sandbox's own folder is its inputs'
  BOOST_TEST(t.looked_up == (std::set<std::string>{"/data/set", "/data/set/inner.txt"}));
}

BOOST_AUTO_TEST_CASE(the_program_reading_its_own_file_is_recorded_as_prog) {
  const auto t = trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/tmp/.cibench-AbCdEf/prog), 0 ) --> [async] ... \n"
                          "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/proc/self/exe), 0 ) --> [async] ... \n"
                          "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/proc/self/maps), 0 ) --> [async] ... \n");
  BOOST_TEST(t.looked_up == (std::set<std::string>{"prog"}));
}

BOOST_AUTO_TEST_CASE(a_relative_path_after_chdir_resolves_from_the_new_folder) {
  const auto t = trace_of("SYSCALL[1,1](80) sys_chdir ( 0x5(/srv/data) )[sync] --> Success(0x0) \n"
                          "SYSCALL[1,1](4) sys_newstat ( 0x5(x.txt), 0x6 )[sync] --> Success(0x0) \n");
  BOOST_TEST(t.looked_up == (std::set<std::string>{"/srv/data", "/srv/data/x.txt"}));
}

BOOST_AUTO_TEST_CASE(writes_outside_the_sandbox_sockets_and_unreadable_lines_make_reuse_unprovable) {
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/tmp/out.txt), 577, 438 ) --> [async] ... \n")
                 .unprovable.size() == 1u);
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/dev/null), 577, 438 ) --> [async] ... \n"
                      "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(out.txt), 577, 438 ) --> [async] ... \n")
                 .unprovable.empty()); // the sandbox is the workload's to write
  BOOST_TEST(trace_of("SYSCALL[1,1](41) sys_socket ( 2, 1, 0 )[sync] --> Success(0x3) \n").unprovable.size() == 1u);
  BOOST_TEST(trace_of("SYSCALL[1,1](87) sys_unlink ( 0x5(/home/me/cache) )[sync] --> Success(0x0) \n").unprovable.size() == 1u);
  // A path holding ")" cannot be told from the arguments around it with certainty.
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/a), 0) b), 0 ) --> [async] ... \n").unprovable.size() == 1u);
  // A newline inside a path splits its line: the first half does not read as a call.
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/a\n").unprovable.size() == 1u);
  // A relative path from a descriptor whose folder the trace never showed.
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 9, 0x5(x), 0 ) --> [async] ... \n").unprovable.size() == 1u);
}

// Holes a hostile tester found, each once a false pass.
BOOST_AUTO_TEST_CASE(a_descriptor_copied_with_dup2_names_what_its_source_named) {
  const auto t = trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/a), 65536 ) --> [async] ... \n"
                          "SYSCALL[1,1](257) ... [async] --> Success(0x3) \n"
                          "SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/b), 65536 ) --> [async] ... \n"
                          "SYSCALL[1,1](257) ... [async] --> Success(0x4) \n"
                          "SYSCALL[1,1](33) sys_dup2 ( 4, 3 )[sync] --> Success(0x3) \n"
                          "SYSCALL[1,1](257) sys_openat ( 3, 0x6(x.txt), 0 ) --> [async] ... \n");
  BOOST_TEST(t.unprovable.empty());
  BOOST_TEST(t.looked_up.count("/b/x.txt") == 1u);
  BOOST_TEST(t.looked_up.count("/a/x.txt") == 0u);
}

BOOST_AUTO_TEST_CASE(a_path_through_a_link_and_dot_dot_is_kept_as_the_kernel_resolves_it) {
  const auto t = trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/d/link/../a.txt), 0 ) --> [async] ... \n");
  BOOST_TEST(t.looked_up == (std::set<std::string>{"/d/link/../a.txt"}));
}

BOOST_AUTO_TEST_CASE(other_files_reached_through_proc_or_dev_fd_and_io_uring_are_refused) {
  for (const char* path : {"/proc/self/root/etc/x", "/proc/12/cwd/x", "/dev/fd/3/a.txt"})
    BOOST_TEST(trace_of(fmt::format("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5({}), 0 ) --> [async] ... \n", path))
                   .unprovable.size() == 1u, path);
  BOOST_TEST(trace_of("SYSCALL[1,1](425) sys_io_uring_setup ( 8, 0x1 )[sync] --> Success(0x3) \n").unprovable.size() == 1u);
  BOOST_TEST(trace_of("SYSCALL[1,1](88) sys_symlink ( 0x5(/d/a.txt), 0x6(s) )[sync] --> Success(0x0) \n").unprovable.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_path_that_holds_what_looks_like_more_arguments_is_refused) {
  // open("/d/a.txt), 0, 0(x") as Valgrind prints it: one path, which reads as two strings.
  BOOST_TEST(trace_of("SYSCALL[1,1](257) sys_openat ( 4294967196, 0x5(/d/a.txt), 0, 0(x), 0 ) --> [async] ... \n")
                 .unprovable.size() == 1u);
}

BOOST_AUTO_TEST_CASE(what_the_host_told_it_is_recorded) {
  const auto t = trace_of("SYSCALL[1,1](63) sys_uname ( 0x1ffefff000 )[sync] --> Success(0x0) \n"
                          "SYSCALL[1,1](204) sys_sched_getaffinity ( 0, 128, 0x1 )[sync] --> Success(0x8) \n"
                          "SYSCALL[1,1](302) sys_prlimit64 ( 0, 7, 0x0, 0x1ffefff000 )[sync] --> Success(0x0) \n"
                          "SYSCALL[1,1](102) sys_getuid ( )[sync] --> Success(0x0) \n");
  BOOST_TEST(t.host == (std::set<std::string>{"uname", "cpus", "rlimit 7", "user"}));
  BOOST_TEST(trace_of("SYSCALL[1,1](137) sys_statfs ( 0x5(/), 0x6 )[sync] --> Success(0x0) \n").unprovable.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
