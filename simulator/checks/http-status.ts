import { SECURITY_OPTIONS } from '../protocol/options.js';
import { blocked, fail, pass, type Check } from './context.js';

/**
 * `http-status`: 200, and no redirect (the simulator never follows one). What the Co-signer does
 * with anything else is undocumented [protocol.md §0.5 rule 8]; it gets no valid decision.
 */
export const httpStatusCheck: Check = {
  id: 'http-status',
  run({ result }, prior) {
    const status = result.response?.status;
    if (status === undefined) {
      const by = (['connect', 'tls', 'deadline'] as const).find((id) => prior.get(id)?.status === 'fail') ?? 'connect';
      return blocked('http-status', by);
    }
    if (status === 200) return pass('http-status', { received: 200 });
    const { option, endpoint, url } = result.request;
    const path = new URL(url).pathname;
    let hint: string;
    if (status >= 300 && status < 400) {
      const location = result.response?.headers.location;
      hint = `the Co-signer does not follow redirects: serve the decision at ${path} itself${location ? ` (it redirected to ${location})` : ''}`;
    } else if (status === 404 || status === 405) {
      hint = SECURITY_OPTIONS[option].pathPrefix === '/v2'
        ? `option ${option} uses /v2 paths: is your route POST …/v2/${endpoint}?`
        : `option ${option} uses paths without /v2: is your route POST …/${endpoint}?`;
    } else if (status === 401 || status === 403) {
      const by = result.request.signedBy;
      hint = SECURITY_OPTIONS[option].messageLayer === 'jwt' && by !== undefined && by.cosigner >= 2
        ? `the handler refused a request signed by Co-signer ${by.cosigner} of ${by.of}: each Co-signer signs with its own key, so a handler must trust every Co-signer's public key [protocol.md §14.2]. Co-signer ${by.cosigner}'s key is ${by.source} (SHA-256 of its public key ${by.fingerprint}): add its public half to the keys your handler trusts`
        : SECURITY_OPTIONS[option].messageLayer === 'jwt'
        ? 'the handler refused the request: does it verify with the Co-signer public key this simulator signs with (--cosigner-key / kit)? Does it accept this request Content-Type?'
        : 'the handler refused the request: options 2 and 3 send plain JSON, unsigned';
    } else if (status === 400 || status === 415) {
      hint = 'the handler could not read the request: read the raw body whatever its Content-Type (the Co-signer\'s type is not documented)';
    } else if (status >= 500) {
      hint = 'the handler crashed or errored: look at its log; a handler that cannot decide now should answer RETRY';
    } else {
      hint = 'answer 200 with the decision';
    }
    return fail('http-status', 'mismatch', `handler answered ${status} to POST ${path}`, hint, { expected: 200, received: status });
  },
};
