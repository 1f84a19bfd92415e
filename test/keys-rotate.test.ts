import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';
import { startResigningProxy, type ResigningProxy } from './helpers/resigning-proxy.js';
import type { Sandbox } from './helpers/sandbox.js';
import { secretToolLookup, startSecretService, type SecretService } from './helpers/secret-service.js';

interface Stored {
  aws_access_key_id: string;
  aws_secret_access_key: string;
}

describe('keys rotate against moto (signature-checking) through a proxy that gives each MFA session its own key', () => {
  let moto: Moto;
  let user: SeededUser;
  let sandbox: Sandbox;
  let keyring: SecretService;
  let proxy: ResigningProxy;
  const known = new Map<string, string>();
  const run = (args: string[], input?: string) => sandbox.run(args, { env: { ...keyring.env, AWS_ENDPOINT_URL: proxy.endpoint }, input });
  const stored = async () => JSON.parse((await secretToolLookup(keyring, 'dev'))!) as Stored;

  beforeAll(async () => {
    ({ moto, user, sandbox } = await startMotoWorld());
    known.set(user.accessKeyId, user.secretAccessKey);
    proxy = await startResigningProxy(moto.endpoint, (keyId) => known.get(keyId));
    keyring = await startSecretService();
    sandbox.writeConfig(`${readFileSync(sandbox.configFile, 'utf8')}\n[profile dev]\nregion = us-east-1\nmfa_serial = ${user.serial}\nmfa_process = echo 135790\n`);
    const added = await run(['keys', 'add', '--profile', 'dev'], `${user.accessKeyId}\n${user.secretAccessKey}\n`);
    expect(added.exitCode, added.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy?.stop();
    await keyring?.stop();
    await moto?.stop();
    sandbox?.cleanup();
  });

  it('leaves exactly one key in IAM, the new one, stored in the keyring; the next login signs with it', async () => {
    const rotated = await run(['keys', 'rotate', '--profile', 'dev']);
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    expect(rotated.stdout).toBe('');
    expect(rotated.stderr).not.toContain(user.secretAccessKey);
    // The IAM calls went out signed with the MFA session (and were re-signed for moto).
    expect(proxy.resigned).toEqual(expect.arrayContaining(['CreateAccessKey', 'DeleteAccessKey']));
    const fresh = await stored();
    expect(fresh.aws_access_key_id).not.toBe(user.accessKeyId);
    expect(rotated.stderr).not.toContain(fresh.aws_secret_access_key);

    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: fresh.aws_access_key_id, secretAccessKey: fresh.aws_secret_access_key } });
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
    iam.destroy();
    expect(keys.AccessKeyMetadata?.map((key) => key.AccessKeyId)).toEqual([fresh.aws_access_key_id]);

    const login = await run(['login', '--profile', 'dev', '--force', '--shell', 'bash', '--token-code', '246802']);
    expect(login.exitCode, login.stderr).toBe(0);
    expect(proxy.sessionSigners.at(-1)).toBe(fresh.aws_access_key_id);
  });

  it('a failing step says which, and the stored key still works', async () => {
    const before = await stored();
    // The proxy no longer knows any long-term secret, so it re-signs the session's calls with a
    // wrong one and moto refuses CreateAccessKey (a real refusal, not a stub).
    known.clear();
    const failed = await run(['keys', 'rotate', '--profile', 'dev']);
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('keys rotate failed at step 1 of 4 (CreateAccessKey)');
    expect(failed.stderr).toContain('is unchanged and still works');
    expect(await stored()).toEqual(before);
    const login = await run(['login', '--profile', 'dev', '--force', '--shell', 'bash', '--token-code', '975310']);
    expect(login.exitCode, login.stderr).toBe(0);
  });
});
