import { SECURITY_OPTIONS } from '../protocol/options.js';
import { blocked, COSIGNER_DEADLINE_MS, effectiveDeadlineMs, fail, notApplicable, pass, type Check } from './context.js';

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
    // A reused connection had its handshake, and this check, on the request that opened it.
    const c = result.connection;
    if (c?.reused === true && result.timings.tlsMs === undefined) {
      return pass('tls', { message: `certificate trusted (${SECURITY_OPTIONS[result.request.option].tls}) on connection #${c.id}: judged on the request that opened it (${c.openedBy}); this one reused it` });
    }
    if (result.timings.tlsMs === undefined) return blocked('tls', failure?.check ?? 'connect');
    return pass('tls', { message: `certificate trusted (${SECURITY_OPTIONS[result.request.option].tls})` });
  },
};

/**
 * `deadline`: the whole exchange finished within min(`--timeout`, the Co-signer's 30 s)
 * [protocol.md §0.5.1]. The simulator may wait longer (`--timeout 1m`) to show how late an answer
 * was, but an answer after 30 s fails: the real Co-signer would have given up on it.
 */
export const deadlineCheck: Check = {
  id: 'deadline',
  run(input, prior) {
    const { result, timeoutMs } = input;
    const deadline = effectiveDeadlineMs(input);
    const limit = input.cosignerLimitMs ?? COSIGNER_DEADLINE_MS;
    const total = Math.round(result.timings.totalMs);
    const failure = result.transportFailure;
    if (failure?.check === 'deadline') {
      return fail('deadline', 'exceeded', failure.message, failure.hint ?? '', { expected: `≤ ${deadline} ms`, received: `${total} ms` });
    }
    for (const id of ['connect', 'tls'] as const) if (prior.get(id)?.status === 'fail') return blocked('deadline', id);
    if (result.timings.totalMs > deadline) {
      // Only reachable with --timeout above the Co-signer's limit: the simulator waited on, the
      // Co-signer would not have, so the answer counts as none.
      return fail(
        'deadline',
        'exceeded',
        `the answer came after ${total} ms: the Co-signer gives up after ${limit} ms, so it would never have seen it (the simulator waited up to ${timeoutMs} ms to show how late it was)`,
        'the Co-signer fails a request whose handler takes longer than 30 s [protocol.md §0.5.1]: answer RETRY and decide later if you need more time',
        { expected: `≤ ${deadline} ms`, received: `${total} ms` },
      );
    }
    return pass('deadline', { received: `${total} ms` });
  },
};
