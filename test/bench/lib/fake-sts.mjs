/**
 * A loopback STS for the bench (the .mjs twin of test/helpers/fake-sts.ts, success answers
 * only): GetSessionToken and AssumeRole in real STS XML, so the SDKs parse them as usual, and
 * a count of the calls. It runs in a process of its own, because the bench times commands with
 * spawnSync, which blocks this process's event loop.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

function serve() {
  const calls = [];
  let serial = 0;
  const server = createServer(async (request, response) => {
    if (request.method === 'GET' && request.url === '/calls') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(calls));
      return;
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = params.get('Action') ?? '';
    calls.push(action);
    serial += 1;
    const seconds = Number(params.get('DurationSeconds') ?? (action === 'AssumeRole' ? 3600 : 43200));
    const expiration = new Date(Date.now() + seconds * 1000).toISOString();
    const credentials = `<Credentials><AccessKeyId>ASIABENCH${String(serial).padStart(11, '0')}</AccessKeyId><SecretAccessKey>benchSecret${serial}/abcdefghijklmnopqrstuvwxyz</SecretAccessKey><SessionToken>FwoGZXIvYXdzEBENCH${serial}TOKEN</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
    const role = action === 'AssumeRole'
      ? `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/bench/${params.get('RoleSessionName')}</Arn><AssumedRoleId>AROABENCH:${params.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>`
      : '';
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(`<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${credentials}${role}</${action}Result><ResponseMetadata><RequestId>bench-${serial}</RequestId></ResponseMetadata></${action}Response>`);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

/** Starts the server process; `calls()` lists the actions it has answered, in order. */
export async function startFakeSts() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake STS exited at start (${code})`)));
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    calls: async () => (await fetch(`${endpoint}/calls`)).json(),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[2] === '--serve') serve();
