/**
 * The AWS config and credentials files: found, and safe. The credentials file holds the
 * long-term keys; the config file can name commands to run (credential_process, mfa_process),
 * so a file others can write to is as dangerous as one others can read keys from.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { fail, pass, quotePath, warn, type CheckResult } from './check.js';

const mode = (stat: Stats) => (stat.mode & 0o777).toString(8).padStart(3, '0');

function holdsSecrets(path: string): boolean {
  try {
    return /^\s*aws_secret_access_key\s*=/m.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

export function checkAwsFile(kind: 'config' | 'credentials', path: string, uid = process.getuid?.()): CheckResult {
  const id = `${kind}-file`;
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return kind === 'config'
      ? warn(id, `${path} not found (mfa_serial and region usually live there)`, 'run `aws configure`, then `mfa-env setup`')
      : warn(id, `${path} not found (the long-term keys usually live there)`, 'run `aws configure` to store your access key');
  }
  if (!stat.isFile()) return fail(id, `${path} is not a regular file`, `replace it with the ${kind} file`);
  const chmod = `chmod 600 ${quotePath(path)}`;
  if ((stat.mode & 0o022) !== 0) {
    const what = kind === 'config' ? 'could add a credential_process that runs their command as you' : 'could replace your keys';
    return fail(id, `${path} is writable by other users (mode ${mode(stat)}): they ${what}`, chmod);
  }
  if (uid !== undefined && stat.uid !== uid) {
    return warn(id, `${path} is owned by uid ${stat.uid}, not by you (uid ${uid})`, `sudo chown "$(id -u)" ${quotePath(path)}`);
  }
  const secrets = kind === 'credentials' || holdsSecrets(path);
  if (secrets && (stat.mode & 0o004) !== 0) {
    return fail(id, `${path} holds secret keys and is readable by every user (mode ${mode(stat)})`, chmod);
  }
  if (secrets && (stat.mode & 0o040) !== 0) {
    return warn(id, `${path} holds secret keys and is readable by your group (mode ${mode(stat)})`, chmod);
  }
  return pass(id, `${path} (mode ${mode(stat)})`);
}
