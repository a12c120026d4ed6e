// What run_process leaves behind: output past the cap is dropped, a grandchild that escaped its
// process group is dead when run_process returns, and the sweep that kills it spares other jobs.
#include "exec/process.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

using namespace cibench;
using namespace std::chrono_literals;

namespace {

ProcessSpec spec_in(const TempDir& dir, std::vector<std::string> argv, std::chrono::milliseconds timeout = 20s) {
  return ProcessSpec{argv, {}, dir.path, dir.path / "out", dir.path / "err", timeout};
}

std::string read(const std::filesystem::path& file) {
  std::stringstream s;
  s << std::ifstream(file).rdbuf();
  return s.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(containment)

BOOST_AUTO_TEST_CASE(output_past_the_cap_is_read_dropped_and_noted) {
  TempDir dir;
  ProcessSpec spec = spec_in(dir, {CIBENCH_MISBEHAVE, "flood", "10000000"});
  spec.output_cap = 1 << 20;
  const ProcessResult r = run_process(spec);
  BOOST_TEST(r.ok(), r.describe()); // the writer was neither blocked for good nor killed
  const std::string out = read(dir.path / "out");
  const std::string note = "\n[ci-bench: output cut after 1048576 bytes; 8951424 more bytes were discarded]\n";
  BOOST_TEST(out.size() == (1u << 20) + note.size());
  BOOST_TEST(out.substr(0, 3) == "xxx");
  BOOST_TEST(out.substr(1 << 20) == note);
  BOOST_TEST(read(dir.path / "err").empty());
}

BOOST_AUTO_TEST_CASE(a_grandchild_that_left_the_group_is_dead_when_run_process_returns) {
  become_subreaper();
  TempDir dir;
  const auto marker = dir.path / "marker";
  const ProcessResult r = run_process(spec_in(dir, {CIBENCH_MISBEHAVE, "escape", marker.string()}));
  BOOST_TEST(r.ok(), r.describe());
  const pid_t grandchild = std::stoi(read(dir.path / "out"));
  errno = 0;
  BOOST_TEST(::kill(grandchild, 0) == -1); // killed and reaped, not even a zombie
  BOOST_TEST(errno == ESRCH);
  std::this_thread::sleep_for(2500ms); // past the moment it would have written
  BOOST_TEST(!std::filesystem::exists(marker));
}

BOOST_AUTO_TEST_CASE(the_sweep_spares_a_process_another_thread_waits_on) {
  become_subreaper();
  TempDir dir, other;
  ProcessResult parallel;
  std::thread job([&] { parallel = run_process(spec_in(other, {CIBENCH_TESTPROG, "hang"}, 1500ms)); });
  std::this_thread::sleep_for(100ms);
  for (int i = 0; i < 3; ++i) // each run ends with a sweep
    run_process(spec_in(dir, {CIBENCH_MISBEHAVE, "escape", (dir.path / "marker").string()}));
  job.join();
  // Killed by a sweep it would be "signalled"; left alone it runs into its timeout.
  BOOST_TEST((parallel.outcome == ProcessResult::Outcome::timed_out), parallel.describe());
}

BOOST_AUTO_TEST_SUITE_END()
