import { describe, expect, it } from 'vitest';
import { recordExchange } from '../../test/fixtures/report/recorded.js';
import { explainExchange, renderExchange, renderRequestLines } from './explain.js';

// Kept apart from explain.test.ts: the omitted-fields line of issue 9 (no hidden randomness).
describe('the optional fields a request lacked', () => {
  const res = recordExchange();
  const omitted = ['externalTxId', 'destinations.0.dstAddress'];

  it('are one line under the request, and nothing when none were left out', () => {
    expect(renderRequestLines(explainExchange(res)).join('\n')).not.toContain('without optional fields');
    const story = explainExchange({ ...res, request: { ...res.request, omittedFields: omitted, optionalFields: 'none' } });
    expect(renderRequestLines(story)).toContain('          without optional fields: externalTxId, destinations.0.dstAddress');
    // Not chosen at random: the failure story does not start with them.
    expect(renderExchange(story)[0]).toMatch(/^✗ jwt-signature/);
  });

  it('come first in a failure story when --optional-fields random chose them', () => {
    const story = explainExchange({ ...res, request: { ...res.request, omittedFields: omitted, optionalFields: 'random' } });
    const lines = renderExchange(story);
    expect(lines[0]).toBe('this request had no `externalTxId`, `destinations.0.dstAddress` (left out at random; --optional-fields all sends them)');
    expect(lines[1]).toMatch(/^✗ jwt-signature/);
    expect(lines).toContain('          without optional fields: externalTxId, destinations.0.dstAddress (left out at random: --optional-fields random)');
  });
});
