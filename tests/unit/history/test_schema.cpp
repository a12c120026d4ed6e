#include "history/point.hpp"
#include "history/query.hpp"
#include "history/record.hpp"
#include "history/schema.hpp"
#include "error_message.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

using namespace cibench;

namespace {

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

// A file as the first ci-bench with history wrote it: schema 1, one run of two benchmarks.
std::filesystem::path version_1_file(const TempDir& dir) {
  const auto file = dir.path / "history.sqlite";
  Database db(file, OpenMode::create);
  migrate_history(db, 1);
  db.execute("INSERT INTO runs(id, commit_sha, branch, recorded_at, config) VALUES(7, 'abc', 'main', 1700000000, 'ci-bench.toml')");
  db.execute("INSERT INTO results VALUES(7, 'sort', 'pass'), (7, 'hash', 'warn')");
  db.execute("INSERT INTO metrics VALUES(7, 'sort', 'instructions', 1000), (7, 'hash', 'instructions', 2000)");
  return file;
}

std::int64_t count_of(Database& db, const std::string& table) {
  Statement s(db, "SELECT count(*) FROM " + table);
  s.step();
  return s.integer(0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(history_schema)

BOOST_AUTO_TEST_CASE(a_new_file_gets_the_current_schema_in_wal_mode) {
  TempDir dir;
  auto db = open_history(dir.path / "h.sqlite", HistoryUse::record);
  BOOST_TEST(db->user_version() == kHistorySchema);
  Statement mode(*db, "PRAGMA journal_mode");
  BOOST_REQUIRE(mode.step());
  BOOST_TEST(mode.text(0) == "wal");
}

// Every earlier version: each is built by the migrations up to it, given rows, and opened.
BOOST_AUTO_TEST_CASE(every_earlier_version_migrates_keeping_its_points) {
  for (int from = 1; from < kHistorySchema; ++from) {
    BOOST_TEST_CONTEXT("from schema " << from) {
      TempDir dir;
      const auto file = version_1_file(dir);
      {
        Database db(file, OpenMode::read_write);
        migrate_history(db, from);
        if (from == 2) db.execute("INSERT INTO functions VALUES(7, 'sort', 'src/sort.cpp:merge', 600)");
        if (from >= 3) // names kept once: rows carry the benchmark's id
          db.execute("INSERT INTO functions SELECT 7, id, 'src/sort.cpp:merge', 600 FROM benchmarks WHERE name = 'sort'");
      }
      auto db = open_history(file, HistoryUse::read);
      BOOST_TEST(db->user_version() == kHistorySchema);
      const HistoryWindow w = read_window(*db, {.branch = "main", .last = 10, .filter = {}, .metric = "", .run = {}});
      BOOST_REQUIRE(w.runs.size() == 1u);
      BOOST_TEST(w.runs[0].commit == "abc");
      BOOST_TEST(w.runs[0].time == 1700000000); // schema 2's commit time starts as the time recorded
      BOOST_TEST(w.runs[0].source == "run");
      BOOST_REQUIRE(w.benchmarks.size() == 2u);
      BOOST_TEST(w.benchmarks[0].name == "hash");
      BOOST_TEST(*w.benchmarks[0].status[0] == "warn");
      BOOST_TEST(*w.benchmarks[1].metrics.at("instructions")[0] == 1000);
      const PointCosts kept = costs_at(*db, 7, "sort");
      BOOST_TEST(kept.functions.size() == (from >= 2 ? 1u : 0u));
      BOOST_TEST(kept.allocation_sites.empty());
      // A migrated file takes new points, and the same commit and config still replaces.
      HistoryPoint p{.commit = {.sha = "abc", .parent = "", .branch = "main", .time = 1700000100}, .config = "ci-bench.toml",
                     .source = "run", .recorded_at = 1700000200, .toolchain = "{}",
                     .benchmarks = {{.name = "sort", .status = "pass", .metrics = {{"instructions", 1100}}, .functions = {{"f", 9}},
                                     .allocation_sites = {{"grow (sort.cpp)", {.total_bytes = 4096, .peak_bytes = 1024}}}}}};
      const std::int64_t id = record_point(*db, p);
      const HistoryWindow after = read_window(*db, {.branch = "", .last = 10, .filter = {}, .metric = "", .run = {}});
      BOOST_REQUIRE(after.runs.size() == 1u);
      BOOST_REQUIRE(after.benchmarks.size() == 1u);
      BOOST_TEST(*after.benchmarks[0].metrics.at("instructions")[0] == 1100);
      const PointCosts costs = costs_at(*db, id, "sort");
      BOOST_TEST((costs.functions == std::map<std::string, std::int64_t>{{"f", 9}}));
      BOOST_TEST((costs.allocation_sites == p.benchmarks[0].allocation_sites));
      BOOST_TEST(costs_at(*db, 7, "sort").functions.empty()); // the replaced point's rows went with it
    }
  }
}

// Schema 3 rebuilds metrics and functions keyed by their primary key; the copies must be whole.
BOOST_AUTO_TEST_CASE(the_rebuilt_tables_keep_every_row_and_the_file_is_vacuumed) {
  TempDir dir;
  const auto file = version_1_file(dir);
  {
    Database db(file, OpenMode::read_write);
    migrate_history(db, 2);
    WriteTransaction t(db);
    Statement metric(db, "INSERT INTO metrics VALUES(7, ?1, ?2, ?3)");
    Statement function(db, "INSERT INTO functions VALUES(7, 'sort', ?1, ?2)");
    for (int i = 0; i < 2000; ++i) {
      metric.bind(1, i % 2 ? "sort" : "hash").bind(2, "m" + std::to_string(i)).bind(3, std::int64_t(i)).run();
      function.bind(1, "src/f.cpp:fn" + std::to_string(i)).bind(2, std::int64_t(i)).run();
    }
    t.commit();
  }
  auto db = open_history(file, HistoryUse::read);
  BOOST_TEST(count_of(*db, "metrics") == 2002);
  BOOST_TEST(count_of(*db, "functions") == 2000);
  Statement sum(*db, "SELECT sum(value) FROM metrics");
  sum.step();
  BOOST_TEST(sum.integer(0) == 1999 * 2000 / 2 + 3000);
  // The view people read the file with names each metric's benchmark and metric.
  Statement named(*db, "SELECT benchmark, metric, value FROM metric_values WHERE metric = 'm1999'");
  BOOST_REQUIRE(named.step());
  BOOST_TEST(named.text(0) == "sort");
  BOOST_TEST(named.integer(2) == 1999);
  Statement free_pages(*db, "PRAGMA freelist_count");
  free_pages.step();
  BOOST_TEST(free_pages.integer(0) == 0);
}

// Files from before schema 4 ordered points by the commit time they claimed; migrated, they are in
// the order they were recorded (their ids), and a commit dated 2099 no longer sorts last.
BOOST_AUTO_TEST_CASE(migrated_points_are_in_the_order_they_were_recorded) {
  for (int from = 1; from < kHistorySchema; ++from) {
    BOOST_TEST_CONTEXT("from schema " << from) {
      TempDir dir;
      const auto file = version_1_file(dir); // run 7, recorded 1700000000
      {
        Database db(file, OpenMode::read_write);
        db.execute("INSERT INTO runs(id, commit_sha, branch, recorded_at, config) VALUES(8, 'def', 'main', 1600000000, 'ci-bench.toml')");
        migrate_history(db, from);
        if (from >= 2) db.execute("UPDATE runs SET commit_time = 4070908800 WHERE id = 7"); // claims 2099
      }
      auto db = open_history(file, HistoryUse::read);
      const HistoryWindow w = read_window(*db, {.branch = "main", .last = 10, .filter = {}, .metric = "", .run = {}});
      BOOST_REQUIRE(w.runs.size() == 2u);
      BOOST_TEST(w.runs[0].commit == "abc");
      BOOST_TEST(w.runs[1].commit == "def");
      // A new point follows them, whatever time it claims.
      HistoryPoint p{.commit = {.sha = "1" + std::string(39, '0'), .parent = "", .branch = "main", .time = 1}, .config = "ci-bench.toml",
                     .source = "run", .recorded_at = 1700000200, .toolchain = "{}", .benchmarks = {}};
      record_point(*db, p);
      const HistoryWindow after = read_window(*db, {.branch = "main", .last = 10, .filter = {}, .metric = "", .run = {}});
      BOOST_REQUIRE(after.runs.size() == 3u);
      BOOST_TEST(after.runs[2].commit == *p.commit.sha);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_file_from_a_newer_ci_bench_is_refused_and_left_untouched) {
  TempDir dir;
  const auto file = version_1_file(dir);
  {
    Database db(file, OpenMode::read_write);
    db.set_user_version(kHistorySchema + 1);
  }
  const std::string before = bytes_of(file);
  const std::string message = error_message(ErrorKind::config, [&] { open_history(file, HistoryUse::read); });
  BOOST_TEST(message.find("newer ci-bench") != std::string::npos);
  BOOST_TEST(message.find(file.string()) != std::string::npos);
  BOOST_TEST((bytes_of(file) == before));
}

// Reading (show, board) a mistyped name must not report an empty history and leave a new file.
BOOST_AUTO_TEST_CASE(a_missing_file_is_refused_when_reading_and_not_created) {
  TempDir dir;
  const auto file = dir.path / "typo.sqlite";
  const std::string message = error_message(ErrorKind::config, [&] { open_history(file, HistoryUse::read); });
  BOOST_TEST(message.find(file.string()) != std::string::npos);
  BOOST_TEST(message.find("no such file") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(file));
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_sqlite_is_refused_and_left_untouched) {
  TempDir dir;
  const auto file = dir.write("h.sqlite", "not a database, but a user's notes\n");
  const std::string message = error_message(ErrorKind::io, [&] { open_history(file, HistoryUse::read); });
  BOOST_TEST(message.find(file.string()) != std::string::npos);
  BOOST_TEST(bytes_of(file) == "not a database, but a user's notes\n");
}

BOOST_AUTO_TEST_SUITE_END()
