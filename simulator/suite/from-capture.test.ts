import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFromCapture, type CapturedRequest } from './from-capture.js';
import { loadScenarioFile } from './load.js';

const FIXTURES = new URL('../../test/fixtures/captured-requests/', import.meta.url);
function capture(file: string): CapturedRequest {
  const text = readFileSync(new URL(file, FIXTURES), 'utf8').trim();
  return { format: 'jwt', text, payload: JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown> };
}

async function load(yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'csim-from-capture-')), 'replay.yaml');
  writeFileSync(file, yaml);
  return loadScenarioFile(file);
}

describe('scenarioFromCapture', () => {
  it('a request JWT becomes body: (exactly the token) with resign: true, and the loader takes it', async () => {
    const goat = capture('goat-2024.jwt');
    const { scenario, yaml } = scenarioFromCapture({ ...goat, text: `${goat.text}\n` }, { source: 'goat-2024.jwt' });
    expect(scenario).toEqual({
      name: 'replayed tx_sign_request d10c1458-f352-4588-bf08-133c23c6dd08 (approval)',
      request: { type: 'tx', body: goat.text, resign: true },
    });
    expect(yaml).toMatch(/^# A request captured from a Co-signer \(goat-2024\.jwt\): a tx_sign_request at the approval stage,\n# requestId d10c1458-f352-4588-bf08-133c23c6dd08\.\n/);
    expect(yaml).toContain(`  body: ${goat.text}\n`);
    const [loaded] = await load(yaml);
    expect(loaded!.name).toBe(scenario.name);
    expect(loaded!.steps[0]!.request).toEqual({ type: 'tx', body: goat.text, resign: true });
  });

  it('names the signing stage from the fee, and takes a given name', () => {
    expect(scenarioFromCapture(capture('mjw-2022.jwt')).scenario.name).toMatch(/^replayed tx_sign_request .* \(signing\)$/);
    expect(scenarioFromCapture(capture('goat-2024.jwt'), { name: 'mine' }).scenario.name).toBe('mine');
  });

  it('a config change JWT becomes a type: config scenario', () => {
    const text = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from('{"type":"EXCHANGE","requestId":"c1"}').toString('base64url')}.c2ln`;
    const { scenario, yaml } = scenarioFromCapture({ format: 'jwt', text, payload: { type: 'EXCHANGE', requestId: 'c1' } });
    expect(scenario.request).toEqual({ type: 'config', body: text, resign: true });
    expect(yaml).toContain('a config_change_sign_request of type EXCHANGE,');
  });

  it('a JSON body becomes payloadMode: exact with that payload and its stage', async () => {
    const { payload } = capture('docs-eth-2023.jwt');
    const { scenario, yaml } = scenarioFromCapture({ format: 'json', text: JSON.stringify(payload), payload });
    expect(scenario.request).toEqual({ type: 'tx', stage: 'signing', payloadMode: 'exact', payload });
    const [loaded] = await load(yaml);
    expect(loaded!.steps[0]!.request).toMatchObject({ type: 'tx', stage: 'signing', payloadMode: 'exact', payload });
  });

  it('refuses a response, a payload that is no request, and a request without a requestId', () => {
    expect(() => scenarioFromCapture({ format: 'json', text: '{}', payload: { action: 'APPROVE', requestId: 'r' } })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringMatching(/handler response/) }));
    expect(() => scenarioFromCapture({ format: 'json', text: '{}', payload: { hello: 1 } })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', message: expect.stringMatching(/neither a tx_sign_request/) }));
    expect(() => scenarioFromCapture({ format: 'json', text: '{}', payload: { txId: 't' } })).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT', field: 'requestId' }));
  });
});
