import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { buildConnector, Dispatcher } from 'undici';
import { InvalidArgumentError } from '../errors.js';
import type { ConnectionInfo, PeerCertificateInfo, Timings, TransportFailure } from '../protocol/types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { explainKitRootCa, explainTlsError, isTlsErrorCode } from '../tls/explain.js';
import { chainsTo, pinnedFingerprintOf, untrustedKitRootOf, watchPeerFingerprint } from '../tls/trust.js';
import { lazy } from '../lib/lazy.js';

export interface ExchangeInput {
  url: string;
  option: SecurityOptionNumber;
  headers: Record<string, string>;
  body: string;
  /** `tls.connect` options for https URLs; ignored for http. */
  tls: ConnectionOptions;
  /** The whole exchange (connect, TLS, headers, body) must finish within this many ms. */
  timeoutMs: number;
  /** Read at most this many body bytes; past it the body is abandoned. */
  maxBodyBytes: number;
  /** Default `POST`, the Co-signer's only method; the conformance battery probes others (wrong-method). */
  method?: 'POST' | 'GET';
  /** An HTTP proxy URL (`http://[user:pass@]host:port`): the connection is a CONNECT tunnel through it. */
  proxy?: string;
  /** NO_PROXY-style list of hosts reached directly even with `proxy`. */
  noProxy?: string;
  /**
   * Kept-alive connections to ride (`--reuse-connections`); without it every exchange opens its
   * own connection and handshake. See {@link ConnectionPool}.
   */
  pool?: ConnectionPool;
  /** A name for the exchange (its requestId): a pooled connection it opens is remembered as opened by it. */
  label?: string;
}

export interface ExchangeOutput {
  status?: number;
  headers?: Record<string, string>;
  body: string;
  bodyBytes: number;
  truncated: boolean;
  complete: boolean;
  timings: Timings;
  peerCertificate?: PeerCertificateInfo;
  failure?: TransportFailure;
  /** With `pool`: the connection the exchange went over. */
  connection?: ConnectionInfo;
}

/**
 * undici, loaded on the first exchange rather than with the package: importing `cosigner-sim`
 * for its checks, types or matchers must stay cheap, and undici is most of the client's load
 * time. Memoised, so every later exchange reuses the same module.
 */
const loadUndici = lazy(() => import('undici'));

/**
 * The reason handed to agent.destroy() when an exchange is over. Given none, undici makes a
 * ClientDestroyedError per call and Node's stream destroy then formats its stack: 0.2 ms of
 * client CPU a request in the bench's profile of the 1 000-scenario run (1.6 % of its samples).
 * One shared error, never reported: the exchange already has its outcome when it is used.
 */
const EXCHANGE_OVER = new Error('cosigner-sim: the exchange is over, its connection is closed');

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function errorCode(error: unknown): string | undefined {
  // undici wraps socket errors; the Node code (ECONNRESET, CERT_HAS_EXPIRED...) is on the cause.
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT' && code !== 'UND_ERR_SOCKET') return code;
    e = (e as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function connectHint(code: string | undefined, url: string): string {
  if (code === 'ECONNREFUSED') return `nothing listens at ${new URL(url).host}: is the handler running, and on this port?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${new URL(url).hostname} does not resolve`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'the handler closed the connection: look for a crash or an exception in its log';
  return 'check that the handler is reachable at this URL';
}

/**
 * True when `host:port` is reached without the proxy: NO_PROXY's usual syntax, comma or space
 * separated: `*` (every host), a name or IP (`127.0.0.1`, `localhost`), a domain suffix
 * (`.internal` or `*.internal`, which also match `internal` itself), each optionally `:port`.
 *
 * @example
 * bypassesProxy('api.internal', 443, 'localhost,.internal') // true
 */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry.startsWith('[') ? entry.replace(/^\[(.*)\](:\d+)?$/, '$1$2') : entry);
    if (portMatch?.[2] !== undefined && Number(portMatch[2]) !== port) continue;
    entry = portMatch?.[1] ?? entry;
    const suffix = entry.replace(/^\*?\./, '');
    if (h === entry || h === suffix || (entry !== suffix && h.endsWith(`.${suffix}`)) || (entry.startsWith('.') && h.endsWith(entry))) return true;
  }
  return false;
}

/** A proxy failure: a connect-check failure with its own words (the handler was never reached). */
class ProxyError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Open a CONNECT tunnel to `host:port` through an HTTP proxy and hand back the raw socket, for
 * the TLS to the handler to run inside it. Written here rather than with undici's ProxyAgent:
 * ProxyAgent does the inner TLS itself, which would hide the served certificate and its timings
 * from the `tls` check; here the same tls.connect as without a proxy runs over the tunnel.
 */
function openTunnel(proxy: URL, host: string, port: number, onError: (e: Error) => void, onOpen: (socket: Socket) => void): Socket {
  const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const socket = netConnect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) });
  const auth = proxy.username !== '' ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n` : '';
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > 16 * 1024) fail(new ProxyError(`the proxy ${proxy.host} sent an oversized answer to CONNECT ${target}`, 'PROXY_BAD_ANSWER'));
      return;
    }
    socket.off('data', onData);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'));
    if (status?.[1] !== '200') {
      fail(new ProxyError(`the proxy ${proxy.host} answered ${status ? `HTTP ${status[1]}` : 'something that is not HTTP'} to CONNECT ${target}`, 'PROXY_REFUSED'));
      return;
    }
    // Bytes after the header belong to the tunnel (a server speaking first); put them back.
    const rest = head.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    socket.off('error', fail);
    onOpen(socket);
  };
  function fail(e: Error): void {
    socket.destroy();
    const code = (e as NodeJS.ErrnoException).code;
    onError(e instanceof ProxyError ? e : new ProxyError(`could not reach the proxy ${proxy.host} (${code ?? e.message})`, code ?? 'PROXY_UNREACHABLE'));
  }
  socket.on('error', fail);
  socket.once('connect', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`));
  socket.on('data', onData);
  return socket;
}

/**
 * What one exchange's connection attempt saw: the connector writes it while it connects, the
 * exchange reads it to explain a failure and to report timings and the certificate.
 */
interface Attempt {
  /** ms since the exchange started. */
  since(): number;
  timings: Timings;
  /** The exchange's `label` (its requestId): a pooled connection it opens remembers it. */
  label: string;
  peerCertificate?: PeerCertificateInfo;
  handshakeError?: unknown;
  // Read before verification, so a pin mismatch can name the certificate that was served.
  servedFingerprint?: string;
  served?: PeerCertificate;
  proxyFailure?: Error;
  // The tunnel's socket before undici owns it: a deadline while CONNECT is pending must not leak it.
  tunnelSocket?: Socket;
  /** True when this exchange opened its connection (a connect and handshake ran during it). */
  opened?: boolean;
}

function newAttempt(label: string): Attempt {
  const start = performance.now();
  return { since: () => Math.round((performance.now() - start) * 100) / 100, timings: { totalMs: 0 }, label };
}

/**
 * The connector undici calls for every new connection: TCP (or a CONNECT tunnel), then
 * `tls.connect` with the option's trust settings, so a pin or Root CA is verified on each new
 * connection. It records into the attempt `current()` names when it runs: a pooled connection
 * serves one exchange after another, and a reconnect belongs to whichever is using it then.
 */
function createConnector(input: Pick<ExchangeInput, 'tls' | 'proxy' | 'noProxy'>, current: () => Attempt, onOpen?: (attempt: Attempt) => void): buildConnector.connector {
  return (opts, callback) => {
    const a = current();
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    let settled = false;
    const settle = (error: Error | null, socket: Socket | null) => {
      if (settled) return;
      settled = true;
      if (error) callback(error, null);
      else {
        a.opened = true;
        onOpen?.(a);
        callback(null, socket as Socket);
      }
    };
    const startTls = (tunnel?: Socket): TLSSocket => {
      const identityCheck = input.tls.checkServerIdentity ?? checkServerIdentity;
      const tlsSocket = tlsConnect({
        ...input.tls,
        // The certificate Node reads for its identity check, kept: with onlyUnverified below, the
        // watcher then reads it only for a chain that failed (one read per handshake, not two).
        checkServerIdentity: (hostname, cert) => {
          a.servedFingerprint = cert.fingerprint256;
          a.served = cert;
          return identityCheck(hostname, cert);
        },
        host,
        port,
        ...(tunnel ? { socket: tunnel } : {}),
        // SNI carries names only, never IP addresses (RFC 6066 §3).
        ...(isIP(host) ? {} : { servername: host }),
      });
      watchPeerFingerprint(
        tlsSocket,
        (fingerprint, certificate) => {
          a.servedFingerprint = fingerprint;
          a.served = certificate;
        },
        { onlyUnverified: true },
      );
      tlsSocket.once('secureConnect', () => {
        a.timings.tlsMs = a.since();
        // The one read the watcher made: getPeerCertificate builds the whole object on each call.
        const cert = a.served ?? tlsSocket.getPeerCertificate();
        if (cert && cert.fingerprint256) {
          a.peerCertificate = {
            subject: Object.entries(cert.subject ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', '),
            issuer: Object.entries(cert.issuer ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', '),
            validFrom: cert.valid_from,
            validTo: cert.valid_to,
            fingerprint256: cert.fingerprint256,
            ...(cert.subjectaltname ? { subjectAltName: cert.subjectaltname } : {}),
            protocol: tlsSocket.getProtocol() ?? undefined,
          } as PeerCertificateInfo;
        }
        settle(null, tlsSocket);
      });
      return tlsSocket;
    };
    const watch = (socket: Socket): void => {
      socket.once('error', (error) => {
        if (!settled) a.handshakeError = error;
        settle(error, null);
      });
    };
    const proxy = input.proxy !== undefined && !bypassesProxy(host, port, input.noProxy) ? new URL(input.proxy) : undefined;
    if (proxy) {
      // connectMs is the tunnel being open: the TCP connection the handler sees is the proxy's.
      a.tunnelSocket = openTunnel(
        proxy,
        host,
        port,
        (error) => {
          a.proxyFailure = error;
          a.handshakeError = error;
          settle(error, null);
        },
        (tunnel) => {
          a.timings.connectMs = a.since();
          if (opts.protocol === 'https:') watch(startTls(tunnel));
          else {
            watch(tunnel);
            settle(null, tunnel);
          }
        },
      );
      return;
    }
    let socket: Socket | TLSSocket;
    if (opts.protocol === 'https:') {
      socket = startTls();
    } else {
      socket = netConnect({ host, port });
      socket.once('connect', () => settle(null, socket));
    }
    socket.once('connect', () => {
      a.timings.connectMs = a.since();
    });
    watch(socket);
  };
}

/** One pooled connection: an undici Client (one socket, one request at a time) and what its socket's handshake saw. */
interface PoolSlot {
  readonly origin: string;
  readonly client: Dispatcher;
  /** The exchange using the slot now; a reconnect records into it. */
  attempt: Attempt | undefined;
  /** The connection the client's socket is; replaced when undici opens a new one (the handler closed the old). */
  connection: { id: number; certificate?: PeerCertificateInfo; openedBy: string } | undefined;
}

/**
 * Kept-alive connections shared by the exchanges that are given it (`--reuse-connections`): a
 * request takes an idle connection to its origin, or opens a new one (a full TCP connect and TLS
 * handshake, verified like any other), and hands it back when its answer was read to the end.
 * One request per connection at a time (no pipelining), so each result knows its connection.
 * A pool serves one Co-signer: every connection is opened with the same trust settings.
 *
 * @example
 * const pool = createConnectionPool();
 * await exchange({ ...input, pool, label: requestId }); // out.connection: { id: 1, reused: false, openedBy: requestId }
 * await pool.close();
 */
export class ConnectionPool {
  readonly #idle = new Map<string, PoolSlot[]>();
  readonly #all = new Set<PoolSlot>();
  #opened = 0;
  #closed = false;

  /** Connections opened so far: each one TCP connect and one TLS handshake. */
  get opened(): number {
    return this.#opened;
  }

  /** @internal An idle connection to `origin`, or a new slot made by `make` (its connector calls `opened`). */
  take(origin: string, make: (slot: PoolSlot) => Dispatcher): PoolSlot {
    if (this.#closed) throw new InvalidArgumentError('the connection pool is closed: the Co-signer was closed', { hint: 'create a new Co-signer to send again' });
    const idle = this.#idle.get(origin)?.pop();
    if (idle) return idle;
    const slot = { origin, attempt: undefined, connection: undefined } as unknown as { -readonly [K in keyof PoolSlot]: PoolSlot[K] };
    slot.client = make(slot);
    this.#all.add(slot);
    return slot;
  }

  /** @internal A new connection opened on `slot` by the attempt using it. */
  noteOpened(slot: PoolSlot, attempt: Attempt): void {
    this.#opened++;
    slot.connection = { id: this.#opened, ...(attempt.peerCertificate ? { certificate: attempt.peerCertificate } : {}), openedBy: attempt.label };
  }

  /** @internal Back to the idle list when the exchange read its answer to the end; otherwise the connection is destroyed. */
  release(slot: PoolSlot, reusable: boolean): void {
    slot.attempt = undefined;
    if (reusable && !this.#closed) {
      const list = this.#idle.get(slot.origin) ?? [];
      list.push(slot);
      this.#idle.set(slot.origin, list);
      return;
    }
    this.#all.delete(slot);
    slot.client.destroy().catch(() => undefined);
  }

  /** Destroy every connection. Idempotent; taking a connection afterwards throws. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.clear();
    await Promise.all(all.map((s) => s.client.destroy().catch(() => undefined)));
  }
}

/** A pool for {@link exchange}'s `pool` input. */
export function createConnectionPool(): ConnectionPool {
  return new ConnectionPool();
}

/**
 * Send one POST and record everything: timings, the peer certificate, status, headers and body
 * (up to a cap). Handler faults (refused, reset, TLS failures, the deadline) come back as
 * `failure`, never as a thrown error.
 *
 * Without `pool`, a new Client per exchange means a fresh TCP connection and a full TLS handshake
 * each time, so a certificate change between requests is never hidden by a reused socket or
 * session. With `pool`, the exchange may ride a kept-alive connection: it then has no connect or
 * TLS timings, carries the certificate its connection's handshake saw, and `connection` says
 * which connection it was and which request opened it.
 *
 * @example
 * const out = await exchange({ url, option: 4, headers: {}, body: jws, tls: buildTlsOptions(4, trust), timeoutMs: 30_000, maxBodyBytes: 1 << 20 });
 */
export async function exchange(input: ExchangeInput): Promise<ExchangeOutput> {
  // Before the clock starts: the one-off module load is not part of the handler's timings.
  const { Client, request } = await loadUndici();
  const a = newAttempt(input.label ?? '');
  const { timings } = a;
  const pool = input.pool;
  let slot: PoolSlot | undefined;
  let dispatcher: Dispatcher;
  // Parsed once: the dispatcher needs the origin, and a failure's explanation the scheme.
  const url = new URL(input.url);
  const origin = url.origin;
  if (pool) {
    slot = pool.take(origin, (s) => new Client(origin, { connect: createConnector(input, () => s.attempt ?? newAttempt(''), (opened) => pool.noteOpened(s, opened)), allowH2: false, pipelining: 1 }));
    slot.attempt = a;
    dispatcher = slot.client;
  } else {
    // One Client (one connection) per exchange, not an Agent: an Agent would make a Client for
    // the origin anyway, and its origin map and event forwarding cost per request for nothing.
    dispatcher = new Client(origin, { connect: createConnector(input, () => a), allowH2: false, pipelining: 1 });
  }
  let timedOut = false;
  // The deadline destroys the exchange's connection, which fails the request (or the body being
  // read) at once. Cheaper than an AbortSignal per request, whose listeners undici registers and
  // removes on every exchange; a pooled connection that missed the deadline is not reusable anyway.
  const timer = setTimeout(() => {
    timedOut = true;
    dispatcher.destroy(new Error(`deadline of ${input.timeoutMs} ms passed`)).catch(() => undefined);
  }, input.timeoutMs);

  const out: ExchangeOutput = { body: '', bodyBytes: 0, truncated: false, complete: false, timings };
  const fail = (error: unknown): void => {
    const code = errorCode(a.handshakeError ?? error);
    if (timedOut) {
      // A reused connection was accepted long ago: the wait was for the headers.
      const connected = timings.connectMs !== undefined || (slot?.connection !== undefined && a.opened !== true);
      const phase = out.status === undefined ? (connected ? 'before the response headers arrived' : 'before the connection was accepted') : 'while the body was still arriving';
      out.failure = {
        check: 'deadline',
        code: 'DEADLINE',
        message: `no complete answer within ${input.timeoutMs} ms (stopped ${phase})`,
        hint: 'the Co-signer fails a request whose handler takes longer than 30 s [protocol.md §0.5]: answer RETRY and decide later if you need more time',
      };
    } else if (a.proxyFailure !== undefined) {
      out.failure = {
        check: 'connect',
        code: (a.proxyFailure as ProxyError).code,
        message: `${a.proxyFailure.message}; the handler was not reached`,
        hint: 'check --proxy (or HTTPS_PROXY): the proxy must allow CONNECT to the handler host and port; NO_PROXY lists hosts reached directly',
      };
    } else if (isTlsErrorCode(code) || (a.handshakeError !== undefined && timings.connectMs !== undefined && timings.tlsMs === undefined && url.protocol === 'https:' && code !== 'ECONNRESET')) {
      const pinned = pinnedFingerprintOf(input.tls);
      const explained = explainTlsError(code, input.option, (a.handshakeError as Error | undefined)?.message ?? '', {
        ...(pinned ? { pinned } : {}),
        ...(a.servedFingerprint ? { served: a.servedFingerprint } : {}),
      });
      const kitRoot = untrustedKitRootOf(input.tls);
      // Option 1 against a URL: a certificate from the kit's test Root CA is not publicly trusted,
      // and the real Co-signer would refuse it too. Say which CA it is and how to trust it on purpose.
      const fromKit = kitRoot !== undefined && a.served !== undefined && code !== 'CSIM_PIN_MISMATCH' && chainsTo(a.served, kitRoot);
      out.failure = { check: 'tls', ...(code ? { code } : {}), ...(fromKit ? explainKitRootCa(code, input.option) : explained) };
    } else {
      const midBody = out.status !== undefined;
      // On a kept-alive connection the handler was reached long ago: it closed the connection.
      const kept = slot?.connection !== undefined && a.opened !== true ? slot.connection : undefined;
      out.failure = {
        check: 'connect',
        ...(code ? { code } : {}),
        message: midBody
          ? `the connection broke off while the body was arriving (${code ?? 'reset'})`
          : kept !== undefined
            ? `the handler closed kept-alive connection #${kept.id} before answering (${code ?? (error as Error)?.message ?? 'reset'}): the request was sent over it, reused`
            : `could not reach the handler (${code ?? (error as Error)?.message ?? 'unknown error'})`,
        hint: connectHint(code, input.url),
      };
    }
  };

  try {
    const response = await request(input.url, {
      method: input.method ?? 'POST',
      headers: input.headers,
      // GET carries no body.
      body: input.method === 'GET' ? null : input.body,
      dispatcher,
      // The overall deadline governs; undici's own timers must not fire first.
      headersTimeout: input.timeoutMs + 1000,
      bodyTimeout: input.timeoutMs + 1000,
    });
    timings.firstByteMs = a.since();
    out.status = response.statusCode;
    out.headers = flattenHeaders(response.headers as Record<string, string | string[] | undefined>);
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of response.body) {
      const buf = chunk as Buffer;
      out.bodyBytes += buf.length;
      if (kept + buf.length > input.maxBodyBytes) {
        chunks.push(buf.subarray(0, input.maxBodyBytes - kept));
        out.truncated = true;
        // Stop reading: a hostile handler must not make us buffer an endless body.
        response.body.destroy();
        break;
      }
      chunks.push(buf);
      kept += buf.length;
    }
    out.body = Buffer.concat(chunks).toString('utf8');
    out.complete = !out.truncated;
  } catch (error) {
    fail(error);
  } finally {
    clearTimeout(timer);
    timings.totalMs = a.since();
    if (slot) {
      const c = slot.connection;
      if (c !== undefined && (a.opened === true || timings.connectMs === undefined)) {
        out.connection = { id: c.id, reused: a.opened !== true, openedBy: c.openedBy };
        // A reused connection: the certificate its handshake saw (and the `tls` check judged then).
        if (a.opened !== true && c.certificate) a.peerCertificate ??= c.certificate;
      }
      // Only a connection whose answer was read to its end can carry the next request.
      pool!.release(slot, out.failure === undefined && out.complete);
    } else {
      // destroy, not close: a handler that never answers must not keep us waiting.
      dispatcher.destroy(EXCHANGE_OVER).catch(() => undefined);
    }
    if (a.tunnelSocket !== undefined && timings.tlsMs === undefined && out.status === undefined) a.tunnelSocket.destroy();
  }
  if (a.peerCertificate) out.peerCertificate = a.peerCertificate;
  return out;
}
