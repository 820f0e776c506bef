import { SECURITY_OPTIONS } from '../protocol/options.js';
import { blocked, fail, notApplicable, pass, type Check } from './context.js';

/** `connect`: the handler was reachable and did not reset the connection. */
export const connectCheck: Check = {
  id: 'connect',
  run({ result }) {
    const failure = result.transportFailure;
    if (failure?.check === 'connect') {
      return fail('connect', failure.code === 'ECONNREFUSED' ? 'refused' : 'reset', failure.message, failure.hint ?? '', failure.code ? { received: failure.code } : {});
    }
    if (failure?.check === 'deadline' && result.timings.connectMs === undefined) return blocked('connect', 'deadline');
    return pass('connect');
  },
};

/** `tls`: the handler's certificate is trusted the way the option says (pin, Root CA, public CA). */
export const tlsCheck: Check = {
  id: 'tls',
  run({ result }, prior) {
    if (new URL(result.request.url).protocol === 'http:') return notApplicable('tls', 'plain http: no TLS to check (allowed for option 1 in development only)');
    const failure = result.transportFailure;
    if (failure?.check === 'tls') {
      // A pin mismatch is told by the two fingerprints (Node's code is in the message); any
      // other TLS failure has no value to expect, so it records only what was received.
      if (failure.pinnedFingerprint256 || failure.servedFingerprint256) {
        return fail('tls', 'untrusted', failure.message, failure.hint ?? '', {
          expected: `pinned SHA-256 ${failure.pinnedFingerprint256 ?? '(unknown)'}`,
          received: `served SHA-256 ${failure.servedFingerprint256 ?? '(not read)'}`,
        });
      }
      return fail('tls', 'untrusted', failure.message, failure.hint ?? '', failure.code ? { received: failure.code } : {});
    }
    if (prior.get('connect')?.status === 'fail' && result.timings.tlsMs === undefined) return blocked('tls', 'connect');
    if (result.timings.tlsMs === undefined) return blocked('tls', failure?.check ?? 'connect');
    return pass('tls', { message: `certificate trusted (${SECURITY_OPTIONS[result.request.option].tls})` });
  },
};

/** `deadline`: the whole exchange finished within the timeout (30 s, like the Co-signer [protocol.md §0.5]). */
export const deadlineCheck: Check = {
  id: 'deadline',
  run({ result, timeoutMs }, prior) {
    const failure = result.transportFailure;
    if (failure?.check === 'deadline') {
      return fail('deadline', 'exceeded', failure.message, failure.hint ?? '', { expected: `≤ ${timeoutMs} ms`, received: `${Math.round(result.timings.totalMs)} ms` });
    }
    for (const id of ['connect', 'tls'] as const) if (prior.get(id)?.status === 'fail') return blocked('deadline', id);
    return pass('deadline', { received: `${Math.round(result.timings.totalMs)} ms` });
  },
};
