import type { SecurityOptionNumber } from './options.js';

/** The two endpoints a Co-signer calls [protocol.md §1]. */
export type Endpoint = 'tx_sign_request' | 'config_change_sign_request';

/**
 * The stage of a transaction request. Both stages arrive at `tx_sign_request`; configuration
 * changes are always approvals [protocol.md §4.7, §6].
 */
export type Stage = 'approval' | 'signing';

/** The four decisions a handler may give [protocol.md §7]. IGNORE is for approvals only. */
export type Action = 'APPROVE' | 'REJECT' | 'RETRY' | 'IGNORE';
export const ACTIONS: readonly Action[] = ['APPROVE', 'REJECT', 'RETRY', 'IGNORE'];

/** A JSON value, as carried in request payloads and decoded responses. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One `destinations[]` entry of a `tx_sign_request` [protocol.md §4.2]. */
export interface TxDestination {
  amountNative: number;
  amountNativeStr: string;
  amountUSD: number;
  dstAddress?: string;
  dstAddressType: string;
  dstId: string;
  /** A tag or memo; 2024 wire [protocol.md §14.4]. */
  dstTag?: string;
  dstWalletId?: string;
  dstName?: string;
  dstSubType?: string;
  dstType: string;
  /** Signing stage only on the 2022 wire, both stages on the 2024 wire [protocol.md §4.7, §14.4]. */
  displayDstAddress?: string;
  /** 2024 wire [protocol.md §14.4]. */
  displayDstTag?: string;
  /** The policy verdict: `ALLOW`, `2-TIER`, `BLOCK` [protocol.md §4.2]. */
  action: string;
  actionInfo: JsonObject;
  /** The rule's approvers; 2024 wire [protocol.md §14.4]. */
  authorizationGroups?: JsonObject;
  [key: string]: JsonValue | undefined;
}

/** The payload of a `tx_sign_request` [protocol.md §4.1]. */
export interface TxSignRequestPayload {
  txId: string;
  operation: string;
  sourceType: string;
  sourceId: string;
  destType: string;
  destId: string;
  asset: string;
  amount: number;
  amountStr: string;
  requestedAmount: number;
  requestedAmountStr: string;
  /** Signing stage only. */
  fee?: string;
  /** Absent for a one-time address on the 2024 wire [protocol.md §14.4]. */
  destAddressType?: string;
  destAddress: string;
  destinations: TxDestination[] & JsonValue[];
  externalTxId?: string;
  rawTx?: JsonObject[];
  players?: string[];
  signerId?: string;
  extraParameters?: JsonObject;
  /** The transaction's note; 2024 wire [protocol.md §14.4]. */
  note?: string;
  requestId: string;
  [key: string]: JsonValue | undefined;
}

/** The payload of a `config_change_sign_request` [protocol.md §6]. */
export interface ConfigChangeSignRequestPayload {
  requestId: string;
  signerId?: string;
  type: string;
  extraInfo: JsonObject;
  [key: string]: JsonValue | undefined;
}

/** The documented configuration change types [protocol.md §6]. */
export const CONFIG_CHANGE_TYPES = [
  'UNMANAGED_WALLET',
  'EXCHANGE',
  'FIAT_ACCOUNT',
  'ADD_USER',
  'RE_ENROLL_DEVICE',
  'ENABLE_ONE_TIME_ADDRESS',
  'CHANGE_QUORUM_THRESHOLD',
  'ADD_NETWORK_CONNECTION',
  'SET_NETWORK_CONNECTION_ROUTING_POLICY',
  'SET_NETWORK_ID_POLICY',
  'UPDATE_APPROVAL_GROUP_MAPPING',
  'USERS_GROUP_APPROVAL',
  'POLICY_APPROVAL',
] as const;
export type ConfigChangeType = (typeof CONFIG_CHANGE_TYPES)[number];

/** The documented transaction operations [protocol.md §4.5]. */
export const TX_OPERATIONS = [
  'TRANSFER',
  'BURN',
  'CONTRACT_CALL',
  'PROGRAM_CALL',
  'MINT',
  'RAW',
  'TYPED_MESSAGE',
  'APPROVE',
  'ENABLE_ASSET',
] as const;
export type TxOperation = (typeof TX_OPERATIONS)[number];

/** The stable ids of the response checks, in the order they run. */
export const CHECK_IDS = [
  'connect',
  'tls',
  'deadline',
  'http-status',
  'body-format',
  'jwt-alg',
  'jwt-signature',
  'response-shape',
  'request-id',
  'action',
  'rejection-reason',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/**
 * Checks judged on a whole scenario rather than on one exchange, so they are not among the
 * response checks above (every exchange reports exactly CHECK_IDS, in order): `upstream`, the
 * handler's own outbound calls against the scenario's `upstream:` mocks (in-process module
 * targets only).
 */
export const SCENARIO_CHECK_IDS = ['upstream'] as const;
export type ScenarioLevelCheckId = (typeof SCENARIO_CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** The verdict of one check on one exchange. */
export interface CheckOutcome {
  id: CheckId;
  status: CheckStatus;
  /** One line: what is wrong (fail), or why the check did not run (skip). */
  message?: string;
  /** The fix, for a failure. */
  hint?: string;
  /** A word from a small vocabulary: missing | invalid | mismatch | not-applicable | blocked | ... */
  reason?: string;
  expected?: unknown;
  received?: unknown;
}

/** Something worth knowing that never changes a verdict on its own. */
export interface Warning {
  id: string;
  message: string;
  hint?: string;
  /** Set by the CLI for an id given to `--accept-warning`: reported, but it does not fail `--strict`. */
  accepted?: true;
}

/** What the simulator sent. */
export interface SentRequest {
  method: 'POST';
  endpoint: Endpoint;
  url: string;
  option: SecurityOptionNumber;
  stage: Stage;
  requestId: string;
  txId?: string;
  /** The payload object (claims of the JWT, or the JSON body). */
  payload: JsonObject;
  /** The exact body bytes sent, as text (a compact JWS in JWT options). */
  body: string;
  headers: Record<string, string>;
  /**
   * The optional fields the payload lacks (`externalTxId`, `destinations.0.dstAddress`), as the
   * request factory listed them; absent for raw bodies. A handler that needs one of them fails
   * only on requests without it: this says which those were.
   */
  omittedFields?: string[];
  /** The optional-fields mode (`all`, `none`, `random`) the payload was built under, when built by the factory. */
  optionalFields?: 'all' | 'none' | 'random';
  /**
   * The Co-signer whose key signed it, when the run has several: Co-signer `cosigner` of `of`,
   * its key's `source` (the file) and SHA-256 `fingerprint`, so a refusal can name the key the
   * handler does not trust [protocol.md §14.2].
   */
  signedBy?: { cosigner: number; of: number; source: string; fingerprint: string };
}

/** The decoded parts of a response JWT; present even when verification failed. */
export interface DecodedJwt {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

/** What the handler sent back, when it sent an HTTP response at all. */
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, up to the size cap. */
  body: string;
  /** Bytes read (up to the cap, or the cap plus what overflowed it). */
  bodyBytes: number;
  /** True when the body went past the cap and was not read further. */
  truncated: boolean;
  /** True when the body was read to its end. */
  complete: boolean;
  /** Decoded JWT parts in JWT options (unverified), when the body looks like a JWS. */
  jwt?: DecodedJwt;
  /** The parsed JSON body in JSON options, when it parses. */
  json?: unknown;
}

/** The decision fields exactly as the handler sent them (from JWT claims or JSON body). */
export interface Decision {
  action?: unknown;
  requestId?: unknown;
  /** Absent when the handler omitted it; `null` when it sent null. */
  rejectionReason?: unknown;
  hasRejectionReason: boolean;
}

/** Milliseconds from the start of the exchange. */
export interface Timings {
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
}

/** The certificate the handler presented, as seen by the simulator. */
export interface PeerCertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  subjectAltName?: string;
  protocol?: string;
}

/**
 * With reused connections (`load --reuse-connections`): the kept-alive connection a request went
 * over. The `tls` check judges a connection on the request that opened it; the others refer to it.
 */
export interface ConnectionInfo {
  /** 1, 2, ... in the order the Co-signer's pool opened its connections. */
  id: number;
  /** True when an earlier request opened the connection: no TCP connect or TLS handshake ran for this one. */
  reused: boolean;
  /** The requestId of the request whose handshake opened the connection. */
  openedBy: string;
}

/** A transport failure: no usable HTTP exchange happened, or it broke off. */
export interface TransportFailure {
  /** The check it belongs to. */
  check: 'connect' | 'tls' | 'deadline';
  /** Node's or undici's error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, UND_ERR_SOCKET, ...). */
  code?: string;
  message: string;
  hint?: string;
  /** Options 2 and 4, on a pin mismatch: the SHA-256 fingerprint the Co-signer pins. */
  pinnedFingerprint256?: string;
  /** Options 2 and 4, on a pin mismatch: the SHA-256 fingerprint of the certificate the handler served. */
  servedFingerprint256?: string;
}

/**
 * One request and everything that came of it. A handler fault is data here, never a thrown
 * error: read `checks` (and `ok`) for the verdict.
 */
export interface CallbackResult {
  request: SentRequest;
  response?: ReceivedResponse;
  decision: Decision;
  timings: Timings;
  /** The certificate the handler served; on a reused connection, the one its handshake saw. */
  peerCertificate?: PeerCertificateInfo;
  transportFailure?: TransportFailure;
  /** Only with reused connections: the connection the request went over. */
  connection?: ConnectionInfo;
  /**
   * The id of the Co-signer profile (`sgx@3.3.0`) the answer was judged under: a send's own
   * `profile` (a scenario's `profile:`, a resend's), else the client's. It decides which answers
   * are honoured, so the consequence lines read it; absent on a result judged without one.
   */
  profile?: string;
  checks: CheckOutcome[];
  warnings: Warning[];
  /** True when no check failed. */
  ok: boolean;
}
