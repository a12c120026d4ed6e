#include "elf/elf_loaded_content.hpp"

#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace cibench;
namespace fs = std::filesystem;

namespace {

// Compiles `source` with debug info as <dir>/<folder>/prog.cpp (so the debug info names that
// folder) and returns the program.
fs::path compile(const fs::path& dir, const std::string& folder, const std::string& source) {
  fs::create_directories(dir / folder);
  std::ofstream(dir / folder / "prog.cpp") << source;
  const std::string command = "cd '" + (dir / folder).string() + "' && g++ -O1 -g -o prog prog.cpp";
  BOOST_REQUIRE_EQUAL(std::system(command.c_str()), 0);
  return dir / folder / "prog";
}

std::string bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kProgram = "#include <cstdio>\nint main(int argc, char**) { std::printf(\"%d\\n\", argc * 3); }\n";

} // namespace

BOOST_AUTO_TEST_SUITE(elf_loaded_content_digest)

// The same code built in another folder: the files differ (debug info, build ID), what is loaded does not.
BOOST_AUTO_TEST_CASE(a_rebuild_in_another_folder_digests_the_same) {
  TempDir dir;
  const fs::path a = compile(dir.path, "checkout-a", kProgram);
  const fs::path b = compile(dir.path, "a-much-longer-folder-name-for-checkout-b", kProgram);
  BOOST_REQUIRE(bytes(a) != bytes(b));
  const auto da = elf_loaded_content(a), db = elf_loaded_content(b);
  BOOST_REQUIRE(da && db);
  BOOST_TEST(da->digest == db->digest);
  BOOST_TEST(da->interpreter.find("ld-linux") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(changed_code_digests_differently_and_other_files_are_refused) {
  TempDir dir;
  const fs::path a = compile(dir.path, "a", kProgram);
  std::string changed = kProgram;
  changed.replace(changed.find("* 3"), 3, "* 5");
  const fs::path b = compile(dir.path, "b", changed);
  BOOST_TEST(elf_loaded_content(a)->digest != elf_loaded_content(b)->digest);
  BOOST_TEST(!elf_loaded_content(dir.write("script.sh", "#!/bin/sh\necho hi\n")));
  BOOST_TEST(!elf_loaded_content(dir.path / "missing"));
}

BOOST_AUTO_TEST_SUITE_END()
