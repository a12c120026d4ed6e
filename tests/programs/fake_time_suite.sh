#!/bin/sh
# A suite that answers `ci-bench time` with scripted timings, so that tests can give the driver
# samples no real workload would: exact values, too few, none. It speaks the workload header's
# protocol (--list; --time NAME ITERATIONS SAMPLES WARMUP_MS, one "BODY_NS WALL_NS" line a sample)
# with shell built-ins only, since workloads run with an empty environment (no PATH).
#   ok, also_ok  as many samples as asked: body 1 000 000 + 2·i + FAKE_TIME_OFFSET ns for sample i
#                (so offset 0 and offset 1 interleave without a tie)
#   none         answers the one-sample probe, then prints nothing
#   one          prints one sample, whatever is asked
case "$1" in
--list) printf 'ok\nnone\none\nalso_ok\n' ;;
--time)
  case "$2" in
  ok | also_ok)
    i=0
    while [ "$i" -lt "$4" ]; do
      printf '%d 1000000\n' $((1000000 + 2 * i + ${FAKE_TIME_OFFSET:-0}))
      i=$((i + 1))
    done ;;
  none) [ "$4" = 1 ] && printf '1000000 1000000\n' ;;
  one) printf '1000000 1000000\n' ;;
  *) exit 2 ;;
  esac ;;
*) exit 2 ;;
esac
exit 0
