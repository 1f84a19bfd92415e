import { openInBrowser } from './browser.js';
import { federationOverride, federationUrl, getSigninToken, loginUrl } from './federation.js';
import { assertRegion, consoleHome, partitionOf } from './partition.js';
import { consoleSession, type ConsoleSession } from './session-source.js';

export interface ConsoleOptions {
  profile?: string;
  /** Print the URL instead of opening it. */
  print: boolean;
  env: NodeJS.ProcessEnv;
  say: (message: string) => void;
}

export interface ConsoleResult {
  url: string;
  session: ConsoleSession;
  /** The program that opened the URL; undefined with --print. */
  openedWith?: string;
}

/**
 * `mfa-env console`: the role session (the shell's, the cache's or a new login's) is exchanged
 * at its partition's federation endpoint for a sign-in token; the sign-in URL leads to the
 * console of the session's region, and is opened in the browser or returned for printing.
 */
export async function consoleSignIn(options: ConsoleOptions): Promise<ConsoleResult> {
  const override = federationOverride(options.env);
  const session = await consoleSession(options);
  assertRegion(session.region, `the region of profile "${session.profile}"`);
  const partition = partitionOf(session.region, session.identityArn);
  const endpoint = federationUrl(partition, override);
  const token = await getSigninToken(endpoint, session.credentials, options.env);
  const url = loginUrl(endpoint, token, consoleHome(partition, session.region));
  if (options.print) return { url, session };
  return { url, session, openedWith: await openInBrowser(url, options.env) };
}
