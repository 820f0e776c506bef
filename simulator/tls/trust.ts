import { checkServerIdentity, createSecureContext, rootCertificates, type ConnectionOptions, type PeerCertificate, type SecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import { InternalError } from '../errors.js';

/** The trust material for one option, already parsed and validated (see client/material.ts). */
export interface TrustMaterial {
  /** Options 2 and 4: the certificate the Co-signer pins. */
  pinnedCertPem?: string;
  /** Options 3 and 5: the Root CA; option 1: an extra CA (e.g. a staging CA) on top of Node's bundled roots. */
  caPem?: string;
  /** Options 3 and 5: check the certificate's names against the URL host (default true). */
  checkHostname?: boolean;
  /**
   * Option 1: the Root CA of the kit that was given. It is NOT trusted unless `trustKitRootCa`
   * (the real Co-signer trusts public CAs only); it is kept to explain a failure: a handler whose
   * certificate chains to it is told so, and how to trust it for local testing.
   */
  kitRootCaPem?: string;
  /**
   * Option 1: trust `kitRootCaPem` too. Set only by targets that cosigner-sim starts itself with
   * that kit (reference, command): the handler serves the kit's leaf because it was told to.
   */
  trustKitRootCa?: boolean;
}

/** Thrown inside the TLS handshake when the presented leaf is not the pinned certificate. */
export class PinMismatchError extends Error {
  readonly code = 'CSIM_PIN_MISMATCH';
  readonly expected: string;
  readonly received: string;
  constructor(expected: string, received: string) {
    super(`the handler presented a certificate with SHA-256 fingerprint ${received}, the pinned one is ${expected}`);
    this.name = 'PinMismatchError';
    this.expected = expected;
    this.received = received;
  }
}

/** SHA-256 fingerprint of a PEM certificate in Node's `AA:BB:...` form (as `PeerCertificate.fingerprint256`). */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * The pinned certificate's fingerprint of each options object {@link buildTlsOptions} made, so a
 * failed handshake can be explained with it without passing the trust material along.
 */
const PINS = new WeakMap<ConnectionOptions, string>();

/** Option 1: the kit's Root CA that an options object does not trust, to explain a failure with. */
const UNTRUSTED_KIT_ROOTS = new WeakMap<ConnectionOptions, string>();

/** Option 1: the kit Root CA that `options` (made by {@link buildTlsOptions}) leaves untrusted, if any. */
export function untrustedKitRootOf(options: ConnectionOptions): string | undefined {
  return UNTRUSTED_KIT_ROOTS.get(options);
}

/**
 * True when `served` (the peer's leaf) is the Root CA `rootPem` or is signed by it: the kit's
 * leaves are signed by the kit's Root CA directly. Read after a failed handshake, to say "this is
 * the kit's test CA" rather than "not signed by a trusted CA".
 */
export function chainsTo(served: PeerCertificate, rootPem: string): boolean {
  if (!served.raw) return false;
  try {
    const root = new X509Certificate(rootPem);
    const leaf = new X509Certificate(served.raw);
    return leaf.fingerprint256 === root.fingerprint256 || (leaf.checkIssued(root) && leaf.verify(root.publicKey));
  } catch {
    return false;
  }
}

/** The SHA-256 fingerprint options 2 and 4 pin, for `tls.connect` options built by {@link buildTlsOptions}. */
export function pinnedFingerprintOf(options: ConnectionOptions): string | undefined {
  return PINS.get(options);
}

/**
 * Whether the peer's chain verified, read from the TLS handle in the 'secure' event, before Node's
 * own listener acts on it (the same `verifyError()` Node consults); undefined when the handle
 * does not offer it (another runtime, a future Node), and then callers read the certificate as before.
 */
function chainVerified(socket: TLSSocket): boolean | undefined {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  return typeof handle?.verifyError === 'function' ? handle.verifyError() === null : undefined;
}

/**
 * Call `seen` with the SHA-256 fingerprint of the certificate the server presents, also when the
 * handshake then fails verification. A different self-signed certificate fails the chain check
 * (DEPTH_ZERO_SELF_SIGNED_CERT) before checkServerIdentity runs, and Node has closed the handle
 * by the time `error` fires; the `secure` event comes first, so a listener put in front of
 * Node's own verification can still read the certificate. Reading it changes nothing about trust.
 */
export function watchPeerFingerprint(socket: TLSSocket, seen: (fingerprint256: string, certificate: PeerCertificate) => void, options: { onlyUnverified?: boolean } = {}): void {
  socket.prependOnceListener('secure', () => {
    // onlyUnverified: a caller that captures the certificate Node passes to checkServerIdentity
    // needs no read of its own when the chain verified (Node then reads it, detailed, and calls
    // checkServerIdentity). One read per handshake instead of two: about 7 % of a request's client
    // CPU in the bench's profile (getPeerCertificate was the top native frame after RSA signing).
    if (options.onlyUnverified === true && chainVerified(socket) === true) return;
    // Read once, without its chain: getPeerCertificate builds the whole object on each call (the
    // detailed form parses every issuer too), and the selftest makes thousands of handshakes. The
    // caller keeps it for the success path and for explaining a failed chain.
    const certificate = socket.getPeerCertificate();
    if (certificate?.fingerprint256) seen(certificate.fingerprint256, certificate);
  });
}

/**
 * Option 1's trust anchors: Node's bundled roots, the explicit `ca`, and the kit's Root CA only
 * when `trustKitRootCa` says cosigner-sim started the handler with that kit. The one list every
 * option-1 connection uses (the battery's own TLS probes too).
 *
 * @example
 * publicCaAnchors({ caPem }).length === rootCertificates.length + 1; // true
 */
export function publicCaAnchors(trust: TrustMaterial): string[] {
  const kitRoot = trust.trustKitRootCa ? trust.kitRootCaPem : undefined;
  return [...rootCertificates, ...(trust.caPem ? [trust.caPem] : []), ...(kitRoot && kitRoot !== trust.caPem ? [kitRoot] : [])];
}

/**
 * Secure contexts by their exact settings, shared by every Co-signer in the process: loading
 * Node's ~140 bundled roots into a fresh context costs about 25 ms of CPU, and the selftest and a
 * test suite create hundreds of Co-signers with the same few trust stores. A context holds only
 * the trust anchors (no session is offered), so sharing one changes no handshake. Bounded, so a
 * long-lived process that sees many CAs does not keep them all.
 */
const CONTEXTS = new Map<string, SecureContext>();
const MAX_CONTEXTS = 32;

function sharedContext(options: SecureContextOptions & { ca: string[] }): SecureContext {
  const key = JSON.stringify([options.minVersion, options.allowPartialTrustChain === true, options.ca]);
  let found = CONTEXTS.get(key);
  if (found) {
    // Most recently used last: the oldest entry is the one dropped.
    CONTEXTS.delete(key);
  } else {
    found = createSecureContext(options);
    if (CONTEXTS.size >= MAX_CONTEXTS) CONTEXTS.delete(CONTEXTS.keys().next().value!);
  }
  CONTEXTS.set(key, found);
  return found;
}

/**
 * Build the `tls.connect` options for one security option, with verification always on.
 *
 * - Option 1: Node's bundled roots (plus an optional extra CA), hostname checked [protocol.md §2].
 *   A kit's Root CA is added only with `trustKitRootCa` (a handler cosigner-sim started with it).
 * - Options 2 and 4: the pinned certificate is the only trust anchor (`allowPartialTrustChain`
 *   lets a CA-signed pinned leaf be an anchor on its own) and the presented leaf's SHA-256
 *   fingerprint must equal it. The hostname is not checked: the pin is the identity [protocol.md §2,
 *   "for pinning probably not" I]. This is stricter than a public-key pin: a renewed certificate
 *   with the same key fails until the new certificate is pinned.
 * - Options 3 and 5: only the given Root CA is trusted, any leaf chaining to it passes, hostname
 *   checked unless `checkHostname: false`.
 *
 * `rejectUnauthorized` is never turned off: every failure surfaces as a handshake error.
 *
 * @example
 * const connect = buildTlsOptions(4, { pinnedCertPem: kit.pinned.certPem });
 */
export function buildTlsOptions(option: SecurityOptionNumber, trust: TrustMaterial): ConnectionOptions {
  const mode = SECURITY_OPTIONS[option].tls;
  // The trust store is parsed once per Co-signer, not per connection: Node's ~140 bundled roots
  // cost about 25 ms to load into a fresh context, which would dominate option 1's latency.
  // Each connection still does a full handshake (no session is offered).
  const context = (options: SecureContextOptions & { ca: string[] }) => sharedContext({ minVersion: 'TLSv1.2', ...options });
  const base: ConnectionOptions = {
    // http/1.1 only: the Co-signer is an HTTP/1.1 client as far as anyone has seen [I].
    ALPNProtocols: ['http/1.1'],
  };
  if (mode === 'public-ca') {
    const kitRoot = trust.kitRootCaPem;
    const options: ConnectionOptions = { ...base, secureContext: context({ ca: publicCaAnchors(trust) }), checkServerIdentity };
    if (kitRoot && !trust.trustKitRootCa && kitRoot !== trust.caPem) UNTRUSTED_KIT_ROOTS.set(options, kitRoot);
    return options;
  }
  if (mode === 'pinned') {
    const pinned = trust.pinnedCertPem;
    if (!pinned) throw new InternalError('pinned option without a pinned certificate');
    const expected = certificateFingerprint(pinned);
    const options: ConnectionOptions = {
      ...base,
      // allowPartialTrustChain lets a CA-signed pinned leaf be a trust anchor on its own.
      secureContext: context({ ca: [pinned], allowPartialTrustChain: true }),
      // Called only after the chain verified against the pin; the fingerprint makes sure the
      // presented leaf IS the pinned certificate, not another one it happens to vouch for.
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        cert.fingerprint256 === expected ? undefined : new PinMismatchError(expected, cert.fingerprint256),
    };
    PINS.set(options, expected);
    return options;
  }
  const ca = trust.caPem;
  if (!ca) throw new InternalError('root-ca option without a Root CA');
  return {
    ...base,
    secureContext: context({ ca: [ca] }),
    checkServerIdentity: trust.checkHostname === false ? () => undefined : checkServerIdentity,
  };
}
