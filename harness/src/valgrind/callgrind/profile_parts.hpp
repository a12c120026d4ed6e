#pragma once
// What callgrind_annotate does after reading: adds up the parts of one run (callgrind.out.1, .2,
// ...) and gives each called function the inclusive cost its callers paid for calling it.
#include "valgrind/profile.hpp"

#include <filesystem>
#include <vector>

namespace cibench {

// Adds the parts function by function and call by call; throws Error naming the part whose events differ.
Profile add_profile_parts(std::vector<Profile> parts, const std::vector<std::filesystem::path>& files);

// The parser gives each function its self cost plus the calls it makes. Like
// callgrind_annotate, a function that is called gets instead what its callers paid for calling
// it: that covers its inlined parts (counted apart, under fi=) and does not double recursion.
void correct_inclusive(Profile& p);

} // namespace cibench
