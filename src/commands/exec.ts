import { Cli, Option } from 'clipanion';
import { UsageError } from '../errors.js';
import { assertCode } from '../mfa/validate.js';
import { login } from '../session/login.js';
import { MfaEnvCommand } from './base.js';

/**
 * The options of `exec`. They live in a class of their own because the command itself takes
 * its arguments with Option.Proxy (every word, untouched), and parses only the words before
 * `--` with this class: a `--profile` meant for the child must never be taken by mfa-env.
 */
abstract class ExecOptions extends MfaEnvCommand {
  static override paths = [['exec']];

  profile = Option.String('--profile,-p', { description: 'profile in ~/.aws/config (default: $AWS_PROFILE, the current session\'s, then "default")' });
  duration = Option.String('--duration,-d', { description: 'session length for a new session: 3600, 90m, 12h, 1h30m (default 12h for sessions, 1h for roles)' });
  tokenCode = Option.String('--token-code,-t', { description: 'the 6-digit MFA code; `-` reads it from stdin (which the command then cannot read)' });
  force = Option.Boolean('--force,-f', false, { description: 'ignore the cached session and ask STS for a new one' });
  server = Option.Boolean('--server', false, { description: 'no static keys: the command\'s SDK fetches the session from a loopback endpoint (random token per run) that renews a role session before it ends' });
}

class ExecOptionsParser extends ExecOptions {
  async run(): Promise<number> {
    return 0;
  }
}

export class ExecCommand extends ExecOptions {
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

  commandLine = Option.Proxy({ name: '-- command' });

  async run(): Promise<number> {
    const separator = this.commandLine.indexOf('--');
    const ownWords = separator < 0 ? this.commandLine : this.commandLine.slice(0, separator);
    if (ownWords.includes('--help') || ownWords.includes('-h')) {
      // The same help clipanion prints for other commands (the proxy took `--help` from it); colour as the context allows.
      const options = { detailed: true, colored: this.context.colorDepth > 1 } as { detailed: boolean };
      this.context.stdout.write(this.cli.usage(ExecCommand, options));
      return 0;
    }
    const command = separator < 0 ? [] : this.commandLine.slice(separator + 1);
    if (separator < 0) {
      const first = firstCommandWord(ownWords);
      if (first !== undefined) {
        throw new UsageError(
          `exec needs \`--\` before the command (${first})`,
          `Everything after \`--\` belongs to the command, so its own options are never taken for mfa-env's: mfa-env exec [OPTIONS] -- ${first} …`,
        );
      }
    }
    const options = parseOwnOptions(ownWords);
    if (command.length === 0) {
      throw new UsageError('exec needs a command to run after `--`', 'For example: mfa-env exec --profile dev -- aws sts get-caller-identity');
    }

    const server = options.server ? (await import('../server/run.js')).credentialServerRun(this.context.env, (message) => this.say(message)) : undefined;
    const tokenCode = await this.readTokenCode(options.tokenCode);
    const result = await login({
      profile: options.profile,
      duration: options.duration,
      tokenCode,
      force: options.force,
      env: this.context.env,
      say: (message) => this.say(message),
    });

    const { childEnvironment, runChild } = await import('../exec/child.js');
    const outcome = server
      ? await server.run(result, { profile: options.profile, duration: options.duration }, (env) => runChild(command, env, this.context))
      : await runChild(command, childEnvironment(this.context.env, result.session), this.context);
    if (outcome.kind === 'exited') return outcome.exitCode;
    // The exit codes shells use for a command that is missing (127) or cannot be run (126).
    if (outcome.code === 'ENOENT') {
      this.say(`command not found: ${command[0]}`);
      return 127;
    }
    this.say(`cannot run ${command[0]} (${outcome.code})`);
    return 126;
  }

  private async readTokenCode(tokenCode: string | undefined): Promise<string | undefined> {
    if (tokenCode === undefined) return undefined;
    if (tokenCode === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of this.context.stdin) chunks.push(Buffer.from(chunk as Buffer));
      const code = Buffer.concat(chunks).toString('utf8').trim();
      assertCode(code, 'read from stdin for --token-code -');
      return code;
    }
    assertCode(tokenCode, '--token-code');
    this.say('note: a code given as --token-code is visible to other users in `ps` while mfa-env runs; `--token-code -` reads it from stdin instead.');
    return tokenCode;
  }
}

/** Parses mfa-env's own words (those before `--`) with clipanion, so errors read like every other command's. */
function parseOwnOptions(words: string[]): ExecOptions {
  const parser = new Cli({ binaryName: 'mfa-env' });
  parser.register(ExecOptionsParser);
  try {
    return parser.process(['exec', ...words]) as ExecOptions;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(`exec: ${message}`, 'See `mfa-env exec --help`.');
  }
}

const OPTIONS_WITH_VALUE = new Set(['--profile', '-p', '--duration', '-d', '--token-code', '-t']);

/** The first word that is neither an option nor an option's value: where the user's command starts. */
function firstCommandWord(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (OPTIONS_WITH_VALUE.has(word)) i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}
