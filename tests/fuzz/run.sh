#!/usr/bin/env bash
# Runs the libFuzzer targets built in BUILD_DIR (by `make fuzz` / `make fuzz-smoke`), each for
# SECONDS, at most FUZZ_JOBS at once. Usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# For each target:
# 1. every input in tests/fuzz/regressions/TARGET/ is replayed, and each must pass (a failure is
#    reported, and the target is fuzzed all the same);
# 2. the target fuzzes a scratch corpus, BUILD_DIR/corpus/TARGET (kept between runs), into which
#    the real files of the repository are copied first: the repository is never written. It runs
#    in libFuzzer's fork mode, which goes on after a finding, so that one run reports them all
#    for the whole time; each finding's input is kept in BUILD_DIR/artifacts/TARGET/ (emptied at
#    the start) and its report in BUILD_DIR/logs/TARGET.log.
# Exit status 1 when a regression input fails or a target found anything.
#
# Environment: FUZZ_JOBS (default 2), FUZZ_ARGS (more libFuzzer flags, after the defaults),
# CIBENCH_FUZZ_SAMPLES_RUN=1 (see fuzz_samples.cpp).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}" && pwd)"
seconds="${2:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}"
shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config cachegrind callgrind baseline results_diff samples)
jobs="${FUZZ_JOBS:-2}"
# Reports with the stack of a UBSan finding; every finding is fatal (the build has
# -fno-sanitize-recover), so that libFuzzer keeps its input.
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"

# The real files each target starts from, and the small ones kept for it in tests/fuzz/seeds/.
seeds() {
  case "$1" in
    config) echo "$root"/ci-bench.toml "$root"/docs/bench/*.toml ;;
    cachegrind) echo "$root"/tests/unit/fixtures/*.cachegrind.out ;;
    callgrind) echo "$root"/tests/unit/fixtures/*.callgrind.out ;;
    baseline) echo "$root"/baselines/*.json ;;
  esac
  echo "$here"/seeds/"$1"/*
}
# Longer inputs than the seeds need are slow under ASan and find nothing more.
max_len() {
  case "$1" in
    config | samples) echo 8192 ;;
    cachegrind) echo 16384 ;;
    *) echo 32768 ;;
  esac
}
dict() {
  case "$1" in
    config | cachegrind | callgrind) echo "$here/dicts/$1.dict" ;;
    *) echo "$here/dicts/json.dict" ;;
  esac
}

fuzz_one() {
  local t="$1" bin="$build/bin/fuzz_$1" corpus="$build/corpus/$1" artifacts="$build/artifacts/$1" log="$build/logs/$1.log"
  : >"$log"
  [ -x "$bin" ] || { echo "fuzz: $t: no $bin (build it: make fuzz)" >>"$log"; return 2; }
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts" "$build/tmp"
  local f
  for f in $(seeds "$t"); do [ -f "$f" ] && cp -f "$f" "$corpus/"; done
  # One at a time: a crash or a timeout ends the run of its input only. The samples target
  # replays with its runs on, so that the statistics see the saved samples too.
  local regressed=0
  for f in "$here/regressions/$t"/*; do
    [ -f "$f" ] || continue
    if ! CIBENCH_FUZZ_SAMPLES_RUN=1 TMPDIR="$build/tmp" "$bin" -rss_limit_mb=2048 -timeout=10 "$f" >>"$log" 2>&1; then
      echo "fuzz: $t: regression input ${f#"$root"/} fails (its report is above)" >>"$log"
      regressed=1
    fi
  done
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  TMPDIR="$build/tmp" "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" -dict="$(dict "$t")" \
    -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} "$corpus" >>"$log" 2>&1 || return 4
  [ -n "$(ls -A "$artifacts")" ] && return 1
  [ "$regressed" = 0 ] || return 3
}

summary() {
  local t="$1" status="$2" log="$build/logs/$1.log" verdict
  case "$status" in
    0) verdict=ok ;;
    1) verdict="FOUND $(ls "$build/artifacts/$t" | wc -l)" ;;
    2) verdict="NOT BUILT" ;;
    3) verdict="REGRESSION" ;; # nothing new found, but a regression input fails
    *) verdict="FAILED" ;;
  esac
  # Fork mode's progress lines: "#EXECS: cov: N ft: N corp: N exec/s N oom/timeout/crash: A/B/C time: Ns ...".
  local last
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
  printf '%-13s %-12s %9s execs in %4ss  corpus %5s files  oom/timeout/crash %-7s log %s\n' "$t" "$verdict" \
    "$(echo "$last" | sed -nE 's/^#([0-9]+):.*/\1/p')" "$(echo "$last" | sed -nE 's/.* time: ([0-9]+)s.*/\1/p')" \
    "$(ls "$build/corpus/$t" 2>/dev/null | wc -l)" "$(echo "$last" | sed -nE 's/.*crash: ([0-9/]+).*/\1/p')" \
    "${log#"$root"/}"
  if [ "$status" != 0 ]; then # each kind of report once
    grep -E 'runtime error:|ERROR: AddressSanitizer|ERROR: libFuzzer|^terminate called|^  what\(\)|Assertion .* failed|cibench::Error that|^fuzz: ' \
      "$log" | sed -E 's/0x[0-9a-f]+/0x…/g; s/==[0-9]+==/==/' | sort | uniq -c | sort -rn | head -8 | sed 's/^/    /'
  fi
}

# Scratch folders a crashed input left behind (the targets remove theirs at a normal exit).
rm -rf "$build/tmp"
mkdir -p "$build/logs" "$build/tmp"
echo "fuzz: ${targets[*]}: ${seconds} s each, $jobs at a time (logs: ${build#"$root"/}/logs/, inputs found: ${build#"$root"/}/artifacts/)"
declare -A pid_of
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  pid_of[$t]=$!
  running=$((running + 1))
done
failed=0
for t in "${targets[@]}"; do
  wait "${pid_of[$t]}"
  status=$?
  [ "$status" = 0 ] || failed=1
  summary "$t" "$status"
done
exit "$failed"
