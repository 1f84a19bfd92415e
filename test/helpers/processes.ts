import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type Sandbox } from './sandbox.js';

/** Every execve(2) in a process tree: the program and the argv it was given. */
export interface Exec {
  pid: number;
  file: string;
  /** strace's rendering of the argv array (strings quoted and escaped as C literals). */
  argv: string;
}

/** Parses `strace -f -e trace=execve` output. */
export function parseExecs(trace: string): Exec[] {
  const execs: Exec[] = [];
  for (const line of trace.split('\n')) {
    const match = /^(\d+)\s+execve\("((?:[^"\\]|\\.)*)", (\[.*?\]), /.exec(line);
    if (match) execs.push({ pid: Number(match[1]), file: match[2]!, argv: match[3]! });
  }
  return execs;
}

/**
 * Starts the built CLI under strace, which records the argv of mfa-env and of every process it
 * starts (mfa_process and anything else), however short-lived. Same clean env and no
 * controlling terminal as Sandbox.run. `execs()` reads the record once the run is over.
 */
export function tracedCli(sandbox: Sandbox, args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const traceFile = join(sandbox.home, `execve-${Date.now()}-${Math.random().toString(36).slice(2)}.trace`);
  const child = execa(
    'strace',
    ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=execve', '-s', '65535', '-o', traceFile, process.execPath, CLI, ...args],
    { env: { ...sandbox.env, ...options.env }, extendEnv: false, input: options.input ?? '', reject: false, detached: true, timeout: 60_000, stripFinalNewline: false },
  );
  return {
    child,
    execs: (): Exec[] => (existsSync(traceFile) ? parseExecs(readFileSync(traceFile, 'utf8')) : []),
  };
}

/** Parent pid of `pid` from /proc (undefined when it is gone). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** `root` and every process below it, now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = parentOf(Number(name));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The argv of a running process as `ps` shows it to every user (/proc/PID/cmdline). */
export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
