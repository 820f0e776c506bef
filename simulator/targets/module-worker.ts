/**
 * The worker thread of a module target (module.ts): imports the user's module, calls its
 * `createHandler(kit)`, and serves what it returns over the option's real TLS on 127.0.0.1
 * (reference/server.ts, the same shell the reference handler uses). Running the handler here, off
 * the main thread, is what keeps a busy or crashing handler from stalling the simulator's own
 * deadline: the client in the main thread times out on its own clock.
 *
 * It runs as plain JavaScript (the compiled file in dist/), since a worker thread is not under
 * any test runner's TypeScript transform. Messages: see WorkerRequest / WorkerReply in module.ts.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { readKit } from '../keys/kit.js';
import { kitCosigners } from '../keys/types.js';
import { ENDPOINTS } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import { certFor, readBody, sendError, serveOption } from '../reference/server.js';
import { createUpstreamInterceptor, type UpstreamInterceptor, type UpstreamMock } from './upstream.js';

/** What module.ts starts the worker with. */
export interface ModuleWorkerData {
  modulePath: string;
  option: SecurityOptionNumber;
  kitDir: string;
  port: number;
}

/** Main thread to worker. */
export type WorkerRequest = { type: 'begin'; id: number; mocks: UpstreamMock[] } | { type: 'end'; id: number } | { type: 'ping'; id: number };

/** Worker to main thread. */
export type WorkerReply =
  | { type: 'ready'; port: number }
  | { type: 'fatal'; message: string; hint: string }
  | { type: 'ack'; id: number; report?: import('./upstream.js').UpstreamReport; error?: { message: string; hint: string } };

/** Thrown at start-up with the words the main thread puts in its TargetStartError. */
class StartProblem extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

const data = workerData as ModuleWorkerData;
const port = parentPort!;

/** The argument of `createHandler`, built from the kit folder (the handler gets only its side of the kit). */
function handlerKit(d: ModuleWorkerData) {
  const kit = readKit(d.kitDir);
  const cert = certFor(d.option, kit);
  const prefix = SECURITY_OPTIONS[d.option].pathPrefix;
  const [tx, config] = ENDPOINTS.map((e) => `${prefix}/${e}`);
  return {
    option: d.option,
    paths: { tx: tx!, config: config! },
    // Every Co-signer's key: in high availability each signs with its own [protocol.md §14.2].
    cosignerPublicKeys: kitCosigners(kit).map((c) => createPublicKey(c.publicKeyPem)),
    handlerPrivateKey: createPrivateKey(kit.handler.privateKeyPem),
    pem: { cosignerPublicKeys: kitCosigners(kit).map((c) => c.publicKeyPem), handlerPrivateKey: kit.handler.privateKeyPem, tlsCert: cert.certPem, tlsKey: cert.keyPem },
    kitDir: d.kitDir,
  };
}

/** What a value is, in a sentence: `a function of 0 parameters`, `an object with keys a, b`, `undefined`. */
function describeExport(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function of ${value.length} parameter${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (typeof (value as { then?: unknown }).then === 'function') return 'a promise';
    return keys.length === 0 ? 'an object with no keys' : `an object with keys ${keys.slice(0, 8).join(', ')}`;
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * A Node listener from what createHandler returned: a function of two or more parameters or an
 * Express/Connect app (a function with `handle` and `use`) is one already; a one-parameter
 * function or an object with `fetch` (Hono and the like) is fetch-style and adapted.
 */
function classify(made: unknown, file: string): RequestListener {
  if (typeof made === 'function') {
    const fn = made as ((...args: unknown[]) => unknown) & { handle?: unknown; use?: unknown };
    if (fn.length >= 2 || (typeof fn.handle === 'function' && typeof fn.use === 'function')) return fn as RequestListener;
    if (fn.length === 1) return fetchListener(fn as FetchHandler);
  } else if (made !== null && typeof made === 'object' && typeof (made as { fetch?: unknown }).fetch === 'function') {
    const obj = made as { fetch: FetchHandler };
    return fetchListener((r) => obj.fetch(r));
  }
  throw new StartProblem(
    `${file}: createHandler(kit) returned ${describeExport(made)}, which is neither a Node request listener nor a fetch handler`,
    'return (req, res) => { ... } or an Express/Connect app (a Node listener), or (request) => Response or an object with fetch(request) (fetch-style, e.g. a Hono app); a function with default or rest parameters counts its leading ones only, so write them out',
  );
}

/** Serve a fetch-style handler from a Node listener: the request as a Fetch `Request`, its `Response` written back. */
function fetchListener(handler: FetchHandler): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req, res);
      if (body === undefined) return; // 413 already sent
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const method = req.method ?? 'GET';
      const request = new Request(`https://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
      const response = await handler(request);
      if (!(response instanceof Response)) throw new Error(`the fetch handler returned ${describeExport(response)}, not a Response`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((v, k) => (out[k] = k in out ? [...([] as string[]).concat(out[k]!), v] : v));
      out['content-length'] = String(bytes.length);
      res.writeHead(response.status, out);
      res.end(bytes);
    })().catch((error: unknown) => {
      // The handler's own failure: logged (the target's logs() shows it) and answered 500, as a server would.
      console.error(error);
      sendError(res, 500, error instanceof Error ? error.message : String(error));
    });
  };
}

async function loadHandler(d: ModuleWorkerData): Promise<RequestListener> {
  const file = d.modulePath;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new StartProblem(`${file}: importing the module failed: ${(e as Error)?.stack ?? String(e)}`, 'run `node ' + file + '` to see the error; a .ts module needs tsx in your project (npm i -D tsx)');
  }
  const create = mod.createHandler ?? (mod.default as Record<string, unknown> | undefined)?.createHandler;
  if (typeof create !== 'function') {
    const names = Object.keys(mod);
    throw new StartProblem(
      `${file}: the module has no createHandler export (it exports ${names.length === 0 ? 'nothing' : names.join(', ')})`,
      'add `export function createHandler(kit) { return (req, res) => { ... } }` (or return a fetch handler); see README#your-handler-as-a-module---handler',
    );
  }
  let made: unknown;
  try {
    made = await (create as (kit: unknown) => unknown)(handlerKit(d));
  } catch (e) {
    throw new StartProblem(`${file}: createHandler(kit) threw: ${(e as Error)?.stack ?? String(e)}`, 'fix the error above; createHandler gets { option, paths, cosignerPublicKeys, handlerPrivateKey, pem, kitDir } (README#your-handler-as-a-module---handler)');
  }
  return classify(made, file);
}

let interceptor: UpstreamInterceptor | undefined;

async function onMessage(m: WorkerRequest): Promise<WorkerReply> {
  if (m.type === 'ping') return { type: 'ack', id: m.id };
  if (m.type === 'begin') {
    try {
      if (!interceptor) {
        const [msw, mswNode] = await Promise.all([import('msw' as string), import('msw/node' as string)]);
        interceptor = createUpstreamInterceptor(msw as never, mswNode as never);
      }
    } catch (e) {
      return { type: 'ack', id: m.id, error: { message: `upstream: mocks need the package "msw", which failed to load in the handler's worker: ${(e as Error)?.message ?? String(e)}`, hint: 'npm i -D msw' } };
    }
    interceptor.begin(m.mocks);
    return { type: 'ack', id: m.id };
  }
  return { type: 'ack', id: m.id, report: interceptor?.end() ?? { calls: [], used: [] } };
}

async function main(): Promise<void> {
  let listener: RequestListener;
  try {
    listener = await loadHandler(data);
  } catch (e) {
    const p = e instanceof StartProblem ? e : new StartProblem(String((e as Error)?.stack ?? e), 'see the error above');
    port.postMessage({ type: 'fatal', message: p.message, hint: p.hint } satisfies WorkerReply);
    return;
  }
  port.on('message', (m: WorkerRequest) => {
    void onMessage(m).then((reply) => port.postMessage(reply));
  });
  const kit = readKit(data.kitDir);
  // The port the main thread chose: after a restart the new worker serves the same URL. The old
  // worker's socket is closed when its thread ends, so a short retry covers the gap.
  for (let attempt = 0; ; attempt++) {
    try {
      const served = await serveOption({ option: data.option, kit, listener, host: '127.0.0.1', port: data.port });
      port.postMessage({ type: 'ready', port: served.port } satisfies WorkerReply);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) {
        port.postMessage({ type: 'fatal', message: `cannot listen on 127.0.0.1:${data.port}: ${(e as Error).message}`, hint: 'another process holds the port; run again' } satisfies WorkerReply);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

void main();
