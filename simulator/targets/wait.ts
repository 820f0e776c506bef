import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { TargetStartError } from '../errors.js';
import { isTlsErrorCode } from '../tls/explain.js';
import { watchPeerFingerprint } from '../tls/trust.js';

/** How to wait for a started handler: shared by every kind that starts one (a command, a container). */
export interface WaitOptions {
  /** The handler's base URL: its host and port are probed. */
  url: string;
  /** The option's `tls.connect` options (tls/trust.ts buildTlsOptions): verification stays on. */
  tls: ConnectionOptions;
  timeoutMs: number;
  /** Between probes; default 100 ms. */
  intervalMs?: number;
  /** Aborting stops the wait (the process exited); the wait then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Words for the timeout message: what was started (`the command "npm start"`). */
  what?: string;
  /** The last output lines, for the timeout message. */
  logs?: () => string[];
  /**
   * `--ready-path`: after the handshake, ready only once a GET of this path (relative to the
   * URL's origin, e.g. `/healthz`) gets any HTTP answer over the option's TLS.
   */
  readyPath?: string;
}

/**
 * One probe: true when a TLS handshake reached certificate verification. The `secure` event
 * fires once the handshake is done and before Node verifies the certificate, so a certificate
 * the option refuses still counts as ready (the `tls` check reports it on the first request);
 * verification is never switched off. Plain `http:` (option 1 in development) is a TCP connect.
 * No HTTP request is sent: a readiness poll is not a request the handler has to answer.
 */
export function probeOnce(url: URL, tls: ConnectionOptions, timeoutMs: number): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return new Promise((resolve) => {
    let reached = false;
    const socket =
      url.protocol === 'http:'
        ? netConnect({ host, port }, () => {
            reached = true;
            done();
          })
        : tlsConnect({ ...tls, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) }, () => done());
    if (url.protocol !== 'http:') watchPeerFingerprint(socket as ReturnType<typeof tlsConnect>, () => (reached = true));
    const timer = setTimeout(done, timeoutMs);
    socket.on('error', done);
    function done(): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(reached);
    }
  });
}

/**
 * One `--ready-path` probe: true when a GET of the path gets any HTTP status over the option's
 * TLS (verification on). A certificate the option refuses also counts: that request can never
 * succeed, and the `tls` check reports why on the first callback request, which is more useful
 * than a readiness timeout.
 */
export function probePath(url: URL, path: string, tls: ConnectionOptions, timeoutMs: number): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return new Promise((resolve) => {
    const common = { host, port, path: path.startsWith('/') ? path : `/${path}`, method: 'GET', agent: false, timeout: timeoutMs } as const;
    const req =
      url.protocol === 'http:'
        ? httpRequest(common)
        : httpsRequest({ ...common, ...tls, ...(isIP(host) === 0 ? { servername: host } : {}) });
    req.once('response', (res) => {
      res.resume();
      req.destroy();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', (e) => resolve(isTlsErrorCode((e as NodeJS.ErrnoException).code)));
    req.end();
  });
}

/**
 * Poll the URL every ~100 ms until a TLS handshake reaches certificate verification, the signal
 * aborts, or `timeoutMs` passes: then a TargetStartError names the URL and the time waited.
 *
 * @example
 * await waitUntilReady({ url: 'https://127.0.0.1:8443', tls: buildTlsOptions(4, trust), timeoutMs: 30_000 });
 */
export async function waitUntilReady(o: WaitOptions): Promise<void> {
  const url = new URL(o.url);
  const interval = o.intervalMs ?? 100;
  const started = performance.now();
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    const left = o.timeoutMs - (performance.now() - started);
    if (left <= 0) break;
    const probeMs = Math.max(1, Math.min(left, 2_000));
    if ((await probeOnce(url, o.tls, probeMs)) && (o.readyPath === undefined || (await probePath(url, o.readyPath, o.tls, probeMs)))) {
      if (o.signal?.aborted) throw o.signal.reason;
      return;
    }
    const pause = Math.min(interval, o.timeoutMs - (performance.now() - started));
    if (pause > 0) await sleep(pause, o.signal);
  }
  if (o.signal?.aborted) throw o.signal.reason;
  const waited = ((performance.now() - started) / 1000).toFixed(1);
  const lines = o.logs?.() ?? [];
  throw new TargetStartError(
    `${o.what ?? 'the handler'} did not ${o.readyPath === undefined ? 'accept a TLS connection at' : `answer GET ${o.readyPath} at`} ${url.origin} within ${formatMs(o.timeoutMs)} (waited ${waited} s)` +
      (lines.length > 0 ? `; its last ${lines.length} line${lines.length === 1 ? '' : 's'} of output:\n${lines.join('\n')}` : '; it printed nothing'),
    { field: 'readyTimeout', hint: `check that the handler binds the host and port of --url (PORT holds the port)${o.readyPath === undefined ? '' : ` and answers ${o.readyPath}`}, or give it longer: --ready-timeout 60s` },
  );
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
