/**
 * One layout through `mfa-env login` (the built CLI) against moto behind the recording proxy:
 * its STS calls named like botocore's (harness.ts), the exported variables, and the identity
 * the exported keys have (GetCallerIdentity against moto, signature checked).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsFiles } from '../../src/aws/profiles.js';
import { CLI } from '../helpers/sandbox.js';
import type { Call } from './harness.js';
import type { RecordingProxy } from './recording-proxy.js';

export interface LoginRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The AssumeRole / GetSessionToken calls, in order (IAM's ListMFADevices and the like left out). */
  calls: Call[];
  exported: Record<string, string>;
}

const SESSION_ACTIONS = new Set(['AssumeRole', 'GetSessionToken']);

export async function runMfaEnvLogin(
  layout: { profile: string; id: string },
  files: AwsFiles,
  env: Record<string, string>,
  proxy: RecordingProxy,
  options: { args: string[]; signerName: (key: string) => string | undefined },
): Promise<LoginRun> {
  const home = join(files.configFile, '..', 'home');
  mkdirSync(home, { recursive: true });
  proxy.calls.length = 0;
  const result = await execa(process.execPath, [CLI, 'login', '--profile', layout.profile, '--shell', 'bash', ...options.args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      AWS_CONFIG_FILE: files.configFile,
      AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
      ...env,
      AWS_ENDPOINT_URL: proxy.url,
    },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  const recorded = proxy.calls.filter((call) => call.action !== null && SESSION_ACTIONS.has(call.action));
  const calls = recorded.map((call, index): Call => {
    const earlier = recorded.slice(0, index).findIndex((previous) => previous.returned === call.signedWith);
    const signer = (call.signedWith && options.signerName(call.signedWith)) ?? (earlier >= 0 ? `hop:${earlier}` : `unknown:${call.signedWith}`);
    const duration = call.params.get('DurationSeconds');
    return {
      action: call.action!,
      roleArn: call.params.get('RoleArn'),
      serial: call.params.get('SerialNumber'),
      externalId: call.params.get('ExternalId'),
      sessionName: call.params.get('RoleSessionName'),
      duration: duration === null ? null : Number(duration),
      region: call.region,
      signer,
    };
  });
  const stdout = String(result.stdout);
  const exported = Object.fromEntries([...stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  return { exitCode: result.exitCode ?? -1, stdout, stderr: String(result.stderr), calls, exported };
}

/** The ARN the exported keys have, asked of moto directly (signature checked). */
export async function identityOf(exported: Record<string, string>, endpoint: string): Promise<string | undefined> {
  const client = new STSClient({
    endpoint,
    region: exported.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: exported.AWS_ACCESS_KEY_ID!, secretAccessKey: exported.AWS_SECRET_ACCESS_KEY!, sessionToken: exported.AWS_SESSION_TOKEN },
  });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}
