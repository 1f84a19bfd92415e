import { spawnSync } from 'node:child_process';
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

  it('the faster simplifyMachine makes the parser of every command word exactly as clipanion does, and a wrong one fails', () => {
    // In a plain node: vitest's resolver reads clipanion's files another way than Node does.
    const check = (edit = '', to = '') => spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { checkSimplifyEquivalence, FAST_SIMPLIFY } from './scripts/bundle/simplify-machine.mjs';
      const { COMMANDS } = await import('./dist/commands/index.js');
      const { cliFor } = await import('./dist/cli.js');
      const words = [...new Set(COMMANDS.flatMap((command) => (command.paths ?? []).map((path) => path[0])))];
      const clis = [['all', cliFor([], COMMANDS)], ...words.map((word) => [word, cliFor([word], COMMANDS)])];
      const replacement = ${JSON.stringify(edit)} ? FAST_SIMPLIFY.replace(${JSON.stringify(edit)}, ${JSON.stringify(to)}) : FAST_SIMPLIFY;
      if (${JSON.stringify(edit)} && replacement === FAST_SIMPLIFY) throw new Error('the edit of the test matched nothing');
      await checkSimplifyEquivalence(clis, replacement);
      console.log('equivalent for', clis.length);
    `], { cwd: ROOT, encoding: 'utf8' });
    const same = check();
    expect(same.stderr).toBe('');
    expect(same.stdout).toMatch(/^equivalent for \d+\n$/);
    // The static transitions of a shortcut's target not folded in: another machine, so the build stops.
    const broken = check('store.push(transitions[i]);', ';');
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toMatch(/makes another parser than clipanion's for all/);
  });

  it('the faster simplifyMachine equals clipanion\'s on 300 random machines (cycles, repeated tests and targets)', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { isDeepStrictEqual } from 'node:util';
      import * as core from 'clipanion/lib/core.mjs';
      import { FAST_SIMPLIFY } from './scripts/bundle/simplify-machine.mjs';
      const fast = new Function('NODE_INITIAL', FAST_SIMPLIFY + '\\nreturn simplifyMachine;')(0);
      // mulberry32: the same machines on every run.
      let seed = 7;
      const random = (n) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (((t ^ (t >>> 14)) >>> 0) % n);
      };
      // Tests compare by identity: a few shared arrays and strings, as clipanion's are.
      const tests = ['isOptionLike', 'isNotOptionLike', ['isOption', '--a'], ['isOption', '--b'], 'always'];
      const machine = () => {
        const size = 2 + random(14);
        const nodes = Array.from({ length: size }, () => ({ statics: {}, dynamics: [], shortcuts: [] }));
        for (const node of nodes) {
          for (let i = random(4); i > 0; i--) (node.statics['s' + random(3)] ??= []).push({ to: random(size), reducer: 'r' + random(2) });
          for (let i = random(5); i > 0; i--) node.dynamics.push([tests[random(tests.length)], { to: random(size), reducer: undefined }]);
          for (let i = random(4); i > 0; i--) node.shortcuts.push({ to: random(size), reducer: undefined });
        }
        return { nodes };
      };
      let differ = 0;
      let merged = 0;
      for (let trial = 0; trial < 300; trial++) {
        const before = seed;
        const a = machine();
        seed = before;
        const b = machine();
        core.simplifyMachine(a);
        fast(b);
        if (!isDeepStrictEqual(a, b)) differ += 1;
        merged += a.nodes[0].dynamics.length;
      }
      console.log('differ', differ, merged > 300 ? 'with merges' : 'too few merges: ' + merged);
    `], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('differ 0 with merges\n');
  });

  it('the bundles carry the faster simplifyMachine, not clipanion\'s', () => {
    const login = readFileSync(join(ROOT, 'dist', 'bundle', 'login.cjs'), 'utf8');
    expect(login).toContain('const dynamics = /* @__PURE__ */ new Set();');
    expect(login).not.toContain('nodeDef.shortcuts.shift()');
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
