// Prints the plain `N passed, N failed` line summed over vitest's JSON reports, one per Node
// line: `node .ci/summary.mjs 20=report-20.json 26=report-26.json` (a bare path: no line check).
// Each line's own counts go to stderr. A report that names another Node line than its own
// (test/node-warnings.test.ts puts the version in its title) counts as a failure: PATH was wrong.
import { readFileSync } from 'node:fs';

/** `file › test: first line of the error` for each failed test (the record keeps only the tail). */
function failureLines(report) {
  return (report.testResults ?? []).flatMap((file) => {
    const name = String(file.name ?? '').replace(/^.*?\/test\//, 'test/');
    const tests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (!tests.length && file.status === 'failed') return [`${name}: ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`];
    return tests.map((test) => `${name} › ${test.fullName ?? test.title}: ${String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300)}`);
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const argument of process.argv.slice(2)) {
  const [, major, path] = /^(?:(\d+)=)?(.*)$/s.exec(argument);
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    failed += 1;
    console.error(`ci: no test report at ${path}: ${error.message}`);
    continue;
  }
  const counts = {
    passed: report.numPassedTests ?? 0,
    // A failed test, plus a file that failed without one (it did not load: an import error).
    failed: (report.numFailedTests ?? 0) + (report.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')).length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
  const ranOn = new Set((report.testResults ?? []).flatMap((file) => file.assertionResults ?? []).flatMap((test) => test.ancestorTitles ?? []).map((title) => /^no warnings from Node (\d+)\./.exec(title)?.[1]).filter(Boolean));
  if (major && !(ranOn.size === 1 && ranOn.has(major))) {
    counts.failed += 1;
    console.error(`ci: the node ${major} run ran on node ${[...ranOn].join(', ') || '(unknown: test/node-warnings.test.ts did not run)'}`);
  }
  for (const line of failureLines(report)) console.error(`ci: node ${major ?? '?'} failed: ${line}`);
  console.error(`ci: node ${major ?? '?'}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
if (process.argv.length <= 2) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
