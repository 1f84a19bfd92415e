import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * A loopback proxy in front of moto for calls signed with an MFA session.
 *
 * moto answers every GetSessionToken with the same example keys and rejects IAM calls signed
 * with them, so a `keys rotate` (IAM calls signed with the session) cannot pass against moto
 * alone. The proxy passes everything through untouched (moto checks the signatures), except:
 * GetSessionToken answers get a distinct session key each, remembered with the long-term key
 * that signed the request; a request signed with such a session key is signed again with that
 * long-term key, without the session token, so moto still checks the signature and IAM.
 */
export interface ResigningProxy {
  endpoint: string;
  /** The access key id that signed each GetSessionToken, in order. */
  sessionSigners: string[];
  /** Requests that arrived signed with a session key and were re-signed: their Action. */
  resigned: string[];
  stop(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 of a form POST, signing host, content-type and x-amz-date. */
function sign(headers: Record<string, string>, path: string, body: Buffer, scope: string[], keyId: string, secret: string): string {
  const [date, region, service] = scope as [string, string, string];
  const names = ['content-type', 'host', 'x-amz-date'];
  const canonical = ['POST', path.split('?')[0] || '/', path.split('?')[1] ?? '', ...names.map((name) => `${name}:${headers[name]!.trim()}`), '', names.join(';'), sha256(body)].join('\n');
  const credentialScope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', headers['x-amz-date']!, credentialScope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return `AWS4-HMAC-SHA256 Credential=${keyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
}

function credentialOf(headers: IncomingHttpHeaders): { keyId: string; scope: string[] } | undefined {
  const match = /Credential=([^/,\s]+)\/([^,\s]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  return match ? { keyId: match[1]!, scope: match[2]!.split('/') } : undefined;
}

function forward(target: URL, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: target.hostname, port: target.port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** `secretOf(keyId)`: the secret of a long-term key the test knows (undefined for others). */
export async function startResigningProxy(motoEndpoint: string, secretOf: (keyId: string) => string | undefined): Promise<ResigningProxy> {
  const target = new URL(motoEndpoint);
  const sessions = new Map<string, { keyId: string; secret: string }>();
  const sessionSigners: string[] = [];
  const resigned: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, String(value)])) as Record<string, string>;
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      const credential = credentialOf(incoming.headers);
      const signer = credential && sessions.get(credential.keyId);
      if (credential && signer) {
        delete headers['x-amz-security-token'];
        headers.authorization = sign(headers, incoming.url ?? '/', body, credential.scope, signer.keyId, signer.secret);
        resigned.push(action);
      }
      const answer = await forward(target, incoming.method ?? 'GET', incoming.url ?? '/', headers, body);
      let text = answer.body;
      if (action === 'GetSessionToken' && answer.status === 200 && credential) {
        const keyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
        sessions.set(keyId, { keyId: credential.keyId, secret: secretOf(credential.keyId) ?? '' });
        sessionSigners.push(credential.keyId);
        text = Buffer.from(text.toString('utf8').replace(/<AccessKeyId>[^<]*<\/AccessKeyId>/, `<AccessKeyId>${keyId}</AccessKeyId>`).replace(/<SecretAccessKey>[^<]*<\/SecretAccessKey>/, `<SecretAccessKey>${randomBytes(20).toString('base64').slice(0, 40)}</SecretAccessKey>`));
      }
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = answer.headers;
      outgoing.writeHead(answer.status, { ...rest, 'content-length': String(text.length) });
      outgoing.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, sessionSigners, resigned, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
