#pragma once
// Generated stand-ins for the consensus artifacts of the catalogue's SLO document: what several agents answer about one
// spec at one stage, as JSON. Seeded, so every run sees the same bytes.
#include <cstdint>
#include <random>
#include <string>

namespace workloads {

inline const char* const kAgents[] = {"claude", "gemini", "gpt", "qwen", "mistral"};
inline const char* const kSeverities[] = {"low", "medium", "high", "critical"};

inline std::string spec_id(int n) {
  std::string id = "SPEC-" + std::to_string(900 + n);
  return id;
}

// One agent's output for a spec: a verdict, a confidence and findings, about 1 KiB of JSON.
// Agents overlap on most findings and disagree on some severities, so there are conflicts to resolve.
inline std::string agent_output(int agent, int spec) {
  std::mt19937 rng(static_cast<std::uint32_t>(agent * 7919 + spec));
  std::string out = "{\"agent\":\"" + std::string(kAgents[agent % 5]) + "\",\"spec_id\":\"" + spec_id(spec) +
                    "\",\"stage\":\"plan\",\"verdict\":\"" + (rng() % 4 ? "approve" : "revise") +
                    "\",\"confidence\":0." + std::to_string(50 + rng() % 50) + ",\"findings\":[";
  for (int f = 0; f < 8; ++f) {
    if (f) out += ",";
    out += "{\"id\":\"F" + std::to_string(f + (rng() % 5 == 0 ? agent * 10 : 0)) + "\",\"severity\":\"" +
           kSeverities[rng() % 4] + "\",\"summary\":\"Finding " + std::to_string(f) +
           ": the retry path does not bound its backoff and the lock is held across an await\"}";
  }
  out += "],\"recommendations\":[\"add a jittered backoff\",\"move the write out of the lock\"]}";
  return out;
}

} // namespace workloads
