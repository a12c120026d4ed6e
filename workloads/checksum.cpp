// A plain program (no workload header), measured whole as a [[benchmark]] command:
// CRC-32 over N bytes of a fixed pattern. Usage: checksum BYTES
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s BYTES\n", argv[0]);
    return 2;
  }
  const long n = std::atol(argv[1]);
  std::vector<std::uint8_t> data(static_cast<size_t>(n));
  for (long i = 0; i < n; ++i) data[static_cast<size_t>(i)] = static_cast<std::uint8_t>(i * 31 + 7);
  std::uint32_t table[256];
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  std::uint32_t crc = 0xFFFFFFFFu;
  for (auto b : data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
  std::printf("%08x\n", crc ^ 0xFFFFFFFFu);
  return 0;
}
