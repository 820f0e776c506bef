import type { SendTxOptions } from '../../client/cosigner.js';
import { UsageError } from '../../errors.js';
import type { CallbackResult, Stage } from '../../protocol/types.js';
import { resolveBases, type BaseRequest } from '../../suite/base.js';
import type { ScenarioCheckOutcome, ScenarioResult } from '../../runner/types.js';
import type { CliIO } from '../io.js';
import type { SendOptions } from '../options.js';
import type { Target } from '../target.js';
import { dryRunReport, runPerOption, type CommandOutcome } from './run.js';
import { planScenarios, printDryRun } from './dry-run.js';

/** `send tx (signing)`, `send config (ADD_USER)` */
export function sendName(o: SendOptions, base?: BaseRequest, shape: SentShape = sentShape(o, base)): string {
  const { type, stage } = shape;
  return o.kind === 'tx' ? `send tx (${stage}${o.batched ? ', batched' : ''})` : `send config (${type ?? 'UNMANAGED_WALLET'})`;
}

/** What a send puts on the wire: the config type (undefined: the default change) and the tx stage. */
export interface SentShape {
  type: string | undefined;
  stage: Stage;
}

/** What is sent, the flags over the --base scenario: the config type (undefined: the default change) and the tx stage. */
function sentShape(o: SendOptions, base: BaseRequest | undefined): SentShape {
  return { type: o.type ?? base?.configType, stage: o.stageGiven ? o.stage : (base?.stage ?? o.stage) };
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

async function sendOnce(o: SendOptions, target: Target, base: BaseRequest | undefined, shape: SentShape): Promise<CallbackResult> {
  // The flags win over the base scenario: its payload first, then --set on top.
  const set = { ...(base?.payload ?? {}), ...o.set };
  const verbatim = [...(base?.verbatim ?? []), ...o.verbatim];
  const payload = Object.keys(set).length > 0 ? { payload: set, verbatim } : {};
  const unsetPaths = [...(base?.unset ?? []).filter((p) => !(p in o.set)), ...o.unset];
  const unset = unsetPaths.length > 0 ? { unset: unsetPaths } : {};
  const as = o.cosigner !== undefined ? { cosigner: o.cosigner } : {};
  const { type, stage } = shape;
  if (o.kind === 'config') {
    return target.cosigner.sendConfigChange({ ...(type !== undefined ? { type } : {}), ...payload, ...unset, ...as });
  }
  return target.cosigner.sendTx({
    stage,
    ...(o.batched ? { batched: true } : {}),
    ...(base?.operation !== undefined ? { operation: base.operation as NonNullable<SendTxOptions['operation']> } : {}),
    ...(base?.destType !== undefined ? { destType: base.destType as NonNullable<SendTxOptions['destType']> } : {}),
    ...(base?.destinations !== undefined ? { destinations: base.destinations as NonNullable<SendTxOptions['destinations']> } : {}),
    ...payload,
    ...unset,
    ...as,
  });
}

/** The `--base` of this kind of request; a base of the other kind is exit 2. */
async function sendBase(o: SendOptions, cwd: string): Promise<BaseRequest | undefined> {
  if (o.base.length === 0) return undefined;
  // The base's config type is checked against --profile only when it is the one sent: --type wins
  // (and was checked itself), --allow-unknown-type sends any.
  const checked = o.kind === 'config' && o.type === undefined && !o.allowUnknownType ? { profile: o.profile } : {};
  const bases = await resolveBases({ base: o.base, cwd, ...checked });
  const other = o.kind === 'tx' ? bases.config : bases.tx;
  if (other) {
    throw new UsageError(`--base ${other.source}: a ${other.kind} scenario, but this is send ${o.kind}`, {
      field: 'base',
      hint: `use a ${o.kind} scenario, or run send ${other.kind} --base '${other.source}'`,
    });
  }
  return o.kind === 'tx' ? bases.tx : bases.config;
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
  const base = await sendBase(o, io.cwd);
  // The shape is computed once: the name and every option's request come from the same one.
  const shape = sentShape(o, base);
  const name = sendName(o, base, shape);
  if (o.dryRun) {
    // One request, no retries: the same plan as a one-step scenario (a --base scenario's payload is
    // resolved above, so a missing or multi-step base is exit 2 in a dry run too).
    const request = o.kind === 'config' ? { type: 'config' as const, ...(o.type !== undefined ? { configType: o.type } : {}) } : { type: 'tx' as const, stage: o.stage, ...(o.batched ? { batched: true } : {}) };
    const payload = Object.keys(o.set).length > 0 ? { payload: o.set } : {};
    const unset = o.unset.length > 0 ? { unset: o.unset } : {};
    printDryRun(planScenarios([{ name, file: '', tags: [], steps: [{ request: { ...request, ...payload, ...unset }, expect: {} }] }], o), o, io, name);
    return { exitCode: 0, report: dryRunReport(o, 'send') };
  }
  return runPerOption(o, io, { command: 'send', detail: true, bail: false, plan: [{ name, file: '' }] }, async (target, nameSuffix, onResult) => {
    const started = performance.now();
    const result = await sendOnce(o, target, base, shape);
    const scenario = exchangeAsResult(`${name}${nameSuffix ?? ''}`, result, performance.now() - started);
    onResult(scenario);
    return [scenario];
  });
}
