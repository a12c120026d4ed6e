#pragma once
// Folded stacks ("main;parse;lex 1234" per line) from a Callgrind profile, for flamegraph.pl or
// inferno-flamegraph.
#include "valgrind/profile.hpp"

#include <map>
#include <string>

namespace cibench {

// Callgrind records call edges, not whole stacks, so the stacks are rebuilt from the roots down,
// sharing each function's cost among its callees in proportion to what each call cost. That is
// exact where every function has one caller and an estimate where it has several. Frames are
// function names (inlined parts folded into their function); a recursive call is cut at its
// first repetition; a path worth under 1/10 000 of the total is charged to its caller, so the
// output stays small whatever the graph. Throws Error when the profile has no calls (a Cachegrind
// file) or no Ir.
// Every stack starts with `root` when it is not empty (the benchmark's name, say).
// `inlined`: per function name, the part of its own instructions that is inlined code of another
// function, by that function's frame name: drawn as a frame above it ("f;g [inlined]").
using InlinedCosts = std::map<std::string, std::map<std::string, double>>;
std::string folded_stacks(const Profile& callgrind_profile, const std::string& root = "", const InlinedCosts& inlined = {});

} // namespace cibench
