// SQLite: rows inserted into a real database file in one transaction. The database is created in
// the working directory, which ci-bench makes a fresh sandbox for every run.
#include <cibench/workload.hpp>

#include <cstdio>
#include <cstdlib>
#include <sqlite3.h>
#include <string>

namespace {

void check(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  std::fprintf(stderr, "sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  std::exit(1);
}

void exec(sqlite3* db, const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

sqlite3* open_fresh(const char* file) {
  std::remove(file);
  sqlite3* db = nullptr;
  check(sqlite3_open(file, &db), db, "open");
  exec(db, "CREATE TABLE records(id INTEGER PRIMARY KEY, agent TEXT NOT NULL, payload TEXT NOT NULL)");
  return db;
}

void insert_rows(sqlite3* db, int rows) {
  sqlite3_stmt* stmt = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO records(agent, payload) VALUES(?1, ?2)", -1, &stmt, nullptr), db, "prepare");
  const std::string payload(200, 'x');
  exec(db, "BEGIN");
  for (int i = 0; i < rows; ++i) {
    const std::string agent = "agent-" + std::to_string(i % 5);
    sqlite3_bind_text(stmt, 1, agent.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, payload.c_str(), -1, SQLITE_STATIC);
    check(sqlite3_step(stmt), db, "insert");
    sqlite3_reset(stmt);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(stmt);
}

} // namespace

CIBENCH_BENCHMARK("sqlite.insert.txn.1000", bench) {
  sqlite3* db = open_fresh("bench.db");
  bench.measure([&] { insert_rows(db, 1000); });
  sqlite3_close(db);
}

CIBENCH_MAIN()
