import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { buildConnector } from 'undici';
import type { PeerCertificateInfo, Timings, TransportFailure } from '../protocol/types.js';
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
 * Send one POST through a fresh undici Agent and record everything: timings, the peer
 * certificate, status, headers and body (up to a cap). Handler faults (refused, reset, TLS
 * failures, the deadline) come back as `failure`, never as a thrown error.
 *
 * A new Agent per exchange means a fresh TCP connection and a full TLS handshake each time, so a
 * certificate change between requests is never hidden by a reused socket or session.
 *
 * @example
 * const out = await exchange({ url, option: 4, headers: {}, body: jws, tls: buildTlsOptions(4, trust), timeoutMs: 30_000, maxBodyBytes: 1 << 20 });
 */
export async function exchange(input: ExchangeInput): Promise<ExchangeOutput> {
  // Before the clock starts: the one-off module load is not part of the handler's timings.
  const { Agent, request } = await loadUndici();
  const start = performance.now();
  const since = () => Math.round((performance.now() - start) * 100) / 100;
  const timings: Timings = { totalMs: 0 };
  let peerCertificate: PeerCertificateInfo | undefined;
  let handshakeError: unknown;
  // Read before verification, so a pin mismatch can name the certificate that was served.
  let servedFingerprint: string | undefined;
  let proxyFailure: Error | undefined;
  // The tunnel's socket before undici owns it: a deadline while CONNECT is pending must not leak it.
  let tunnelSocket: Socket | undefined;
  let served: PeerCertificate | undefined;

  const connector: buildConnector.connector = (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    let settled = false;
    const settle = (error: Error | null, socket: Socket | null) => {
      if (settled) return;
      settled = true;
      if (error) callback(error, null);
      else callback(null, socket as Socket);
    };
    const startTls = (tunnel?: Socket): TLSSocket => {
      const identityCheck = input.tls.checkServerIdentity ?? checkServerIdentity;
      const tlsSocket = tlsConnect({
        ...input.tls,
        // The certificate Node reads for its identity check, kept: with onlyUnverified below, the
        // watcher then reads it only for a chain that failed (one read per handshake, not two).
        checkServerIdentity: (hostname, cert) => {
          servedFingerprint = cert.fingerprint256;
          served = cert;
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
          servedFingerprint = fingerprint;
          served = certificate;
        },
        { onlyUnverified: true },
      );
      tlsSocket.once('secureConnect', () => {
        timings.tlsMs = since();
        // The one read the watcher made: getPeerCertificate builds the whole object on each call.
        const cert = served ?? tlsSocket.getPeerCertificate();
        if (cert && cert.fingerprint256) {
          peerCertificate = {
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
        if (!settled) handshakeError = error;
        settle(error, null);
      });
    };
    const proxy = input.proxy !== undefined && !bypassesProxy(host, port, input.noProxy) ? new URL(input.proxy) : undefined;
    if (proxy) {
      // connectMs is the tunnel being open: the TCP connection the handler sees is the proxy's.
      tunnelSocket = openTunnel(
        proxy,
        host,
        port,
        (error) => {
          proxyFailure = error;
          handshakeError = error;
          settle(error, null);
        },
        (tunnel) => {
          timings.connectMs = since();
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
      timings.connectMs = since();
    });
    watch(socket);
  };

  const agent = new Agent({ connect: connector, allowH2: false, pipelining: 1, connections: 1 });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`deadline of ${input.timeoutMs} ms passed`));
  }, input.timeoutMs);

  const out: ExchangeOutput = { body: '', bodyBytes: 0, truncated: false, complete: false, timings };
  const fail = (error: unknown): void => {
    const code = errorCode(handshakeError ?? error);
    if (timedOut) {
      const phase = out.status === undefined ? (timings.connectMs === undefined ? 'before the connection was accepted' : 'before the response headers arrived') : 'while the body was still arriving';
      out.failure = {
        check: 'deadline',
        code: 'DEADLINE',
        message: `no complete answer within ${input.timeoutMs} ms (stopped ${phase})`,
        hint: 'the Co-signer fails a request whose handler takes longer than 30 s [protocol.md §0.5]: answer RETRY and decide later if you need more time',
      };
    } else if (proxyFailure !== undefined) {
      out.failure = {
        check: 'connect',
        code: (proxyFailure as ProxyError).code,
        message: `${proxyFailure.message}; the handler was not reached`,
        hint: 'check --proxy (or HTTPS_PROXY): the proxy must allow CONNECT to the handler host and port; NO_PROXY lists hosts reached directly',
      };
    } else if (isTlsErrorCode(code) || (handshakeError !== undefined && timings.connectMs !== undefined && timings.tlsMs === undefined && new URL(input.url).protocol === 'https:' && code !== 'ECONNRESET')) {
      const pinned = pinnedFingerprintOf(input.tls);
      const explained = explainTlsError(code, input.option, (handshakeError as Error | undefined)?.message ?? '', {
        ...(pinned ? { pinned } : {}),
        ...(servedFingerprint ? { served: servedFingerprint } : {}),
      });
      const kitRoot = untrustedKitRootOf(input.tls);
      // Option 1 against a URL: a certificate from the kit's test Root CA is not publicly trusted,
      // and the real Co-signer would refuse it too. Say which CA it is and how to trust it on purpose.
      const fromKit = kitRoot !== undefined && served !== undefined && code !== 'CSIM_PIN_MISMATCH' && chainsTo(served, kitRoot);
      out.failure = { check: 'tls', ...(code ? { code } : {}), ...(fromKit ? explainKitRootCa(code, input.option) : explained) };
    } else {
      const midBody = out.status !== undefined;
      out.failure = {
        check: 'connect',
        ...(code ? { code } : {}),
        message: midBody
          ? `the connection broke off while the body was arriving (${code ?? 'reset'})`
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
      dispatcher: agent,
      signal: controller.signal,
      // The overall deadline governs; undici's own timers must not fire first.
      headersTimeout: input.timeoutMs + 1000,
      bodyTimeout: input.timeoutMs + 1000,
    });
    timings.firstByteMs = since();
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
    timings.totalMs = since();
    // destroy, not close: a handler that never answers must not keep us waiting.
    agent.destroy(EXCHANGE_OVER).catch(() => undefined);
    if (tunnelSocket !== undefined && timings.tlsMs === undefined && out.status === undefined) tunnelSocket.destroy();
  }
  if (peerCertificate) out.peerCertificate = peerCertificate;
  return out;
}
