/**
 * `decode` as a library: what a pasted Co-signer request or handler response is, which checks
 * apply to it, whether a key verifies it, and what the response checks say about it where they
 * can run on the text alone. Pure (no I/O): the CLI reads the files and parses the PEMs.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CHECKS } from '../checks/index.js';
import type { CheckInput, PriorOutcomes } from '../checks/context.js';
import { verifyRs256, type ParsedBody } from '../codec/response.js';
import { UsageError } from '../errors.js';
import { CHECK_IDS, type CheckId, type CheckOutcome, type Endpoint, type SentRequest, type Stage } from '../protocol/types.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { explainToken, oneLineJson, type SignatureStory, type TokenStory } from '../report/explain.js';
import { createRedactor } from '../report/redact.js';
import { parsePasted, type PastedMessage } from './paste.js';

/** What a payload is, read from its fields alone. */
export type Classification =
  | { kind: 'tx_sign_request'; endpoint: 'tx_sign_request'; stage: Stage; because: string }
  | { kind: 'config_change_sign_request'; endpoint: 'config_change_sign_request'; stage: 'approval'; type: string; because: string }
  | { kind: 'response'; action: unknown; because: string }
  | { kind: 'unknown'; because: string };

export type DecodedKind = Classification['kind'];

const has = (o: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Fields only a tx_sign_request has at its top level [protocol.md §4.1]. */
const TX_FIELDS = ['txId', 'operation', 'asset', 'destinations', 'amount', 'amountStr', 'sourceType'] as const;

/**
 * Name the kind of a payload: a response by `action` [protocol.md §0.4], a config change by `type`
 * [protocol.md §6], a transaction by its tx fields, at the signing stage when it has `fee` or
 * `rawTx` and at the approval stage otherwise [protocol.md §4.7] (`displayDstAddress` is no stage
 * marker: the 2024 approval capture has it).
 *
 * @example
 * classifyPayload({ action: 'APPROVE', requestId: 'r1' }).kind; // 'response'
 * classifyPayload({ txId: 't', fee: '0.1', requestId: 't' }); // { kind: 'tx_sign_request', stage: 'signing', … }
 */
export function classifyPayload(payload: Record<string, unknown>): Classification {
  if (has(payload, 'action')) return { kind: 'response', action: payload['action'], because: 'it has `action`' };
  const tx = TX_FIELDS.filter((f) => has(payload, f));
  if (has(payload, 'type') && tx.length === 0) {
    return { kind: 'config_change_sign_request', endpoint: 'config_change_sign_request', stage: 'approval', type: String(payload['type']), because: 'it has `type`' };
  }
  if (tx.length > 0) {
    const signing = ['fee', 'rawTx'].filter((f) => has(payload, f));
    return signing.length > 0
      ? { kind: 'tx_sign_request', endpoint: 'tx_sign_request', stage: 'signing', because: `it has ${signing.map((f) => `\`${f}\``).join(' and ')}` }
      : { kind: 'tx_sign_request', endpoint: 'tx_sign_request', stage: 'approval', because: 'it has no `fee` or `rawTx`' };
  }
  return { kind: 'unknown', because: 'it has none of `action`, `type`, `txId`, `operation`, `asset`, `destinations`' };
}

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Something decode found, one line, with the fix (the same shape as a `doctor` finding). */
export interface DecodeFinding {
  id: string;
  severity: FindingSeverity;
  message: string;
  fix?: string;
}

export interface DecodeOptions {
  /**
   * The key to verify with, public or private (its public half is used): the Co-signer key for a
   * request, the handler key for a response.
   */
  key?: KeyObject;
  /** How messages name the key (its file). Default `the key`. */
  keyLabel?: string;
  /** The request a response answers (its text, as pasted): lets `request-id` and the stage be judged. */
  request?: string;
  /** Show signatures and secret-looking fields as they are. Default false. */
  showSecrets?: boolean;
}

/** A decoded request or response, redacted unless `showSecrets`. */
export interface DecodeReport {
  kind: DecodedKind;
  /** Why this kind, in words (`it has \`fee\``). */
  because: string;
  /** A request's endpoint. */
  endpoint?: Endpoint;
  /** A tx_sign_request's stage (config changes are approvals). */
  stage?: Stage;
  /** A config_change_sign_request's `type`. */
  type?: string;
  /** A response's `action`, as sent. */
  action?: unknown;
  format: 'jwt' | 'json';
  /** What tidying took off the pasted text. */
  tidied: string[];
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The JWS signature (a JWT only): its length, or itself with `showSecrets`. */
  signature?: SignatureStory;
  /** True or false when a key was given (a JWT only), absent otherwise. */
  verified?: boolean;
  /** The check ids that judge this message (a response) or the answer to it (a request), in run order. */
  checks: CheckId[];
  /**
   * A response only: each check as far as it can be judged from the text (the transport checks
   * cannot: `skip`, reason `not-judged`).
   */
  outcomes?: CheckOutcome[];
  /** What is wrong (`error`), doubtful (`warning`) or worth knowing (`info`). */
  findings: DecodeFinding[];
  /** Notes on the checks that apply (IGNORE at the signing stage, …). */
  notes: string[];
  /** The decoded token as the report module tells it (a JWT only), the whole payload on one line. */
  token?: TokenStory;
  /** The pasted message as parsed, unredacted: the exact text to replay (what `--save-scenario` builds on). */
  message: PastedMessage;
}

/** The checks that cannot run on a body alone: they judge the connection and the HTTP answer. */
const LIVE_ONLY: readonly CheckId[] = ['connect', 'tls', 'deadline', 'http-status'];
const JWT_ONLY: readonly CheckId[] = ['jwt-alg', 'jwt-signature'];

function checksFor(format: 'jwt' | 'json'): CheckId[] {
  return CHECK_IDS.filter((id) => format === 'jwt' || !JWT_ONLY.includes(id));
}

function publicHalf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** The request a response answers, as the checks need it. */
interface AnsweredRequest {
  endpoint: Endpoint;
  stage: Stage;
  requestId: string;
  txId?: string;
}

function answeredRequest(text: string): AnsweredRequest {
  const message = parsePasted(text, '--request');
  const c = classifyPayload(message.payload);
  if (c.kind !== 'tx_sign_request' && c.kind !== 'config_change_sign_request') {
    throw new InvalidRequestArgument(`--request must be the request the response answers, but it is ${c.kind === 'response' ? 'a response' : 'not a Co-signer request'} (${c.because})`);
  }
  const requestId = message.payload['requestId'];
  if (typeof requestId !== 'string') throw new InvalidRequestArgument('--request has no string `requestId` to compare the response with');
  const txId = message.payload['txId'];
  return { endpoint: c.endpoint, stage: c.stage, requestId, ...(typeof txId === 'string' ? { txId } : {}) };
}

/** `--request` that is no request: a usage error (exit 2). */
class InvalidRequestArgument extends UsageError {
  constructor(message: string) {
    super(message, { field: 'request', hint: 'give --request the request JWT (or JSON body) this response answers, pasted from the same log' });
  }
}

/**
 * Judge a response as far as its text allows, with the same checks a live exchange runs
 * (simulator/checks): body-format, jwt-alg, jwt-signature (with a key), response-shape,
 * request-id (with the request), action, rejection-reason.
 */
function judgeResponse(message: PastedMessage, key: KeyObject | undefined, request: AnsweredRequest | undefined): CheckOutcome[] {
  // A JWT body is judged as option 1 would, a JSON body as option 2: only the message layer matters here.
  const option: SecurityOptionNumber = message.format === 'jwt' ? 1 : 2;
  const parsed: ParsedBody =
    message.format === 'jwt'
      ? { format: 'jws', header: message.header, payload: message.payload, signingInput: message.signingInput, signature: message.signature }
      : { format: 'json', value: message.payload };
  const sent: SentRequest = {
    method: 'POST',
    endpoint: request?.endpoint ?? 'tx_sign_request',
    url: '',
    option,
    // Without the request the stage is unknown: judged as an approval, and a note says IGNORE's catch.
    stage: request?.stage ?? 'approval',
    requestId: request?.requestId ?? '',
    ...(request?.txId !== undefined ? { txId: request.txId } : {}),
    payload: {},
    body: '',
    headers: {},
  };
  const input: CheckInput = {
    result: {
      request: sent,
      response: { status: 200, headers: {}, body: message.text, bodyBytes: Buffer.byteLength(message.text), truncated: false, complete: true },
      decision: { hasRejectionReason: false },
      timings: { totalMs: 0 },
    },
    timeoutMs: 30_000,
    parsed,
    claims: message.payload,
    ...(key ? { handlerPublicKey: key } : {}),
  };
  const prior = new Map<CheckId, CheckOutcome>();
  for (const check of CHECKS) {
    let outcome: CheckOutcome;
    if (LIVE_ONLY.includes(check.id)) outcome = { id: check.id, status: 'skip', reason: 'not-judged', message: 'needs the live exchange: decode sees only the body' };
    else if (check.id === 'request-id' && !request) outcome = { id: 'request-id', status: 'skip', reason: 'no-request', message: 'no request to compare with (decode --request <jwt>)' };
    else {
      // The live-only checks are left out of what the body checks see, so nothing is blocked by them.
      const seen: PriorOutcomes = new Map([...prior].filter(([id]) => !LIVE_ONLY.includes(id)));
      outcome = check.run(input, seen);
      if (outcome.status === 'skip' && outcome.reason === 'not-applicable') outcome = { ...outcome, message: 'a plain JSON body (options 2 and 3) is not a JWT' };
      if (outcome.status === 'skip' && outcome.reason === 'no-key') outcome = { ...outcome, message: 'no key to verify with (decode --key <handler public key>)' };
    }
    prior.set(check.id, outcome);
  }
  return [...prior.values()];
}

/** A signature blanked out for publication: zero bytes, or the text `000…` (the ETH guide's token [protocol.md §10.2]). */
function zeroedSignature(message: Extract<PastedMessage, { format: 'jwt' }>): boolean {
  const segment = message.text.split('.')[2] ?? '';
  return /^0+$/.test(segment) || (message.signature.length > 0 && message.signature.every((b) => b === 0));
}

/**
 * Decode a pasted request or response: tidy the text, take it apart, say what it is and which
 * checks apply, verify it with `key` when given, and judge a response with the checks that can
 * run on its text. Throws InvalidArgumentError (exit 2) when the text is neither a JWT nor a
 * JSON object, and UsageError for a key given with plain JSON or a `request` that is no request.
 *
 * @example
 * const report = decodeMessage(readFileSync('captured.jwt', 'utf8'), { key: cosignerPublicKey });
 * report.kind; // 'tx_sign_request'
 * report.verified; // true
 */
export function decodeMessage(text: string, options: DecodeOptions = {}): DecodeReport {
  const showSecrets = options.showSecrets ?? false;
  const r = createRedactor(showSecrets);
  const message = parsePasted(text);
  const c = classifyPayload(message.payload);
  const keyLabel = options.keyLabel ?? 'the key';
  if (options.key && message.format === 'json') {
    throw new UsageError(`--key ${keyLabel}: a plain JSON body carries no signature, so there is nothing to verify`, {
      field: 'key',
      hint: 'options 2 and 3 exchange plain JSON and rely on TLS alone; drop --key, or paste the JWT of a JWT option (1, 4, 5)',
    });
  }
  if (options.request !== undefined && c.kind !== 'response') {
    throw new UsageError(`--request goes with a response, and this is ${c.kind === 'unknown' ? 'not a response' : `a ${c.kind}`} (${c.because})`, {
      field: 'request',
      hint: 'decode the response and give --request the request it answers; drop --request to decode a request',
    });
  }
  const key = options.key ? publicHalf(options.key) : undefined;
  const findings: DecodeFinding[] = [];
  const notes: string[] = [];
  const checks = checksFor(message.format);
  let outcomes: CheckOutcome[] | undefined;
  let verified: boolean | undefined;

  if (c.kind === 'response') {
    const request = options.request !== undefined ? answeredRequest(options.request) : undefined;
    outcomes = judgeResponse(message, key, request);
    for (const o of outcomes.filter((x) => x.status === 'fail')) {
      findings.push({ id: o.id, severity: 'error', message: r.text(o.message ?? o.reason ?? 'failed'), ...(o.hint ? { fix: r.text(o.hint) } : {}) });
    }
    if (key) verified = outcomes.find((o) => o.id === 'jwt-signature')?.status === 'pass';
    if (key && !verified && !findings.some((f) => f.id === 'jwt-signature')) {
      const blocker = outcomes.find((o) => o.id === 'jwt-signature');
      findings.push({ id: 'jwt-signature', severity: 'error', message: `not verified with ${keyLabel}: ${blocker?.message ?? 'the signature was not checked'}` });
    }
    if (!request && c.action === 'IGNORE') notes.push('IGNORE is valid at the approval stage only; give --request to know the stage it answers');
  } else if (c.kind === 'tx_sign_request' || c.kind === 'config_change_sign_request') {
    notes.push(c.stage === 'signing' ? 'the answer may be APPROVE, REJECT or RETRY: IGNORE fails `action` at the signing stage' : 'the answer may be APPROVE, REJECT, RETRY or IGNORE (an approval)');
    if (message.format === 'jwt') {
      const alg = message.header['alg'];
      if (alg !== 'RS256') {
        findings.push({ id: 'request-alg', severity: 'warning', message: `the request header says alg ${JSON.stringify(alg)}; the Co-signer signs with RS256`, fix: 'a request with another alg did not come from a Co-signer: check where it was captured' });
      }
      if (zeroedSignature(message)) {
        findings.push({ id: 'request-signature-zeroed', severity: 'info', message: 'the signature is all zeros: a published example with its signature blanked out', fix: 'nothing verifies it; replay it re-signed with a test key' });
      }
      if (key) {
        verified = alg === 'RS256' && verifyRs256(message.signingInput, message.signature, key);
        if (!verified) {
          findings.push({
            id: 'request-signature',
            severity: 'error',
            message: `the request does not verify with ${keyLabel} (RS256, the Co-signer public key)`,
            fix: 'verify with the Co-signer public key your handler is configured with; a token changed after signing (or cut when copied) never verifies',
          });
        }
      }
    }
  } else {
    findings.push({ id: 'unknown-kind', severity: 'warning', message: `neither a Co-signer request nor a handler response: ${c.because}`, fix: 'paste the body of a tx_sign_request, a config_change_sign_request or the answer to one' });
    if (key && message.format === 'jwt') verified = verifyRs256(message.signingInput, message.signature, key);
    if (verified === false) findings.push({ id: 'signature', severity: 'error', message: `the token does not verify with ${keyLabel} (RS256)` });
  }

  // The report module's token story, with the whole payload on one line: a decode shows it all.
  const token = message.format === 'jwt' ? { ...explainToken(message.text, { showSecrets }), payload: oneLineJson(message.payload, { showSecrets, maxChars: Number.MAX_SAFE_INTEGER }) } : undefined;
  return {
    kind: c.kind,
    because: c.because,
    ...(c.kind === 'tx_sign_request' || c.kind === 'config_change_sign_request' ? { endpoint: c.endpoint, stage: c.stage } : {}),
    ...(c.kind === 'config_change_sign_request' ? { type: c.type } : {}),
    ...(c.kind === 'response' ? { action: r.value(c.action) } : {}),
    format: message.format,
    tidied: message.tidied,
    ...(message.format === 'jwt' ? { header: r.value(message.header) } : {}),
    payload: r.value(message.payload),
    ...(token ? { signature: token.signature, token } : {}),
    ...(verified !== undefined ? { verified } : {}),
    checks,
    ...(outcomes ? { outcomes } : {}),
    findings,
    notes,
    message,
  };
}

/** True when any finding is an error: decode then exits 1. */
export function hasErrors(report: Pick<DecodeReport, 'findings'>): boolean {
  return report.findings.some((f) => f.severity === 'error');
}
