import type { CallbackResult } from '../../protocol/types.js';
import type { ScenarioCheckOutcome, ScenarioResult } from '../../runner/types.js';
import type { CliIO } from '../io.js';
import type { SendOptions } from '../options.js';
import type { Target } from '../target.js';
import { dryRunReport, runPerOption, type CommandOutcome } from './run.js';
import { planScenarios, printDryRun } from './dry-run.js';

/** `send tx (signing)`, `send config (ADD_USER)` */
export function sendName(o: SendOptions): string {
  return o.kind === 'tx' ? `send tx (${o.stage}${o.batched ? ', batched' : ''})` : `send config (${o.type ?? 'UNMANAGED_WALLET'})`;
}

/**
 * Wrap one exchange as a scenario result, so `send` reports through the same reporters as
 * `run`. There is no expectation: the verdict is the response checks alone.
 */
export function exchangeAsResult(name: string, result: CallbackResult, durationMs: number): ScenarioResult {
  const expectation: ScenarioCheckOutcome = { id: 'expectation', status: 'skip', reason: 'not-applicable', message: 'send has no expectation: the response checks decide' };
  const failedFirst = [...result.checks.filter((c) => c.status === 'fail'), ...result.checks.filter((c) => c.status !== 'fail')];
  return {
    name,
    file: '',
    option: result.request.option,
    status: result.ok ? 'pass' : 'fail',
    steps: [{ endpoint: result.request.endpoint, stage: result.request.stage, attempts: [result], final: result, expectation }],
    checks: failedFirst,
    warnings: result.warnings,
    durationMs,
  };
}

async function sendOnce(o: SendOptions, target: Target): Promise<CallbackResult> {
  const payload = Object.keys(o.set).length > 0 ? { payload: o.set, verbatim: o.verbatim } : {};
  const unset = o.unset.length > 0 ? { unset: o.unset } : {};
  if (o.kind === 'config') {
    return target.cosigner.sendConfigChange({ ...(o.type !== undefined ? { type: o.type } : {}), ...payload, ...unset });
  }
  return target.cosigner.sendTx({ stage: o.stage, ...(o.batched ? { batched: true } : {}), ...payload, ...unset });
}

/**
 * `cosigner-sim send tx|config`: send one request and show the decision, like `stripe trigger`.
 * The human output shows the request line, the response and the checks even when it passed.
 *
 * @example
 * const { exitCode, report } = await sendCommand(resolveSendOptions('tx', flags, undefined), processIO());
 * report.results[0]?.steps[0]?.final.decision.action; // 'APPROVE'
 */
export async function sendCommand(o: SendOptions, io: CliIO): Promise<CommandOutcome> {
  if (o.dryRun) {
    // One request, no retries: the same plan as a one-step scenario.
    const request = o.kind === 'config' ? { type: 'config' as const, ...(o.type !== undefined ? { configType: o.type } : {}) } : { type: 'tx' as const, stage: o.stage, ...(o.batched ? { batched: true } : {}) };
    const payload = Object.keys(o.set).length > 0 ? { payload: o.set } : {};
    const unset = o.unset.length > 0 ? { unset: o.unset } : {};
    printDryRun(planScenarios([{ name: sendName(o), file: '', tags: [], steps: [{ request: { ...request, ...payload, ...unset }, expect: {} }] }], o), o, io, sendName(o));
    return { exitCode: 0, report: dryRunReport(o, 'send') };
  }
  return runPerOption(o, io, { command: 'send', detail: true, bail: false, plan: [{ name: sendName(o), file: '' }] }, async (target, nameSuffix, onResult) => {
    const started = performance.now();
    const result = await sendOnce(o, target);
    const scenario = exchangeAsResult(`${sendName(o)}${nameSuffix ?? ''}`, result, performance.now() - started);
    onResult(scenario);
    return [scenario];
  });
}
