// Parsing and text: a realistic TOML config (toml++), prompt template substitution, and
// consensus synthesis (three agents' JSON outputs parsed, merged and their conflicts resolved).
#include "consensus_data.hpp"

#include <cibench/workload.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <toml++/toml.h>
#include <unordered_map>

using namespace workloads;
using nlohmann::json;

namespace {

// ~50 sections the way an agent orchestrator's config looks: agents, stages, quality gates.
std::string config_text() {
  std::string t = "title = \"orchestrator\"\nversion = 3\n\n";
  for (int i = 0; i < 50; ++i) {
    const std::string kind = i % 3 == 0 ? "agents" : i % 3 == 1 ? "stages" : "gates";
    t += "[" + kind + ".item" + std::to_string(i) + "]\n";
    t += "name = \"" + kind + "-" + std::to_string(i) + "\"\n";
    t += "enabled = " + std::string(i % 4 ? "true" : "false") + "\n";
    t += "timeout_ms = " + std::to_string(1000 * (i + 1)) + "\n";
    t += "retries = " + std::to_string(i % 5) + "\n";
    t += "temperature = 0." + std::to_string(i % 10) + "\n";
    t += "tags = [\"alpha\", \"beta\", \"stage-" + std::to_string(i) + "\"]\n";
    t += "limits = { tokens = " + std::to_string(4096 + i) + ", cost = 1.5 }\n\n";
  }
  return t;
}

// A prompt template with 30 variables, each used once or twice.
std::string prompt_template() {
  std::string t = "You are {{role}} working on {{spec_id}}. ";
  for (int i = 0; i < 28; ++i) t += "Section " + std::to_string(i) + ": consider {{var" + std::to_string(i) + "}} carefully. ";
  return t + "Answer as {{role}} for {{spec_id}}.";
}

std::unordered_map<std::string, std::string> template_values() {
  std::unordered_map<std::string, std::string> v{{"role", "the reviewing architect"}, {"spec_id", "SPEC-945"}};
  for (int i = 0; i < 28; ++i) v["var" + std::to_string(i)] = "value number " + std::to_string(i * 37);
  return v;
}

std::string render(const std::string& tmpl, const std::unordered_map<std::string, std::string>& values) {
  std::string out;
  out.reserve(tmpl.size() * 2);
  size_t pos = 0;
  while (true) {
    size_t open = tmpl.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = tmpl.find("}}", open + 2);
    out.append(tmpl, pos, open - pos);
    auto it = values.find(tmpl.substr(open + 2, close - open - 2));
    out += it != values.end() ? it->second : "";
    pos = close + 2;
  }
  out.append(tmpl, pos);
  return out;
}

int severity_rank(const std::string& s) {
  for (int i = 0; i < 4; ++i)
    if (s == kSeverities[i]) return i;
  return -1;
}

// Merges the agents' findings by id; a severity they disagree on goes to the majority, a tie to
// the most severe. The verdict is the majority's; the confidence, the mean.
std::string synthesize(const std::vector<std::string>& outputs) {
  std::map<std::string, std::map<std::string, int>> severities; // finding -> severity -> votes
  std::map<std::string, std::string> summaries;
  int approvals = 0;
  double confidence = 0;
  for (auto& text : outputs) {
    json o = json::parse(text);
    approvals += o["verdict"] == "approve";
    confidence += o["confidence"].get<double>();
    for (auto& f : o["findings"]) {
      severities[f["id"]][f["severity"]]++;
      summaries[f["id"]] = f["summary"];
    }
  }
  json merged = {{"verdict", approvals * 2 > static_cast<int>(outputs.size()) ? "approve" : "revise"},
                 {"confidence", confidence / static_cast<double>(outputs.size())},
                 {"findings", json::array()}};
  int conflicts = 0;
  for (auto& [id, votes] : severities) {
    std::string best;
    int best_votes = -1;
    for (auto& [severity, n] : votes)
      if (n > best_votes || (n == best_votes && severity_rank(severity) > severity_rank(best))) best = severity, best_votes = n;
    conflicts += votes.size() > 1;
    merged["findings"].push_back({{"id", id}, {"severity", best}, {"summary", summaries[id]}, {"agreement", best_votes}});
  }
  merged["conflicts"] = conflicts;
  return merged.dump();
}

} // namespace

CIBENCH_BENCHMARK("config.parse", bench) {
  const std::string text = config_text();
  std::int64_t total = 0;
  bench.measure([&] {
    toml::table t = toml::parse(text);
    total = t["version"].value_or(std::int64_t{0}) + t["agents"]["item0"]["timeout_ms"].value_or(std::int64_t{0});
  });
  cibench::black_box(total);
}

// 100 renders of the 30-variable template.
CIBENCH_BENCHMARK("template.substitute", bench) {
  const std::string tmpl = prompt_template();
  const auto values = template_values();
  size_t bytes = 0;
  bench.measure([&] {
    for (int i = 0; i < 100; ++i) bytes += render(tmpl, values).size();
  });
  cibench::black_box(bytes);
}

// Three agents' outputs synthesized, for 10 specs.
CIBENCH_BENCHMARK("consensus.synthesis", bench) {
  std::vector<std::vector<std::string>> rounds;
  for (int spec = 0; spec < 10; ++spec) rounds.push_back({agent_output(0, spec), agent_output(1, spec), agent_output(2, spec)});
  size_t bytes = 0;
  bench.measure([&] {
    for (auto& outputs : rounds) bytes += synthesize(outputs).size();
  });
  cibench::black_box(bytes);
}

CIBENCH_MAIN()
