import type { OptionNumber } from '../protocol/options.js';
import type { Action, CallbackResult, CheckOutcome, CheckStatus, Endpoint, Stage, Warning } from '../protocol/types.js';
import type { RequestContentType } from '../client/cosigner.js';

/** Check ids of a scenario: the response checks, plus `expectation` for the scenario's own expectations. */
export type ScenarioCheckId = CheckOutcome['id'] | 'expectation';

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
  /** tx only; default signing. Config changes are always approvals. */
  stage?: Stage;
  /** config only: the change type (default UNMANAGED_WALLET). */
  configType?: string;
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
  /** A raw body sent instead of the encoded payload. */
  body?: string;
  /** A PEM file (resolved relative to the scenario file) to sign with instead of the Co-signer key. */
  signWith?: string;
  /** Reuse the transaction id of the scenario's first step (steps share txId unless overridden). */
  txId?: string;
}

/** The `expect:` block. Every field is optional; the response checks always run too. */
export interface ScenarioExpect {
  action?: Action;
  rejectionReason?: TextMatcher | null;
  /** Latency budget in ms; exceeding it fails `expectation`. */
  withinMs?: number;
  /** Expect the handler to refuse: e.g. `status: 401` for a forged request. Then the response checks that a refusal must fail are not counted. */
  status?: number;
  /** Ids of checks that are expected to fail (for deliberately broken requests or handlers). */
  failChecks?: ScenarioCheckId[];
}

export interface ScenarioStep {
  name?: string;
  request: ScenarioRequest;
  expect: ScenarioExpect;
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
  options?: OptionNumber[];
  retry?: { max: number; intervalMs: number };
  steps: ScenarioStep[];
}

/** One step's outcome. */
export interface StepResult {
  name?: string;
  endpoint: Endpoint;
  stage: Stage;
  /** Every attempt: more than one when the handler answered RETRY and the scenario retries. */
  attempts: CallbackResult[];
  /** The last attempt. */
  final: CallbackResult;
  /** The scenario's own expectations on the final attempt. */
  expectation: ScenarioCheckOutcome;
}

export interface ScenarioResult {
  name: string;
  file: string;
  line?: number;
  option: OptionNumber;
  status: CheckStatus;
  /** Why the scenario did not run (e.g. "option 3 not in options [4, 5]"). */
  skipReason?: string;
  steps: StepResult[];
  /**
   * The final attempt's checks, in run order, then `expectation`; for several steps, each step's
   * checks and expectation in turn, with messages prefixed by the step name (`approval: …`).
   */
  checks: ScenarioCheckOutcome[];
  warnings: Warning[];
  durationMs: number;
}

export interface RunSummary {
  ok: boolean;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Scenarios left out after a failure with `bail`. */
  notRun: number;
  durationMs: number;
  warnings: number;
}
