// A plain program with a known heap: `heapprog KIB` holds a KIB-KiB buffer (allocated in
// hold_buffer) and a 1 KiB one (in keep_small) at its peak, and frees both before it exits.
#include <cstdlib>
#include <cstring>

[[gnu::noinline]] static char* hold_buffer(long bytes) {
  auto* p = static_cast<char*>(std::malloc(static_cast<size_t>(bytes)));
  std::memset(p, 1, static_cast<size_t>(bytes));
  return p;
}

[[gnu::noinline]] static char* keep_small() {
  auto* p = static_cast<char*>(std::malloc(1024));
  std::memset(p, 2, 1024);
  return p;
}

int main(int argc, char** argv) {
  const long kib = argc > 1 ? std::atol(argv[1]) : 100;
  char* small = keep_small();
  char* big = hold_buffer(kib * 1024);
  asm volatile("" : : "r"(big), "r"(small) : "memory");
  std::free(big);
  std::free(small);
  return 0;
}
