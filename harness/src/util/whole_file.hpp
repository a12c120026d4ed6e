#pragma once
// A file read or hashed whole: configs, baselines, the files a run's manifest names. Opened with
// O_NONBLOCK, so that a path that has become a FIFO since it was checked cannot block the driver.
#include <filesystem>
#include <optional>
#include <string>

namespace cibench {

// The file's bytes; nullopt when it cannot be opened or read.
std::optional<std::string> read_whole_file(const std::filesystem::path& file);

// SHA-256 (hex) of the file's bytes, read in blocks; nullopt when it cannot be opened or read
// (errno says why).
std::optional<std::string> file_sha256(const std::filesystem::path& file);

} // namespace cibench
