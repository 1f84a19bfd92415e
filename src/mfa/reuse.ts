import { createHash } from 'node:crypto';
import { filesystemFault } from '../errors.js';
import { CacheUnavailableError, ensureCacheDir } from '../store/cache-dir.js';
import { readOwnFile, writeFileAtomic } from '../store/files.js';
import { usedCodesLockPath, usedCodesPath as usedCodesPathIn } from '../store/layout.js';
import { withShortLock } from '../store/lock.js';

/**
 * RFC 6238: a verifier must not accept the same one-time code twice, and AWS answers a reused
 * code with the same error as a wrong one. We remember which code went to which device for as
 * long as it could still be valid (its 30-second step plus the neighbours AWS tolerates), and
 * never send it again. Only hashes are stored.
 */
export const TOTP_STEP_MS = 30_000;
const REMEMBER_MS = 3 * TOTP_STEP_MS;

interface UsedCodes {
  [deviceHash: string]: { codeHash: string; at: number };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const usedCodesPath = () => usedCodesPathIn(ensureCacheDir());
const withUsedCodesLock = <T>(fn: () => T) => withShortLock(usedCodesLockPath(ensureCacheDir()), 'the used MFA codes', fn);

/**
 * The record lives in the cache dir; when the machine will not let us keep it (no permission,
 * a read-only or full disk), the code is sent unrecorded rather than the login failing: the
 * cache write after the call says what is wrong with the cache dir.
 */
async function orWhenUnkept<T>(work: () => Promise<T>, unkept: T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CacheUnavailableError || filesystemFault(error)) return unkept;
    throw error;
  }
}

function readUsedCodes(): UsedCodes {
  const result = readOwnFile(usedCodesPath(), 64 * 1024);
  if (!result.ok) return {};
  try {
    const data = JSON.parse(result.content) as unknown;
    return typeof data === 'object' && data !== null ? (data as UsedCodes) : {};
  } catch {
    return {};
  }
}

/** When `code` was sent to `serial` within the time it could still be valid, else undefined. */
function usedAtIn(used: UsedCodes, serial: string, code: string, now: number): number | undefined {
  const record = used[hash(serial)];
  if (!record || record.codeHash !== hash(`${serial}:${code}`)) return undefined;
  return now - record.at < REMEMBER_MS ? record.at : undefined;
}

/** Records that `code` is about to be sent to `serial` (before the call: a sent code is spent). */
function recordCodeUse(serial: string, code: string, now = Date.now()): void {
  const used = readUsedCodes();
  for (const [device, record] of Object.entries(used)) {
    if (now - record.at >= REMEMBER_MS) delete used[device];
  }
  used[hash(serial)] = { codeHash: hash(`${serial}:${code}`), at: now };
  writeFileAtomic(usedCodesPath(), `${JSON.stringify(used)}\n`);
}

/**
 * Check and record as one step under a lock: parallel logins for different profiles on one
 * device (two terminals, credential_process for two profiles) must not both find the code
 * unused and both send it, nor drop each other's records of other devices. Returns when the
 * code was already sent (it is not recorded again), or undefined once it is recorded as ours.
 */
export async function claimCode(serial: string, code: string): Promise<number | undefined> {
  const claim = () =>
    withUsedCodesLock(() => {
      const now = Date.now();
      const usedAt = usedAtIn(readUsedCodes(), serial, code, now);
      if (usedAt === undefined) recordCodeUse(serial, code, now);
      return usedAt;
    });
  return orWhenUnkept(claim, undefined);
}

/** Milliseconds until the next 30-second step begins, when authenticators show a new code. */
export function msUntilNextStep(now = Date.now()): number {
  return TOTP_STEP_MS - (now % TOTP_STEP_MS);
}

/** Drops the record of `code` for `serial` again: the request carrying it never reached AWS. */
export async function forgetCodeUse(serial: string, code: string): Promise<void> {
  const forget = () =>
    withUsedCodesLock(() => {
      const used = readUsedCodes();
      const record = used[hash(serial)];
      if (!record || record.codeHash !== hash(`${serial}:${code}`)) return;
      delete used[hash(serial)];
      writeFileAtomic(usedCodesPath(), `${JSON.stringify(used)}\n`);
    });
  await orWhenUnkept(forget, undefined);
}
