import { checkServerIdentity, createSecureContext, rootCertificates, type ConnectionOptions, type PeerCertificate, type SecureContextOptions, type TLSSocket } from 'node:tls';
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

/** The SHA-256 fingerprint options 2 and 4 pin, for `tls.connect` options built by {@link buildTlsOptions}. */
export function pinnedFingerprintOf(options: ConnectionOptions): string | undefined {
  return PINS.get(options);
}

/**
 * Call `seen` with the SHA-256 fingerprint of the certificate the server presents, also when the
 * handshake then fails verification. A different self-signed certificate fails the chain check
 * (DEPTH_ZERO_SELF_SIGNED_CERT) before checkServerIdentity runs, and Node has closed the handle
 * by the time `error` fires; the `secure` event comes first, so a listener put in front of
 * Node's own verification can still read the certificate. Reading it changes nothing about trust.
 */
export function watchPeerFingerprint(socket: TLSSocket, seen: (fingerprint256: string) => void): void {
  socket.prependOnceListener('secure', () => {
    const fingerprint = socket.getPeerCertificate()?.fingerprint256;
    if (fingerprint) seen(fingerprint);
  });
}

/**
 * Build the `tls.connect` options for one security option, with verification always on.
 *
 * - Option 1: Node's bundled roots (plus an optional extra CA), hostname checked [protocol.md §2].
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
  const context = (options: SecureContextOptions) => createSecureContext({ minVersion: 'TLSv1.2', ...options });
  const base: ConnectionOptions = {
    // http/1.1 only: the Co-signer is an HTTP/1.1 client as far as anyone has seen [I].
    ALPNProtocols: ['http/1.1'],
  };
  if (mode === 'public-ca') {
    return {
      ...base,
      secureContext: context({ ca: trust.caPem ? [...rootCertificates, trust.caPem] : [...rootCertificates] }),
      checkServerIdentity,
    };
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
