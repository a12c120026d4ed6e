#ifndef ROLLHASH_H
#define ROLLHASH_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* FNV-1a over n bytes. */
uint64_t rollhash(const unsigned char* data, size_t n);

/* How many windows of `window` bytes in data[0..n) hash to a value below `limit`. */
size_t rollhash_count_below(const unsigned char* data, size_t n, size_t window, uint64_t limit);

#ifdef __cplusplus
}
#endif
#endif
