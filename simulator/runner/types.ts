import type { SecurityOptionNumber } from '../protocol/options.js';
import type { CallbackResult, CheckStatus, Endpoint, Stage, Warning } from '../protocol/types.js';
import type { ScenarioCheckOutcome } from '../suite/types.js';

// The runner runs what the suite loaded: its result types build on the scenario types, re-exported
// here so a result consumer needs one import.
export type { DestinationSpec, Scenario, ScenarioCheckId, ScenarioCheckOutcome, ScenarioExpect, ScenarioRequest, ScenarioStep, TextMatcher } from '../suite/types.js';

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

/**
 * A result's status: a check's, or `notRun` (conformance: a probe that needed what its group's
 * positive control failed to get, or whose answer is inconclusive because of it).
 */
export type ResultStatus = CheckStatus | 'notRun';

export interface ScenarioResult {
  name: string;
  file: string;
  line?: number;
  option: SecurityOptionNumber;
  status: ResultStatus;
  /** Why the scenario did not run (e.g. "option 3 not in options [4, 5]"); for `notRun`, why not. */
  skipReason?: string;
  /** `notRun` only: the result whose failure kept this one from running (`forgery/positive-control`). */
  rootCause?: string;
  /** A failure that was expected (`knownFailures`, `--expect-fail`): reported as skipped, it does not fail the run. */
  knownFailure?: boolean;
  /** `protocol/content-types` only: what the handler did with each request Content-Type. */
  contentTypes?: Record<string, ContentTypeVerdict>;
  steps: StepResult[];
  /**
   * The final attempt's checks, in run order, then `expectation`; for several steps, each step's
   * checks and expectation in turn, with messages prefixed by the step name (`approval: …`).
   */
  checks: ScenarioCheckOutcome[];
  warnings: Warning[];
  durationMs: number;
}

/** What a handler did with one request Content-Type: decided, refused (4xx), failed otherwise, or never answered. */
export type ContentTypeVerdict = 'accepted' | 'refused' | 'error' | 'no answer';

/** The signals a run stops early on: exit 130 and 143. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface RunSummary {
  ok: boolean;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Planned scenarios that never started: left out by `bail`, or by an interrupt. */
  notRun: number;
  /** The signal that cut the run short (Ctrl-C is SIGINT); absent when the run ended on its own. */
  interrupted?: InterruptSignal;
  durationMs: number;
  warnings: number;
}
