#include "measure/fingerprint.hpp"

#include <fmt/format.h>
#include <gnu/libc-version.h>
#include <sys/utsname.h>

namespace cibench {

Fingerprint host_fingerprint(const Valgrind& valgrind, const ValgrindSettings& s) {
  Fingerprint f;
  f.valgrind = valgrind.version;
  f.cache = s.cache_sim ? fmt::format("I1={} D1={} LL={}", s.i1, s.d1, s.ll) : "off";
  f.libc = fmt::format("glibc {}", gnu_get_libc_version());
  utsname u{};
  ::uname(&u);
  f.arch = u.machine;
  return f;
}

std::vector<std::string> fingerprint_differences(const Fingerprint& base, const Fingerprint& now) {
  std::vector<std::string> out;
  auto check = [&](const char* field, const std::string& b, const std::string& n) {
    if (b != n) out.push_back(fmt::format("{}: {} (baseline) vs {} (now)", field, b.empty() ? "unknown" : b, n.empty() ? "unknown" : n));
  };
  check("valgrind", base.valgrind, now.valgrind);
  check("cache", base.cache, now.cache);
  check("compiler", base.compiler, now.compiler);
  check("libc", base.libc, now.libc);
  check("arch", base.arch, now.arch);
  check("tool", base.tool, now.tool);
  return out;
}

void to_json(nlohmann::json& j, const Fingerprint& f) {
  j = {{"valgrind", f.valgrind}, {"cache", f.cache}, {"compiler", f.compiler}, {"libc", f.libc}, {"arch", f.arch}, {"tool", f.tool}};
}

void from_json(const nlohmann::json& j, Fingerprint& f) {
  f.valgrind = j.value("valgrind", "");
  f.cache = j.value("cache", "");
  f.compiler = j.value("compiler", "");
  f.libc = j.value("libc", "");
  f.arch = j.value("arch", "");
  f.tool = j.value("tool", "");
}

} // namespace cibench
