# A thin wrapper around CMake, so that a fresh clone needs only `make ci-bench` and `make test`.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
CI_BENCH    = $(BUILD_DIR)/bin/ci-bench
PREFIX     ?= /usr/local

.PHONY: all deps configure build ci-bench update-baselines test test-fast install package dist clean fuzz fuzz-build fuzz-smoke

all: build

deps:
	@ci/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The gate: exit 0 pass, 1 regression, 2 error. Extra flags: make ci-bench ARGS="--filter sort"
ci-bench: build
	$(CI_BENCH) run --out $(BUILD_DIR)/ci-bench $(ARGS)

update-baselines: build
	$(CI_BENCH) run --out $(BUILD_DIR)/ci-bench --update-baselines $(ARGS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The tests that need no Valgrind, browser or build from scratch (CTest label `unit`), in seconds.
test-fast: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

# The driver, headers, scripts and CMake package under PREFIX: make install PREFIX=$HOME/.local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# A Debian package in $(BUILD_DIR): apt install ./$(BUILD_DIR)/ci-bench_*.deb
package: build
	cmake --build $(BUILD_DIR) --target package

# A release's files in $(BUILD_DIR)/dist: the source tarball, the .deb and SHA256SUMS (ci/dist.sh).
dist: package
	ci/dist.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)

# libFuzzer on every parser of outside input (tests/fuzz/README.md): clang, ASan, UBSan, in its own
# build folder. `make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS="config baseline"`; the smoke is CI's.
FUZZ_DIR     ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

$(FUZZ_DIR)/CMakeCache.txt: | deps
	cmake -S tests/fuzz -B $(FUZZ_DIR) -DCMAKE_CXX_COMPILER=clang++ -DCIBENCH_FUZZ=ON

fuzz-build: $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10
