import { afterAll, beforeAll, beforeEach } from 'vitest';
import { makeSandbox, type Sandbox } from './sandbox.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A loopback HTTP server that answers like STS: real success and error XML, so the SDK's own
 * parsing runs. moto cannot check MFA codes or fail on demand; this can. It counts calls.
 */
export interface StsCall {
  action: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type StsAnswer =
  | { kind: 'credentials'; expiration?: Date; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; assumedRoleArn?: string }
  | { kind: 'error'; status: number; code: string; message: string; type?: 'Sender' | 'Receiver' }
  | { kind: 'identity'; arn: string; account?: string }
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  /** Drop the connection without an answer (the client sees ECONNRESET / socket hang up). */
  | { kind: 'reset' };

export interface FakeSts {
  endpoint: string;
  calls: StsCall[];
  /** Decides the answer for each call; default: credentials valid for the requested duration. */
  answer: (call: StsCall) => StsAnswer | Promise<StsAnswer>;
  /** Extra headers on every answer (e.g. a skewed Date). */
  headers: Record<string, string>;
  close(): Promise<void>;
}

export function errorXml(code: string, message: string, type = 'Sender'): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>${type}</Type>
    <Code>${code}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

let counter = 0;

function credentialsXml(action: string, call: StsCall, answer: Extract<StsAnswer, { kind: 'credentials' }>): string {
  counter += 1;
  const duration = Number(call.params.get('DurationSeconds') ?? (action === 'AssumeRole' ? 3600 : 43200));
  const expiration = answer.expiration ?? new Date(Date.now() + duration * 1000);
  const creds = `<Credentials>
      <AccessKeyId>${answer.accessKeyId ?? `ASIAFAKE${String(counter).padStart(12, '0')}`}</AccessKeyId>
      <SecretAccessKey>${answer.secretAccessKey ?? `fakeSecret${counter}/abcdefghijklmnopqrstuvwxyz0123`}</SecretAccessKey>
      <SessionToken>${escapeXml(answer.sessionToken ?? `FwoGZXIvYXdzEFAKE${counter}TOKEN//////////wEaDFAKE`)}</SessionToken>
      <Expiration>${expiration.toISOString()}</Expiration>
    </Credentials>`;
  const role = action === 'AssumeRole'
    ? `<AssumedRoleUser><Arn>${answer.assumedRoleArn ?? `arn:aws:sts::123456789012:assumed-role/admin/${call.params.get('RoleSessionName')}`}</Arn><AssumedRoleId>AROAFAKE:${call.params.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>`
    : '';
  return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    ${creds}
    ${role}
  </${action}Result>
  <ResponseMetadata><RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId></ResponseMetadata>
</${action}Response>`;
}

export async function startFakeSts(answer?: FakeSts['answer']): Promise<FakeSts> {
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeSts = {
    endpoint: '',
    calls: [],
    answer: answer ?? (() => ({ kind: 'credentials' })),
    headers: {},
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const call: StsCall = { action: params.get('Action') ?? '', params, headers: request.headers };
    fake.calls.push(call);
    const reply = await fake.answer(call);
    if (reply.kind === 'hang') return; // never answer: the client must time out
    if (reply.kind === 'reset') {
      request.socket.resetAndDestroy();
      return;
    }
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'text/xml', ...fake.headers, ...headers });
      response.end(body);
    };
    if (reply.kind === 'error') send(reply.status, errorXml(reply.code, reply.message, reply.type));
    else if (reply.kind === 'raw') send(reply.status, reply.body, reply.headers);
    else if (reply.kind === 'identity') {
      send(200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${reply.arn}</Arn><UserId>AIDAFAKE</UserId><Account>${reply.account ?? '123456789012'}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    } else send(200, credentialsXml(call.action, call, reply));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  fake.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return fake;
}

/**
 * Registers the hooks of a suite that runs against one loopback STS: the server for the whole
 * file, and before each test a fresh sandbox holding `files`, an empty call log and the default
 * answer (credentials). Read `sts` and `sandbox` from the returned object inside the tests.
 */
export function useFakeStsSandbox(files: { credentials: string; config: string }): { readonly sts: FakeSts; readonly sandbox: Sandbox } {
  let sts: FakeSts;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sts = await startFakeSts();
  });
  afterAll(async () => {
    await sts?.close();
    sandbox?.cleanup();
  });
  beforeEach(() => {
    sandbox?.cleanup();
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint });
    sandbox.writeCredentials(files.credentials);
    sandbox.writeConfig(files.config);
    sts.calls.length = 0;
    sts.answer = () => ({ kind: 'credentials' });
  });
  return {
    get sts() {
      return sts;
    },
    get sandbox() {
      return sandbox!;
    },
  };
}

/**
 * Like useFakeStsSandbox, but one sandbox for the whole suite, made once from `files`: for
 * suites whose tests change nothing in it, or share what a later beforeAll put there (e.g. a
 * cached session). The call log is emptied before each test.
 */
export function useSharedFakeStsSandbox(files: { credentials: string; config: string }): { readonly sts: FakeSts; readonly sandbox: Sandbox } {
  let sts: FakeSts | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sts = await startFakeSts();
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint });
    sandbox.writeCredentials(files.credentials);
    sandbox.writeConfig(files.config);
  });
  afterAll(async () => {
    await sts?.close();
    sandbox?.cleanup();
  });
  beforeEach(() => {
    if (sts) sts.calls.length = 0;
  });
  return {
    get sts() {
      return sts!;
    },
    get sandbox() {
      return sandbox!;
    },
  };
}
