// libcibench-heap.so: the heap figures of a suite benchmark's body, counted in the process itself.
// ci-bench runs `PROGRAM --heap-count NAME` natively with this library in LD_PRELOAD: it stands in
// for malloc and its family, and the workload header calls cibench_heap_enter() and
// cibench_heap_leave() around the body. A block belongs to the body when the body's thread
// allocated it between the two (DHAT's rule for a suite: the body's frame was on its stack), and
// the figures follow DHAT's conventions exactly, so the two ways agree (`ci-bench run --verify`
// checks it; DHAT runs with --run-libc-freeres=no, since nothing here frees libc's own blocks):
//   malloc(0) is a block of 1 byte; realloc of a body block counts as one more block of its new
//   size, live bytes changing by the difference; realloc(p, 0) frees; a realloc of a block that is
//   not the body's stays not the body's; heap_peak_* is the latest moment the body held the most
//   bytes; heap_end_bytes is what the body allocated and nobody freed, when the process exits.
// No C++ library and no allocation of its own: it runs inside malloc. Its table of the body's live
// blocks is mmap'ed. The figures are written when the process exits, by its destructor, to the
// file named by CIBENCH_HEAP_FIGURES (taken out of the environment, so no child inherits it).
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {

// The body's live blocks: address -> requested size, open addressing with linear probing and
// backward-shift deletion (no tombstones), grown at half full. Guarded by `lock`.
struct BlockTable {
  uintptr_t* keys = nullptr;
  uint64_t* sizes = nullptr;
  size_t capacity = 0; // a power of two
  size_t used = 0;

  static size_t slot_of(uintptr_t key, size_t capacity) { return (key * 0x9E3779B97F4A7C15ull >> 7) & (capacity - 1); }

  bool grow() {
    const size_t bigger = capacity ? capacity * 2 : 4096;
    void* memory = mmap(nullptr, bigger * (sizeof(uintptr_t) + sizeof(uint64_t)), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return false;
    auto* new_keys = static_cast<uintptr_t*>(memory); // zero-filled: 0 is an empty slot
    auto* new_sizes = reinterpret_cast<uint64_t*>(new_keys + bigger);
    for (size_t i = 0; i < capacity; ++i) {
      if (!keys[i]) continue;
      size_t s = slot_of(keys[i], bigger);
      while (new_keys[s]) s = (s + 1) & (bigger - 1);
      new_keys[s] = keys[i];
      new_sizes[s] = sizes[i];
    }
    if (keys) munmap(keys, capacity * (sizeof(uintptr_t) + sizeof(uint64_t)));
    keys = new_keys;
    sizes = new_sizes;
    capacity = bigger;
    return true;
  }

  bool insert(uintptr_t key, uint64_t size) {
    if ((used + 1) * 2 > capacity && !grow()) return false;
    size_t s = slot_of(key, capacity);
    while (keys[s]) s = (s + 1) & (capacity - 1);
    keys[s] = key;
    sizes[s] = size;
    ++used;
    return true;
  }

  // The size of `key`, removed; false when it is not the body's.
  bool remove(uintptr_t key, uint64_t& size) {
    if (!used) return false;
    const size_t mask = capacity - 1;
    size_t hole = slot_of(key, capacity);
    while (keys[hole] != key) {
      if (!keys[hole]) return false;
      hole = (hole + 1) & mask;
    }
    size = sizes[hole];
    --used;
    // Backward shift: an entry later in the run moves into the hole unless its home slot lies
    // (cyclically) after the hole, where a lookup would never pass the hole to find it.
    for (size_t next = (hole + 1) & mask; keys[next]; next = (next + 1) & mask) {
      const size_t home = slot_of(keys[next], capacity);
      const bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (stays) continue;
      keys[hole] = keys[next];
      sizes[hole] = sizes[next];
      hole = next;
    }
    keys[hole] = 0;
    return true;
  }
};

struct Figures {
  uint64_t total_bytes = 0, total_blocks = 0;
  uint64_t live_bytes = 0, live_blocks = 0;
  uint64_t peak_bytes = 0, peak_blocks = 0;
  uint64_t regions = 0;     // how many times the body ran (the header runs it once)
  uint64_t forks = 0;       // fork() while the body ran: its child's heap is in no figure here
  bool table_full = false;  // mmap failed: the figures cannot be trusted, and the file says so
  bool foreign_malloc = false; // the process's malloc is not this library's (its own, or static)
};

std::atomic_flag lock = ATOMIC_FLAG_INIT;
std::atomic<uint64_t> body_blocks_live{0}; // a free on the fast path skips the table when 0
BlockTable table;
Figures figures;
char figures_file[4096];
pid_t owner = 0; // the process that read CIBENCH_HEAP_FIGURES; a forked child writes nothing

// The body's thread while the body runs. Not a thread-local flag: a library with TLS would make
// glibc allocate larger thread descriptors (one more TLS module), on the body's thread too.
std::atomic<bool> body_running{false};
pthread_t body_thread;

bool in_body() { return body_running.load(std::memory_order_relaxed) && pthread_equal(pthread_self(), body_thread); }

void acquire() {
  while (lock.test_and_set(std::memory_order_acquire)) {
  }
}
void release() { lock.clear(std::memory_order_release); }

struct Locked {
  Locked() { acquire(); }
  ~Locked() { release(); }
};

void note_peak() {
  if (!body_running.load(std::memory_order_relaxed)) return; // a teardown realloc is not the body's run
  if (figures.live_bytes >= figures.peak_bytes) { // `>=`: the latest of equal peaks, as DHAT takes
    figures.peak_bytes = figures.live_bytes;
    figures.peak_blocks = figures.live_blocks;
  }
}

void* allocated(void* p, size_t requested) {
  if (!p || !in_body()) return p;
  const uint64_t size = requested ? requested : 1;
  Locked guard;
  if (!table.insert(reinterpret_cast<uintptr_t>(p), size)) figures.table_full = true;
  body_blocks_live.store(table.used, std::memory_order_relaxed);
  figures.total_bytes += size;
  ++figures.total_blocks;
  figures.live_bytes += size;
  ++figures.live_blocks;
  note_peak();
  return p;
}

void freed(void* p) {
  if (!p || body_blocks_live.load(std::memory_order_relaxed) == 0) return;
  Locked guard;
  uint64_t size = 0;
  if (!table.remove(reinterpret_cast<uintptr_t>(p), size)) return;
  body_blocks_live.store(table.used, std::memory_order_relaxed);
  figures.live_bytes -= size;
  --figures.live_blocks;
}

void write_figures() {
  if (!figures_file[0] || getpid() != owner) return;
  char text[512];
  const int n = snprintf(text, sizeof text,
                         "ci-bench heap figures 1\nregions %llu\ncomplete %d\nforks %llu\nforeign_malloc %d\n"
                         "heap_total_bytes %llu\nheap_total_blocks %llu\n"
                         "heap_peak_bytes %llu\nheap_peak_blocks %llu\nheap_end_bytes %llu\n",
                         (unsigned long long)figures.regions, figures.table_full ? 0 : 1,
                         (unsigned long long)figures.forks, figures.foreign_malloc ? 1 : 0,
                         (unsigned long long)figures.total_bytes, (unsigned long long)figures.total_blocks,
                         (unsigned long long)figures.peak_bytes, (unsigned long long)figures.peak_blocks,
                         (unsigned long long)figures.live_bytes);
  const int fd = open(figures_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  for (int done = 0; done < n;) {
    const ssize_t w = write(fd, text + done, static_cast<size_t>(n - done));
    if (w <= 0 && errno != EINTR) break;
    if (w > 0) done += static_cast<int>(w);
  }
  close(fd);
}

// A fork while another thread holds the lock would leave it held in the child for ever: take it
// around fork, so the child starts with it free.
void before_fork() {
  acquire();
  if (body_running.load(std::memory_order_relaxed)) ++figures.forks;
}

__attribute__((constructor)) void read_settings() {
  pthread_atfork(before_fork, release, release);
  if (const char* path = getenv("CIBENCH_HEAP_FIGURES"); path && strlen(path) < sizeof figures_file) {
    strcpy(figures_file, path);
    owner = getpid();
  }
  unsetenv("CIBENCH_HEAP_FIGURES");
}

// After the program's own exit handlers and static destructors: what they free is freed at exit.
__attribute__((destructor)) void at_exit() { write_figures(); }

} // namespace

extern "C" {

// Whether the process's `name` is this library's: a program with an allocator of its own (or one
// linked in statically) never calls ours, and its figures would be zeros.
static bool ours(const char* name) {
  Dl_info mine{}, theirs{};
  void* found = dlsym(RTLD_DEFAULT, name);
  return found && dladdr(reinterpret_cast<void*>(&write_figures), &mine) && dladdr(found, &theirs) &&
         mine.dli_fbase == theirs.dli_fbase;
}

__attribute__((visibility("default"))) void cibench_heap_enter() {
  const bool foreign = !ours("malloc") || !ours("free") || !ours("realloc") || !ours("calloc");
  Locked guard;
  figures.foreign_malloc = figures.foreign_malloc || foreign;
  ++figures.regions;
  body_thread = pthread_self();
  body_running.store(true, std::memory_order_relaxed);
}

__attribute__((visibility("default"))) void cibench_heap_leave() { body_running.store(false, std::memory_order_relaxed); }

__attribute__((visibility("default"))) void* malloc(size_t size) { return allocated(__libc_malloc(size), size); }

__attribute__((visibility("default"))) void free(void* p) {
  freed(p);
  __libc_free(p);
}

__attribute__((visibility("default"))) void* calloc(size_t count, size_t size) {
  return allocated(__libc_calloc(count, size), count * size); // an overflow returns null: not counted
}

__attribute__((visibility("default"))) void* realloc(void* old, size_t size) {
  if (!old) return malloc(size);
  if (size == 0) { // glibc frees and returns null, as DHAT does
    free(old);
    return nullptr;
  }
  if (body_blocks_live.load(std::memory_order_relaxed) == 0) return __libc_realloc(old, size);
  Locked guard; // held across the call: no other thread may see `old` gone from the table yet reused
  uint64_t old_size = 0;
  const bool body_block = table.remove(reinterpret_cast<uintptr_t>(old), old_size);
  void* p = __libc_realloc(old, size);
  if (!body_block) return p;
  if (!p) { // the old block is untouched
    table.insert(reinterpret_cast<uintptr_t>(old), old_size);
    return p;
  }
  if (!table.insert(reinterpret_cast<uintptr_t>(p), size)) figures.table_full = true;
  body_blocks_live.store(table.used, std::memory_order_relaxed);
  figures.total_bytes += size;
  ++figures.total_blocks;
  figures.live_bytes = figures.live_bytes - old_size + size;
  note_peak();
  return p;
}

__attribute__((visibility("default"))) void* memalign(size_t alignment, size_t size) {
  return allocated(__libc_memalign(alignment, size), size);
}

__attribute__((visibility("default"))) void* aligned_alloc(size_t alignment, size_t size) {
  return allocated(__libc_memalign(alignment, size), size);
}

__attribute__((visibility("default"))) int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment == 0 || alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (!p) return ENOMEM;
  *out = allocated(p, size);
  return 0;
}

__attribute__((visibility("default"))) void* valloc(size_t size) {
  return allocated(__libc_memalign(static_cast<size_t>(sysconf(_SC_PAGESIZE)), size), size);
}

__attribute__((visibility("default"))) void* pvalloc(size_t size) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t rounded = (size + page - 1) & ~(page - 1);
  return allocated(__libc_memalign(page, rounded), rounded);
}

// Aligned operator new: libstdc++ would round the size up to the alignment before aligned_alloc,
// and DHAT counts the size asked for, so these count it themselves. On failure the real operator
// runs (it calls the new-handler or throws).
using AlignedNew = void* (*)(size_t, size_t);
static void* aligned_new(size_t size, size_t alignment, const char* mangled) {
  if (void* p = __libc_memalign(alignment, size ? size : 1)) return allocated(p, size);
  return reinterpret_cast<AlignedNew>(dlsym(RTLD_NEXT, mangled))(size, alignment);
}
__attribute__((visibility("default"))) void* _ZnwmSt11align_val_t(size_t size, size_t alignment) {
  return aligned_new(size, alignment, "_ZnwmSt11align_val_t");
}
__attribute__((visibility("default"))) void* _ZnamSt11align_val_t(size_t size, size_t alignment) {
  return aligned_new(size, alignment, "_ZnamSt11align_val_t");
}
__attribute__((visibility("default"))) void* _ZnwmSt11align_val_tRKSt9nothrow_t(size_t size, size_t alignment, const void*) {
  return allocated(__libc_memalign(alignment, size ? size : 1), size);
}
__attribute__((visibility("default"))) void* _ZnamSt11align_val_tRKSt9nothrow_t(size_t size, size_t alignment, const void*) {
  return allocated(__libc_memalign(alignment, size ? size : 1), size);
}

} // extern "C"
