/** Runs one layout through botocore (recording its STS calls) and through mfa-env's resolution. */
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAllProfiles, profileNotFound, type AwsFiles } from '../../src/aws/profiles.js';
import { resolveProfile, type FirstCredentials, type ResolvedProfile } from '../../src/aws/role-chain.js';
import type { Layout } from './layouts.js';

const SCRIPT = fileURLToPath(new URL('./botocore-calls.py', import.meta.url));

/** One STS call, with the signer named rather than its key: `static:PROFILE`, `env`, `imds`, `container`, `hop:N`. */
export interface Call {
  action: string;
  roleArn: string | null;
  serial: string | null;
  externalId: string | null;
  /** `(default)` for each tool's own default name. */
  sessionName: string | null;
  duration: number | null;
  region: string | null;
  signer: string;
}

export interface BotocoreRun {
  calls: Call[];
  identity: string | null;
  error: string | null;
}

interface RawCall extends Omit<Call, 'signer' | 'sessionName'> {
  signer: string | null;
  sessionName: string | null;
  returned?: string;
}

export function writeLayout(dir: string, layout: Layout, replace: (text: string) => string): AwsFiles {
  mkdirSync(dir, { recursive: true });
  const files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
  writeFileSync(files.configFile, replace(layout.config.replaceAll('PROCESS_JSON', join(dir, 'process.json'))));
  writeFileSync(files.credentialsFile, replace(layout.credentials ?? ''));
  return files;
}

export interface BotocoreJob {
  layout: Layout;
  files: AwsFiles;
  env: Record<string, string>;
}

/** Runs every job in one python process; the signers named by `signerName`, else `hop:N`. */
export async function runBotocore(jobs: BotocoreJob[], signerName: (key: string) => string | undefined): Promise<BotocoreRun[]> {
  const input = jobs.map(({ layout, files, env }) => ({
    profile: layout.profile,
    env: { HOME: join(files.configFile, '..'), AWS_CONFIG_FILE: files.configFile, AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile, ...env },
  }));
  const result = await execa('python3', [SCRIPT], { env: { PATH: process.env.PATH ?? '' }, extendEnv: false, input: JSON.stringify(input) });
  const runs = JSON.parse(result.stdout) as Array<{ calls: RawCall[]; identity: string | null; error: string | null }>;
  return runs.map((raw) => ({ calls: raw.calls.map((call, index) => named(call, raw.calls.slice(0, index), signerName)), identity: raw.identity, error: raw.error }));
}

function named(call: RawCall, earlierCalls: RawCall[], signerName: (key: string) => string | undefined): Call {
  const earlier = earlierCalls.findIndex((previous) => previous.returned === call.signer);
  const signer = (call.signer && signerName(call.signer)) ?? (earlier >= 0 ? `hop:${earlier}` : `unknown:${call.signer}`);
  const sessionName = call.sessionName?.startsWith('botocore-session-') ? '(default)' : call.sessionName;
  return { action: call.action, roleArn: call.roleArn, serial: call.serial, externalId: call.externalId, sessionName, duration: call.duration, region: call.region, signer };
}

/** What login does first: the SDK's loader, "not found" (or why not readable), then the hops. */
export async function resolveWithMfaEnv(layout: Layout, files: AwsFiles): Promise<ResolvedProfile> {
  const profiles = await loadAllProfiles(files);
  if (!profiles[layout.profile]) throw profileNotFound(layout.profile, files, Object.keys(profiles));
  return resolveProfile(layout.profile, profiles);
}

export function firstSigner(first: FirstCredentials): string {
  if (first.kind === 'credential-source') return { Environment: 'env', Ec2InstanceMetadata: 'imds', EcsContainer: 'container' }[first.source];
  return `${first.kind}:${first.profile}`;
}

/**
 * The calls the hops stand for. `as: 'botocore'`: what botocore makes of them (a code on every
 * hop with its own mfa_serial, no call for a profile without role). `as: 'mfa-env'`: what
 * mfa-env's login will send (one code, at mfaHop; GetSessionToken for a session profile).
 */
export function expectedCalls(resolved: ResolvedProfile, as: 'botocore' | 'mfa-env'): Call[] {
  const region = resolved.region ?? 'us-east-1';
  if (resolved.flow === 'session') {
    if (as === 'botocore') return [];
    const signer = firstSigner(resolved.first!);
    return [{ action: 'GetSessionToken', roleArn: null, serial: resolved.mfaSerial ?? '(looked up)', externalId: null, sessionName: null, duration: null, region, signer }];
  }
  return resolved.hops.map((hop, index) => ({
    action: 'AssumeRole',
    roleArn: hop.roleArn,
    serial: as === 'botocore' ? (hop.ownMfaSerial ?? null) : index === resolved.mfaHop ? resolved.mfaSerial! : null,
    externalId: hop.externalId ?? null,
    sessionName: hop.roleSessionName ?? '(default)',
    duration: hop.duration !== undefined ? Number(hop.duration) : null,
    region,
    signer: index === 0 ? firstSigner(resolved.first!) : `hop:${index - 1}`,
  }));
}
