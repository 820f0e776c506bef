import { describe, expect, it } from 'vitest';
import { explainTlsError } from './explain.js';

describe('explainTlsError', () => {
  it('points option 1 at option 4 for a self-signed certificate: the pinned option with the same (JWT) message layer', () => {
    const { hint } = explainTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 1);
    expect(hint).toContain('option 1 needs a certificate from a publicly trusted CA');
    expect(hint).toContain('use option 4 (jwt+pinned');
    expect(hint).not.toContain('option 2');
  });

  it('carries both fingerprints of a pin mismatch, and none when they are unknown', () => {
    const both = explainTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 2, '', { pinned: 'AA:01', served: 'BB:02' });
    expect(both).toMatchObject({ message: 'the handler presents a certificate other than the pinned one (DEPTH_ZERO_SELF_SIGNED_CERT)', pinnedFingerprint256: 'AA:01', servedFingerprint256: 'BB:02' });
    const none = explainTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 2);
    expect(none).not.toHaveProperty('pinnedFingerprint256');
    expect(none).not.toHaveProperty('servedFingerprint256');
  });

  it('never attaches pin fingerprints to an option that does not pin', () => {
    expect(explainTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 3, '', { pinned: 'AA', served: 'BB' })).not.toHaveProperty('servedFingerprint256');
  });
});
