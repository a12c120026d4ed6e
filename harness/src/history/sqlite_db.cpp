#include "history/sqlite_db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace cibench {

namespace {
// Long enough for another ci-bench to record a run of thousands of benchmarks.
constexpr int kBusyTimeoutMs = 60'000;
} // namespace

namespace {

// A file: URI for SQLite, every byte but the unreserved ones percent-encoded.
std::string file_uri(const std::filesystem::path& file) {
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(file).string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c)) uri += static_cast<char>(c);
    else uri += fmt::format("%{:02X}", c);
  }
  return uri;
}

} // namespace

Database::Database(const std::filesystem::path& file, OpenMode mode) : file_(file) {
  // NOMUTEX: a connection is used by one thread, so SQLite need not lock it for every column read.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | (mode == OpenMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
              (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
  std::string uri = file_uri(file);
  // Reading a WAL file needs its -shm beside it; in a folder this process cannot write, SQLite can
  // create none, so the file is read as immutable (no writer can add a -wal there either).
  const auto folder = std::filesystem::absolute(file).parent_path();
  if (mode == OpenMode::read_only && ::access(folder.c_str(), W_OK) != 0) uri += "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::io, fmt::format("history {}: cannot open: {}", file.string(), why));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  execute("PRAGMA foreign_keys = ON");
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::fail(std::string_view doing) const {
  throw Error(ErrorKind::io, fmt::format("history {}: {}: {}", file_.string(), doing, sqlite3_errmsg(db_)));
}

void Database::execute(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string why = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw Error(ErrorKind::io, fmt::format("history {}: {}: {}", file_.string(), sql.substr(0, 60), why));
  }
}

int Database::user_version() {
  Statement s(*this, "PRAGMA user_version");
  s.step();
  return static_cast<int>(s.integer(0));
}

void Database::set_user_version(int version) { execute(fmt::format("PRAGMA user_version = {}", version)); }

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    db.fail(fmt::format("preparing {}", sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    db_.fail("binding a value");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("binding a value");
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("binding a value");
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind(index, std::nullopt);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("writing or reading");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const { return std::string(text_view(column)); }

std::string_view Statement::text_view(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

WriteTransaction::WriteTransaction(Database& db) : db_(db) { db_.execute("BEGIN IMMEDIATE"); }

WriteTransaction::~WriteTransaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  db_.execute("COMMIT");
  open_ = false;
}

} // namespace cibench
