/**
 * Issue 15, item 6: the XDG Base Directory spec says a relative XDG_CACHE_HOME is invalid and
 * must be ignored. Taken as it is, it would put the cache, sessions included, under whatever
 * directory the login happens to run in. mfa-env falls back to ~/.cache.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { trackStsSandboxes } from '../helpers/hardening.js';

const sandboxes = trackStsSandboxes();

describe('a relative XDG_CACHE_HOME', () => {
  it.each(['rel-cache', './rel-cache', '.'])('XDG_CACHE_HOME=%s is ignored: the session goes to ~/.cache/mfa-env, nothing in the current directory', async (value) => {
    const { fake, sandbox } = await sandboxes.start();
    const cwd = join(sandbox.home, 'project');
    mkdirSync(cwd);
    const run = (code?: string) =>
      execa(process.execPath, [CLI, 'login', '--shell', 'bash', ...(code ? ['--token-code', code] : [])], {
        cwd,
        env: { ...sandbox.env, XDG_CACHE_HOME: value },
        extendEnv: false,
        input: '',
        reject: false,
        detached: true,
      });
    const first = await run('123456');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(sandbox.home, '.cache', 'mfa-env', 'session-default.json'))).toBe(true);
    // And it is found there again.
    const second = await run();
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain('from the cache');
    expect(fake.calls).toHaveLength(1);
  });
});
