import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript build scripts, no type declarations
import { editClipanion } from '../scripts/bundle/clipanion.mjs';
// @ts-expect-error: plain JavaScript build scripts, no type declarations
import { bundleWords } from '../scripts/bundle/entries.mjs';
// @ts-expect-error: plain JavaScript build scripts, no type declarations
import { finishBundle, rewrite } from '../scripts/bundle/output.mjs';
// @ts-expect-error: plain JavaScript build scripts, no type declarations
import { smokeRuns, smokeTest } from '../scripts/bundle/smoke.mjs';
import { ROOT } from './helpers/sandbox.js';


/** The guards of scripts/bundle.mjs: each must fire on the input it exists for. */
describe('build guards', () => {
  it('a rewrite that matches nothing fails, naming the rewrite', () => {
    expect(() => rewrite('const a = 1;', 'demo: lazy node:crypto', /require\("node:crypto"\)/g, 'x')).toThrow(/bundle rewrite "demo: lazy node:crypto" matched nothing/);
    expect(() => rewrite('f(); f();', 'twice', 'f()', 'g()', 3)).toThrow(/"twice" matched 2 of 3/);
    expect(rewrite('f(); f();', 'twice', 'f()', 'g()', 2)).toBe('g(); g();');
  });

  it('finishBundle fails when esbuild spells a lazy built-in require another way', () => {
    const esbuildOutput = '"use strict";\nvar import_node_crypto = require("node:crypto");\n';
    expect(finishBundle(esbuildOutput, { builtins: ['node:crypto'] }, 'x.cjs').text).toContain('__lazyBuiltin("node:crypto")');
    expect(() => finishBundle(esbuildOutput.replace(/"/g, "'"), { builtins: ['node:crypto'] }, 'x.cjs')).toThrow(/"x\.cjs: lazy node:crypto" matched nothing/);
  });

  it('finishBundle fails when a built-in default import is not rewritten', () => {
    const ok = 'var import_node_fs = __toESM(require("node:fs"), 1);\n';
    expect(finishBundle(ok, {}, 'x.cjs').text).toContain('__nodeESM(require("node:fs"))');
    // esbuild without the `, 1` argument: the view would be lost, so the build stops.
    expect(() => finishBundle('var import_node_fs = __toESM(require("node:fs"));\n', {}, 'x.cjs')).toThrow(/"x\.cjs: built-in default imports" matched nothing/);
  });

  it('finishBundle fails when an import() of a lazy package is spelled another way', () => {
    expect(finishBundle('await import("execa");', { dynamicImports: ['execa'] }, 'x.cjs').text).toContain('__import("execa")');
    expect(() => finishBundle("await import('execa');", { dynamicImports: ['execa'] }, 'x.cjs')).toThrow(/"x\.cjs: import\("execa"\)" matched nothing/);
    // Tree-shaken away (the metafile still names it): nothing to rewrite, no error.
    expect(finishBundle('const a = 1;', { dynamicImports: ['execa'] }, 'x.cjs').text).toContain('const a = 1;');
  });

  it('an edit of clipanion that no longer matches fails the build', () => {
    expect(() => editClipanion('clipanion/lib/platform/node.mjs', "import tty from 'node:tty';\n")).toThrow(/clipanion\/lib\/platform\/node\.mjs: expected 1 of/);
  });

  it('a command exported from no file is a build error, not a fall-back to the whole CLI', () => {
    class LoginCommand { static paths = [['login']]; }
    class ClearCommand { static paths = [['clear']]; }
    class KeysAddCommand { static paths = [['keys', 'add']]; }
    class KeysListCommand { static paths = [['keys', 'list']]; }
    const commands = [LoginCommand, ClearCommand, KeysAddCommand, KeysListCommand];
    // cli.ts's commandsFor, for these: the commands whose first word is argv's.
    const commandsFor = (argv: string[], all: typeof commands) => all.filter((command) => command.paths[0]![0] === argv[0]);
    const origin = new Map<unknown, { name: string; source: string }>(commands.map((command) => [command, { name: command.name, source: `src/commands/${command.name}.ts` }]));
    expect(Object.fromEntries([...bundleWords(commands, origin, commandsFor)].map(([word, served]) => [word, served.map((c: { name: string }) => c.name)]))).toEqual({
      login: ['LoginCommand'],
      clear: ['ClearCommand'],
      keys: ['KeysAddCommand', 'KeysListCommand'],
    });
    origin.delete(KeysListCommand);
    expect(() => bundleWords(commands, origin, commandsFor)).toThrow(/exported from no file[\s\S]*keys: KeysListCommand/);
  });

  describe('the smoke run after bundling', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-env-build-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const script = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, body);
      chmodSync(path, 0o755);
      return path;
    };

    it('reports a bundle that fails, writes to stderr, or prints nothing', async () => {
      const bin = script('fake.cjs', `const [word] = process.argv.slice(2);
if (word === 'broken') { console.error('TypeError: names.has is not a function'); process.exit(2); }
if (word === 'warns') { console.log('usage'); process.emitWarning('old', 'DeprecationWarning'); }
else if (word !== 'silent') console.log('usage');`);
      const failures: string[] = await smokeTest(bin, smokeRuns(['ok', 'broken', 'warns', 'silent']));
      expect(failures).toHaveLength(3);
      expect(failures.join('\n')).toMatch(/mfa-env broken --help exited 2: TypeError: names\.has/);
      expect(failures.join('\n')).toMatch(/mfa-env warns --help wrote to stderr: .*DeprecationWarning/);
      expect(failures.join('\n')).toMatch(/mfa-env silent --help printed nothing/);
    });

    it('passes the built CLI, one run per command word', async () => {
      const words = readdirSync(join(ROOT, 'dist', 'bundle')).filter((name) => name.endsWith('.cjs') && name !== 'all.cjs').map((name) => name.slice(0, -4));
      expect(words).toEqual(expect.arrayContaining(['login', 'clear', 'status', 'exec', 'init', 'prompt']));
      expect(await smokeTest(join(ROOT, 'bin', 'mfa-env.js'), smokeRuns(words))).toEqual([]);
    });
  });

  it('the bundles carry no precompiled parser', () => {
    for (const name of readdirSync(join(ROOT, 'dist', 'bundle')).filter((file) => file.endsWith('.cjs'))) {
      const text = readFileSync(join(ROOT, 'dist', 'bundle', name), 'utf8');
      expect(text, name).not.toMatch(/MFA_ENV_PARSER|mfaEnvParserSignature/);
    }
  });
});
