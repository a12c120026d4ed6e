#pragma once
// A thin RAII layer over SQLite's C API: a connection, prepared statements with bound values, and a
// write transaction. Every failure throws Error(io) naming the history file and SQLite's message.
#include "util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cibench {

enum class OpenMode { read_only, read_write, create };

class Database {
public:
  // Opens the file (creating it in mode `create`) with foreign keys on and a busy timeout, so that
  // a second writer waits for the first instead of failing.
  Database(const std::filesystem::path& file, OpenMode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void execute(std::string_view sql); // statements without parameters (schema, pragmas)
  int user_version();
  void set_user_version(int version);
  std::int64_t last_insert_id() const;
  [[noreturn]] void fail(std::string_view doing) const;

  sqlite3* handle() const { return db_; }
  const std::filesystem::path& file() const { return file_; }

private:
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

class Statement {
public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind_optional(int index, const std::optional<std::string>& text);
  bool step();      // true: a row is ready
  void run();       // steps a statement that returns no rows, then resets it
  void reset();     // ready to bind and step again

  std::int64_t integer(int column) const; // columns are numbered from 0
  std::string text(int column) const;
  std::string_view text_view(int column) const; // valid until the next step() or reset()
  bool is_null(int column) const;

private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE: takes the write lock at once (waiting up to the busy timeout), so two writers
// queue instead of one failing at commit. Rolled back unless commit() was called.
class WriteTransaction {
public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

private:
  Database& db_;
  bool open_ = true;
};

} // namespace cibench
