/**
 * Issue 6, item 1: a cache write killed with SIGKILL at any moment leaves the old entry or the
 * new one, never a mix, and the temp file a killed writer leaves behind is removed by the next
 * write (but never the temp file of a writer that is still alive).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { sleep, stsSandbox, tempFiles, waitFor, warnings } from '../helpers/hardening.js';

const FILES_MODULE = join(ROOT, 'dist', 'store', 'files.js');
const WRITER = join(ROOT, 'test', 'helpers', 'atomic-writer.mjs');
const KILLS = 100;

/** A well-formed cache entry of ~48 KB (real session tokens run to kilobytes; this widens the write window). */
function entry(tag: string): string {
  const session = {
    profile: 'default',
    kind: 'session',
    accessKeyId: `ASIA${tag.padEnd(16, 'X')}`,
    secretAccessKey: `secret-${tag}`.padEnd(40, 's'),
    sessionToken: `token-${tag}-`.padEnd(48_000, tag),
    expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  // A fingerprint no real profile has: the login below must treat it as a plain miss.
  return `${JSON.stringify({ version: 1, fingerprint: `crash-test-${tag}`, session }, null, 2)}\n`;
}

/** Starts the writer looping over `sources` into `target`; resolves once its loop runs. */
async function startWriter(target: string, sources: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WRITER, FILES_MODULE, target, ...sources], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    child.stdout!.once('data', () => resolve());
  });
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

describe('crash safety of cache writes', () => {
  let fake: FakeSts;
  let sandbox: Sandbox;
  let target: string;
  let contents: string[];
  let sources: string[];

  beforeAll(async () => {
    fake = await startFakeSts();
    sandbox = stsSandbox(fake);
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    target = join(sandbox.cacheDir, 'session-default.json');
    contents = [entry('old'), entry('new')];
    sources = contents.map((content, i) => {
      const source = join(sandbox.home, `source-${i}.json`);
      writeFileSync(source, content);
      return source;
    });
    writeFileSync(target, contents[0]!, { mode: 0o600 });
  });
  afterAll(async () => {
    await fake?.close();
    sandbox?.cleanup();
  });

  it(`SIGKILL at ${KILLS} random moments: the entry is always the old or the new one; the next login removes the leftovers`, async () => {
    let killedInsideWrite = 0;
    for (let i = 0; i < KILLS || (i < KILLS + 50 && tempFiles(sandbox.cacheDir).length === 0); i++) {
      const writer = await startWriter(target, sources);
      await sleep(Math.random() * 12);
      await kill(writer);
      const content = readFileSync(target, 'utf8');
      // Byte for byte one of the two entries, and therefore parseable.
      expect(contents.includes(content), `after kill #${i + 1} the entry is neither old nor new (${content.length} bytes)`).toBe(true);
      expect(() => JSON.parse(content)).not.toThrow();
      // A kill between open and rename leaves a temp file; the next writer's first write
      // removes it (unless that writer is killed before it gets there).
      const left = tempFiles(sandbox.cacheDir);
      if (left.some((name) => name.startsWith(`.session-default.json.${writer.pid}.`))) killedInsideWrite++;
      expect(left.length, `leftovers pile up: ${left.join(' ')}`).toBeLessThanOrEqual(3);
    }
    // Without the cleanup there would be one leftover per kill inside a write.
    expect(killedInsideWrite, 'too few kills landed inside a write: the cleanup would go untested').toBeGreaterThanOrEqual(10);
    expect(tempFiles(sandbox.cacheDir).length).toBeGreaterThan(0);

    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(warnings(result.stderr)).toEqual([]);
    expect(fake.calls).toHaveLength(1);
    expect(tempFiles(sandbox.cacheDir)).toEqual([]);
    const stored = JSON.parse(readFileSync(target, 'utf8'));
    expect(stored.session.accessKeyId).toMatch(/^ASIAFAKE/);
    expect(result.stdout).toContain(stored.session.accessKeyId);
  }, 120_000);

  it('the temp file of a writer that is still alive (stopped mid-write) is left alone', async () => {
    // Stop a writer at random moments until it is stopped inside a write (its temp file exists).
    let writer: ChildProcess | undefined;
    let ownTemp: string[] = [];
    for (let attempt = 0; attempt < 200 && ownTemp.length === 0; attempt++) {
      if (writer) await kill(writer);
      writer = await startWriter(target, sources);
      await sleep(Math.random() * 5);
      writer.kill('SIGSTOP');
      await waitFor(() => readFileSync(`/proc/${writer!.pid}/stat`, 'utf8').split(') ')[1]!.startsWith('T'), 2000, 'the writer to stop');
      ownTemp = tempFiles(sandbox.cacheDir).filter((name) => name.includes(`.${writer!.pid}.`));
    }
    expect(ownTemp, 'never caught the writer inside a write').toHaveLength(1);

    const alive = await sandbox.run(['login', '--shell', 'bash', '--force', '--token-code', '234567']);
    expect(alive.exitCode, alive.stderr).toBe(0);
    expect(tempFiles(sandbox.cacheDir), 'a live writer\'s temp file was removed').toEqual(ownTemp);

    await kill(writer!);
    const afterDeath = await sandbox.run(['login', '--shell', 'bash', '--force', '--token-code', '345678']);
    expect(afterDeath.exitCode, afterDeath.stderr).toBe(0);
    expect(tempFiles(sandbox.cacheDir)).toEqual([]);
  });
});
