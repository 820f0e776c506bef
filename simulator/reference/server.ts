import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import type { CertMaterial, Kit } from '../keys/types.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';

/** Request bodies larger than this get 413 and are not buffered further. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * After a 413 the rest of the body is read and thrown away, up to this many bytes in all, so
 * the client sees the 413 instead of a connection reset; past it the socket is destroyed.
 */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** What {@link serveOption} needs: the option whose TLS to present, and any Node request listener. */
export interface ServeOptions {
  option: SecurityOptionNumber;
  /** The certificates come from here (see {@link certFor}). */
  kit: Kit;
  listener: RequestListener;
  /** Present this certificate instead of the option's own (an expired one, an unpinned one, ...). */
  cert?: CertMaterial;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Only shapes the returned URL (routing is the listener's); e.g. `/fireblocks/cb`. */
  basePath?: string;
  /** Option 1 only: serve plain http, which the setup docs allow for development [protocol.md §2]. */
  plainHttp?: boolean;
}

/** A listening server for one option. */
export interface ServedOption {
  /** Scheme, host, port and basePath, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly option: SecurityOptionNumber;
  /** How many requests arrived so far (any path, any method). */
  readonly requests: number;
  /** Stop listening and close every connection, idle keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

/**
 * The certificate a handler presents for an option: 2 and 4 serve `kit.pinned`; 1, 3 and 5 serve
 * `kit.leaf` under `kit.rootCa` (for option 1 it stands in for a public-CA certificate)
 * [protocol.md §2].
 *
 * @example
 * certFor(4, kit) === kit.pinned; // true
 */
export function certFor(option: SecurityOptionNumber, kit: Kit): CertMaterial {
  return SECURITY_OPTIONS[option].tls === 'pinned' ? kit.pinned : kit.leaf;
}

/**
 * Serve any request listener over an option's TLS (or plain http for option 1 when asked), on
 * 127.0.0.1 and an ephemeral port by default. The listener sees raw requests; {@link readBody}
 * gives it the body with the size limit every handler here keeps.
 *
 * @example
 * const served = await serveOption({ option: 4, kit, listener: (_req, res) => res.end('hi') });
 * served.url; // 'https://127.0.0.1:40123'
 * await served.close();
 */
export async function serveOption(o: ServeOptions): Promise<ServedOption> {
  const { option } = o;
  if (!(option in SECURITY_OPTIONS)) {
    throw new InvalidArgumentError(`serveOption: option must be 1..5 (got ${JSON.stringify(option)})`);
  }
  if (o.plainHttp && option !== 1) {
    throw new InvalidArgumentError(`plainHttp is allowed for option 1 only (got option ${option})`, {
      hint: `options 2-5 authenticate the handler at the TLS layer, so they need https [protocol.md §2]`,
    });
  }
  let requests = 0;
  const listener: RequestListener = (req, res) => {
    requests++;
    o.listener(req, res);
  };
  const useHttp = o.plainHttp === true;
  let server: Server;
  if (useHttp) {
    server = createHttpServer(listener);
  } else {
    const cert = o.cert ?? certFor(option, o.kit);
    server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, listener);
  }

  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${useHttp ? 'http' : 'https'}://${urlHost(host)}:${port}${normalizeBasePath(o.basePath ?? '')}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    option,
    get requests() {
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for kept-alive sockets to time out
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * `''`, or the path with one leading slash and no trailing one.
 *
 * @example
 * normalizeBasePath('fireblocks/cb/'); // '/fireblocks/cb'
 */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Read the whole body as UTF-8 text whatever its Content-Type: the real Co-signer's is not
 * documented, and handlers should not depend on it [protocol.md §1, §13.1]. Over
 * MAX_REQUEST_BYTES: answer 413 and return undefined.
 *
 * @example
 * const body = await readBody(req, res);
 * if (body === undefined) return; // 413 already sent
 */
export function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) {
    tooLarge(req, res, 0);
    return Promise.resolve(undefined);
  }
  // Events, not `for await`: leaving an async iterator early destroys the request, and with it
  // the socket, before the 413 is written.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        cleanup();
        tooLarge(req, res, size);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse, alreadyRead: number): void {
  let drained = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
  res.setHeader('Connection', 'close');
  sendError(res, 413, `request body exceeds ${MAX_REQUEST_BYTES} bytes`);
}

/**
 * Answer `{"error": message}` with this status; when the headers are already out, destroy the
 * response instead (the client then sees a broken answer, which is the truth).
 *
 * @example
 * sendError(res, 404, 'no route for /x');
 */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
