#include "util/error.hpp"
#include "exec/process.hpp"
#include "error_message.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <sstream>

using namespace cibench;
using namespace std::chrono_literals;

namespace {

struct Run {
  TempDir dir;
  ProcessResult result;
  std::string out, err;
  Run(std::vector<std::string> args, std::vector<std::string> env = {}, std::chrono::milliseconds timeout = 10s) {
    args.insert(args.begin(), CIBENCH_TESTPROG);
    ProcessSpec spec{args, env, dir.path, dir.path / "out", dir.path / "err", timeout};
    result = run_process(spec);
    std::stringstream o, e;
    o << std::ifstream(dir.path / "out").rdbuf();
    e << std::ifstream(dir.path / "err").rdbuf();
    out = o.str(), err = e.str();
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(reports_exit_status_and_captures_output) {
  Run ok({"loop", "10"});
  BOOST_TEST(ok.result.ok());
  BOOST_TEST(!ok.out.empty());
  Run fail({"fail"});
  BOOST_TEST(!fail.result.ok());
  BOOST_TEST(fail.result.exit_code == 3);
  BOOST_TEST(fail.err.find("disk full") != std::string::npos);
  BOOST_TEST(fail.result.describe() == "exited with status 3");
}

BOOST_AUTO_TEST_CASE(tells_a_signal_from_an_exit) {
  Run crash({"crash"});
  BOOST_TEST((crash.result.outcome == ProcessResult::Outcome::signalled));
  BOOST_TEST(crash.result.signal == SIGSEGV);
  BOOST_TEST(crash.result.describe().find("signal 11") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(passes_exactly_the_given_environment_and_directory) {
  Run env({"env"}, {"ONLY=this"});
  BOOST_TEST(env.out == "ONLY=this\n");
  Run cwd({"cwd"});
  BOOST_TEST(cwd.out == std::filesystem::canonical(cwd.dir.path).string() + "\n");
}

BOOST_AUTO_TEST_CASE(a_timeout_kills_the_whole_process_group) {
  Run hang({"hang"}, {}, 300ms);
  BOOST_TEST((hang.result.outcome == ProcessResult::Outcome::timed_out));
  BOOST_TEST(hang.result.seconds < 5.0);
  const pid_t grandchild = std::stoi(hang.out);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) { // it may take a moment to be reaped by init
    gone = ::kill(grandchild, 0) != 0 || !std::filesystem::exists("/proc/" + std::to_string(grandchild));
    if (!gone) {
      std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
      std::string pid, name, state;
      stat >> pid >> name >> state;
      gone = state == "Z";
      if (!gone) ::usleep(20'000);
    }
  }
  BOOST_TEST(gone, "the grandchild " << grandchild << " outlived the timeout");
}

BOOST_AUTO_TEST_CASE(a_missing_program_is_an_error_not_a_crash) {
  TempDir dir;
  ProcessSpec spec{{"/nonexistent/program"}, {}, dir.path, dir.path / "o", dir.path / "e", 1s};
  BOOST_TEST(error_message(ErrorKind::launch, [&] { run_process(spec); }) ==
             "cannot start /nonexistent/program: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
