import { describe, expect, it } from 'vitest';
import { useFakeStsSandbox } from './helpers/fake-sts.js';

/**
 * stderr carries only mfa-env's own words: no DeprecationWarning, ExperimentalWarning or the
 * SDK's NodeVersionSupportWarning, on whichever Node line runs this file (.ci/run runs it on
 * 20, 22, 24 and 26). The runs get the sandbox's environment: none of the variables that
 * would hide a warning (NODE_NO_WARNINGS, the SDK's own switch) unless mfa-env sets them itself.
 */
const fake = useFakeStsSandbox({
  credentials: '[default]\naws_access_key_id = AKIAWARNINGS000000001\naws_secret_access_key = secret\n',
  config: '[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/warnings\n',
});

/** Lines that Node or a library wrote, not mfa-env. */
const FOREIGN = /Warning\b|\(node:\d+\)|--trace-(deprecation|warnings)|NodeVersionSupport|DEP0\d+/;

function sessionOf(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((match) => [match[1]!, match[2]!]));
}

describe(`no warnings from Node ${process.versions.node} or the SDK`, () => {
  it('--help, --version, login (STS), login (cache), status, credential-process, clear, init', async () => {
    expect(fake.sandbox.env.NODE_NO_WARNINGS).toBeUndefined();
    expect(fake.sandbox.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
    const runs = [['--help'], ['--version'], ['login', '--shell', 'bash', '--token-code', '123456']];
    const results = [];
    for (const args of runs) results.push({ args, ...(await fake.sandbox.run(args)) });
    const login = results[2]!;
    expect(login.exitCode, login.stderr).toBe(0);
    expect(fake.sts.calls.map((call) => call.action)).toEqual(['GetSessionToken']);
    const session = sessionOf(login.stdout);
    expect(session.AWS_SESSION_TOKEN).toBeTruthy();
    for (const args of [['login', '--shell', 'bash'], ['status'], ['credential-process', '--profile', 'default'], ['clear', '--shell', 'bash'], ['init', 'bash']]) {
      results.push({ args, ...(await fake.sandbox.run(args, { env: session })) });
    }
    expect(fake.sts.calls).toHaveLength(1);
    for (const { args, exitCode, stderr } of results) {
      expect(exitCode, `mfa-env ${args.join(' ')}: ${stderr}`).toBe(0);
      expect(stderr.split('\n').filter((line) => FOREIGN.test(line)), `mfa-env ${args.join(' ')}`).toEqual([]);
    }
    // What remains is mfa-env's own words (`mfa-env: …` and its indented hints); --help and --version print none.
    for (const { args, stderr } of results) {
      if (['--help', '--version'].includes(args[0]!)) expect(stderr, `mfa-env ${args.join(' ')}`).toBe('');
      else expect(stderr.split('\n').filter((line) => line && !/^(mfa-env\b|\s)/.test(line)), `mfa-env ${args.join(' ')}`).toEqual([]);
    }
  });
});
