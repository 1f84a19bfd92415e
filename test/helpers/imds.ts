/** A loopback EC2 instance metadata service (IMDSv2) that hands out one set of role credentials. */
import { createServer, type Server } from 'node:http';

export interface LoopbackServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Paths requested, in order (the test checks the SDK really came here). */
  requests: string[];
  stop(): Promise<void>;
}

export interface ServedKeys {
  accessKeyId: string;
  secretAccessKey: string;
  /** Optional: long-term keys from moto have none. */
  token?: string;
}

export function credentialsDocument(keys: ServedKeys): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({ Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey, Token: keys.token ?? '', Expiration: expiration });
}

export async function listen(server: Server, requests: string[]): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** IMDSv2: PUT /latest/api/token, then the role name, then its credentials (token checked). */
export async function startImds(keys: ServedKeys, roleName = 'instance-role'): Promise<LoopbackServer> {
  const requests: string[] = [];
  const token = 'imds-session-token';
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.method === 'PUT' && request.url === '/latest/api/token') return void response.end(token);
    if (request.headers['x-aws-ec2-metadata-token'] !== token) return void response.writeHead(401).end();
    const base = '/latest/meta-data/iam/security-credentials/';
    if (request.url === base) return void response.end(roleName);
    if (request.url === `${base}${roleName}`) return void response.end(credentialsDocument(keys));
    response.writeHead(404).end();
  });
  return listen(server, requests);
}
