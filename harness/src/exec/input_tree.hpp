#pragma once
// A declared input as the workload sees it: one walk, which the sandbox copies and the content
// fingerprint hashes, so that the two can never disagree about what is in it. Links are followed
// (the copy holds what they point to); folders are kept, empty ones too; special files (FIFOs,
// devices, sockets) are refused before anything opens them.
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

struct InputEntry {
  std::filesystem::path source;   // where it is read from
  std::filesystem::path relative; // where it lands in the sandbox: the input's last name first
  bool folder = false;
};

// Every entry of `input` in a fixed order, folders before what they hold. Throws Error(setup)
// naming the input and `where` it was declared when it is missing, special, unreadable, or loops.
std::vector<InputEntry> walk_input(const std::filesystem::path& input, const std::string& where);

} // namespace cibench
