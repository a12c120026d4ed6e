#pragma once
// A thin RAII layer over SQLite for the storage workloads. Any SQLite error ends the program
// with a message on stderr, which ci-bench reports as the benchmark's error.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sqlite3.h>
#include <string>
#include <string_view>

namespace workloads {

[[noreturn]] inline void sqlite_fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
  std::exit(1);
}

class Statement {
public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) sqlite_fail(db, sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // True while there is a row; false when done.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) sqlite_fail(db_, sqlite3_sql(stmt_));
    return false;
  }
  void run() { // step to the end and reset, for statements that return nothing
    while (step()) {}
    reset();
  }
  void reset() { sqlite3_reset(stmt_); }
  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return {p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
  // Opens `file` afresh (an old one is removed) in the working directory, a per-run sandbox.
  explicit Database(const char* file, const char* journal_mode = "DELETE") {
    std::remove(file);
    std::remove((std::string(file) + "-wal").c_str());
    std::remove((std::string(file) + "-shm").c_str());
    if (sqlite3_open(file, &db_) != SQLITE_OK) sqlite_fail(db_, "open");
    exec((std::string("PRAGMA journal_mode=") + journal_mode).c_str());
    exec("PRAGMA synchronous=NORMAL");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) sqlite_fail(db_, sql);
  }
  Statement prepare(const char* sql) { return Statement(db_, sql); }

private:
  sqlite3* db_ = nullptr;
};

} // namespace workloads
