import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';
import { SECURITY_OPTIONS, type SecurityOptionNumber, type TlsMode } from '../protocol/options.js';
import { buildTlsOptions, type TrustMaterial } from '../tls/trust.js';

/** The certificate the handler presented, as the handshake saw it. */
export interface PresentedCertificate {
  fingerprint256: string;
  subject?: string;
  issuer?: string;
  subjectAltName?: string;
  validTo?: string;
}

/** What the option will trust, in the words a user compares with the presented certificate. */
export interface TrustDescription {
  mode: TlsMode;
  /** Options 2 and 4: the SHA-256 fingerprint of the pinned certificate. */
  pinnedFingerprint256?: string;
  /** Options 3 and 5 (and an extra CA for option 1): the Root CA. */
  ca?: { subject: string; fingerprint256: string };
  /** Option 1: Node's bundled public roots. */
  publicRoots: boolean;
  /** Whether the certificate's names are matched to the URL host. */
  checkHostname: boolean;
}

/** The one TLS handshake doctor makes, and what came of it. */
export interface HandshakeReport {
  host: string;
  port: number;
  /** ok: verified as the option will; failed: verification refused it; unreachable: no TLS server answered. */
  status: 'ok' | 'failed' | 'unreachable';
  /** Why it failed or was unreachable (Node's message and code). */
  reason?: string;
  /** The error code (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`, `CSIM_PIN_MISMATCH`, `ECONNREFUSED`). */
  code?: string;
  presented?: PresentedCertificate;
  trusted: TrustDescription;
}

/** Errors that mean nothing answered TLS at that address (as opposed to a certificate refused). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

function nameOf(subject: PeerCertificate['subject'] | undefined): string | undefined {
  if (!subject) return undefined;
  const parts = Object.entries(subject).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function presentedOf(cert: PeerCertificate): PresentedCertificate {
  const subject = nameOf(cert.subject);
  const issuer = nameOf(cert.issuer);
  return {
    fingerprint256: cert.fingerprint256,
    ...(subject !== undefined ? { subject } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
    ...(cert.subjectaltname ? { subjectAltName: cert.subjectaltname } : {}),
    ...(cert.valid_to ? { validTo: cert.valid_to } : {}),
  };
}

/**
 * Describe the trust an option will use, for the report.
 *
 * @example
 * describeTrust(4, { pinnedCertPem: kit.pinned.certPem }).pinnedFingerprint256 // 'AB:CD:…'
 */
export function describeTrust(option: SecurityOptionNumber, trust: TrustMaterial): TrustDescription {
  const mode = SECURITY_OPTIONS[option].tls;
  const out: TrustDescription = { mode, publicRoots: mode === 'public-ca', checkHostname: mode === 'public-ca' || (mode === 'root-ca' && trust.checkHostname !== false) };
  if (mode === 'pinned' && trust.pinnedCertPem) out.pinnedFingerprint256 = new X509Certificate(trust.pinnedCertPem).fingerprint256;
  if (mode !== 'pinned' && trust.caPem) {
    const ca = new X509Certificate(trust.caPem);
    out.ca = { subject: ca.subject.split('\n').join(', '), fingerprint256: ca.fingerprint256 };
  }
  return out;
}

/**
 * One TLS handshake with the handler, verified exactly as the option's Co-signer will verify it
 * (tls/trust.ts buildTlsOptions: verification always on). A refused certificate is the answer,
 * not an error: the report says what was presented and why it was refused. Sends no request.
 *
 * @example
 * const r = await tlsHandshake({ host: '127.0.0.1', port: 8443, option: 3, trust: { caPem }, timeoutMs: 5000 });
 * r.status; // 'ok'
 */
export function tlsHandshake(o: { host: string; port: number; option: SecurityOptionNumber; trust: TrustMaterial; timeoutMs: number }): Promise<HandshakeReport> {
  const trusted = describeTrust(o.option, o.trust);
  const base = { host: o.host, port: o.port, trusted };
  return new Promise((resolve) => {
    let presented: PresentedCertificate | undefined;
    let done = false;
    const finish = (r: HandshakeReport) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    const socket = connect({
      ...buildTlsOptions(o.option, o.trust),
      host: o.host,
      port: o.port,
      // SNI takes a name, never an address (Node warns and drops it).
      ...(isIP(o.host) === 0 ? { servername: o.host } : {}),
    });
    // 'secure' fires before Node's own verification decides (see watchPeerFingerprint in
    // tls/trust.ts): a listener put in front can read the certificate of a handshake that will
    // then fail, which is what the user needs to see. Reading it changes nothing about trust.
    socket.prependOnceListener('secure', () => {
      const cert = socket.getPeerCertificate();
      if (cert && cert.fingerprint256) presented = presentedOf(cert);
    });
    socket.setTimeout(o.timeoutMs, () => finish({ ...base, status: 'unreachable', code: 'ETIMEDOUT', reason: `no TLS answer within ${o.timeoutMs} ms` }));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      finish({ ...base, status: 'ok', ...(cert && cert.fingerprint256 ? { presented: presentedOf(cert) } : presented ? { presented } : {}) });
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? (e as { code?: string }).code;
      const reachable = presented !== undefined || code === undefined || !UNREACHABLE.has(code);
      finish({
        ...base,
        status: reachable ? 'failed' : 'unreachable',
        reason: e.message,
        ...(code !== undefined ? { code } : {}),
        ...(presented ? { presented } : {}),
      });
    });
  });
}
