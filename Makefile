# A thin wrapper around CMake, so that a fresh clone needs only `make ci-bench` and `make test`.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
CI_BENCH    = $(BUILD_DIR)/bin/ci-bench

.PHONY: all deps configure build ci-bench update-baselines test clean

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

clean:
	rm -rf $(BUILD_DIR)
