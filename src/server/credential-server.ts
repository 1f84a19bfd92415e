/**
 * A loopback endpoint in the format of the SDKs' container credential provider (botocore's
 * ContainerProvider, the JS SDK's fromHttp): `GET <url>` with `Authorization: <token>` answers
 * `{AccessKeyId, SecretAccessKey, Token, Expiration}`. The token is random per run and compared
 * in constant time; a request without it gets 403 and no secret.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timeLeftMs, type Session } from '../session/session.js';
import { keepSession, type RenewalOptions } from './renewal.js';

export interface CredentialServerOptions extends RenewalOptions {
  /** The session to serve first; renewals replace it. */
  session: Session;
}

export interface CredentialServer {
  /** `http://127.0.0.1:PORT/PATH`: plain http, which the SDKs accept for loopback hosts only. */
  url: string;
  /** The value the client must send as its Authorization header. */
  token: string;
  /** The session served now (after any renewal). */
  current(): Session;
  close(): Promise<void>;
}

const CREDENTIALS_PATH = '/mfa-env/credentials';

/** Starts the endpoint on 127.0.0.1 with a port the system picks. */
export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  const token = randomBytes(32).toString('base64url');
  const keeper = keepSession(options.session, options);
  const server = createServer((request, response) => answer(request, response, token, keeper.current()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    token,
    current: () => keeper.current(),
    close() {
      keeper.stop();
      return new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of the SDKs' agents would hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

/** The environment that points a child's SDK at the server. */
export function serverEnvironment(server: Pick<CredentialServer, 'url' | 'token'>): Record<string, string> {
  return { AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: server.token };
}

function answer(request: IncomingMessage, response: ServerResponse, token: string, session: Session): void {
  const path = (request.url ?? '').split('?')[0];
  if (path !== CREDENTIALS_PATH) return reply(response, 404, { message: 'not found' });
  if (request.method !== 'GET') return reply(response, 405, { message: 'only GET' }, { Allow: 'GET' });
  if (!sameToken(request.headers.authorization, token)) {
    return reply(response, 403, { message: 'the Authorization header does not hold this run\'s AWS_CONTAINER_AUTHORIZATION_TOKEN' });
  }
  // botocore shows the body of a non-200 answer in its error: it says what to do.
  if (timeLeftMs(session) <= 0) {
    return reply(response, 503, { message: `the session of profile "${session.profile}" has expired; run mfa-env login --profile ${session.profile} and start the command again` });
  }
  reply(response, 200, {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    Token: session.sessionToken,
    Expiration: new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameToken(sent: string | undefined, token: string): boolean {
  if (sent === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(token));
}

function reply(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // no-store: credentials are never kept by a proxy or cache on the way.
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
