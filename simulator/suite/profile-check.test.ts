import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../protocol/profiles.js';
import { checkBaseConfigType, checkScenarioConfigTypes } from './profile-check.js';
import type { Scenario } from './types.js';

const scenario = (configType: string, extra: Partial<Scenario> = {}, allowUnknownType = false): Scenario => ({
  name: `sends ${configType}`,
  file: 'scenarios/new-types.yaml',
  line: 3,
  tags: [],
  steps: [{ request: { type: 'config', configType, ...(allowUnknownType ? { allowUnknownType: true } : {}) }, expect: { action: 'APPROVE' } }],
  ...extra,
});

describe('checkScenarioConfigTypes', () => {
  it('passes the types the profile sends', () => {
    expect(() => checkScenarioConfigTypes([scenario('POLICY_CHANGE'), scenario('PROTECTED_TAG_CHANGE'), scenario('ADD_USER')], resolveProfile('latest'))).not.toThrow();
    expect(() => checkScenarioConfigTypes([scenario('ADD_USER')], resolveProfile('sgx@3.3.0'))).not.toThrow();
  });

  it("refuses a type the run's profile does not send yet, naming the file, line and first version", () => {
    expect(() => checkScenarioConfigTypes([scenario('POLICY_CHANGE')], resolveProfile('sgx@2025.12.30'))).toThrow(
      expect.objectContaining({
        code: 'CSIM_SCENARIO_INVALID',
        file: 'scenarios/new-types.yaml',
        field: 'request.configType',
        message: 'scenarios/new-types.yaml:3: scenario "sends POLICY_CHANGE", request.configType: POLICY_CHANGE arrived with sgx@2026.03.02; this run simulates sgx@2025.12.30, which never sends it',
        hint: expect.stringContaining('allowUnknownType: true'),
      }),
    );
  });

  it("judges by the scenario's own profile first, and lets allowUnknownType through", () => {
    expect(() => checkScenarioConfigTypes([scenario('PROTECTED_TAG_CHANGE', { profile: 'sgx@3.7.1' })], resolveProfile('latest'))).toThrow(/arrived with sgx@2025\.12\.30.*\(its profile:\)/);
    expect(() => checkScenarioConfigTypes([scenario('POLICY_CHANGE', { profile: 'latest' })], resolveProfile('sgx@3.5.0'))).not.toThrow();
    expect(() => checkScenarioConfigTypes([scenario('POLICY_CHANGE', {}, true)], resolveProfile('sgx@3.5.0'))).not.toThrow();
  });

  it("judges a --base scenario by the command's profile, not its own profile: (the command builds the request)", () => {
    const own = scenario('POLICY_CHANGE', { profile: 'latest' });
    expect(() => checkBaseConfigType(own, resolveProfile('sgx@2025.12.30'))).toThrow(
      expect.objectContaining({
        code: 'CSIM_SCENARIO_INVALID',
        message: 'scenarios/new-types.yaml:3: scenario "sends POLICY_CHANGE", request.configType: POLICY_CHANGE arrived with sgx@2026.03.02; this run simulates sgx@2025.12.30, which never sends it',
      }),
    );
    expect(() => checkBaseConfigType(scenario('PROTECTED_TAG_CHANGE', { profile: 'sgx@3.7.1' }), resolveProfile('latest'))).not.toThrow();
    expect(() => checkBaseConfigType(scenario('POLICY_CHANGE', {}, true), resolveProfile('sgx@3.5.0'))).not.toThrow();
  });
});
