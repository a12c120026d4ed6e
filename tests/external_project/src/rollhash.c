#include "rollhash.h"

uint64_t rollhash(const unsigned char* data, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) {
    h ^= data[i];
    h *= 1099511628211ull;
#ifdef ROLLHASH_EXTRA_ROUND
    h ^= h >> 29;
#endif
  }
  return h;
}

size_t rollhash_count_below(const unsigned char* data, size_t n, size_t window, uint64_t limit) {
  size_t count = 0;
  for (size_t i = 0; i + window <= n; i += window)
    count += rollhash(data + i, window) < limit;
  return count;
}
