"""`inputs`: files of the repository copied into the sandbox under fixed names, so that a plain
command names them by the same short path in every checkout, and counts the same."""
import os

from cibench_test import CiBenchTest, TESTPROG

# wc prints the file's name after its counts: with an absolute path, the longer the checkout's path,
# the more it prints, and the more instructions it counts.
CONFIG = '''[[benchmark]]
name = "wc.words"
command = ["wc", "words.txt", "corpus/more.txt"]
inputs = ["data/words.txt", "data/corpus/"]
'''


class Inputs(CiBenchTest):
    def project(self, folder, config=CONFIG):
        os.makedirs(os.path.join(folder, "data", "corpus"))
        with open(os.path.join(folder, "data", "words.txt"), "w") as f:
            f.write("the quick brown fox jumps over the lazy dog\n" * 200)
        with open(os.path.join(folder, "data", "corpus", "more.txt"), "w") as f:
            f.write("pack my box with five dozen liquor jugs\n" * 50)
        return self.write_config(config, folder)

    def gate_in(self, folder, config=CONFIG):
        r = self.run_cibench(config=self.project(folder, config), out=os.path.join(folder, "out"))
        self.assertExit(r, 0)
        return r.bench("wc.words")

    def test_counts_are_identical_from_two_checkout_paths(self):
        short = self.gate_in(os.path.join(self.dir, "a"))
        long = self.gate_in(os.path.join(self.dir, "a-much-longer-folder-name-for-a-second-checkout", "of", "it"))
        self.assertEqual(short["status"], "new")
        self.assertEqual(short["metrics"], long["metrics"], "every event, not only instructions")
        # wc read both files: its output names them by their sandbox names.
        with open(os.path.join(self.dir, "a", "out", "wc.words.stdout")) as f:
            self.assertEqual(f.read().split(), ["200", "1800", "8800", "words.txt", "50", "400", "2000",
                                                "corpus/more.txt", "250", "2200", "10800", "total"])

    def test_absolute_paths_instead_count_differently_per_checkout(self):
        """What inputs are for: the same files named by absolute paths move the counts."""
        def absolute(folder):
            data = os.path.join(folder, "data")
            return self.gate_in(folder, f'[[benchmark]]\nname = "wc.words"\n'
                                        f'command = ["wc", "{data}/words.txt", "{data}/corpus/more.txt"]\n')
        short = absolute(os.path.join(self.dir, "b"))
        long = absolute(os.path.join(self.dir, "b-much-longer-folder-name-for-a-second-checkout"))
        self.assertNotEqual(short["metrics"]["instructions"], long["metrics"]["instructions"])

    def test_a_missing_input_is_an_error_naming_it_and_the_benchmark(self):
        self.write_config(f'[[benchmark]]\nname = "needs"\ncommand = ["{TESTPROG}", "loop", "1"]\n'
                          'inputs = ["data/absent.txt"]\n'
                          f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "1"]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        error = r.bench("needs")["error"]
        self.assertIn(f"input {self.dir}/data/absent.txt does not exist", error)
        self.assertIn("ci-bench.toml:1", error)
        self.assertEqual(r.bench("ok")["status"], "new")

    def test_inputs_that_would_share_a_name_are_refused_with_the_line(self):
        for inputs, message in ((['a/x.txt', 'b/x.txt'], "two inputs would be copied to the same name 'x.txt'"),
                                (['bin/prog'], "no usable name in the sandbox"),
                                ('"data"', "'inputs' must be an array")):
            with self.subTest(inputs=inputs):
                listed = inputs if isinstance(inputs, str) else "[" + ", ".join(f'"{i}"' for i in inputs) + "]"
                self.write_config(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1"]\n'
                                  f'inputs = {listed}\n')
                r = self.run_cibench()
                self.assertExit(r, 2)
                self.assertIn("ci-bench.toml:4: ", r.stderr)
                self.assertIn(message, r.stderr)
