/**
 * A scenario's payload or unset path that does not fit the request (CSIM_OVERRIDE_PATH) names
 * the scenario file and line, the scenario and the field as the file writes it. Before, the
 * error named only the path ("Invalid path "destinations.9.amountUSD": ..."), leaving the user to
 * search every scenario file for it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner, type Cosigner } from '../client/cosigner.js';
import { cachedKit } from '../keys/generate.js';
import { startReferenceHandler, type StartedReferenceHandler } from '../reference/handler.js';
import { loadScenarios } from '../suite/index.js';
import { runScenarios } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'csim-override-error-'));
let handler: StartedReferenceHandler;
let cosigner: Cosigner;
beforeAll(async () => {
  const kit = await cachedKit('override-error');
  handler = await startReferenceHandler({ option: 4, kit });
  cosigner = createCosigner({ url: handler.url, option: 4, kit });
});
afterAll(async () => {
  await handler.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(file: string, text: string) {
  writeFileSync(join(dir, file), text);
  const scenarios = await loadScenarios([file], { cwd: dir });
  return runScenarios(scenarios, { cosigner, option: 4 });
}

describe('CSIM_OVERRIDE_PATH from a scenario file', () => {
  it('names the file and line, the scenario and the payload field', async () => {
    const text = [
      '- name: fine',
      '  request: { type: tx }',
      '  expect: { action: APPROVE }',
      '- name: too far',
      '  request:',
      '    type: tx',
      '    payload:',
      '      destinations.9.amountUSD: 1',
      '  expect: { action: APPROVE }',
      '',
    ].join('\n');
    const error = await run('far.yaml', text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'CSIM_OVERRIDE_PATH',
      file: 'far.yaml',
      field: 'request.payload.destinations.9.amountUSD',
      message: expect.stringMatching(/^far\.yaml:4: scenario "too far", request\.payload: Invalid path "destinations\.9\.amountUSD": .*index 9 is past the end/),
    });
    expect((error as Error).cause).toMatchObject({ code: 'CSIM_OVERRIDE_PATH', field: 'destinations.9.amountUSD' });
  });

  it('names the step and the unset field of a multi-step scenario', async () => {
    const text = [
      'name: two steps',
      'steps:',
      '  - request: { type: tx, stage: approval }',
      '    expect: { action: APPROVE }',
      '  - name: signing',
      '    request: { type: tx, unset: [asset.x] }',
      '    expect: { action: APPROVE }',
      '',
    ].join('\n');
    await expect(run('steps.yaml', text)).rejects.toMatchObject({
      code: 'CSIM_OVERRIDE_PATH',
      file: 'steps.yaml',
      field: 'steps.1.request.unset',
      message: expect.stringMatching(/^steps\.yaml:1: scenario "two steps", signing, steps\.1\.request\.unset: Invalid path "asset\.x"/),
    });
  });
});
