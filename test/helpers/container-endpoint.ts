/** A loopback container credentials endpoint (what ECS and EKS Pod Identity offer), token checked. */
import { createServer } from 'node:http';
import { credentialsDocument, listen, type LoopbackServer, type ServedKeys } from './imds.js';

export const CONTAINER_TOKEN = 'container-auth-token';

/** Serves `keys` at /creds to requests whose Authorization is CONTAINER_TOKEN; 403 otherwise. */
export async function startContainerEndpoint(keys: ServedKeys): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.headers.authorization !== CONTAINER_TOKEN) return void response.writeHead(403).end();
    if (request.url === '/creds') return void response.end(credentialsDocument(keys));
    response.writeHead(404).end();
  });
  return listen(server, requests);
}
