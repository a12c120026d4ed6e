#include "elf/source_functions.hpp"

#include "util/short_name.hpp"

#include <algorithm>
#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// As Valgrind names it: the demangled linkage name (with its parameters), else the plain name.
std::string function_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
  if (!linkage) linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
  if (linkage) {
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> demangled(abi::__cxa_demangle(linkage, nullptr, nullptr, &status), &std::free);
    if (status == 0 && demangled) return demangled.get();
    return linkage;
  }
  const char* name = dwarf_diename(die);
  return name ? name : "";
}

std::string normal(const fs::path& file, const char* comp_dir) {
  fs::path p = file;
  if (p.is_relative() && comp_dir) p = fs::path(comp_dir) / p;
  return p.lexically_normal().string();
}

// Every function definition under `die` (namespaces, classes and functions nest them).
void collect(Dwarf_Die* die, const char* comp_dir, std::map<std::string, std::vector<std::pair<std::uint32_t, std::string>>>& out) {
  Dwarf_Die child;
  if (dwarf_child(die, &child) != 0) return;
  do {
    const int tag = dwarf_tag(&child);
    if (tag == DW_TAG_subprogram && !dwarf_hasattr(&child, DW_AT_declaration)) {
      int line = 0;
      const char* file = dwarf_decl_file(&child);
      if (file && dwarf_decl_line(&child, &line) == 0 && line > 0) {
        std::string name = function_name(&child);
        if (!name.empty()) out[normal(file, comp_dir)].emplace_back(static_cast<std::uint32_t>(line), std::move(name));
      }
    }
    if (tag == DW_TAG_namespace || tag == DW_TAG_class_type || tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
        tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block)
      collect(&child, comp_dir, out);
  } while (dwarf_siblingof(&child, &child) == 0);
}

// A name without its parameters, its template arguments and its scope: "ns::f<int>(long) const" -> "f".
std::string_view bare_name(std::string_view name) {
  int depth = 0;
  size_t end = name.size(), scope = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '<') {
      if (depth++ == 0 && end == name.size() && !(i >= 8 && name.substr(i - 8, 8) == "operator")) end = std::min(end, i);
    } else if (c == '>' && depth > 0) {
      --depth;
    } else if (depth == 0 && c == '(' && i > 0) {
      end = std::min(end, i);
      break;
    } else if (depth == 0 && c == ':' && i + 1 < name.size() && name[i + 1] == ':') {
      scope = i + 2;
      end = name.size();
      ++i;
    }
  }
  return name.substr(scope, end > scope ? end - scope : 0);
}

} // namespace

bool SourceFunctions::same_function(std::string_view dwarf_name, std::string_view valgrind_name) {
  valgrind_name = without_recursion_level(valgrind_name);
  if (dwarf_name == valgrind_name) return true;
  if (dwarf_name.find('(') != std::string_view::npos) return false; // both full names, and they differ
  return bare_name(dwarf_name) == bare_name(valgrind_name);
}

SourceFunctions SourceFunctions::read(const fs::path& program) {
  SourceFunctions found;
  const int fd = ::open(program.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return found;
  Dwarf* dwarf = dwarf_begin(fd, DWARF_C_READ);
  if (dwarf) {
    Dwarf_Off offset = 0, next = 0;
    size_t header_size = 0;
    while (dwarf_nextcu(dwarf, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu;
      if (dwarf_offdie(dwarf, offset + header_size, &cu)) {
        Dwarf_Attribute attr;
        collect(&cu, dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr)), found.by_file_);
      }
      offset = next;
    }
    dwarf_end(dwarf);
  }
  ::close(fd);
  for (auto& [file, starts] : found.by_file_) {
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  }
  return found;
}

std::string SourceFunctions::function_at(const std::string& file, std::uint32_t line, const fs::path& project_dir) const {
  const fs::path p(file);
  const auto it = by_file_.find((p.is_absolute() ? p : project_dir / p).lexically_normal().string());
  if (it == by_file_.end()) return "";
  const auto& starts = it->second;
  auto after = std::upper_bound(starts.begin(), starts.end(), std::make_pair(line, std::string("\xff")));
  if (after == starts.begin()) return "";
  return std::prev(after)->second;
}

} // namespace cibench
