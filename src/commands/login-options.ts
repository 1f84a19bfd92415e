/**
 * The flags of the commands that log in (login, exec, credential-process), defined once. Each
 * command declares the ones it takes as fields (`profile = loginOption('profile')`), so help
 * and parsing come from the same table; exec, whose words are taken raw (see exec.ts), parses
 * its own words with `parseLoginFlags` over the same table.
 *
 * Adding a flag (e.g. --region): an entry in LOGIN_FLAGS, a field in LoginFlags, a field
 * `region = loginOption('region')` in each command that takes it; `loginRequest` passes every
 * LoginFlags field on to session/login.
 */
import { Option } from 'clipanion';
import { UsageError } from '../errors.js';
import type { LoginOptions } from '../session/login.js';
import { readTokenCode, type TokenCodeInput } from './token-code.js';

/** What a user can ask of a login on the command line. */
export interface LoginFlags {
  profile?: string;
  duration?: string;
  tokenCode?: string;
  force?: boolean;
  region?: string;
  roleArn?: string;
  sessionName?: string;
  externalId?: string;
}

type FlagName = keyof LoginFlags;

interface FlagSpec {
  names: string[];
  /** true: the flag takes a value (`--profile dev`); false: a switch (`--force`). */
  takesValue: boolean;
  description: string;
}

// data table: one row per flag of the commands that log in.
export const LOGIN_FLAGS: Record<FlagName, FlagSpec> = {
  profile: { names: ['--profile', '-p'], takesValue: true, description: 'profile in ~/.aws/config (default: $AWS_PROFILE, the current session\'s, then "default")' },
  duration: { names: ['--duration', '-d'], takesValue: true, description: 'session length for a new session: 3600, 90m, 12h, 1h30m (default 12h for sessions, 1h for roles)' },
  tokenCode: { names: ['--token-code', '-t'], takesValue: true, description: 'the 6-digit MFA code; `-` reads it from stdin' },
  force: { names: ['--force', '-f'], takesValue: false, description: 'ignore the cached session and ask STS for a new one' },
  region: { names: ['--region'], takesValue: true, description: 'region for STS and the exported AWS_REGION/AWS_DEFAULT_REGION (default: the profile\'s region)' },
  roleArn: { names: ['--role-arn'], takesValue: true, description: 'assume this role, with the profile as its source (ad hoc, no profile needed)' },
  sessionName: { names: ['--session-name'], takesValue: true, description: 'role session name (default: the profile\'s role_session_name, else mfa-env-USER)' },
  externalId: { names: ['--external-id'], takesValue: true, description: 'external id for the role (default: the profile\'s external_id)' },
};

/** The clipanion option of a value flag, with the table's description unless the command words it its own way. */
export function loginOption(name: Exclude<FlagName, 'force'>, description = LOGIN_FLAGS[name].description): string | undefined {
  return Option.String(LOGIN_FLAGS[name].names.join(','), { description });
}

/** The same, for a command that cannot do without it (credential-process --profile). */
export function requiredLoginOption(name: Exclude<FlagName, 'force'>, description = LOGIN_FLAGS[name].description): string {
  return Option.String(LOGIN_FLAGS[name].names.join(','), { required: true, description });
}

/** The clipanion option of --force. */
export function forceOption(): boolean {
  const spec = LOGIN_FLAGS.force;
  return Option.Boolean(spec.names.join(','), false, { description: spec.description });
}

/** The flag a word names (`--profile`, `-p`, `--profile=dev`), with the value bound to it if any. */
function flagOf(word: string): { name: FlagName; bound?: string } | undefined {
  const equals = word.startsWith('--') ? word.indexOf('=') : -1;
  const option = equals < 0 ? word : word.slice(0, equals);
  const name = (Object.keys(LOGIN_FLAGS) as FlagName[]).find((key) => LOGIN_FLAGS[key].names.includes(option));
  if (name === undefined) return undefined;
  return equals < 0 ? { name } : { name, bound: word.slice(equals + 1) };
}

/** Reads the flags out of `words` (only flags, no positionals), with clipanion's wording for its errors. */
export function parseLoginFlags(words: readonly string[], command: string): LoginFlags {
  const flags: LoginFlags = {};
  const hint = `See \`mfa-env ${command} --help\`.`;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = flagOf(word);
    if (!flag) throw new UsageError(`${command}: Unsupported option name ("${word}").`, hint);
    if (!LOGIN_FLAGS[flag.name].takesValue) {
      if (flag.bound !== undefined) throw new UsageError(`${command}: ${word} takes no value.`, hint);
      (flags as Record<string, boolean>)[flag.name] = true;
      continue;
    }
    const value = flag.bound ?? words[++i];
    if (value === undefined || (flag.bound === undefined && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`${command}: Not enough arguments to option ${word}.`, hint);
    }
    (flags as Record<string, string>)[flag.name] = value;
  }
  return flags;
}

/** The first word that is neither a flag nor a flag's value: where a command line's own command starts. */
export function firstNonFlagWord(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = flagOf(word);
    if (flag && LOGIN_FLAGS[flag.name].takesValue && flag.bound === undefined) i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

/** Only the LoginFlags fields of `source` (a command, or what parseLoginFlags read). */
function pickLoginFlags(source: LoginFlags): LoginFlags {
  const flags: Record<string, unknown> = {};
  for (const name of Object.keys(LOGIN_FLAGS) as FlagName[]) if (source[name] !== undefined) flags[name] = source[name];
  return flags as LoginFlags;
}

/**
 * The request for session/login from a command's flags (every LOGIN_FLAGS field it has), with
 * the code read and checked first (stdin for `-`).
 */
export async function loginRequest(source: LoginFlags, input: TokenCodeInput & { context: { env: NodeJS.ProcessEnv } }): Promise<LoginOptions> {
  const flags = pickLoginFlags(source);
  const tokenCode = await readTokenCode(flags.tokenCode, input);
  return { ...flags, tokenCode, env: input.context.env, say: input.say };
}
