import { createHmac, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { base64url, signCompactJws } from '../codec/jws.js';
import { generateTestCertificate } from '../keys/generate.js';
import { zooKeyPair } from './keys.js';
import type { CertMaterial, Kit } from '../keys/types.js';
import { SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../protocol/options.js';
import type { CheckId } from '../protocol/types.js';
import type { HandlerHooks, HookContext } from '../reference/handler.js';

/**
 * The zoo's one defect that is a handler module rather than reference-handler hooks: the `upstream`
 * check judges a handler's outbound calls, which only a module target (`--handler`) can see, so
 * this entry names the module (targets/module-zoo.ts, built as .js in dist/) to start with
 * the `module` target kind and a scenario whose `upstream:` leaves its call unmocked.
 */
export const UPSTREAM_ZOO_ENTRY = {
  id: 'swallows-unmocked-upstream',
  description: 'calls a risk API no upstream: mock matches and swallows the network error, then approves',
  breaks: 'upstream',
  options: SECURITY_OPTION_NUMBERS,
  /** The module, relative to this file. */
  module: '../targets/module-zoo.js',
} as const;

/** Which request a zoo entry is probed with. */
export type ProbeRequest = 'tx-signing' | 'tx-approval' | 'tx-batched' | 'config';

/** A handler that breaks exactly one rule (or, for tolerated variants, none). */
export interface ZooEntry {
  id: string;
  description: string;
  /** The check that must fail; undefined for a tolerated variant that must pass every check. */
  breaks?: CheckId;
  /** Warning ids a tolerated variant is expected to raise. */
  warns?: string[];
  /** The options the defect makes sense for. */
  options: readonly SecurityOptionNumber[];
  hooks: HandlerHooks;
  request?: ProbeRequest;
  /** A short deadline for the defects that stall (ms). */
  timeoutMs?: number;
}

const JWT_OPTIONS: readonly SecurityOptionNumber[] = [1, 4, 5];
const JSON_OPTIONS: readonly SecurityOptionNumber[] = [2, 3];
const PINNED_OPTIONS: readonly SecurityOptionNumber[] = [2, 4];
const ROOT_CA_OPTIONS: readonly SecurityOptionNumber[] = [3, 5];
const CA_CHECKED_OPTIONS: readonly SecurityOptionNumber[] = [1, 3, 5];
const DEFAULT_HEADER = '{"alg":"RS256","typ":"JWT"}';

/** Sign claims as a handler would (RS256 unless another header is given). */
export function signClaims(claims: Record<string, unknown>, key: KeyObject, header = DEFAULT_HEADER): string {
  return signCompactJws(JSON.stringify(claims), key, header);
}

/** The correct body for an option: a JWS with the handler key, or JSON. */
function correctBody(claims: Record<string, unknown>, ctx: HookContext): string {
  return JWT_OPTIONS.includes(ctx.option) ? signClaims(claims, ctx.kit.handler.privateKey) : JSON.stringify(claims);
}

function writeBody(res: ServerResponse, body: string, contentType: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Extra certificates the TLS defects serve; made once per zoo. */
interface ZooCertificates {
  unpinned: CertMaterial;
  expired: CertMaterial;
  wrongHost: CertMaterial;
  foreignLeaf: CertMaterial;
}

async function makeCertificates(kit: Kit): Promise<ZooCertificates> {
  const day = 24 * 3600 * 1000;
  // One shared key pair (selftest/keys.ts): each certificate differs from the kit's by what it says.
  const keyPair = await zooKeyPair();
  const foreignCa = await generateTestCertificate({ commonName: 'Some Other Root CA', isCa: true, keyPair });
  const [unpinned, expired, wrongHost, foreignLeaf] = await Promise.all([
    generateTestCertificate({ commonName: 'not the pinned certificate', keyPair }),
    generateTestCertificate({ issuer: kit.rootCa, notBefore: new Date(Date.now() - 60 * day), notAfter: new Date(Date.now() - day), keyPair }),
    generateTestCertificate({ issuer: kit.rootCa, altNames: [{ type: 2, value: 'other.example' }], keyPair }),
    generateTestCertificate({ issuer: foreignCa, keyPair }),
  ]);
  return { unpinned, expired, wrongHost, foreignLeaf };
}

/**
 * The zoo: one deliberately broken handler per rule each check enforces, plus correct handlers
 * with the variants real handlers send and the Co-signer tolerates. Each entry is a set of hooks
 * on the reference handler, so each defect is one or two lines. The tests and
 * `cosigner-sim selftest` run every entry and prove the check meant for it fails, and only it.
 *
 * @example
 * const zoo = await createZoo(kit);
 * const wrongKey = zoo.find((e) => e.id === 'wrong-signing-key');
 * await using handler = await startTarget({ kind: 'reference', option: 4, hooks: wrongKey.hooks }, { kit });
 */
export async function createZoo(kit: Kit): Promise<ZooEntry[]> {
  const certs = await makeCertificates(kit);
  return [
    // connect
    {
      id: 'reset-before-answer',
      description: 'closes the connection without answering',
      breaks: 'connect',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { intercept: (req) => (req.socket.destroy(), true) },
    },
    {
      id: 'reset-mid-body',
      description: 'sends the headers and half the body, then resets the connection',
      breaks: 'connect',
      options: SECURITY_OPTION_NUMBERS,
      hooks: {
        respond: (res, body) => {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
          res.write(body.slice(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
        },
      },
    },
    // tls
    {
      id: 'unpinned-certificate',
      description: 'serves a self-signed certificate other than the pinned one',
      breaks: 'tls',
      options: PINNED_OPTIONS,
      hooks: { tls: () => certs.unpinned },
    },
    {
      id: 'expired-certificate',
      description: 'serves an expired leaf',
      breaks: 'tls',
      options: CA_CHECKED_OPTIONS,
      hooks: { tls: () => certs.expired },
    },
    {
      id: 'wrong-hostname',
      description: 'serves a leaf for another host name (other.example)',
      breaks: 'tls',
      options: CA_CHECKED_OPTIONS,
      hooks: { tls: () => certs.wrongHost },
    },
    {
      id: 'leaf-outside-root-ca',
      description: 'serves a leaf signed by another CA',
      breaks: 'tls',
      options: CA_CHECKED_OPTIONS,
      hooks: { tls: () => certs.foreignLeaf },
    },
    {
      id: 'self-signed-leaf',
      description: 'serves a self-signed leaf where a Root-CA-signed one is required',
      breaks: 'tls',
      options: ROOT_CA_OPTIONS,
      hooks: { tls: ({ kit: k }) => k.pinned },
    },
    // deadline
    {
      id: 'never-answers',
      description: 'reads the request and never answers',
      breaks: 'deadline',
      options: SECURITY_OPTION_NUMBERS,
      timeoutMs: 400,
      hooks: { respond: () => undefined },
    },
    {
      id: 'trickles-bytes',
      description: 'sends the headers, then one byte every 50 ms',
      breaks: 'deadline',
      options: SECURITY_OPTION_NUMBERS,
      timeoutMs: 400,
      hooks: {
        respond: (res, body) => {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
          let i = 0;
          const timer = setInterval(() => {
            if (i >= body.length || res.destroyed) {
              clearInterval(timer);
              if (!res.destroyed) res.end();
              return;
            }
            res.write(body[i++]);
          }, 50);
          res.on('close', () => clearInterval(timer));
        },
      },
    },
    // http-status
    {
      id: 'status-500',
      description: 'answers 500 with a correct body',
      breaks: 'http-status',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { respond: (res, body) => writeBody(res, body, 'text/plain', 500) },
    },
    {
      id: 'redirect',
      description: 'answers 302 to another path',
      breaks: 'http-status',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { respond: (res) => (res.writeHead(302, { Location: '/elsewhere', 'Content-Length': 0 }), res.end()) },
    },
    {
      id: 'missing-v2-prefix',
      description: 'serves the JWT endpoints without /v2',
      breaks: 'http-status',
      options: JWT_OPTIONS,
      hooks: { path: (_e, correct) => correct.replace('/v2/', '/') },
    },
    {
      id: 'v2-prefix-in-json-mode',
      description: 'serves the JSON endpoints under /v2',
      breaks: 'http-status',
      options: JSON_OPTIONS,
      hooks: { path: (endpoint, correct) => correct.replace(`/${endpoint}`, `/v2/${endpoint}`) },
    },
    // body-format
    {
      id: 'unsigned-json-response',
      description: 'answers plain JSON where a signed JWT is required',
      breaks: 'body-format',
      options: JWT_OPTIONS,
      hooks: { encode: (claims) => JSON.stringify(claims) },
    },
    {
      id: 'jwt-as-json-string',
      description: 'answers the JWT wrapped in a JSON string literal',
      breaks: 'body-format',
      options: JWT_OPTIONS,
      hooks: { encode: (claims, ctx) => JSON.stringify(correctBody(claims, ctx)) },
    },
    {
      id: 'empty-body',
      description: 'answers 200 with an empty body',
      breaks: 'body-format',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { encode: () => '' },
    },
    {
      id: 'huge-body',
      description: 'answers a 2 MiB body',
      breaks: 'body-format',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { encode: () => 'x'.repeat(2 * 1024 * 1024) },
    },
    {
      id: 'jwt-in-json-mode',
      description: 'answers a signed JWT where plain JSON is required',
      breaks: 'body-format',
      options: JSON_OPTIONS,
      hooks: { encode: (claims, ctx) => signClaims(claims, ctx.kit.handler.privateKey) },
    },
    {
      id: 'json-array',
      description: 'answers a JSON array instead of an object',
      breaks: 'body-format',
      options: JSON_OPTIONS,
      hooks: { encode: (claims) => JSON.stringify([claims]) },
    },
    // jwt-alg
    {
      id: 'alg-none',
      description: 'answers an unsigned JWT (alg none)',
      breaks: 'jwt-alg',
      options: JWT_OPTIONS,
      hooks: { encode: (claims) => `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.` },
    },
    {
      id: 'alg-hs256',
      description: 'signs the response with HS256 keyed by the handler public key',
      breaks: 'jwt-alg',
      options: JWT_OPTIONS,
      hooks: {
        encode: (claims, ctx) => {
          const input = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}`;
          return `${input}.${createHmac('sha256', ctx.kit.handler.publicKeyPem).update(input).digest('base64url')}`;
        },
      },
    },
    {
      id: 'alg-rs512',
      description: 'signs with RS512 (what jjwt picks for larger keys)',
      breaks: 'jwt-alg',
      options: JWT_OPTIONS,
      hooks: { encode: (claims, ctx) => signClaims(claims, ctx.kit.handler.privateKey, '{"alg":"RS512","typ":"JWT"}') },
    },
    // jwt-signature
    {
      id: 'wrong-signing-key',
      description: 'signs the response with a key other than the handler key (here: the Co-signer key)',
      breaks: 'jwt-signature',
      options: JWT_OPTIONS,
      hooks: { encode: (claims, ctx) => signClaims(claims, ctx.kit.cosigner.privateKey) },
    },
    {
      id: 'payload-changed-after-signing',
      description: 'signs one decision and sends another',
      breaks: 'jwt-signature',
      options: JWT_OPTIONS,
      hooks: {
        encode: (claims, ctx) => {
          const [h, , s] = signClaims({ ...claims, action: 'REJECT' }, ctx.kit.handler.privateKey).split('.');
          return `${h}.${base64url(JSON.stringify(claims))}.${s}`;
        },
      },
    },
    // response-shape
    {
      id: 'capitalized-claims',
      description: 'spells the claims Action and RequestId',
      breaks: 'response-shape',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ Action: c.action, RequestId: c.requestId }) },
    },
    {
      id: 'missing-request-id',
      description: 'leaves requestId out',
      breaks: 'response-shape',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ action: c.action }) },
    },
    {
      id: 'action-not-a-string',
      description: 'sends action as a number',
      breaks: 'response-shape',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, action: 1 }) },
    },
    // request-id
    {
      id: 'echoes-tx-id',
      description: 'echoes txId instead of requestId (they differ for batched transactions)',
      breaks: 'request-id',
      options: SECURITY_OPTION_NUMBERS,
      request: 'tx-batched',
      hooks: { claims: (c, ctx) => ({ ...c, requestId: ctx.payload.txId }) },
    },
    {
      id: 'wrong-request-id',
      description: 'answers with a requestId of its own',
      breaks: 'request-id',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, requestId: '00000000-0000-4000-8000-000000000000' }) },
    },
    // action
    {
      id: 'lower-case-action',
      description: 'answers "approve" in lower case',
      breaks: 'action',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, action: String(c.action).toLowerCase() }) },
    },
    {
      id: 'unknown-action',
      description: 'answers "ALLOW", which is not a Co-signer action',
      breaks: 'action',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { decide: () => ({ action: 'ALLOW' }) },
    },
    {
      id: 'ignore-at-signing',
      description: 'answers IGNORE to a signing request',
      breaks: 'action',
      options: SECURITY_OPTION_NUMBERS,
      request: 'tx-signing',
      hooks: { decide: () => ({ action: 'IGNORE' }) },
    },
    // rejection-reason
    {
      id: 'rejection-reason-number',
      description: 'sends rejectionReason as a number',
      breaks: 'rejection-reason',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { decide: () => ({ action: 'REJECT', rejectionReason: 42 }) },
    },
    {
      id: 'rejection-reason-object',
      description: 'sends rejectionReason as an object',
      breaks: 'rejection-reason',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { decide: () => ({ action: 'REJECT', rejectionReason: { code: 'LIMIT' } }) },
    },
    // tolerated variants: real handlers send these and the Co-signer accepts them [protocol.md §13]
    {
      id: 'tolerated-extra-claims',
      description: 'adds iat, exp (in the future), txId and timestamp claims',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c, ctx) => ({ ...c, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, txId: ctx.payload.txId ?? null, timestamp: Date.now() }) },
    },
    {
      id: 'tolerated-null-reason',
      description: 'sends rejectionReason: null on APPROVE (the official plugin handler does)',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, rejectionReason: null }) },
    },
    {
      id: 'tolerated-empty-reason',
      description: 'sends rejectionReason: "" on APPROVE',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, rejectionReason: '' }) },
    },
    {
      id: 'tolerated-html-content-type',
      description: 'answers the JWT as text/html (Express res.send)',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { respond: (res, body) => writeBody(res, body, 'text/html; charset=utf-8') },
    },
    {
      id: 'tolerated-trailing-newline',
      description: 'ends the body with a newline',
      options: SECURITY_OPTION_NUMBERS,
      hooks: { respond: (res, body) => writeBody(res, `${body}\n`, 'text/plain') },
    },
    {
      id: 'tolerated-typ-first-header',
      description: 'writes the JWT header as {"typ":"JWT","alg":"RS256"}',
      options: JWT_OPTIONS,
      hooks: { encode: (claims, ctx) => signClaims(claims, ctx.kit.handler.privateKey, '{"typ":"JWT","alg":"RS256"}') },
    },
    {
      id: 'tolerated-expired-exp',
      description: 'adds an exp claim in the past (the Co-signer ignores exp)',
      warns: ['response-exp-past'],
      options: JWT_OPTIONS,
      hooks: { claims: (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 }) },
    },
    {
      id: 'tolerated-reason-on-approve',
      description: 'sends a non-empty rejectionReason with APPROVE',
      warns: ['reason-on-approve'],
      options: SECURITY_OPTION_NUMBERS,
      hooks: { claims: (c) => ({ ...c, rejectionReason: 'approved by rule 7' }) },
    },
  ];
}
