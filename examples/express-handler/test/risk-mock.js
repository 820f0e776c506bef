/**
 * A stand-in for the risk API, for tests and CI: POST any path with the handler's query, get
 * `{ "score": n }`. Its rules are what the scenarios in scenarios/ rely on:
 *
 *   externalTxId "risk-down"   503, as an API that is down
 *   externalTxId "risk-slow"   answers after 8 s (SLOW_MS), past the handler's default RISK_TIMEOUT_MS of 5 s
 *   amountUSD >= 100 000       score 80 (rejected: the handler's threshold is 50)
 *   anything else              score 10
 *
 * As a program (`node test/risk-mock.js`) it listens on RISK_MOCK_PORT (default 9099) and
 * RISK_MOCK_HOST (default 127.0.0.1; 0.0.0.0 for a handler in a container) and prints its URL.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/** Longer than the handler's default RISK_TIMEOUT_MS (5 s), so "risk-slow" is RETRY also where the default applies (CI). */
export const SLOW_MS = 8_000;

/** @param {Record<string, any>} q */
export function scoreOf(q) {
  return typeof q.amountUSD === 'number' && q.amountUSD >= 100_000 ? 80 : 10;
}

/**
 * Start the mock. `calls` records every query it got, so a test can prove the handler asked.
 *
 * @param {{ port?: number, host?: string }} [o]
 * @returns {Promise<{ url: string, calls: Record<string, any>[], close(): Promise<void> }>}
 */
export function startRiskMock(o = {}) {
  /** @type {Record<string, any>[]} */
  const calls = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      let q;
      try {
        q = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"not JSON"}');
        return;
      }
      calls.push(q);
      const answer = (status, json) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (q.externalTxId === 'risk-down') return answer(503, { error: 'down for maintenance' });
      if (q.externalTxId === 'risk-slow') return void setTimeout(() => answer(200, { score: 10 }), SLOW_MS).unref();
      answer(200, { score: scoreOf(q) });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        url: `http://${o.host === '0.0.0.0' ? '127.0.0.1' : (o.host ?? '127.0.0.1')}:${address.port}/score`,
        calls,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mock = await startRiskMock({ port: Number(process.env.RISK_MOCK_PORT ?? 9099), host: process.env.RISK_MOCK_HOST ?? '127.0.0.1' });
  console.log(`risk API mock on ${mock.url}`);
}
