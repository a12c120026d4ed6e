// Storage: consensus records through SQLite against a JSON-file store (the "MCP" path of the performance SLO document the catalogue comes from),
// and SQLite's write and read paths in WAL and DELETE journal modes. Every database is a real
// file in the working directory, a fresh sandbox per run; setup (schema, history, rows to read)
// happens outside the measured region, and the calibration run does it too.
#include "consensus_data.hpp"
#include "sqlite_db.hpp"

#include <cibench/workload.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

using namespace workloads;
using nlohmann::json;

namespace {

constexpr int kHistorySpecs = 20; // earlier rounds already in the store: 20 specs x 5 agents

struct Record {
  std::string spec_id, stage, agent, content;
  std::int64_t created_at;
};

std::vector<Record> round_of(int spec, int agents) {
  std::vector<Record> r;
  for (int a = 0; a < agents; ++a)
    r.push_back({spec_id(spec), "plan", kAgents[a % 5], agent_output(a, spec), 1'700'000'000 + spec * 10 + a});
  return r;
}

class SqliteStore {
public:
  SqliteStore() : db_("consensus.db", "WAL") {
    db_.exec("CREATE TABLE consensus(id INTEGER PRIMARY KEY, spec_id TEXT NOT NULL, stage TEXT NOT NULL,"
             " agent TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL)");
    db_.exec("CREATE INDEX consensus_by_spec ON consensus(spec_id, stage)");
  }
  void store(const std::vector<Record>& records) {
    auto insert = db_.prepare("INSERT INTO consensus(spec_id, stage, agent, content, created_at) VALUES(?1,?2,?3,?4,?5)");
    db_.exec("BEGIN");
    for (auto& r : records) insert.bind(1, r.spec_id).bind(2, r.stage).bind(3, r.agent).bind(4, r.content).bind(5, r.created_at).run();
    db_.exec("COMMIT");
  }
  size_t retrieve(const std::string& spec, const std::string& stage) {
    auto select = db_.prepare("SELECT agent, content FROM consensus WHERE spec_id = ?1 AND stage = ?2");
    select.bind(1, spec).bind(2, stage);
    size_t bytes = 0;
    while (select.step()) bytes += select.text(1).size();
    return bytes;
  }

private:
  Database db_;
};

// The file-based path: every operation reads the whole store, parses it, and (to store) writes it back.
class JsonFileStore {
public:
  JsonFileStore() { write(json{{"records", json::array()}}); }
  void store(const std::vector<Record>& records) {
    json doc = read();
    for (auto& r : records)
      doc["records"].push_back({{"spec_id", r.spec_id}, {"stage", r.stage}, {"agent", r.agent},
                                {"content", json::parse(r.content)}, {"created_at", r.created_at}});
    write(doc);
  }
  size_t retrieve(const std::string& spec, const std::string& stage) {
    json doc = read();
    size_t bytes = 0;
    for (auto& r : doc["records"])
      if (r["spec_id"] == spec && r["stage"] == stage) bytes += r["content"].dump().size();
    return bytes;
  }

private:
  static constexpr const char* kFile = "consensus.json";
  json read() const {
    std::ifstream in(kFile);
    return json::parse(in);
  }
  void write(const json& doc) const { std::ofstream(kFile) << doc.dump(); }
};

template <class Store> void fill_history(Store& store) {
  for (int s = 0; s < kHistorySpecs; ++s) store.store(round_of(s, 5));
}

// A table of 1000 rows to read and update, in the given journal mode.
void create_rows(Database& db, int rows) {
  db.exec("CREATE TABLE kv(id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
  auto insert = db.prepare("INSERT INTO kv(id, value) VALUES(?1, ?2)");
  db.exec("BEGIN");
  for (int i = 0; i < rows; ++i) insert.bind(1, std::int64_t{i}).bind(2, "value-" + std::to_string(i)).run();
  db.exec("COMMIT");
}

std::vector<std::int64_t> random_keys(int n, int range) {
  std::mt19937 rng(1234);
  std::vector<std::int64_t> keys(n);
  for (auto& k : keys) k = rng() % range;
  return keys;
}

size_t point_selects(Database& db, const std::vector<std::int64_t>& keys) {
  auto select = db.prepare("SELECT value FROM kv WHERE id = ?1");
  size_t bytes = 0;
  for (auto k : keys) { // autocommit: each SELECT is its own read transaction
    select.bind(1, k);
    while (select.step()) bytes += select.text(0).size();
    select.reset();
  }
  return bytes;
}

} // namespace

// One consensus round of N agents stored, into a store that already holds 100 records.
CIBENCH_BENCHMARK_FAMILY("consensus.storage.sqlite", bench, 1, 3, 5) {
  SqliteStore store;
  fill_history(store);
  auto round = round_of(kHistorySpecs, static_cast<int>(bench.arg()));
  bench.measure([&] { store.store(round); });
}

CIBENCH_BENCHMARK_FAMILY("consensus.storage.json", bench, 1, 3, 5) {
  JsonFileStore store;
  fill_history(store);
  auto round = round_of(kHistorySpecs, static_cast<int>(bench.arg()));
  bench.measure([&] { store.store(round); });
}

// The five agents' records of every one of 20 specs, read back.
CIBENCH_BENCHMARK("consensus.retrieval.sqlite", bench) {
  SqliteStore store;
  fill_history(store);
  size_t bytes = 0;
  bench.measure([&] {
    for (int s = 0; s < kHistorySpecs; ++s) bytes += store.retrieve(spec_id(s), "plan");
  });
  cibench::black_box(bytes);
}

CIBENCH_BENCHMARK("consensus.retrieval.json", bench) {
  JsonFileStore store;
  fill_history(store);
  size_t bytes = 0;
  bench.measure([&] {
    for (int s = 0; s < kHistorySpecs; ++s) bytes += store.retrieve(spec_id(s), "plan");
  });
  cibench::black_box(bytes);
}

// 500 rows, one transaction each, in WAL mode.
CIBENCH_BENCHMARK("database.insert.wal", bench) {
  Database db("bench.db", "WAL");
  create_rows(db, 0);
  auto insert = db.prepare("INSERT INTO kv(value) VALUES(?1)");
  bench.measure([&] {
    for (int i = 0; i < 500; ++i) {
      db.exec("BEGIN");
      insert.bind(1, "row-" + std::to_string(i)).run();
      db.exec("COMMIT");
    }
  });
}

// The same 500 rows in 5 transactions of 100, in WAL mode.
CIBENCH_BENCHMARK("database.insert.batch100", bench) {
  Database db("bench.db", "WAL");
  create_rows(db, 0);
  auto insert = db.prepare("INSERT INTO kv(value) VALUES(?1)");
  bench.measure([&] {
    for (int batch = 0; batch < 5; ++batch) {
      db.exec("BEGIN");
      for (int i = 0; i < 100; ++i) insert.bind(1, "row-" + std::to_string(batch * 100 + i)).run();
      db.exec("COMMIT");
    }
  });
}

// 1000 rows in one transaction, DELETE journal mode.
CIBENCH_BENCHMARK("database.insert.txn1000", bench) {
  Database db("bench.db", "DELETE");
  create_rows(db, 0);
  auto insert = db.prepare("INSERT INTO kv(value) VALUES(?1)");
  bench.measure([&] {
    db.exec("BEGIN");
    for (int i = 0; i < 1000; ++i) insert.bind(1, "row-" + std::to_string(i)).run();
    db.exec("COMMIT");
  });
}

// 1000 point SELECTs by primary key over 1000 rows, each its own read transaction.
static void point_select_benchmark(cibench::Bench& bench, const char* journal_mode) {
  Database db("bench.db", journal_mode);
  create_rows(db, 1000);
  auto keys = random_keys(1000, 1000);
  size_t bytes = 0;
  bench.measure([&] { bytes = point_selects(db, keys); });
  cibench::black_box(bytes);
}

CIBENCH_BENCHMARK("database.select.wal", bench) { point_select_benchmark(bench, "WAL"); }
CIBENCH_BENCHMARK("database.select.delete", bench) { point_select_benchmark(bench, "DELETE"); }

// 500 autocommit operations on 1000 rows: four UPDATEs to every SELECT, in WAL mode.
CIBENCH_BENCHMARK("database.update_mix", bench) {
  Database db("bench.db", "WAL");
  create_rows(db, 1000);
  auto keys = random_keys(500, 1000);
  auto update = db.prepare("UPDATE kv SET value = ?2 WHERE id = ?1");
  auto select = db.prepare("SELECT value FROM kv WHERE id = ?1");
  size_t bytes = 0;
  bench.measure([&] {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i % 5 == 4) {
        select.bind(1, keys[i]);
        while (select.step()) bytes += select.text(0).size();
        select.reset();
      } else {
        update.bind(1, keys[i]).bind(2, "updated-" + std::to_string(i)).run();
      }
    }
  });
  cibench::black_box(bytes);
}

CIBENCH_MAIN()
