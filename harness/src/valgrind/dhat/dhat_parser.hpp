#pragma once
// DHAT's JSON output (dhatFileVersion 2, Valgrind 3.15 and later): one record per allocation site
// ("pps": tb tbk gb gbk eb ebk, and a stack "fs" into the frame table "ftbl").
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

struct DhatFrame {
  std::string function; // demangled, as Valgrind names it; "???" when unknown
  std::string file;     // the source file (a full path with --fullpath-after=); empty without debug info
  int line = 0;
};

struct DhatSite {
  std::int64_t total_bytes = 0, total_blocks = 0; // tb tbk: everything allocated here
  std::int64_t peak_bytes = 0, peak_blocks = 0;   // gb gbk: live at the global peak (time tg)
  std::int64_t end_bytes = 0, end_blocks = 0;     // eb ebk: live at exit (time te)
  std::vector<DhatFrame> stack;                   // innermost first
};

struct DhatProfile {
  std::string cmd;
  std::vector<DhatSite> sites;
};

// Throws Error(parse) naming `file` when it is not DHAT's heap-mode JSON of version 2.
DhatProfile read_dhat(const std::filesystem::path& file);

// "0x10912C: main (/src/p.cpp:4)" or "0x48417B4: malloc (in /usr/lib/x.so)" -> its parts.
DhatFrame parse_dhat_frame(const std::string& text);

} // namespace cibench
