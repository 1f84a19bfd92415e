/**
 * `credential_process` support: the JSON the AWS SDKs and CLI read, and the guard against a
 * profile whose credential_process runs mfa-env for the very profile it is the source of.
 */
import { basename } from 'node:path';
import { MfaEnvError } from '../errors.js';
import type { ProfileSettings } from '../aws/profiles.js';
import type { Session } from './session.js';

/** The "process credentials" format (Version 1), keys in the order the AWS docs show them. */
export function credentialProcessJson(session: Session): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

/** Words of a command line the way a shell splits a simple one: whitespace, quotes, backslashes. */
function words(command: string): string[] {
  const result: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) current += command[++i]!;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (char === '\\' && i + 1 < command.length) {
      current = (current ?? '') + command[++i]!;
    } else if (/\s/.test(char)) {
      if (current !== undefined) result.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + char;
    }
  }
  if (current !== undefined) result.push(current);
  return result;
}

/**
 * The profile a `credential_process` command asks mfa-env for, when it runs
 * `mfa-env credential-process` (also as `node …/bin/mfa-env.js credential-process`);
 * undefined for any other command.
 */
export function mfaEnvProcessProfile(command: string): string | undefined {
  const argv = words(command);
  const binary = argv.findIndex((word) => /^mfa-env(\.js|\.cmd)?$/.test(basename(word)));
  if (binary < 0) return undefined;
  const rest = argv.slice(binary + 1);
  if (!rest.includes('credential-process')) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if ((word === '--profile' || word === '-p') && i + 1 < rest.length) return rest[i + 1];
    const joined = /^(?:--profile|-p)=(.*)$/.exec(word);
    if (joined) return joined[1];
  }
  return undefined;
}

/**
 * The error for a profile that would call itself: logging in to `profile` needs the keys of
 * `credentialsProfile`, and that profile's credential_process runs `mfa-env credential-process
 * --profile <profile>`, which needs them again, forever.
 */
export function selfReferenceError(
  profile: string,
  credentialsProfile: string,
  profiles: Record<string, ProfileSettings>,
): MfaEnvError | undefined {
  const command = profiles[credentialsProfile]?.credential_process;
  if (command === undefined || mfaEnvProcessProfile(command) !== profile) return undefined;
  const via = credentialsProfile === profile ? `its own credential_process` : `the credential_process of its source profile "${credentialsProfile}"`;
  return new MfaEnvError(
    `profile "${profile}" gets its long-term keys from ${via}, \`${command}\`, which asks mfa-env for profile "${profile}" again: that would recurse forever`,
    `Keep the long-term keys in [${credentialsProfile}] (aws_access_key_id / aws_secret_access_key in ~/.aws/credentials) and put credential_process in a profile of its own that nothing uses as a source:\n` +
      `[profile ${profile}-mfa]\ncredential_process = mfa-env credential-process --profile ${profile}`,
  );
}

/**
 * Profiles whose login is running further up this process tree. A login that needs STS holds
 * the profile's lock while the SDK resolves the source keys, and the SDK runs a
 * credential_process with our environment: a loop the static check cannot see (a wrapper
 * script) reaches a login of the same profile, which would wait for that lock forever.
 * With the chain it meets its own name instead, and stops at once.
 */
export const PROCESS_CHAIN_VARIABLE = 'MFA_ENV_LOGIN_CHAIN';

export function processChain(env: NodeJS.ProcessEnv): string[] {
  try {
    const chain = JSON.parse(env[PROCESS_CHAIN_VARIABLE] ?? '[]') as unknown;
    return Array.isArray(chain) ? chain.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}

let enteredChain = false;

/**
 * Called by login() before it takes the profile's lock: refuses a profile already being logged
 * in further up, and adds this one for the processes the SDK starts. Once per process, so a
 * command that logs in twice does not meet itself.
 */
export function enterLoginChain(profile: string, env: NodeJS.ProcessEnv): void {
  if (enteredChain) return;
  const chain = processChain(env);
  if (chain.includes(profile)) throw recursionError(profile, chain);
  enteredChain = true;
  // process.env, not the context's: it is what the SDK hands to a credential_process.
  process.env[PROCESS_CHAIN_VARIABLE] = JSON.stringify([...chain, profile]);
}

export function recursionError(profile: string, chain: string[]): MfaEnvError {
  return new MfaEnvError(
    `mfa-env was started by itself for profile "${profile}" (${[...chain, profile].join(' → ')}): a credential_process loop`,
    `The long-term keys of profile "${profile}" (or of its source_profile) come from a credential_process that runs mfa-env for "${profile}" again. Give that profile static keys; \`mfa-env doctor --profile ${profile}\` checks the profiles.`,
  );
}
