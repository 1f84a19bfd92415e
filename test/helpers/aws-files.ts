import { execa } from 'execa';
import type { Sandbox } from './sandbox.js';

/** The variables a `login --shell bash` output sets, evaluated by a clean bash. */
export async function exportsOf(stdout: string): Promise<Record<string, string>> {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'MFA_ENV_PROFILE'];
  const script = `${stdout}\nfor n in ${names.join(' ')}; do printf '%s=%s\\0' "$n" "\${!n-}"; done`;
  const result = await execa('bash', ['--noprofile', '--norc', '-c', script], { env: { PATH: process.env.PATH! }, extendEnv: false });
  return Object.fromEntries(
    String(result.stdout)
      .split('\0')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** Environment for the real `aws` CLI / botocore reading the sandbox's files, nothing else. */
export function awsEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH!,
    HOME: sandbox.home,
    AWS_CONFIG_FILE: sandbox.configFile,
    AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile,
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  };
}

export interface BotocoreCredentials {
  method: string;
  accessKey: string;
  secretKey: string;
  token: string | null;
}

/**
 * The credentials botocore (the library under the `aws` CLI) resolves for `profile` from the
 * sandbox's files, and which of its providers found them: proof that the file we wrote parses
 * for Python's configparser too, not only for the JS SDK.
 */
export async function botocoreCredentials(sandbox: Sandbox, profile: string): Promise<BotocoreCredentials> {
  const script = [
    'import json, sys, botocore.session',
    'c = botocore.session.Session(profile=sys.argv[1]).get_credentials()',
    'f = c.get_frozen_credentials()',
    'print(json.dumps({"method": c.method, "accessKey": f.access_key, "secretKey": f.secret_key, "token": f.token}))',
  ].join('\n');
  const result = await execa('python3', ['-c', script, profile], { env: awsEnv(sandbox), extendEnv: false });
  return JSON.parse(String(result.stdout)) as BotocoreCredentials;
}
