#pragma once
// SHA-256 (FIPS 180-4), for content fingerprints: a collision must not let changed code pass for
// unchanged, so a cryptographic hash rather than a fast checksum.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cibench {

class Sha256 {
public:
  Sha256();
  Sha256& add(const void* data, std::size_t size);
  Sha256& add(std::string_view text) { return add(text.data(), text.size()); }
  // A field of a larger record: its length first, so that ("ab", "c") and ("a", "bc") differ.
  Sha256& field(std::string_view text);
  std::string hex(); // the digest, 64 lowercase hex digits; the object is spent afterwards

private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

std::string sha256_hex(std::string_view text);

} // namespace cibench
