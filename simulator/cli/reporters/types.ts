import type { SecurityOptionNumber } from '../../protocol/options.js';
import type { Profile } from '../../protocol/profiles.js';
import type { Warning } from '../../protocol/types.js';
import type { Coverage } from '../../runner/coverage.js';
import type { RunSummary, ScenarioResult } from '../../runner/types.js';
import type { OptionChoice } from '../options.js';

/** One handler the run talks to. */
export interface TargetInfo {
  option: SecurityOptionNumber;
  /** The option's label, e.g. `jwt+pinned`. */
  label: string;
  /** The handler's base URL. */
  url: string;
  /** True for the reference handler the CLI started in-process. */
  embedded: boolean;
}

/** What every reporter knows before the first result. */
export interface RunInfo {
  command: 'run' | 'send' | 'conformance' | 'selftest';
  version: string;
  option: OptionChoice;
  seed: number;
  strict: boolean;
  /** `--accept-warning` ids, when any: they are reported but do not fail `--strict`. */
  acceptedWarnings?: string[];
  /** True when no --url was given. */
  embedded: boolean;
  /** The first target is known at start for one option; with `--option all` they are added as each starts. */
  targets: TargetInfo[];
  /** Width of the name column: the longest name to be reported (capped), for aligned lines. */
  nameWidth?: number;
  /** The Co-signer version the run simulates: the consequence lines and the coverage denominators follow it. Default `latest`. */
  profile?: Profile;
}

export type { InterruptSignal } from '../../runner/types.js';

/** A planned scenario that never started (--bail, or an interrupt). */
export interface NotRunEntry {
  /** The name it would have been reported under (with ` [option N]` under `--option all`). */
  name: string;
  file: string;
  line?: number;
  option: SecurityOptionNumber;
}

/** Everything at the end of a run. */
export interface FinalReport {
  info: RunInfo;
  /** Input order (option by option with `--option all`). */
  results: ScenarioResult[];
  summary: RunSummary;
  /** Warnings about the run itself (a flag that has no effect, ...), not about a handler. */
  warnings: Warning[];
  /** The planned scenarios that never ran, in plan order; absent when every one ran. */
  notRun?: NotRunEntry[];
  /**
   * What the suite exercised (`run` only): computed once where the run ends, so that every
   * reporter reads the same object instead of walking every result again.
   */
  coverage?: Coverage;
  ok: boolean;
}

/** A reporter: the pretty one streams; the machine ones render once at the end. */
export interface Reporter {
  onStart?(info: RunInfo): void;
  onTarget?(target: TargetInfo): void;
  onResult?(result: ScenarioResult): void;
  onEnd(report: FinalReport): void;
}
