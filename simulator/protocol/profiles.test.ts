import { describe, expect, it } from 'vitest';
import { isCsimError } from '../errors.js';
import {
  compareVersions,
  configTypesOf,
  illegalAction,
  listProfiles,
  optionAvailability,
  PROFILE_FEATURES,
  PROFILE_RELEASES,
  PROFILE_SOURCES,
  requireOption,
  resolveProfile,
  userAgentOf,
  wireOf,
} from './profiles.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('profiles', () => {
  it('lists every version the issue names, and latest is the newest SGX profile', () => {
    const ids = listProfiles().map((p) => p.id);
    for (const id of ['sgx@3.3.0', 'sgx@3.5.0', 'sgx@3.6.5', 'sgx@3.7.1', 'sgx@2025.12.11', 'sgx@2025.12.30', 'sgx@2026.03.02', 'nitro@2.0.0', 'nitro@2025.12.11', 'nitro@2026.03.02', 'gcp@1.0.0', 'gcp@2025.12.11']) {
      expect(ids).toContain(id);
    }
    expect(resolveProfile('latest').id).toBe('sgx@2026.03.02');
    expect(resolveProfile('latest').requested).toBe('latest');
  });

  it('every fact names a known source and feature', () => {
    for (const r of PROFILE_RELEASES) for (const f of r.facts) {
      expect(Object.keys(PROFILE_SOURCES)).toContain(f.source);
      expect(PROFILE_FEATURES).toContain(f.feature);
    }
  });

  it('resolves a version to the nearest listed lower one, and refuses one below the first', () => {
    expect(resolveProfile('sgx@3.6.9').id).toBe('sgx@3.6.5');
    expect(resolveProfile('SGX@3.7.1').id).toBe('sgx@3.7.1');
    expect(resolveProfile('nitro').id).toBe('nitro@2026.03.02');
    expect(resolveProfile('gcp@2026.04.27').id).toBe('gcp@2025.12.11');
    const e = thrown(() => resolveProfile('sgx@3.0.0'));
    expect(isCsimError(e) && e.code).toBe('CSIM_UNKNOWN_PROFILE');
    expect((e as Error).message).toContain('sgx@3.3.0');
    const typo = thrown(() => resolveProfile('sxg@3.7.1'));
    expect((typo as { hint?: string }).hint).toContain('did you mean sgx@3.7.1');
    expect(isCsimError(thrown(() => resolveProfile('sgx@3.x')))).toBe(true);
  });

  it('compares dotted versions numerically', () => {
    expect(compareVersions('3.7.1', '2025.12.11')).toBeLessThan(0);
    expect(compareVersions('3.10.0', '3.9.9')).toBeGreaterThan(0);
    expect(compareVersions('3.5', '3.5.0')).toBe(0);
  });

  it('options 3-5 need 2025.12.11; 4 and 5 are SGX only; option 3 on Nitro is unconfirmed', () => {
    expect(optionAvailability(resolveProfile('sgx@3.7.1'), 4)).toBe('no');
    expect(optionAvailability(resolveProfile('sgx@2025.12.11'), 4)).toBe('yes');
    expect(optionAvailability(resolveProfile('nitro@2025.12.11'), 3)).toBe('unconfirmed');
    expect(requireOption(resolveProfile('nitro@2025.12.11'), 3)).toBe('unconfirmed');
    const e = thrown(() => requireOption(resolveProfile('sgx@3.7.1'), 5));
    expect(isCsimError(e) && e.code).toBe('CSIM_OPTION_UNAVAILABLE');
    expect((e as Error).message).toContain('arrived with sgx@2025.12.11');
    const nitro = thrown(() => requireOption(resolveProfile('nitro@2026.03.02'), 4));
    expect((nitro as Error).message).toMatch(/not offered by any nitro Co-signer \(it arrived with sgx@2025\.12\.11\)/);
    expect(requireOption(resolveProfile('gcp@1.0.0'), 2)).toBe('yes');
  });

  it('RETRY is illegal before sgx@3.6.5, and on exchange withdrawals before 2025.12.11', () => {
    expect(illegalAction(resolveProfile('sgx@3.5.0'), 'RETRY', {})?.message).toContain('sgx@3.6.5');
    expect(illegalAction(resolveProfile('sgx@3.6.5'), 'RETRY', {})).toBeUndefined();
    expect(illegalAction(resolveProfile('sgx@3.6.5'), 'RETRY', { sourceType: 'EXCHANGE' })?.message).toContain('sgx@2025.12.11');
    expect(illegalAction(resolveProfile('latest'), 'RETRY', { sourceType: 'EXCHANGE' })).toBeUndefined();
    expect(illegalAction(resolveProfile('sgx@3.3.0'), 'APPROVE', {})).toBeUndefined();
  });

  it('signerId, the wire, config types and the User-Agent follow the profile', () => {
    expect(resolveProfile('sgx@3.3.0').features.has('signer-id')).toBe(false);
    expect(resolveProfile('sgx@3.5.0').features.has('signer-id')).toBe(true);
    expect(wireOf(resolveProfile('sgx@3.5.0'))).toBe('2022');
    expect(wireOf(resolveProfile('latest'))).toBe('2024');
    expect(configTypesOf(resolveProfile('sgx@3.7.1'))).toHaveLength(13);
    expect(configTypesOf(resolveProfile('sgx@2025.12.30'))).toContain('PROTECTED_TAG_CHANGE');
    expect(configTypesOf(resolveProfile('latest'))).toEqual(expect.arrayContaining(['PROTECTED_TAG_CHANGE', 'POLICY_CHANGE']));
    expect(configTypesOf(resolveProfile('gcp@2025.12.11'))).toHaveLength(13);
    expect(userAgentOf(resolveProfile('sgx@3.7.1'), '0.2.0')).toBe('cosigner-sim/0.2.0 (simulating sgx/3.7.1)');
  });
});
