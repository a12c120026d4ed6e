#pragma once
// Names from outside (benchmark names) are not trusted as paths: files named after them use a
// reversible escape.
#include <string>
#include <string_view>

namespace cibench {

// Keeps [A-Za-z0-9_.-] and %-escapes every other byte (and a leading '.'), so "store/1" becomes
// "store%2F1": distinct names give distinct files, and none can leave its folder. Past 160 bytes the
// stem is cut and ends with "~" and a hash of the whole name.
std::string file_stem(std::string_view name);

} // namespace cibench
