"""A disabled measure_time costs no instruction: counted by ci-bench itself, under Callgrind."""
import os

from cibench_test import CiBenchTest


class MeasureTimeCost(CiBenchTest):
    def test_a_million_disabled_timers_count_the_same_instructions_as_none(self):
        self.write_config(f'[[suite]]\nbinary = "{os.environ["INSTRUMENTATION"]}"\ntool = "callgrind"\n'
                          f'[[suite]]\nbinary = "{os.environ["INSTRUMENTATION_ON"]}"\ntool = "callgrind"\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        count = {b["name"]: b["metrics"]["instructions"] for b in r.json["benchmarks"]}
        self.assertEqual(count["measure_time.disabled.timed/1M"], count["measure_time.disabled.none/1M"])
        # The check can fail: with the timers compiled in, the same loop costs far more.
        self.assertGreater(count["measure_time.enabled.timed/1M"], count["measure_time.enabled.none/1M"] + 10_000_000)


if __name__ == "__main__":
    import unittest
    unittest.main()
