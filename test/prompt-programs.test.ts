/**
 * MFA codes without a terminal: `credential-process` runs with no controlling terminal
 * (setsid, as an IDE runs it) against moto, and the code comes from the prompt program of
 * `mfa_prompt` / MFA_ENV_PROMPT: a real pinentry-tty and pinentry-curses on a pty the test owns
 * (tmux), zenity under Xvfb with the code typed by xdotool. kdialog and osascript cannot run
 * here: fake programs on PATH record their argv and print a code. Every run is traced with
 * strace: mfa-env starts the program directly (no shell) and no argv holds the code. A proxy in
 * front of moto shows the code that reached STS.
 */
import { execa } from 'execa';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askWithPromptProgram, promptProgramFor } from '../src/mfa/prompt-programs/index.js';
import { startMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';
import { tracedCli, type Exec } from './helpers/processes.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';
import type { Sandbox } from './helpers/sandbox.js';
import { TmuxShell } from './helpers/tmux.js';
import { startXvfb, xdotool, type Xvfb } from './helpers/xvfb.js';

const PROFILES = ['pin-tty', 'pin-curses', 'zen', 'kde', 'mac', 'mac-cancel', 'kde-junk', 'plain', 'bad'];

describe('credential-process without a terminal, with a prompt program (moto as STS)', () => {
  let moto: Moto;
  let user: SeededUser;
  let sandbox: Sandbox;
  let proxy: RecordingProxy;
  let xvfb: Xvfb;
  let fakeBin: string;

  beforeAll(async () => {
    let roleArn: string;
    ({ moto, user, roleArn, sandbox } = await startMotoWorld());
    proxy = await startRecordingProxy(moto.endpoint);
    xvfb = await startXvfb();
    const prompt: Record<string, string> = { 'pin-tty': 'pinentry', 'pin-curses': 'pinentry', zen: '', kde: 'kdialog', 'kde-junk': 'kdialog', mac: 'osascript', 'mac-cancel': 'osascript', plain: '', bad: 'yad' };
    const sections = PROFILES.map(
      (name) => `[profile ${name}]\nregion = us-east-1\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\n${prompt[name] ? `mfa_prompt = ${prompt[name]}\n` : ''}`,
    );
    sandbox.writeConfig(`${readFileSync(sandbox.configFile, 'utf8')}\n${sections.join('\n')}`);
    fakeBin = join(sandbox.home, 'fake-bin');
    mkdirSync(fakeBin);
  });
  afterAll(async () => {
    await xvfb?.stop();
    await proxy?.close();
    await moto?.stop();
    sandbox?.cleanup();
  });

  /** Runs `credential-process --profile P` under strace, setsid (no controlling terminal), STS through the proxy. */
  function credentialProcess(profile: string, env: Record<string, string> = {}) {
    return tracedCli(sandbox, ['credential-process', '--profile', profile], { env: { AWS_ENDPOINT_URL: proxy.endpoint, ...env } });
  }

  /** The TokenCode of each AssumeRole that reached moto since `from`. */
  const codesSent = (from: number) => proxy.bodies.slice(from).filter((b) => b.get('Action') === 'AssumeRole').map((b) => [b.get('SerialNumber'), b.get('TokenCode')]);

  function expectSession(result: { exitCode?: number; stdout: unknown; stderr: unknown }) {
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const json = JSON.parse(String(result.stdout)) as { Version: number; AccessKeyId: string };
    expect(json.Version).toBe(1);
    expect(json.AccessKeyId).toMatch(/^ASIA/);
  }

  /**
   * mfa-env ran node and then `program`, directly (strace also lists the PATH entries tried
   * before it, hence the unique names); no shell ran, and the code is in no argv.
   */
  function expectDirectRun(execs: Exec[], program: string, code: string) {
    const names = [...new Set(execs.map((exec) => exec.file.split('/').at(-1)))];
    expect(names).toEqual([process.execPath.split('/').at(-1), program.split('/').at(-1)]);
    expect(execs.some((exec) => exec.file === program)).toBe(true);
    for (const exec of execs) expect(exec.argv).not.toContain(code);
  }

  /** A fake GUI program: records its argv (NUL-separated, each run ended by \x1e) and prints `output` (exit `exitCode`). */
  function fakeProgram(name: string, output: string, exitCode = 0, stderr = ''): { path: string; runs: () => string[][] } {
    const path = join(fakeBin, name);
    const record = `${path}.runs`;
    writeFileSync(record, '');
    writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> '${record}'\nprintf '\\036' >> '${record}'\nprintf '%s\\n' '${output}'\n${stderr ? `printf '%s\\n' '${stderr}' >&2\n` : ''}exit ${exitCode}\n`, { mode: 0o755 });
    // One run per record, ended by the ASCII record separator (the texts hold newlines).
    const runs = () => readFileSync(record, 'utf8').split('\x1e').slice(0, -1).map((run) => run.split('\0').slice(0, -1));
    return { path, runs };
  }

  for (const pinentry of ['pinentry-tty', 'pinentry-curses']) {
    it(`${pinentry} on a pty the test owns (GPG_TTY): the prompt names device and profile, the typed code reaches moto`, async () => {
      const profile = pinentry === 'pinentry-tty' ? 'pin-tty' : 'pin-curses';
      const code = pinentry === 'pinentry-tty' ? '135790' : '246802';
      // A pane that never reads its terminal, so every key goes to pinentry.
      const pane = await TmuxShell.start(['sleep', '600'], { PATH: process.env.PATH!, HOME: sandbox.home });
      try {
        const tty = String((await execa('tmux', ['-L', pane.socket, 'display', '-p', '-t', 'main', '#{pane_tty}'])).stdout).trim();
        expect(tty).toMatch(/^\/dev\/pts\/\d+$/);
        const from = proxy.bodies.length;
        const run = credentialProcess(profile, { MFA_ENV_PINENTRY: pinentry, GPG_TTY: tty, TERM: 'screen' });
        await pane.waitFor(new RegExp(`MFA code for device ${user.serial.replace(/[/.]/g, '\\$&')} \\(profile ${profile}\\)`));
        await pane.type(code);
        const result = await run.child;
        expectSession(result);
        expect(codesSent(from)).toEqual([[user.serial, code]]);
        expectDirectRun(run.execs(), `/usr/bin/${pinentry}`, code);
      } finally {
        await pane.kill();
      }
    }, 120_000);
  }

  it('zenity (MFA_ENV_PROMPT) under Xvfb, the code typed by xdotool: it reaches moto', async () => {
    const code = '975311';
    const from = proxy.bodies.length;
    // No session bus here: GTK would autolaunch one (dbus-launch) and the accessibility bus, and leave them running.
    const run = credentialProcess('zen', { MFA_ENV_PROMPT: 'zenity', DISPLAY: xvfb.display, NO_AT_BRIDGE: '1', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });
    const window = (await xdotool(xvfb.display, ['search', '--sync', '--name', '^mfa-env$'], 120_000)).split('\n')[0]!;
    await xdotool(xvfb.display, ['windowfocus', '--sync', window]);
    await xdotool(xvfb.display, ['type', '--delay', '30', code]);
    await xdotool(xvfb.display, ['key', 'Return']);
    const result = await run.child;
    expectSession(result);
    expect(codesSent(from)).toEqual([[user.serial, code]]);
    const execs = run.execs();
    expectDirectRun(execs, '/usr/bin/zenity', code);
    expect(execs.find((exec) => exec.file === '/usr/bin/zenity')!.argv).toContain(`--text=MFA code for device ${user.serial} (profile zen)`);
  }, 150_000);

  it('kdialog (fake: cannot run here): the argv it gets, no shell, no code in any argv; the code reaches moto', async () => {
    const fake = fakeProgram('kdialog', '864200');
    const from = proxy.bodies.length;
    const run = credentialProcess('kde', { PATH: `${fakeBin}:${process.env.PATH}` });
    expectSession(await run.child);
    expect(fake.runs()).toEqual([['--title', 'mfa-env', '--inputbox', `MFA code for device ${user.serial} (profile kde)`, '']]);
    expect(codesSent(from)).toEqual([[user.serial, '864200']]);
    expectDirectRun(run.execs(), fake.path, '864200');
  });

  it('osascript (fake: cannot run here): a fixed script, the text as its argument; the code reaches moto', async () => {
    const fake = fakeProgram('osascript', '531864');
    const from = proxy.bodies.length;
    const run = credentialProcess('mac', { PATH: `${fakeBin}:${process.env.PATH}` });
    expectSession(await run.child);
    expect(fake.runs()).toEqual([
      [
        '-e', 'on run argv',
        '-e', 'display dialog (item 1 of argv) default answer "" with title (item 2 of argv)',
        '-e', 'return text returned of result',
        '-e', 'end run',
        `MFA code for device ${user.serial} (profile mac)`,
        'mfa-env',
      ],
    ]);
    expect(codesSent(from)).toEqual([[user.serial, '531864']]);
    expectDirectRun(run.execs(), fake.path, '531864');
  });

  it('Cancel in the dialog: exit 1, stdout empty, it says so; nothing sent', async () => {
    fakeProgram('osascript', '', 1, 'execution error: User canceled. (-128)');
    const from = proxy.bodies.length;
    const result = await credentialProcess('mac-cancel', { PATH: `${fakeBin}:${process.env.PATH}` }).child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toContain('the MFA code prompt (osascript) was cancelled');
    expect(codesSent(from)).toEqual([]);
  });

  it('an answer that is not 6 digits: asked again with the reason, three times, then exit 1; nothing sent', async () => {
    const fake = fakeProgram('kdialog', '12345');
    const from = proxy.bodies.length;
    const result = await credentialProcess('kde-junk', { PATH: `${fakeBin}:${process.env.PATH}` }).child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain('no valid MFA code after 3 tries (kdialog)');
    const runs = fake.runs();
    expect(runs).toHaveLength(3);
    expect(runs[1]![3]).toBe(`That is not a 6-digit code. Type the 6 digits your authenticator shows.\n\nMFA code for device ${user.serial} (profile kde-junk)`);
    expect(codesSent(from)).toEqual([]);
  });

  it('no terminal and no prompt program: fails at once, naming mfa_prompt and mfa_process', async () => {
    const started = Date.now();
    const from = proxy.bodies.length;
    const result = await credentialProcess('plain').child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toContain('no terminal');
    expect(String(result.stderr)).toContain('mfa_prompt');
    expect(String(result.stderr)).toContain('mfa_process');
    expect(codesSent(from)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an unknown mfa_prompt: a usage error naming the setting, before any call', async () => {
    const from = proxy.bodies.length;
    const result = await credentialProcess('bad').child;
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('invalid mfa_prompt of profile "bad": "yad"');
    expect(proxy.bodies.length).toBe(from);
  });
});

describe('the pinentry conversation (Assuan), against a scripted pinentry', () => {
  /** A pinentry that logs every command it gets and answers GETPIN with `pinReply`. */
  function scriptedPinentry(dir: string, pinReply: string): { env: Record<string, string>; log: () => string[] } {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'pinentry-scripted');
    const log = join(dir, 'commands.log');
    writeFileSync(
      path,
      `#!${process.execPath}\n` +
        `const fs = require('node:fs'); const rl = require('node:readline').createInterface({ input: process.stdin });\n` +
        `process.stdout.write('OK Pleased to meet you\\n');\n` +
        `rl.on('line', (line) => { fs.appendFileSync(${JSON.stringify(log)}, line + '\\n');\n` +
        `  if (line === 'GETPIN') process.stdout.write(${JSON.stringify(pinReply)});\n` +
        `  else if (line === 'BYE') { process.stdout.write('OK closing connection\\n'); process.exit(0); }\n` +
        `  else if (line.startsWith('OPTION lc-')) process.stdout.write('ERR 83886254 Unknown option\\n');\n` +
        `  else process.stdout.write('OK\\n'); });\n`,
      { mode: 0o755 },
    );
    return {
      env: { PATH: process.env.PATH!, MFA_ENV_PINENTRY: path, GPG_TTY: '/dev/pts/77', TERM: 'xterm', LANG: 'C.UTF-8' },
      log: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(0, -1) : []),
    };
  }
  const dir = join(process.env.TMPDIR ?? '/tmp', `mfa-env-assuan-${process.pid}`);

  it('sends the options and texts (%-escaped), decodes `D` data, says BYE', async () => {
    const pinentry = scriptedPinentry(join(dir, 'ok'), 'S PINENTRY_LAUNCHED 1\n# a comment\nD 12%334\nD %356\nOK\n');
    const code = await askWithPromptProgram({ program: 'pinentry', profile: 'dev%1', serial: 'arn:aws:iam::123456789012:mfa/alice', env: pinentry.env, notice: 'used\nalready' });
    expect(code).toBe('123456');
    // BYE is written as mfa-env moves on: wait for the pinentry to log it.
    for (let i = 0; i < 100 && !pinentry.log().includes('BYE'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const log = pinentry.log();
    expect(log).toEqual([
      'OPTION ttyname=/dev/pts/77',
      'OPTION ttytype=xterm',
      'OPTION lc-ctype=C.UTF-8',
      'SETTITLE mfa-env',
      'SETDESC MFA code for device arn:aws:iam::123456789012:mfa/alice (profile dev%251)',
      'SETPROMPT MFA code:',
      'SETERROR used%0Aalready',
      'SETTIMEOUT 120',
      'GETPIN',
      'BYE',
    ]);
  });

  it('ERR for Cancel: an error that says the prompt was cancelled', async () => {
    const pinentry = scriptedPinentry(join(dir, 'cancel'), 'ERR 83886179 Operation cancelled <Pinentry>\n');
    await expect(askWithPromptProgram({ program: 'pinentry', profile: 'dev', serial: 'GAHT12345678', env: pinentry.env })).rejects.toThrow(/was cancelled/);
  });

  it('a pinentry that is not installed: an error naming MFA_ENV_PINENTRY', async () => {
    await expect(
      askWithPromptProgram({ program: 'pinentry', profile: 'dev', serial: 'GAHT12345678', env: { PATH: '/nonexistent', MFA_ENV_PINENTRY: 'pinentry-nowhere' } }),
    ).rejects.toThrow(/pinentry-nowhere, the MFA code prompt of MFA_ENV_PINENTRY, is not installed/);
  });

  it('promptProgramFor: the profile first, then MFA_ENV_PROMPT; terminal is none; anything else is refused', () => {
    expect(promptProgramFor(undefined, {})).toBeUndefined();
    expect(promptProgramFor('terminal', { MFA_ENV_PROMPT: 'zenity' })).toBeUndefined();
    expect(promptProgramFor(undefined, { MFA_ENV_PROMPT: 'zenity' })).toBe('zenity');
    expect(promptProgramFor(' Pinentry ', { MFA_ENV_PROMPT: 'zenity' })).toBe('pinentry');
    expect(() => promptProgramFor(undefined, { MFA_ENV_PROMPT: 'dmenu' })).toThrow(/invalid MFA_ENV_PROMPT: "dmenu"/);
  });
});
