#include "measure/toolchain.hpp"

#include <fmt/format.h>
#include <gnu/libc-version.h>
#include <sys/utsname.h>

namespace cibench {

Toolchain host_toolchain(const Valgrind& valgrind, const ValgrindSettings& s) {
  Toolchain t;
  t.valgrind = valgrind.version;
  t.cache = s.cache_sim ? fmt::format("I1={} D1={} LL={}", s.i1, s.d1, s.ll) : "off";
  t.libc = fmt::format("glibc {}", gnu_get_libc_version());
  utsname u{};
  ::uname(&u);
  t.arch = u.machine;
  return t;
}

std::vector<std::string> toolchain_differences(const Toolchain& base, const Toolchain& now) {
  std::vector<std::string> out;
  auto check = [&](const char* field, const std::string& b, const std::string& n) {
    if (b != n)
      out.push_back(fmt::format("{}: {} (baseline) vs {} (now)", field, b.empty() ? "unknown" : b, n.empty() ? "unknown" : n));
  };
  check("valgrind", base.valgrind, now.valgrind);
  check("cache", base.cache, now.cache);
  check("compiler", base.compiler, now.compiler);
  check("libc", base.libc, now.libc);
  check("arch", base.arch, now.arch);
  check("tool", base.tool, now.tool);
  return out;
}

} // namespace cibench
