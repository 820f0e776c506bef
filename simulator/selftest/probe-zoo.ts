import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { compactVerify } from 'jose';
import { generate as generateCertificate } from 'selfsigned';
import type { RequestContentType } from '../client/cosigner.js';
import { generateRsaKeyPair, generateTestCertificate } from '../keys/generate.js';
import { zooKeyPair } from './keys.js';
import { kitCosigners, type CertMaterial, type KeyPairMaterial, type Kit } from '../keys/types.js';
import { TX_KEY_ORDER } from '../protocol/key-order.js';
import { SECURITY_OPTION_NUMBERS, SECURITY_OPTIONS, usesJwt, type SecurityOptionNumber } from '../protocol/options.js';
import { TX_OPERATIONS } from '../protocol/types.js';
import { HandlerHttpError, type HandlerHooks, type SetupContext } from '../reference/handler.js';

/**
 * A handler for the conformance battery: a set of hooks on the reference handler that breaks
 * exactly what `breaks` names (or nothing, for a tolerated variant).
 */
export interface ProbeZooEntry {
  id: string;
  description: string;
  /**
   * The probes that must flag this handler (fail it, or raise their warning for warning-only
   * probes) and no other; `['*']` means every probe that runs; `[]` is a correct variant.
   */
  breaks: readonly string[];
  options: readonly SecurityOptionNumber[];
  /** Fresh hooks per handler instance, so that stateful defects never share state. */
  hooks: () => HandlerHooks;
  /** Parts of the kit replaced on both sides (e.g. another certificate to pin). */
  kit?: Partial<Kit>;
  /** The cosigner's request Content-Type (for a handler that accepts only one). */
  contentType?: RequestContentType;
  /** Serve TLS 1.0-1.1 (in front of a plain-http reference handler; JWT options only). */
  legacyTls?: boolean;
  /** Part of its battery waits out (a fraction of) the deadline: the selftest starts it first. */
  waits?: boolean;
  /**
   * Probe it one request at a time (`--battery-concurrency 1`). For state that leaks between
   * requests, concurrent probes make the defect visible to whichever probe's request comes next
   * (a poisoned worker) or to all of them (shared request state): true of the handler, but the row
   * proves that the probe meant for it catches it, and only that probe can, one at a time.
   */
  sequential?: boolean;
}

const JWT: readonly SecurityOptionNumber[] = [1, 4, 5];
const JSON_OPTIONS: readonly SecurityOptionNumber[] = [2, 3];
const PINNED: readonly SecurityOptionNumber[] = [2, 4];
const CA_CHECKED: readonly SecurityOptionNumber[] = [1, 3, 5];
const MIB = 1024 * 1024;
const KNOWN_TX_FIELDS = new Set([...TX_KEY_ORDER, 'note', 'extraParameters', 'rawTx', 'players', 'signerId', 'externalTxId', 'requestId']);

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HandlerHttpError(400, 'request body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HandlerHttpError(400, 'request body is not a JSON object');
  return value as Record<string, unknown>;
}

/**
 * RS256 with any of the kit's Co-signer keys, as the reference handler verifies (every Co-signer
 * signs with its own key [protocol.md §14.2]); 401 when none verifies. `only` narrows the keys
 * (a handler that pins one).
 */
async function verifiedPayload(body: string, setup: SetupContext, only?: readonly KeyPairMaterial[]): Promise<Uint8Array> {
  for (const pair of only ?? kitCosigners(setup.kit)) {
    try {
      return (await compactVerify(body, pair.publicKey, { algorithms: ['RS256'] })).payload;
    } catch {
      // the next key may verify it
    }
  }
  throw new HandlerHttpError(401, 'request JWT does not verify');
}

/** What the reference handler does: RS256 with a Co-signer key (401), then a JSON object (400). */
async function verifyRequest(body: string, setup: SetupContext, only?: readonly KeyPairMaterial[]): Promise<Record<string, unknown>> {
  if (!usesJwt(setup.option)) return parseObject(body);
  return parseObject(new TextDecoder().decode(await verifiedPayload(body, setup, only)));
}

/** Hooks that decide only for the first signerId seen and answer 403 to any other (one Co-signer, not active-active). */
function firstSignerOnly(): HandlerHooks {
  let signer: unknown;
  return {
    decide: (ctx) => {
      const id = ctx.payload.signerId;
      if (id === undefined) return undefined;
      signer ??= id;
      if (id !== signer) throw new HandlerHttpError(403, `unknown signerId ${String(id)}`);
      return undefined;
    },
  };
}

/** The token's header and claims, not verified; 400 when it is not three base64url JSON parts. */
function decodeUnverified(body: string): { header: Record<string, unknown>; payload: Record<string, unknown>; parts: string[] } {
  const parts = body.split('.');
  if (parts.length !== 3) throw new HandlerHttpError(400, 'not a JWT');
  const decode = (s: string) => parseObject(Buffer.from(s, 'base64url').toString('utf8'));
  return { header: decode(parts[0]!), payload: decode(parts[1]!), parts };
}

/** The declared body size (0 without a Content-Length, e.g. a GET). */
function contentLength(req: IncomingMessage): number {
  const n = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

/** A self-signed certificate with a chosen key size and digest (selfsigned directly: generateTestCertificate is always sha256). */
async function weakCertificate(o: { bits: number; algorithm: 'sha1' | 'sha256' }): Promise<CertMaterial> {
  // 2048 bits: the zoo's shared key; only the short key is made here (a 1024-bit key is quick).
  const keys = o.bits === 2048 ? await zooKeyPair() : await generateRsaKeyPair(o.bits);
  const r = await generateCertificate([{ name: 'commonName', value: 'cosigner-sim weak pinned handler' }], {
    algorithm: o.algorithm,
    keySize: o.bits,
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    keyPair: { privateKey: keys.privateKeyPem, publicKey: keys.publicKeyPem },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { certPem: r.cert, keyPem: r.private };
}

/**
 * The battery's zoo: one handler per conformance probe that it must catch (each a few hooks on
 * the reference handler), plus correct variants the battery must pass. Kept apart from
 * `createZoo`, whose entries each break one response check.
 *
 * @example
 * const zoo = await createProbeZoo(kit);
 * zoo.find((e) => e.id === 'no-signature-check')?.breaks; // ['forgery/wrong-key', 'forgery/alg-none', ...]
 */
export async function createProbeZoo(kit: Kit, o: { deadlineMs?: number } = {}): Promise<ProbeZooEntry[]> {
  // The slow defect waits a fraction of the deadline its battery runs with.
  const deadlineMs = o.deadlineMs ?? SELFTEST_DEADLINE_MS;
  const day = 24 * 3600 * 1000;
  const keyPair = await zooKeyPair();
  const [expiringLeaf, wrongSanPinned, rsa1024Pinned, sha1Pinned] = await Promise.all([
    generateTestCertificate({ issuer: kit.rootCa, notAfter: new Date(Date.now() + 10 * day), keyPair }),
    generateTestCertificate({ commonName: 'other.example', altNames: [{ type: 2, value: 'other.example' }], keyPair }),
    weakCertificate({ bits: 1024, algorithm: 'sha256' }),
    weakCertificate({ bits: 2048, algorithm: 'sha1' }),
  ]);

  return [
    // ── forgery ──
    {
      id: 'refuses-everything',
      description: 'verifies requests with the wrong Co-signer key, so it answers 401 to everything',
      breaks: ['*'],
      options: JWT,
      hooks: () => ({
        parse: async (body) => {
          const other = await otherKey();
          try {
            await compactVerify(body, other.publicKey, { algorithms: ['RS256'] });
          } catch {
            throw new HandlerHttpError(401, 'request JWT does not verify');
          }
          return {};
        },
      }),
    },
    {
      id: 'no-signature-check',
      description: 'decodes the request JWT without verifying it',
      // every-cosigner-key too: it ends with a request signed with a foreign key.
      breaks: ['forgery/wrong-key', 'forgery/every-cosigner-key', 'forgery/alg-none', 'forgery/hs256-confusion', 'forgery/payload-tampered', 'forgery/truncated-signature', 'forgery/empty-signature'],
      options: JWT,
      hooks: () => ({ parse: (body) => decodeUnverified(body).payload }),
    },
    {
      id: 'pins-first-cosigner-key',
      description: 'trusts only Co-signer 1\'s key, so it answers 401 to every request the second Co-signer (high availability) signs',
      breaks: ['forgery/every-cosigner-key'],
      options: JWT,
      hooks: () => ({ parse: (body, setup) => verifyRequest(body, setup, [setup.kit.cosigner]) }),
    },
    {
      id: 'accepts-alg-none',
      description: 'accepts unsigned tokens whose header says alg none',
      breaks: ['forgery/alg-none'],
      options: JWT,
      hooks: () => ({
        parse: (body, setup) => {
          const { header, payload } = decodeUnverified(body);
          return header.alg === 'none' ? payload : verifyRequest(body, setup);
        },
      }),
    },
    {
      id: 'hs256-with-public-key',
      description: 'lets the token header pick HS256 and keys the HMAC with the Co-signer public key PEM',
      breaks: ['forgery/hs256-confusion'],
      options: JWT,
      hooks: () => ({
        parse: (body, setup) => {
          const { header, payload, parts } = decodeUnverified(body);
          if (header.alg !== 'HS256') return verifyRequest(body, setup);
          const mac = createHmac('sha256', setup.kit.cosigner.publicKeyPem).update(`${parts[0]}.${parts[1]}`).digest();
          const sig = Buffer.from(parts[2]!, 'base64url');
          if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) throw new HandlerHttpError(401, 'bad HMAC');
          return payload;
        },
      }),
    },
    {
      id: 'signature-cache',
      description: 'caches verified signatures and skips verification when it sees one again',
      breaks: ['forgery/payload-tampered'],
      options: JWT,
      hooks: () => {
        const verified = new Set<string>();
        return {
          parse: async (body, setup) => {
            const { payload, parts } = decodeUnverified(body);
            if (verified.has(parts[2]!)) return payload;
            const out = await verifyRequest(body, setup);
            verified.add(parts[2]!);
            return out;
          },
        };
      },
    },
    {
      id: 'json-fallback',
      description: 'accepts a plain JSON body unsigned ("for testing")',
      breaks: ['forgery/json-body'],
      options: JWT,
      hooks: () => ({ parse: (body, setup) => (body.startsWith('{') ? parseObject(body) : verifyRequest(body, setup)) }),
    },
    {
      id: 'crash-on-empty-body',
      description: 'throws (500) on an empty body',
      breaks: ['forgery/empty-body'],
      options: JWT,
      hooks: () => ({
        parse: (body, setup) => {
          if (body === '') throw new TypeError("Cannot read properties of undefined (reading 'split')");
          return verifyRequest(body, setup);
        },
      }),
    },
    // ── robustness ──
    {
      id: 'crash-on-malformed-json',
      description: 'parses the (verified) payload without catching JSON errors (500)',
      breaks: ['robustness/malformed-json'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        parse: async (body, setup) => {
          if (!usesJwt(setup.option)) return JSON.parse(body) as Record<string, unknown>;
          return JSON.parse(new TextDecoder().decode(await verifiedPayload(body, setup))) as Record<string, unknown>;
        },
      }),
    },
    {
      id: 'broken-after-malformed-json',
      description: 'refuses malformed JSON cleanly, but then answers 503 to the next request (a poisoned worker)',
      breaks: ['robustness/malformed-json'],
      options: SECURITY_OPTION_NUMBERS,
      sequential: true,
      hooks: () => {
        let poisoned = false;
        return {
          intercept: (_req, res) => {
            if (!poisoned) return false;
            poisoned = false;
            res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"worker restarting"}');
            return true;
          },
          parse: async (body, setup) => {
            try {
              return await verifyRequest(body, setup);
            } catch (error) {
              if (error instanceof HandlerHttpError && error.status === 400) poisoned = true;
              throw error;
            }
          },
        };
      },
    },
    {
      id: 'hangs-on-huge-body',
      description: 'stops reading a body over 1 MiB and never answers',
      breaks: ['robustness/huge-body'],
      options: SECURITY_OPTION_NUMBERS,
      waits: true,
      hooks: () => ({
        intercept: (req) => {
          if (contentLength(req) <= MIB) return false;
          req.pause();
          return true;
        },
      }),
    },
    {
      id: 'drops-large-bodies',
      description: 'closes the connection without an answer on any body over 256 KiB',
      breaks: ['robustness/huge-body'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req) => {
          if (contentLength(req) <= 256 * 1024) return false;
          req.socket.destroy();
          return true;
        },
      }),
    },
    {
      id: 'crash-on-missing-optional',
      description: 'reads externalTxId unconditionally and crashes (500) without it',
      breaks: ['robustness/missing-optional-fields'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        decide: (ctx) => {
          if (ctx.endpoint === 'tx_sign_request' && ctx.payload.externalTxId === undefined) throw new TypeError("Cannot read properties of undefined (reading 'startsWith')");
          return undefined;
        },
      }),
    },
    {
      id: 'crash-on-unknown-field',
      description: 'deserializes strictly and crashes (500) on an unknown top-level field',
      breaks: ['robustness/unknown-fields'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        decide: (ctx) => {
          const unknown = ctx.endpoint === 'tx_sign_request' && Object.keys(ctx.payload).find((k) => !KNOWN_TX_FIELDS.has(k));
          if (unknown) throw new Error(`unknown field ${unknown}`);
          return undefined;
        },
      }),
    },
    {
      id: 'rejects-unknown-fields',
      description: 'validates strictly and refuses (400) a payload with an unknown top-level field',
      breaks: ['robustness/unknown-fields'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        decide: (ctx) => {
          const unknown = ctx.endpoint === 'tx_sign_request' && Object.keys(ctx.payload).find((k) => !KNOWN_TX_FIELDS.has(k));
          if (unknown) throw new HandlerHttpError(400, `unknown field ${unknown}`);
          return undefined;
        },
      }),
    },
    {
      id: 'crash-on-unknown-operation',
      description: 'maps operation through a closed enum and crashes (500) on a new one',
      breaks: ['robustness/unknown-enum-values'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        decide: (ctx) => {
          if (ctx.endpoint === 'tx_sign_request' && !(TX_OPERATIONS as readonly unknown[]).includes(ctx.payload.operation)) throw new RangeError(`no such operation ${String(ctx.payload.operation)}`);
          return undefined;
        },
      }),
    },
    {
      id: 'crash-on-whitespace',
      description: 'crashes (500) when the body has whitespace around it',
      breaks: ['robustness/whitespace-body'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        parse: (body, setup) => {
          // The hook sees the trimmed body; a shorter length than declared means there was whitespace.
          // (Only served requests declare a length: answer() without a transport has no req.)
          if (setup.req && Number(setup.req.headers['content-length']) !== Buffer.byteLength(body)) throw new SyntaxError('Unexpected token in JSON at position 0');
          return verifyRequest(body, setup);
        },
      }),
    },
    {
      id: 'crash-on-quoted-jwt',
      description: 'crashes (500) on a JWT wrapped in quotes',
      breaks: ['robustness/quoted-jwt'],
      options: JWT,
      hooks: () => ({
        parse: (body, setup) => {
          if (body.startsWith('"')) throw new TypeError('jwt must be a string without quotes');
          return verifyRequest(body, setup);
        },
      }),
    },
    {
      id: 'crash-on-get',
      description: 'answers 500 to a GET',
      breaks: ['robustness/wrong-method'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req, res) => {
          if (req.method !== 'GET') return false;
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('TypeError: body is undefined');
          return true;
        },
      }),
    },
    {
      id: 'crash-on-unknown-path',
      description: 'drops the connection on a path it does not know',
      breaks: ['robustness/unknown-path'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req) => {
          if (/\/(tx_sign_request|config_change_sign_request)$/.test(pathOf(req))) return false;
          req.socket.destroy();
          return true;
        },
      }),
    },
    // ── protocol ──
    {
      id: 'no-config-endpoint',
      description: 'serves tx_sign_request only (no config_change_sign_request route)',
      breaks: ['protocol/endpoints'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({ path: (endpoint, correct) => (endpoint === 'config_change_sign_request' ? undefined : correct) }),
    },
    {
      id: 'serves-every-path',
      description: 'answers decisions at any path (routes nothing)',
      breaks: ['protocol/wrong-prefix'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req, _res, setup) => {
          const endpoint = pathOf(req).includes('config_change') ? 'config_change_sign_request' : 'tx_sign_request';
          req.url = `${SECURITY_OPTIONS[setup.option].pathPrefix}/${endpoint}`;
          return false;
        },
      }),
    },
    {
      id: 'crash-on-approval-stage',
      description: 'reads fee unconditionally and crashes (500) at the approval stage',
      breaks: ['protocol/stages'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        decide: (ctx) => {
          if (ctx.endpoint === 'tx_sign_request' && ctx.payload.fee === undefined) throw new TypeError("Cannot read properties of undefined (reading 'length')");
          return undefined;
        },
      }),
    },
    {
      id: 'ignore-instead-of-reject',
      description: 'answers IGNORE where its policy says REJECT, at every stage',
      breaks: ['protocol/no-ignore-at-signing'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({ decide: (_ctx, d) => (d.action === 'REJECT' ? { action: 'IGNORE' } : undefined) }),
    },
    {
      id: 'echoes-tx-id',
      description: 'echoes txId as requestId (equal except in batches)',
      breaks: ['protocol/batched-request-id'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({ claims: (c, ctx) => ({ ...c, requestId: ctx.payload.txId ?? c.requestId }) }),
    },
    {
      id: 'only-application-jwt',
      description: 'answers 415 unless the request Content-Type is application/jwt',
      breaks: ['protocol/content-types'],
      options: JWT,
      contentType: 'application/jwt',
      hooks: () => ({ intercept: (req, res) => onlyContentType(req, res, 'application/jwt') }),
    },
    {
      id: 'only-application-json',
      description: 'answers 415 unless the request Content-Type is application/json',
      breaks: ['protocol/content-types'],
      options: JSON_OPTIONS,
      contentType: 'application/json',
      hooks: () => ({ intercept: (req, res) => onlyContentType(req, res, 'application/json') }),
    },
    // ── idempotency ──
    {
      id: 'flips-on-resend',
      description: 'answers the opposite decision when it sees a requestId again',
      breaks: ['idempotency/resend'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => {
        const seen = new Set<string>();
        return {
          decide: (ctx, d) => {
            const again = seen.has(ctx.requestId);
            seen.add(ctx.requestId);
            if (!again) return undefined;
            return d.action === 'APPROVE' ? { action: 'REJECT', rejectionReason: 'duplicate request' } : { action: 'APPROVE' };
          },
        };
      },
    },
    {
      id: 'shared-request-state',
      description: 'keeps the request being handled in one shared variable, so concurrent answers get mixed up',
      breaks: ['idempotency/concurrent'],
      options: SECURITY_OPTION_NUMBERS,
      sequential: true,
      hooks: () => {
        let current = '';
        return {
          parse: async (body, setup) => {
            const payload = await verifyRequest(body, setup);
            current = String(payload.requestId);
            await sleep(100); // an await (a database lookup) between setting and reading the shared state: long enough that concurrent requests overlap even when a loaded machine spreads their handshakes out
            return payload;
          },
          claims: (c) => ({ ...c, requestId: current }),
        };
      },
    },
    {
      id: 'single-signer-only',
      description: 'accepts only the first signerId it sees (one Co-signer, not active-active)',
      breaks: ['idempotency/concurrent'],
      options: JSON_OPTIONS,
      hooks: firstSignerOnly,
    },
    {
      // The same defect where requests are signed: Co-signer 2's request (its own signerId) is refused too.
      id: 'single-signer-only-signed',
      description: 'accepts only the first signerId it sees, under a JWT option: the second Co-signer is refused as well',
      breaks: ['forgery/every-cosigner-key', 'idempotency/concurrent'],
      options: JWT,
      hooks: firstSignerOnly,
    },
    // ── tls (warnings) ──
    {
      id: 'certificate-expires-soon',
      description: 'serves a leaf that expires in 10 days',
      breaks: ['tls/expiry'],
      options: CA_CHECKED,
      hooks: () => ({ tls: () => expiringLeaf }),
    },
    {
      id: 'pinned-certificate-wrong-name',
      description: 'pins a certificate issued for other.example (the pin does not check names)',
      breaks: ['tls/hostname'],
      options: PINNED,
      kit: { pinned: wrongSanPinned },
      hooks: () => ({}),
    },
    {
      id: 'pinned-certificate-rsa-1024',
      description: 'pins a certificate with an RSA-1024 key',
      breaks: ['tls/key-size'],
      options: PINNED,
      kit: { pinned: rsa1024Pinned },
      hooks: () => ({}),
    },
    {
      id: 'pinned-certificate-sha1',
      description: 'pins a certificate signed with SHA-1',
      breaks: ['tls/signature-algorithm'],
      options: PINNED,
      kit: { pinned: sha1Pinned },
      hooks: () => ({}),
    },
    {
      id: 'accepts-tls-1.1',
      description: 'accepts TLS 1.0 and 1.1',
      breaks: ['tls/legacy-version'],
      options: JWT,
      legacyTls: true,
      hooks: () => ({}),
    },
    // ── deadline (warning) ──
    {
      id: 'slow-config-changes',
      description: 'takes 60% of the deadline to answer configuration changes',
      breaks: ['deadline/latency'],
      options: SECURITY_OPTION_NUMBERS,
      waits: true,
      hooks: () => ({ respond: (res, body, ctx) => slowFor(ctx.endpoint === 'config_change_sign_request', res, body, deadlineMs) }),
    },
    // ── correct variants the battery must pass ──
    {
      id: 'tolerated-403-on-forgery',
      description: 'refuses requests that do not verify with 403 (the official plugin handler does)',
      breaks: [],
      options: JWT,
      hooks: () => ({
        parse: async (body, setup) => {
          try {
            return await verifyRequest(body, setup);
          } catch (error) {
            if (error instanceof HandlerHttpError && error.status === 401) throw new HandlerHttpError(403, error.message);
            throw error;
          }
        },
      }),
    },
    {
      id: 'tolerated-signed-reject-on-forgery',
      description: 'answers a request that does not verify with a signed REJECT',
      breaks: [],
      options: JWT,
      hooks: () => {
        const forged = new WeakSet<object>();
        return {
          parse: async (body, setup) => {
            try {
              return await verifyRequest(body, setup);
            } catch (error) {
              if (!(error instanceof HandlerHttpError) || error.status !== 401) throw error;
              const payload = decodeUnverified(body).payload;
              forged.add(payload);
              return payload;
            }
          },
          decide: (ctx) => (forged.has(ctx.payload) ? { action: 'REJECT', rejectionReason: 'request signature does not verify' } : undefined),
        };
      },
    },
    {
      id: 'tolerated-retry-first',
      description: 'answers RETRY the first time it sees a requestId, then decides',
      breaks: [],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => {
        const seen = new Set<string>();
        return {
          decide: (ctx) => {
            if (seen.has(ctx.requestId)) return undefined;
            seen.add(ctx.requestId);
            return { action: 'RETRY' };
          },
        };
      },
    },
    {
      id: 'tolerated-small-body-limit',
      description: 'answers 413 to any body over 100 KiB (the Express default)',
      breaks: [],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req, res) => {
          if (contentLength(req) <= 100 * 1024) return false;
          req.resume();
          res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' }).end('{"error":"request entity too large"}');
          return true;
        },
      }),
    },
    {
      id: 'tolerated-close-after-limit',
      description: 'reads 1 MiB of a larger body, then closes the connection',
      breaks: [],
      options: SECURITY_OPTION_NUMBERS,
      hooks: () => ({
        intercept: (req) => {
          if (contentLength(req) <= MIB) return false;
          let read = 0;
          req.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read >= MIB) req.socket.destroy();
          });
          return true;
        },
      }),
    },
  ];
}

/** Another key for `refuses-everything`: the zoo's shared one (never the Co-signer's). */
function otherKey(): ReturnType<typeof generateRsaKeyPair> {
  return zooKeyPair();
}

function onlyContentType(req: IncomingMessage, res: ServerResponse, type: string): boolean {
  if (req.method !== 'POST' || (req.headers['content-type'] ?? '').split(';')[0]!.trim() === type) return false;
  req.resume();
  res.writeHead(415, { 'Content-Type': 'application/json' }).end(`{"error":"expected ${type}"}`);
  return true;
}

/** The fraction of the deadline the slow defect waits; the selftest runs it with slowFraction 0.5. */
export const SLOW_FRACTION_OF_DEADLINE = 0.6;
/** The deadline the selftest's batteries run with by default (ms); the slow defect waits a fraction of it. */
export const SELFTEST_DEADLINE_MS = 10_000;

function slowFor(slow: boolean, res: ServerResponse, body: string, deadlineMs: number): Promise<void> | void {
  const send = () => {
    if (res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) }).end(body);
  };
  if (!slow) return send();
  return sleep(deadlineMs * SLOW_FRACTION_OF_DEADLINE).then(send);
}
