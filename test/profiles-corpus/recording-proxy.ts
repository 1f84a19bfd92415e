/**
 * A loopback HTTP proxy in front of moto that records every request it passes on: the query
 * parameters, the access key and region of its SigV4 signature, and the access key the answer
 * handed out. Headers (Host included) go through untouched, so moto checks the signatures the
 * clients made. Used by the corpus's end-to-end runs and the flag and duration tests.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';

export interface ProxiedCall {
  action: string | null;
  params: URLSearchParams;
  /** From `Credential=KEY/DATE/REGION/…` of the Authorization header. */
  signedWith: string | null;
  region: string | null;
  /** AccessKeyId in the answer (AssumeRole, GetSessionToken). */
  returned: string | null;
  status: number;
}

export interface RecordingProxy {
  url: string;
  calls: ProxiedCall[];
  stop(): Promise<void>;
}

function signature(headers: IncomingHttpHeaders): { signedWith: string | null; region: string | null } {
  const match = /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  return { signedWith: match?.[1] ?? null, region: match?.[2] ?? null };
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const calls: ProxiedCall[] = [];
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(answerChunks);
            const returned = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text.toString('utf8'))?.[1] ?? null;
            calls.push({ action: params.get('Action'), params, ...signature(incoming.headers), returned, status: answer.statusCode ?? 0 });
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(text);
          });
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
