#pragma once
// A C++ name short enough to read in a table: template arguments folded to <…>, inline namespaces
// (fmt::v12::, std::__cxx11::, std::__1::) dropped, and what tells one function from its siblings
// kept: its parameters' shape, a {lambda()#2}, a [clone .part.0]. The full name stays in results.json.
#include <string>
#include <string_view>

namespace cibench {

// At most `max_bytes` (UTF-8), the middle cut to "…" when folding is not enough.
std::string short_name(std::string_view name, size_t max_bytes = 120);

// A Callgrind function name without its recursion level: f'2 (the second level of a recursion
// of f, --separate-recs) is f.
std::string_view without_recursion_level(std::string_view name);

// The function of a "file:function" key: after its last ':' that is not half of a "::" (a file
// name may hold a ':'; a demangled name has only "::").
std::string_view function_of_key(std::string_view key);

// A "file:function" key with only its function shortened.
std::string short_function_key(std::string_view key, size_t max_bytes = 120);

} // namespace cibench
