import type { OptionalFieldsMode } from '../protocol/context.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import type { Action, CheckOutcome, ScenarioLevelCheckId, Stage } from '../protocol/types.js';
import type { RequestContentType } from '../client/cosigner.js';

/** Check ids of a scenario: the response checks, the scenario-level ones (`upstream`), and `expectation` for the scenario's own expectations. */
export type ScenarioCheckId = CheckOutcome['id'] | ScenarioLevelCheckId | 'expectation';

export interface ScenarioCheckOutcome extends Omit<CheckOutcome, 'id'> {
  id: ScenarioCheckId;
}

/** A string matches exactly; a RegExp (written `/.../flags` in a file) matches by test(). */
export type TextMatcher = string | RegExp;

/** One destination of a tx request: its type and its share of the amount. */
export interface DestinationSpec {
  type?: string;
  amountStr?: string;
}

/** What one request of a scenario sends (the `request:` block of a scenario file, resolved). */
export interface ScenarioRequest {
  type: 'tx' | 'config';
  /** tx only; default signing (with `body`: read from the body). Config changes are always approvals. */
  stage?: Stage;
  /** config only: the change type (default UNMANAGED_WALLET); a documented one unless `allowUnknownType`. */
  configType?: string;
  /** config only: `configType` may be an undocumented type, sent on purpose (a future type). */
  allowUnknownType?: boolean;
  /** Which optional fields the request carries (the scenario's `optionalFields:`); default: the run's. */
  optionalFields?: OptionalFieldsMode;
  /** tx only: the operation template (TRANSFER, CONTRACT_CALL, ...). */
  operation?: string;
  /** tx only: the type of every destination (VAULT, UNMANAGED, ONE_TIME_ADDRESS, ...). */
  destType?: string;
  /** tx only: how many destinations, or one `{ type, amountStr }` per destination. */
  destinations?: number | DestinationSpec[];
  /** Deep-merged over the default payload (dotted keys address array elements). */
  payload?: Record<string, unknown>;
  unset?: string[];
  payloadMode?: 'template' | 'exact';
  /** tx only: a batched request; a number is the batch index (true = 0). */
  batched?: boolean | number;
  contentType?: RequestContentType;
  path?: string;
  headers?: Record<string, string>;
  /** A raw body sent instead of the encoded payload; the answer is judged by the requestId and stage it carries. */
  body?: string;
  /** With `body` a compact JWS: keep its header and payload byte for byte, sign it again with the run's Co-signer key. */
  resign?: boolean;
  /** A PEM file (resolved relative to the scenario file) to sign with instead of the Co-signer key. */
  signWith?: string;
  /** Send as Co-signer n (its key, its signerId); the scenario's `cosigner:` fills it in for every step. */
  cosigner?: number;
  /** Reuse the transaction id of the scenario's first step (steps share txId unless overridden). */
  txId?: string;
}

/** `expect.status` as written: a code, a list of codes, or `refused` (any 401 or 403). */
export type StatusExpectation = number | readonly number[] | 'refused';

/** The `expect:` block. Every field is optional; the response checks always run too. */
export interface ScenarioExpect {
  action?: Action;
  rejectionReason?: TextMatcher | null;
  /** Latency budget in ms; exceeding it fails `expectation`. */
  withinMs?: number;
  /**
   * The HTTP status the handler must answer: one code, any code of a list, or `refused` (401 or
   * 403, the two answers real handlers give a forged request). When 200 is not among them the
   * handler is expected to refuse, and the response checks after http-status are not counted.
   */
  status?: StatusExpectation;
  /** Ids of checks that are expected to fail (for deliberately broken requests or handlers). */
  failChecks?: ScenarioCheckId[];
}

export interface ScenarioStep {
  name?: string;
  request: ScenarioRequest;
  expect: ScenarioExpect;
}

/** One answer of an upstream mock. */
export interface UpstreamResponse {
  /** Default 200. */
  status: number;
  /** Sent as JSON (Content-Type application/json unless `headers` says otherwise). */
  json?: unknown;
  /** Sent as text (Content-Type text/plain unless `headers` says otherwise). */
  text?: string;
  headers?: Record<string, string>;
  /** Answer this late (a slow upstream: lets a scenario test RETRY). */
  delayMs?: number;
}

/**
 * One mock of the handler's own outbound calls (a scenario's `upstream:`), installed with msw in
 * the module target's worker for that scenario only.
 */
export interface UpstreamMock {
  /** Default: any method. */
  method?: string;
  /** The request URL; `*` matches any run of characters. Without `?` the query string is ignored. */
  url: string;
  /** Match on the request body: a string it must contain, or a mapping its JSON must contain. */
  body?: string | Record<string, unknown>;
  /** The answers in call order, the last repeating (one item for a mock without `responses:`). */
  responses: UpstreamResponse[];
}

/** One scenario, loaded, validated and expanded (an `each:` row is its own scenario). */
export interface Scenario {
  name: string;
  /** The file it came from, as given on the command line (relative paths stay relative). */
  file: string;
  /** 1-based line of the scenario in its file, when known. */
  line?: number;
  /** Free text from the file's `description:`. */
  description?: string;
  /** 1-based `each:` row this scenario was expanded from. */
  row?: number;
  tags: string[];
  /** Options this scenario applies to; undefined = all. */
  options?: SecurityOptionNumber[];
  /**
   * The Co-signer version this scenario simulates (`sgx@3.5.0`), as written: its requests are
   * built and judged for it instead of the run's `--profile`; under an option it lacks the
   * scenario is skipped with the reason. Checked when the file is loaded.
   */
  profile?: string;
  retry?: { max: number; intervalMs: number };
  /** The handler's outbound calls, mocked (module targets only); `[]` means it may call nothing. */
  upstream?: UpstreamMock[];
  steps: ScenarioStep[];
}

/** One step's outcome. */
