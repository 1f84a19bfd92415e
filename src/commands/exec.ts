import { Option } from 'clipanion';
import { UsageError } from '../errors.js';
import { runWithEnvironment, runWithSession } from '../exec/run.js';
import { login } from '../session/login.js';
import { MfaEnvCommand } from './base.js';
import { firstNonFlagWord, forceOption, loginOption, loginRequest, parseLoginFlags, type LoginFlags } from './login-options.js';

/**
 * `exec` takes every word with Option.Proxy, untouched, and reads its own flags only from the
 * words before `--` (parseLoginFlags, over the same table as login's): a `--profile` meant for
 * the child must never be taken by mfa-env. The flag fields below are there for the help text.
 */
export class ExecCommand extends MfaEnvCommand {
  static override paths = [['exec']];

  static override usage = MfaEnvCommand.Usage({
    description: 'run a command with the MFA session in its environment',
    details: `
      Gets the session like \`login\` (the cache, else a code and STS), then runs the command after \`--\` with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, MFA_ENV_PROFILE, MFA_ENV_EXPIRES (and AWS_REGION when the profile has one) in its environment, and without AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_SECURITY_TOKEN and AWS_SESSION_EXPIRATION. The credentials are never on its command line.

      The \`--\` is required: everything after it belongs to the command, so \`--profile\` there is the command's own. Signals sent to mfa-env (SIGTERM, SIGHUP, SIGINT…) are passed on to the command, and its exit code is passed back (128 + n when signal n killed it, like a shell; 127 when it cannot be found).
    `,
    examples: [
      ['Run the AWS CLI with the session of profile dev', '$0 exec --profile dev -- aws s3 ls'],
      ['Terraform with a role for two hours', '$0 exec --profile admin --duration 2h -- terraform apply'],
      ['A shell with the session', '$0 exec -- bash'],
      ['A long job whose role session is renewed while it runs', '$0 exec --server --profile admin -- terraform apply'],
    ],
  });

  profile = loginOption('profile');
  duration = loginOption('duration');
  tokenCode = loginOption('tokenCode', 'the 6-digit MFA code; `-` reads it from stdin (which the command then cannot read)');
  force = forceOption();
  region = loginOption('region');
  roleArn = loginOption('roleArn');
  sessionName = loginOption('sessionName');
  externalId = loginOption('externalId');
  server = Option.Boolean('--server', false, { description: 'no static keys: the command\'s SDK fetches the session from a loopback endpoint (random token per run) that renews a role session before it ends' });
  commandLine = Option.Proxy({ name: '-- command' });

  async run(): Promise<number> {
    const separator = this.commandLine.indexOf('--');
    const ownWords = separator < 0 ? this.commandLine : this.commandLine.slice(0, separator);
    if (ownWords.includes('--help') || ownWords.includes('-h')) return this.printHelp();
    const command = separator < 0 ? [] : this.commandLine.slice(separator + 1);
    const first = separator < 0 ? firstNonFlagWord(ownWords) : undefined;
    if (first !== undefined) {
      throw new UsageError(
        `exec needs \`--\` before the command (${first})`,
        `Everything after \`--\` belongs to the command, so its own options are never taken for mfa-env's: mfa-env exec [OPTIONS] -- ${first} …`,
      );
    }
    // --server is exec's own switch; the rest are the flags every login command shares.
    const server = ownWords.includes('--server');
    const flags = parseLoginFlags(ownWords.filter((word) => word !== '--server'), 'exec');
    if (command.length === 0) {
      throw new UsageError('exec needs a command to run after `--`', 'For example: mfa-env exec --profile dev -- aws sts get-caller-identity');
    }
    const say = (message: string) => this.say(message);
    // Before the login: a bad MFA_ENV_REFRESH_BEFORE fails before any network call.
    const serverRun = server ? (await import('../server/run.js')).credentialServerRun(this.context.env, say) : undefined;
    const result = await login(await loginRequest(flags, { context: this.context, say }));
    if (!serverRun) return runWithSession(command, result.session, this.context.env, this.context, say);
    return serverRun.run(result, renewalFlags(flags), (env) => runWithEnvironment(command, env, this.context, say));
  }

  /** The same help clipanion prints for other commands (the proxy took `--help` from it); colour as the context allows. */
  private printHelp(): number {
    const options = { detailed: true, colored: this.context.colorDepth > 1 } as { detailed: boolean };
    this.context.stdout.write(this.cli.usage(ExecCommand, options));
    return 0;
  }
}

/** What a renewal logs in with: the same plan as the first login, without its code or --force. */
function renewalFlags({ tokenCode: _code, force: _force, ...plan }: LoginFlags): Omit<LoginFlags, 'tokenCode' | 'force'> {
  return plan;
}
