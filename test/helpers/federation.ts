import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One request the fake federation endpoint received. */
export interface FederationCall {
  method: string;
  /** The request target (path and query) exactly as sent: a secret in it would show here. */
  url: string;
  contentType: string | undefined;
  /** The form-encoded body, decoded. */
  form: URLSearchParams;
  /** The `Session` field parsed as JSON, when it is. */
  session?: { sessionId?: string; sessionKey?: string; sessionToken?: string };
}

/**
 * A loopback stand-in for https://signin.aws.amazon.com/federation: answers `getSigninToken` with
 * a fresh SigninToken (or `status` with an error page), and records every request.
 */
export interface FakeFederation {
  url: string;
  calls: FederationCall[];
  tokens: string[];
  /** Answer with this HTTP status and an HTML body instead of a token. */
  failWith?: number;
  close(): Promise<void>;
}

function parseSession(text: string | null): FederationCall['session'] {
  try {
    return text === null ? undefined : (JSON.parse(text) as FederationCall['session']);
  } catch {
    return undefined;
  }
}

export async function startFakeFederation(): Promise<FakeFederation> {
  const fake: FakeFederation = { url: '', calls: [], tokens: [], close: async () => {} };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    fake.calls.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], form, session: parseSession(form.get('Session')) });
    if (fake.failWith) {
      response.writeHead(fake.failWith, { 'content-type': 'text/html' });
      response.end('<html><body>Bad Request</body></html>');
      return;
    }
    const token = `fake-signin-token-${fake.tokens.length + 1}-${'x'.repeat(40)}`;
    fake.tokens.push(token);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ SigninToken: token }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/federation`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
