#pragma once
#include <filesystem>
#include <string_view>

namespace cibench {

// `content` written to a temporary file beside `path` and flushed to disk, not yet visible at
// `path`: commit() renames it over `path`, so a reader sees the old file or the new one, never half
// of one. Destroyed uncommitted, it removes the temporary file. Throws Error(io).
class StagedFile {
public:
  StagedFile(std::filesystem::path path, std::string_view content);
  ~StagedFile();
  StagedFile(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  StagedFile& operator=(StagedFile&&) = delete;

  void commit();
  // Like commit(), but only where nothing is at `path` yet (link, then unlink the temporary): a
  // file that appeared since it was checked is never replaced. Throws Error(io) naming it.
  void commit_new();
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
  std::filesystem::path temporary_; // empty once committed or moved from
};

// StagedFile(path, content).commit().
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

} // namespace cibench
