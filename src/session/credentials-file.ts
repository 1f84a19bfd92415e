/**
 * `login --write-profile NAME`: the session written into `[NAME]` of the credentials file, for
 * tools that read the file rather than the environment (`aws s3 ls --profile mfa`).
 */
import { MfaEnvError, UsageError } from '../errors.js';
import { assertReplaceable, editAwsFile, readAwsFile, type FileEditResult } from '../ini/file-edit.js';
import { parseWithSdk, type IniProfiles } from '../ini/sdk-parse.js';
import { editSection } from '../ini/section-editor.js';
import type { LoginPlan } from './plan.js';
import type { Session } from './session.js';
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';


/**
 * Names both SDKs can use as `--profile NAME`: the JS SDK reads `[profile NAME]` in the config
 * file only with these characters, and a space, `#` or `;` would be cut off as a comment.
 */
const WRITABLE_NAME = /^[\w\-@+.%:/]{1,128}$/;

export function assertWritableProfileName(name: string, flag = '--write-profile'): void {
  if (!WRITABLE_NAME.test(name) || name === '__proto__') {
    throw new UsageError(
      `invalid profile name ${JSON.stringify(name)} for ${flag}`,
      'Use letters, digits and - _ . @ + % : / (the characters the AWS SDKs accept in a profile name), e.g. --write-profile mfa.',
    );
  }
}

/** A section holding long-term keys: an access key id with no session token (either name). */
function holdsLongTermKeys(section: Record<string, string | undefined> | undefined): boolean {
  return Boolean(section?.aws_access_key_id) && !section?.aws_session_token && !section?.aws_security_token;
}

/** Settings that make a profile something other than static keys; keys written there would be ignored or change it. */
const OTHER_KIND_KEYS = ['role_arn', 'source_profile', 'credential_process', 'sso_session', 'sso_start_url', 'web_identity_token_file'];

function suggestion(plan: LoginPlan): string {
  return plan.profile === 'default' ? 'mfa' : `${plan.profile}-mfa`;
}

/**
 * Everything that rules `target` out, checked before any network call and again under the
 * file lock: the login's own source of long-term keys, the profile logged in with (unless it is
 * the short-term half of the [NAME-long-term] layout), a section with long-term keys, a
 * profile configured as a role, SSO or credential_process profile.
 */
export async function checkWriteTarget(target: string, plan: LoginPlan, profiles: Record<string, ProfileSettings>, files: AwsFiles): Promise<void> {
  const another = `Pick another name, e.g. --write-profile ${suggestion(plan)}.`;
  if (target === plan.credentialsProfile || target === plan.sourceProfile) {
    throw new MfaEnvError(
      `refusing to write the session into [${target}]: it is the profile whose long-term keys this login uses, and the session would replace them`,
      another,
    );
  }
  if (target === plan.profile && plan.writeProfileDefault !== target) {
    throw new MfaEnvError(
      `refusing to write the session into [${target}]: it is the profile you log in with, and the next login would find the session there instead of its source`,
      another,
    );
  }
  const settings = profiles[target];
  const otherKind = OTHER_KIND_KEYS.find((key) => settings?.[key] !== undefined);
  if (otherKind) {
    throw new MfaEnvError(
      `refusing to write the session into [${target}]: that profile has ${otherKind}, and keys written next to it would be ignored by the AWS SDKs or change what the profile does`,
      another,
    );
  }
  assertReplaceable(files.credentialsFile, 'credentials file');
  const current = readAwsFile(files.credentialsFile, 'credentials file');
  if (current !== undefined) assertNoLongTermKeys(target, await parseWithSdk(current, 'credentials'), files);
}

function assertNoLongTermKeys(target: string, sections: IniProfiles, files: AwsFiles): void {
  if (!holdsLongTermKeys(sections[target])) return;
  throw new MfaEnvError(
    `refusing to write the session into [${target}] of ${files.credentialsFile}: it holds long-term access keys (aws_access_key_id without aws_session_token), which the session would replace for good`,
    `Write the session to a profile of its own, e.g. --write-profile ${target}-mfa, or move the long-term keys to [${target}-long-term]: then \`mfa-env login --profile ${target}\` uses them and writes the session to [${target}].`,
  );
}

/** ISO-8601 UTC with `Z` and no milliseconds: what botocore, the JS SDK and starship read. */
function expirationText(session: Session): string {
  return new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Writes the session into `[target]` of the credentials file: the four keys are set in place
 * (or added after the section's last key, or in a new section at the end) and every other byte
 * stays as it was. Checked again under the lock, so a file changed since the first check is
 * never clobbered.
 */
export async function writeSessionProfile(target: string, session: Session, files: AwsFiles): Promise<FileEditResult> {
  return editAwsFile(files.credentialsFile, 'credentials file', async (current) => {
    if (current !== undefined) assertNoLongTermKeys(target, await parseWithSdk(current, 'credentials'), files);
    return editSection(current ?? '', {
      matches: (name) => name === target,
      newHeader: target,
      set: [
        ['aws_access_key_id', session.accessKeyId],
        ['aws_secret_access_key', session.secretAccessKey],
        ['aws_session_token', session.sessionToken],
        ['expiration', expirationText(session)],
      ],
      // botocore reads the old name aws_security_token *before* aws_session_token; aws-mfa
      // writes both, so a stale one left behind would shadow the new session.
      updateOnly: [['aws_security_token', session.sessionToken]],
    });
  });
}
