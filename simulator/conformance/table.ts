import { SECURITY_OPTION_NUMBERS, type SecurityOptionNumber } from '../protocol/options.js';

/** The battery's groups, in the order they run. */
export type ProbeGroup = 'forgery' | 'robustness' | 'protocol' | 'idempotency' | 'tls' | 'deadline';
export const PROBE_GROUPS: readonly ProbeGroup[] = ['forgery', 'robustness', 'protocol', 'idempotency', 'tls', 'deadline'];

/** One row of the published probe table: the scenario name in reports is `id`. */
export interface ProbeInfo {
  /** `<group>/<probe>`, e.g. `forgery/wrong-key`. Stable: `--skip` and the JSON report use it. */
  id: string;
  group: ProbeGroup;
  /** What is sent, in a few words. */
  title: string;
  /** Why it matters: what goes wrong in production when a handler gets it wrong. */
  why: string;
  /** The options it runs under; under the others it is reported as skipped. */
  options: readonly SecurityOptionNumber[];
  /** `warn`: the probe only ever raises warnings (never fails without `--strict`), except that no answer within the deadline fails any probe. */
  severity: 'fail' | 'warn';
  /**
   * What it needs from the group's positive control: `refusal` (a forgery probe: it runs only when
   * the control got a well-formed decision), `decision` (its valid requests must be answered, so it
   * is not run when the control failed), `nothing` (it runs whatever the control got).
   */
  needs: 'refusal' | 'decision' | 'nothing';
  /** The endpoint it sends to; with `--endpoints` leaving that one out it is skipped. `any`: whichever is in. */
  endpoint: 'tx' | 'config' | 'any';
}

/** `--endpoints`: which routes the handler serves (a Signer-only deployment has no config route). */
export type EndpointScope = 'tx' | 'config' | 'both';
export const ENDPOINT_SCOPES: readonly EndpointScope[] = ['tx', 'config', 'both'];

const JWT: readonly SecurityOptionNumber[] = [1, 4, 5];
const ALL: readonly SecurityOptionNumber[] = SECURITY_OPTION_NUMBERS;

function control(group: ProbeGroup, options: readonly SecurityOptionNumber[]): ProbeInfo {
  return {
    id: `${group}/positive-control`,
    group,
    title: group === 'forgery'
      ? 'the base request is approved (200 APPROVE, signed, well-shaped, requestId echoed)'
      : 'the base request gets a correct answer (200, signed where the option signs, well-shaped, requestId echoed)',
    why: 'a handler that refuses everything (e.g. one that verifies with the wrong Co-signer key) would otherwise pass every refusal probe of the group; if the control fails, it is the one failure of the group, and the probes that needed it are not run (give a request your policy approves with --set or --base)',
    options,
    severity: 'fail',
    needs: 'nothing',
    endpoint: 'any',
  };
}

/**
 * The published table of probes, in run order. Every group starts with its positive control.
 * The README's probe table is this list.
 *
 * @example
 * PROBES.filter((p) => p.group === 'forgery').map((p) => p.id); // ['forgery/positive-control', 'forgery/wrong-key', ...]
 */
export const PROBES: readonly ProbeInfo[] = [
  control('forgery', JWT),
  {
    id: 'forgery/wrong-key',
    group: 'forgery',
    title: 'request signed RS256 with a key that is not the Co-signer\'s',
    why: 'anyone can make an RS256 token; only the Co-signer\'s signature proves that the request came from your Co-signer and not from an attacker who reached the URL',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/every-cosigner-key',
    group: 'forgery',
    title: 'a genuine request from every other configured Co-signer (its own key and signerId), then one signed with a foreign key',
    why: 'in high availability each Co-signer signs with its own key, and keys change when a Co-signer is reinstalled [protocol.md §14.2]: a handler that pins one key answers 401 to every request the other Co-signer sends, and one that trusts any key accepts forgeries. Skipped with a single Co-signer key',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/alg-none',
    group: 'forgery',
    title: 'unsigned token: header {"alg":"none"}, empty signature',
    why: 'libraries that take the algorithm from the token header accept unsigned tokens unless RS256 is pinned; an attacker then approves any transaction',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/hs256-confusion',
    group: 'forgery',
    title: 'HS256 token keyed with the Co-signer public key PEM (algorithm confusion)',
    why: 'the Co-signer public key is not secret; a verifier that lets the header pick HS256 checks an HMAC keyed with it, which anyone can compute',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/payload-tampered',
    group: 'forgery',
    title: 'a genuine signature (sent once) replayed over a changed payload (new txId and requestId)',
    why: 'a handler that verifies one thing and reads another, or caches verification by signature, approves a transaction the Co-signer never asked about',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/truncated-signature',
    group: 'forgery',
    title: 'a genuine token with its signature cut in half',
    why: 'verification errors must refuse the request; a handler that logs the error and carries on (fail-open) approves anything',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/empty-signature',
    group: 'forgery',
    title: 'a genuine header and payload with an empty signature (`h.p.`)',
    why: 'code that verifies only "when there is a signature" skips verification entirely for this token',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/json-body',
    group: 'forgery',
    title: 'the payload as plain JSON instead of a JWT',
    why: 'a JSON fallback (often left from testing) accepts unsigned requests in a JWT option',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  {
    id: 'forgery/empty-body',
    group: 'forgery',
    title: 'an empty body',
    why: 'must be refused (4xx), not crash the handler (5xx or a dropped connection): crashes are how forged input takes a handler down',
    options: JWT,
    severity: 'fail',
    needs: 'refusal',
    endpoint: 'tx',
  },
  control('robustness', ALL),
  {
    id: 'robustness/malformed-json',
    group: 'robustness',
    title: 'JSON that does not parse (JWT options: inside a correctly signed token)',
    why: 'a parse error must be a clear 4xx, and the handler must still answer the next request',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/huge-body',
    group: 'robustness',
    title: 'a genuine request padded to just under 1 MiB, then one of 5 MB',
    why: 'a body limit must answer 413 (or read at least 1 MiB before closing) instead of hanging or crashing; a request under 1 MiB must not be dropped silently. Skip it against production with --skip robustness/huge-body',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/missing-optional-fields',
    group: 'robustness',
    title: 'a payload without the optional fields (externalTxId, players, signerId, dstAddress, dstName, ...)',
    why: 'the docs warn that optional fields are not always sent [protocol.md §4.1]; a handler that needs them crashes on real traffic (a refusal is a warning)',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/unknown-fields',
    group: 'robustness',
    title: 'a payload with unknown extra fields, top level and nested',
    why: 'Fireblocks adds fields over time; strict deserializers that reject unknown fields break on the next Co-signer release (a refusal is a warning)',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/unknown-enum-values',
    group: 'robustness',
    title: 'unknown operation, peer type and address type values',
    why: 'new operations appear over time (PROGRAM_CALL did); a closed enum crashes instead of deciding (a refusal is a warning)',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/whitespace-body',
    group: 'robustness',
    title: 'a genuine body surrounded by spaces and newlines',
    why: 'proxies and frameworks may add whitespace; the handler must decide or refuse cleanly, not crash',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/quoted-jwt',
    group: 'robustness',
    title: 'a genuine JWT wrapped in double quotes (a JSON string literal)',
    why: 'a JSON body parser in front of the handler produces exactly this; it must be decided or refused cleanly, not crash',
    options: JWT,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/wrong-method',
    group: 'robustness',
    title: 'GET on the tx_sign_request endpoint',
    why: 'scanners and health checks send GETs; the answer must be a 4xx (405), not a crash',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'robustness/unknown-path',
    group: 'robustness',
    title: 'a genuine request POSTed to an endpoint that does not exist',
    why: 'unknown paths must get a 404 (or a normal decision), not a crash',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  control('protocol', ALL),
  {
    id: 'protocol/endpoints',
    group: 'protocol',
    title: 'tx_sign_request and config_change_sign_request at the option\'s paths (/v2 for 1, 4, 5; none for 2, 3)',
    why: 'the Co-signer appends these exact paths to the configured URL [protocol.md §1]; a missing route fails every such request',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'any',
  },
  {
    id: 'protocol/wrong-prefix',
    group: 'protocol',
    title: 'both endpoints at the other option family\'s paths (without /v2 for 1, 4, 5; with /v2 for 2, 3)',
    why: 'a decision served where the Co-signer never calls suggests the routes do not match the configured option (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  {
    id: 'protocol/stages',
    group: 'protocol',
    title: 'the approval stage (no fee) and the signing stage (with fee) of a transaction',
    why: 'both stages arrive at tx_sign_request [protocol.md §4.7]; a handler that knows only one fails the other',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'protocol/no-ignore-at-signing',
    group: 'protocol',
    title: 'signing-stage requests a policy would refuse (unknown destination, large amount, contract call)',
    why: 'IGNORE is for approvals only [protocol.md §0.5.5]; at the signing stage it is not a valid decision',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'protocol/batched-request-id',
    group: 'protocol',
    title: 'a batched request, whose requestId carries a suffix that txId lacks',
    why: 'the answer must echo requestId, not txId [protocol.md §4.1]; the two are equal except in batches, so this bug hides until then',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'protocol/content-types',
    group: 'protocol',
    title: 'the same valid request as text/plain, application/jwt, application/json and with no Content-Type: a table of what is accepted',
    why: 'the real Co-signer\'s request Content-Type is not documented [protocol.md §1, §13.1]; a handler that depends on one breaks if it differs (a refusal is a warning), and one that hangs on one holds the Co-signer\'s request open (a failure)',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'protocol/unknown-config-type',
    group: 'protocol',
    title: 'a config_change_sign_request whose type the docs do not list yet (POLICY_CHANGE)',
    why: 'the Co-signer keeps adding configuration change kinds (Protected Tags did) [protocol.md §6]; a handler must decide (REJECT is fine) instead of crashing or hanging on the next one',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'config',
  },
  control('idempotency', ALL),
  {
    id: 'idempotency/resend',
    group: 'idempotency',
    title: 'the identical request sent again (and again while the answer is RETRY)',
    why: 'the Co-signer re-sends identical requests after RETRY [protocol.md §0.5.4]; the decision must not flip between APPROVE and REJECT',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  {
    id: 'idempotency/concurrent',
    group: 'idempotency',
    title: '20 concurrent requests from 4 signerIds',
    why: 'Co-signers can run active-active [protocol.md §1]; shared mutable state mixes up requestIds or refuses the second signer',
    options: ALL,
    severity: 'fail',
    needs: 'decision',
    endpoint: 'tx',
  },
  control('tls', ALL),
  {
    id: 'tls/expiry',
    group: 'tls',
    title: 'the handler certificate expires within 30 days',
    why: 'an expired certificate stops every callback; pinned certificates must be re-pinned before they expire (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  {
    id: 'tls/hostname',
    group: 'tls',
    title: 'the certificate\'s SAN does not cover the URL host',
    why: 'options 1, 3 and 5 check the name; a pinned certificate that does not name the host breaks when moved to a CA option (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  {
    id: 'tls/key-size',
    group: 'tls',
    title: 'the certificate key is below RSA-2048 or P-256',
    why: 'weak keys can be factored or are refused by stricter TLS stacks (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  {
    id: 'tls/signature-algorithm',
    group: 'tls',
    title: 'the certificate is signed with SHA-1 (or MD5)',
    why: 'SHA-1 certificate signatures are forgeable and refused by current TLS stacks (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  {
    id: 'tls/legacy-version',
    group: 'tls',
    title: 'the handler accepts TLS 1.0 or 1.1 (probed with a TLS 1.0-1.1 only ClientHello)',
    why: 'TLS 1.0 and 1.1 are deprecated (RFC 8996); accepting them invites downgrade attacks (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
  control('deadline', ALL),
  {
    id: 'deadline/latency',
    group: 'deadline',
    title: 'p50, p95 and max latency of every answered request of the battery, against the deadline',
    why: 'the Co-signer fails a request not answered within 30 s [protocol.md §0.5.1]; a handler already above half of it has no margin (warning)',
    options: ALL,
    severity: 'warn',
    needs: 'nothing',
    endpoint: 'any',
  },
];

/** The probe ids, for `--skip` validation and the CLI's help. */
export const PROBE_IDS: readonly string[] = PROBES.map((p) => p.id);
