import { describe, expect, it } from 'vitest';
import { buildEndpointUrl, endpointPath, validateBaseUrl } from './endpoints.js';
import type { SecurityOptionNumber } from './options.js';

describe('buildEndpointUrl', () => {
  it('appends /v2/<endpoint> for JWT options 1, 4, 5 and /<endpoint> for 2, 3 [protocol.md §1]', () => {
    for (const o of [1, 4, 5] as const) {
      expect(buildEndpointUrl('https://h/fireblocks/cb', o, 'tx_sign_request')).toBe('https://h/fireblocks/cb/v2/tx_sign_request');
      expect(buildEndpointUrl('https://h/fireblocks/cb', o, 'config_change_sign_request')).toBe('https://h/fireblocks/cb/v2/config_change_sign_request');
    }
    for (const o of [2, 3] as const) {
      expect(buildEndpointUrl('https://h/fireblocks/cb', o, 'tx_sign_request')).toBe('https://h/fireblocks/cb/tx_sign_request');
    }
  });

  it('works with a bare origin and with one trailing slash', () => {
    expect(buildEndpointUrl('https://127.0.0.1:8443', 4, 'tx_sign_request')).toBe('https://127.0.0.1:8443/v2/tx_sign_request');
    expect(buildEndpointUrl('https://127.0.0.1:8443/', 2, 'tx_sign_request')).toBe('https://127.0.0.1:8443/tx_sign_request');
    expect(buildEndpointUrl('https://h/cb/', 1, 'tx_sign_request')).toBe('https://h/cb/v2/tx_sign_request');
  });

  it('refuses unknown endpoints', () => {
    expect(() => buildEndpointUrl('https://h', 1, 'tx_approval_request' as 'tx_sign_request')).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_ARGUMENT' }));
  });

  it('endpointPath gives the relative path', () => {
    expect(endpointPath(1, 'config_change_sign_request')).toBe('/v2/config_change_sign_request');
    expect(endpointPath(3, 'config_change_sign_request')).toBe('/config_change_sign_request');
  });
});

describe('validateBaseUrl', () => {
  it('drops exactly one trailing slash', () => {
    expect(validateBaseUrl('https://h/cb/', 4)).toEqual({ url: 'https://h/cb', plainHttp: false });
    expect(validateBaseUrl('https://h/cb//', 4).url).toBe('https://h/cb/');
    expect(validateBaseUrl('  https://h/cb  ', 4).url).toBe('https://h/cb');
  });

  it.each([
    ['https://h/cb/v2', 'https://h/cb'],
    ['https://h/cb/v2/', 'https://h/cb'],
    ['https://h/cb/tx_sign_request', 'https://h/cb'],
    ['https://h/cb/v2/tx_sign_request', 'https://h/cb'],
    ['https://h/cb/config_change_sign_request/', 'https://h/cb'],
    ['https://h/cb/v2/config_change_sign_request', 'https://h/cb'],
    ['https://h/v2', 'https://h'],
  ])('refuses %s, with a hint naming %s', (bad, fixed) => {
    expect(() => validateBaseUrl(bad, 1)).toThrow(
      expect.objectContaining({ code: 'CSIM_INVALID_URL', message: expect.stringContaining(bad), hint: expect.stringContaining(`use ${fixed} `) }),
    );
  });

  it('refuses a query string or a fragment, hinting the base without it', () => {
    expect(() => validateBaseUrl('https://h/cb?token=1', 4)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL', message: expect.stringContaining('query string'), hint: expect.stringContaining('use https://h/cb') }));
    expect(() => validateBaseUrl('https://h/cb#x', 4)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL', message: expect.stringContaining('fragment') }));
    expect(() => validateBaseUrl('https://h/cb?', 4)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL' }));
  });

  it('refuses unparseable URLs, other schemes and credentials', () => {
    for (const bad of ['not a url', 'h/cb', '', 'ftp://h/cb', 'file:///tmp/x', 'https://user:pw@h/cb']) {
      expect(() => validateBaseUrl(bad, 1)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_URL' }));
    }
  });

  it('allows http for option 1 only, flagged plainHttp', () => {
    expect(validateBaseUrl('http://127.0.0.1:8080/cb', 1)).toEqual({ url: 'http://127.0.0.1:8080/cb', plainHttp: true });
    for (const o of [2, 3, 4, 5] as const) {
      expect(() => validateBaseUrl('http://127.0.0.1:8080/cb', o)).toThrow(
        expect.objectContaining({ code: 'CSIM_INVALID_URL', hint: expect.stringMatching(/^options 2-5 need https; .*https:\/\/127\.0\.0\.1:8080\/cb/) }),
      );
    }
  });

  it('refuses an option outside 1..5', () => {
    expect(() => validateBaseUrl('https://h', 6 as SecurityOptionNumber)).toThrow(expect.objectContaining({ code: 'CSIM_INVALID_OPTION' }));
  });
});
