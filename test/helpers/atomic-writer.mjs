// Writes the contents of the files named after `target` to `target` with mfa-env's own
// writeFileAtomic, in turn, forever, until it is killed. Used by the crash-safety test, which
// SIGKILLs it at random moments. Prints "ready" once the loop is about to start.
import { readFileSync } from 'node:fs';

const [filesModule, target, ...sources] = process.argv.slice(2);
const { writeFileAtomic } = await import(filesModule);
const contents = sources.map((source) => readFileSync(source, 'utf8'));
process.stdout.write('ready\n');
for (let i = 0; ; i++) writeFileAtomic(target, contents[i % contents.length]);
