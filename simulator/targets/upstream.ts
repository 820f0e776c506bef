/**
 * Mocks of a handler's own outbound calls (a scenario's `upstream:`), for the in-process module
 * target: the matching rules, and the msw glue the module's worker installs for one scenario at a
 * time. Matching is done here, not by msw's path patterns, so that the glob, the method, the body
 * and the query string behave as the README says, and every request msw sees is recorded.
 *
 * What msw can see [issue 10, measured]: inside the worker it intercepts the global `fetch` (also
 * with a `dispatcher`) and `node:http`/`node:https`; it never sees `undici.request()` or the npm
 * `undici` package's own `fetch`; a `setupServer` in the main thread does not see the worker's
 * requests. cosigner-sim's own requests never use the global `fetch` (client/transport.ts uses
 * undici's `request` with its own Agent), so no mock, the user's or ours, can answer for it.
 */
import type { Warning } from '../protocol/types.js';
import type { ScenarioCheckOutcome, UpstreamMock, UpstreamResponse } from '../suite/types.js';

export type { UpstreamMock, UpstreamResponse } from '../suite/types.js';

/** What msw cannot intercept: the `upstream` check's hint and the README say the same. */
export const UPSTREAM_INTERCEPTION =
  'msw, inside the handler\'s worker, intercepts the global fetch (also with a dispatcher) and node:http/https; it does not see undici.request() or the npm "undici" package\'s own fetch';

/** One outbound request the worker saw. */
export interface UpstreamCall {
  method: string;
  url: string;
  /** Index of the mock that answered it; undefined when none matched (answered with a network error). */
  mock?: number;
}

/** What the worker reports at the end of a scenario with `upstream:`. */
export interface UpstreamReport {
  calls: UpstreamCall[];
  /** How often each declared mock was called, by index. */
  used: number[];
}

/**
 * A URL glob as a RegExp: `*` matches any run of characters (slashes included), everything else
 * is literal. Without a `?` in the glob the request's query string is ignored.
 *
 * @example
 * globToRegExp('https://allowlist.internal/addresses/*').test('https://allowlist.internal/addresses/0xabc'); // true
 */
export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** `http://risk.internal/score` and `http://risk.internal/score/` are the same request for a mock: the URL parser's form, trailing slash dropped. */
function normalizeUrl(url: string, keepQuery: boolean): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 1 ? u.pathname.replace(/\/+$/, '') : '';
    return `${u.protocol}//${u.host}${path}${keepQuery ? u.search : ''}`;
  } catch {
    return url;
  }
}

/** True when `actual` holds everything `expected` holds (objects by key, arrays item by item, the rest by equality). */
export function contains(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected) || actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e, i) => contains(actual[i], e));
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
}

/**
 * True when a mock matches a request: the method (any when not given, case-insensitive), the URL
 * glob, and the body (a string must occur in it; a mapping must be contained in its JSON).
 *
 * @example
 * mockMatches({ url: 'http://risk.internal/*', responses: [] }, 'GET', 'http://risk.internal/score?id=1', ''); // true
 */
export function mockMatches(mock: Pick<UpstreamMock, 'method' | 'url' | 'body'>, method: string, url: string, body: string): boolean {
  if (mock.method !== undefined && mock.method.toUpperCase() !== method.toUpperCase()) return false;
  const keepQuery = mock.url.includes('?');
  if (!globToRegExp(normalizeUrl(mock.url, keepQuery)).test(normalizeUrl(url, keepQuery))) return false;
  if (mock.body === undefined) return true;
  if (typeof mock.body === 'string') return body.includes(mock.body);
  try {
    return contains(JSON.parse(body), mock.body);
  } catch {
    return false;
  }
}

/** The response a mock gives on its `n`th call (0-based): the sequence's item, the last one repeating. */
export function responseFor(mock: UpstreamMock, n: number): UpstreamResponse {
  return mock.responses[Math.min(n, mock.responses.length - 1)] ?? { status: 200 };
}

/** The part of msw the worker uses (typed here, so that nothing imports msw's types statically). */
interface Msw {
  http: { all(path: string, resolver: (info: { request: Request }) => Promise<Response>): unknown };
  HttpResponse: { error(): Response };
}
interface MswNode {
  setupServer(...handlers: unknown[]): { listen(o: { onUnhandledRequest: 'bypass' }): void; use(...handlers: unknown[]): void; resetHandlers(): void; close(): void };
}

/** The worker's interception: msw's server, listening from the first scenario with `upstream:` on. */
export interface UpstreamInterceptor {
  /** Install a scenario's mocks: every outbound request is now answered by them, or by a network error. */
  begin(mocks: readonly UpstreamMock[]): void;
  /** Remove them (requests pass through again) and say what was called. */
  end(): UpstreamReport;
}

/**
 * Start msw's `setupServer` in this thread (the module's worker) with no handlers: requests pass
 * through until `begin` installs a scenario's mocks. One catch-all handler does the matching, so
 * an unmatched request is recorded and answered with a network error (`HttpResponse.error()`),
 * which never leaves the machine.
 */
export function createUpstreamInterceptor(msw: Msw, mswNode: MswNode): UpstreamInterceptor {
  const server = mswNode.setupServer();
  server.listen({ onUnhandledRequest: 'bypass' });
  let state: { mocks: readonly UpstreamMock[]; report: UpstreamReport } | undefined;
  return {
    begin(mocks) {
      const current = { mocks, report: { calls: [], used: mocks.map(() => 0) } as UpstreamReport };
      state = current;
      server.resetHandlers();
      server.use(
        msw.http.all('*', async ({ request }) => {
          const body = request.body === null ? '' : await request.clone().text();
          const index = current.mocks.findIndex((m) => mockMatches(m, request.method, request.url, body));
          if (index === -1) {
            current.report.calls.push({ method: request.method, url: request.url });
            return msw.HttpResponse.error();
          }
          const mock = current.mocks[index]!;
          const answer = responseFor(mock, current.report.used[index]!);
          current.report.used[index]!++;
          current.report.calls.push({ method: request.method, url: request.url, mock: index });
          if (answer.delayMs !== undefined && answer.delayMs > 0) await new Promise((r) => setTimeout(r, answer.delayMs));
          const headers = new Headers(answer.headers ?? {});
          let payload: string | null = null;
          if (answer.json !== undefined) {
            payload = JSON.stringify(answer.json);
            if (!headers.has('content-type')) headers.set('content-type', 'application/json');
          } else if (answer.text !== undefined) {
            payload = answer.text;
            if (!headers.has('content-type')) headers.set('content-type', 'text/plain');
          }
          return new Response(payload, { status: answer.status, headers });
        }),
      );
    },
    end() {
      const report = state?.report ?? { calls: [], used: [] };
      state = undefined;
      server.resetHandlers();
      return report;
    },
  };
}

/** A mock as its scenario file writes it, for messages: `GET http://risk.internal/score`. */
function describeMock(mock: Pick<UpstreamMock, 'method' | 'url'>): string {
  return `${mock.method?.toUpperCase() ?? 'any method'} ${mock.url}`;
}

/**
 * Judge a scenario's outbound calls: `upstream` fails for every request no mock matched (the
 * handler got a network error, whether or not it swallowed it), and passes otherwise; a mock
 * never called is the warning `upstream-unused`.
 *
 * @example
 * judgeUpstream(mocks, { calls: [{ method: 'GET', url: 'http://other/x' }], used: [0] }).checks[0].status; // 'fail'
 */
export function judgeUpstream(mocks: readonly UpstreamMock[], report: UpstreamReport, declared = true): { checks: ScenarioCheckOutcome[]; warnings: Warning[] } {
  const unmatched = report.calls.filter((c) => c.mock === undefined);
  const warnings: Warning[] = mocks.flatMap((m, i) =>
    (report.used[i] ?? 0) === 0
      ? [{ id: 'upstream-unused', message: `the upstream mock ${describeMock(m)} was never called`, hint: 'remove the mock, or check that the handler calls that URL (the method, the glob and body: must all match)' }]
      : [],
  );
  if (unmatched.length > 0) {
    const listed = [...new Set(unmatched.map((c) => `${c.method} ${c.url}`))];
    return {
      checks: [
        {
          id: 'upstream',
          status: 'fail',
          reason: 'unmatched',
          message: `the handler called ${listed.join(', ')}, which no upstream: mock matches; it was answered with a network error inside the worker (it never left the machine)`,
          hint: `${declared ? "add a mock for it to the scenario's upstream: list" : 'this scenario declares no upstream:, and under --handler every outbound request is intercepted: declare the call in upstream:'} (method, url glob with *, status, json/text). ${UPSTREAM_INTERCEPTION}`,
          received: listed,
        },
      ],
      warnings,
    };
  }
  const n = report.calls.length;
  return { checks: [{ id: 'upstream', status: 'pass', message: n === 0 ? 'no outbound request' : `${n} outbound request${n === 1 ? '' : 's'}, each answered by a mock` }], warnings };
}
