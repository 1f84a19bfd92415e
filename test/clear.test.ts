import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_VARIABLES } from '../src/session/variables.js';
import { useSharedFakeStsSandbox } from './helpers/fake-sts.js';
import { CLI } from './helpers/sandbox.js';
import { INTEGRATED_SHELLS, SHELL_TABLE } from './helpers/shells.js';


describe('clear, and the shell detected from the parent process', () => {
  const suite = useSharedFakeStsSandbox({
    credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n',
    config: '[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n',
  });
  beforeAll(async () => {
    const first = await suite.sandbox.run(['login', '--token-code', '611111']);
    expect(first.exitCode, first.stderr).toBe(0);
  });

  for (const shell of INTEGRATED_SHELLS) {
    it(`${shell}: login then clear, without --shell, leaves none of the variables`, async () => {
      const cli = `${process.execPath} ${CLI}`;
      const list = ALL_VARIABLES.join(' ');
      const script =
        shell === 'fish'
          ? `set -gx AWS_DEFAULT_PROFILE other; set -gx AWS_SECURITY_TOKEN old; ${cli} login | source; echo "after login: $AWS_REGION $MFA_ENV_PROFILE [$AWS_DEFAULT_PROFILE$AWS_SECURITY_TOKEN]"; ${cli} clear | source; for n in ${list}; set -q $n; and echo "still set: $n"; end; echo done`
          : `export AWS_DEFAULT_PROFILE=other AWS_SECURITY_TOKEN=old; eval "$(${cli} login)"; echo "after login: $AWS_REGION $MFA_ENV_PROFILE [\${AWS_DEFAULT_PROFILE-}\${AWS_SECURITY_TOKEN-}]"; eval "$(${cli} clear)"; for n in ${list}; do printenv $n >/dev/null && echo "still set: $n"; done; echo done`;
      const result = await execa(shell, [...SHELL_TABLE[shell].plain, '-c', script], { env: { ...suite.sandbox.env, MFA_ENV_PROFILE: 'default' }, extendEnv: false, reject: false });
      // The only stderr is mfa-env's own summary line.
      expect(String(result.stderr)).toMatch(/^mfa-env: profile default: MFA session until .*from the cache$/);
      // Login unset the conflicting variables; clear unset everything login can set.
      expect(String(result.stdout)).toBe('after login: eu-west-1 default []\ndone');
    });
  }
});
