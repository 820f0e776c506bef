import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
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
    let socket: Socket | TLSSocket;
    if (opts.protocol === 'https:') {
      const tlsSocket = tlsConnect({
        ...input.tls,
        host,
        port,
        // SNI carries names only, never IP addresses (RFC 6066 §3).
        ...(isIP(host) ? {} : { servername: host }),
      });
      watchPeerFingerprint(tlsSocket, (fingerprint, certificate) => {
        servedFingerprint = fingerprint;
        served = certificate;
      });
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
      socket = tlsSocket;
    } else {
      socket = netConnect({ host, port });
      socket.once('connect', () => settle(null, socket));
    }
    socket.once('connect', () => {
      timings.connectMs = since();
    });
    socket.once('error', (error) => {
      if (!settled) handshakeError = error;
      settle(error, null);
    });
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
    agent.destroy().catch(() => undefined);
  }
  if (peerCertificate) out.peerCertificate = peerCertificate;
  return out;
}
