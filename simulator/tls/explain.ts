import type { SecurityOptionNumber } from '../protocol/options.js';
import { SECURITY_OPTIONS, SECURITY_OPTION_NUMBERS } from '../protocol/options.js';
import { KIT_FILES } from '../keys/types.js';

export interface TlsExplanation {
  message: string;
  hint: string;
  /** Options 2 and 4, on a pin mismatch: the SHA-256 fingerprint the Co-signer pins. */
  pinnedFingerprint256?: string;
  /** Options 2 and 4, on a pin mismatch: the SHA-256 fingerprint of the certificate the handler served. */
  servedFingerprint256?: string;
}

/** The two fingerprints of a pin mismatch, as far as they are known. */
export interface PinFingerprints {
  pinned?: string;
  served?: string;
}

/**
 * The option a self-signed certificate fits: the pinned option with the same message layer, so
 * a JWT run is pointed at option 4 (JWT over a pinned certificate), a JSON one at option 2.
 */
function pinnedOptionLike(option: SecurityOptionNumber): SecurityOptionNumber {
  const layer = SECURITY_OPTIONS[option].messageLayer;
  const found = SECURITY_OPTION_NUMBERS.find((n) => SECURITY_OPTIONS[n].tls === 'pinned' && SECURITY_OPTIONS[n].messageLayer === layer);
  return found ?? 2;
}

/** Node's certificate-verification codes that mean "the chain did not verify". */
const CHAIN_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** True when an error code comes from TLS (handshake or certificate), not from TCP. */
export function isTlsErrorCode(code: string | undefined): boolean {
  if (!code) return false;
  return (
    CHAIN_CODES.has(code) ||
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'CSIM_PIN_MISMATCH' ||
    code === 'EPROTO'
  );
}

/**
 * Option 1's failure when the handler's certificate chains to the kit's test Root CA, which option 1
 * never trusts silently against a URL: the real Co-signer trusts public CAs only [protocol.md §2].
 *
 * @example
 * explainKitRootCa('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 1).hint; // '... --ca <kit>/root-ca.pem ...'
 */
export function explainKitRootCa(code: string | undefined, option: SecurityOptionNumber): TlsExplanation {
  const tag = code ? ` (${code})` : '';
  return {
    message: `the handler's certificate chains to the kit's test Root CA (${KIT_FILES.rootCaCert}), which option ${option} does not trust: the real Co-signer trusts public CAs only${tag}`,
    hint: `for local testing, trust it on purpose: --ca <kit>/${KIT_FILES.rootCaCert} (ca: in the config, or ca: kit.rootCa.certPem in code); in production serve a certificate from a public CA, or use option ${pinnedOptionLike(option)} (${SECURITY_OPTIONS[pinnedOptionLike(option)].label}) to pin it`,
  };
}

/**
 * Explain a TLS failure in plain words, with Node's code and a hint that depends on the option.
 * A wrong pin surfaces as DEPTH_ZERO_SELF_SIGNED_CERT (the presented certificate is not the
 * only anchor we trust), which on its own reads like "self-signed is bad": it is not.
 *
 * @example
 * explainTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 4).message
 * // 'the handler presents a certificate other than the pinned one (DEPTH_ZERO_SELF_SIGNED_CERT)'
 */
export function explainTlsError(code: string | undefined, option: SecurityOptionNumber, detail = '', pin: PinFingerprints = {}): TlsExplanation {
  const mode = SECURITY_OPTIONS[option].tls;
  const tag = code ? ` (${code})` : '';
  if (code === 'CERT_HAS_EXPIRED') {
    return { message: `the handler's certificate has expired${tag}`, hint: 'renew the certificate the handler serves (and, in options 2 and 4, pin the new one)' };
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return { message: `the handler's certificate is not valid yet${tag}`, hint: "check the clock of the machine that made it, and the certificate's notBefore" };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return {
      message: `the handler's certificate does not cover the URL's host${tag}${detail ? `: ${detail}` : ''}`,
      hint:
        mode === 'root-ca'
          ? 'add the host to the certificate SAN, call the handler by a name the certificate covers, or turn hostname checks off (checkHostname: false / --no-check-hostname)'
          : "add the host to the certificate's subjectAltName, or call the handler by a name the certificate covers",
    };
  }
  if (code === 'CSIM_PIN_MISMATCH' || (mode === 'pinned' && code && CHAIN_CODES.has(code))) {
    // Both fingerprints travel with the failure: the tls check prints them as expected/received,
    // so the user sees at once which certificate is pinned and which one is served.
    return {
      message: `the handler presents a certificate other than the pinned one${tag}`,
      ...(pin.pinned ? { pinnedFingerprint256: pin.pinned } : {}),
      ...(pin.served ? { servedFingerprint256: pin.served } : {}),
      hint: `option ${option} pins one certificate: serve exactly the certificate you gave the Co-signer, or pin the one the handler serves (a renewed certificate must be pinned again, even with the same key)`,
    };
  }
  if (code && CHAIN_CODES.has(code)) {
    if (mode === 'root-ca') {
      return {
        message: `the handler's certificate does not chain to the configured Root CA${tag}`,
        hint: `option ${option} trusts only the Root CA you gave: serve a leaf signed by it (a self-signed leaf fails), and send any intermediate certificates in the chain`,
      };
    }
    const alternative = pinnedOptionLike(option);
    const keys = SECURITY_OPTIONS[alternative].messageLayer === 'jwt' ? ', with the same JWT keys' : '';
    return {
      message: `the handler's certificate is not signed by a trusted CA${tag}`,
      hint: `option ${option} needs a certificate from a publicly trusted CA; for a staging CA pass it as an extra CA (--ca / ca), or, for a self-signed certificate, use option ${alternative} (${SECURITY_OPTIONS[alternative].label}: the certificate pinned${keys})`,
    };
  }
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL_')) {
    return { message: `the TLS handshake failed${tag}${detail ? `: ${detail}` : ''}`, hint: 'is the handler serving HTTPS on this port (not plain HTTP)? It must offer TLS 1.2 or newer' };
  }
  return { message: `the TLS handshake failed${tag}${detail ? `: ${detail}` : ''}`, hint: `check the certificate the handler serves against option ${option} (${SECURITY_OPTIONS[option].label})` };
}
