import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, createSecureContext, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { AlgorithmProvider, X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import { publicCaAnchors } from '../tls/trust.js';
import { createReport, type ProbeContext, type ProbeReport } from './context.js';

type ProbeFn = (ctx: ProbeContext) => Promise<ProbeReport>;

const DAY_MS = 24 * 3600 * 1000;
const EXPIRY_WARNING_DAYS = 30;

/** Signature algorithm OIDs that must not sign a certificate any more. */
const WEAK_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
};
const SIGNATURE_NAMES: Record<string, string> = {
  ...WEAK_SIGNATURES,
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};
const STRONG_CURVES = ['prime256v1', 'secp384r1', 'secp521r1'];

/** One provider for the OID lookups: it holds no state, and resolving it is not free. */
let algorithms: AlgorithmProvider | undefined;

/**
 * The OID of a certificate's signatureAlgorithm (Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue }), or undefined when the bytes are not a certificate.
 * Node 20's X509Certificate does not expose it, so @peculiar/x509 parses the DER: ASN.1 belongs
 * in an audited library, not in a hand-written walk. Algorithms it does not know (MD5 with RSA)
 * come back as their OID, which is what the weak-signature table needs.
 *
 * @example
 * certificateSignatureOid(new X509Certificate(pem).raw); // '1.2.840.113549.1.1.11'
 */
export function certificateSignatureOid(der: Uint8Array): string | undefined {
  try {
    const signature = new PeculiarCertificate(der).signatureAlgorithm;
    algorithms ??= new AlgorithmProvider();
    return algorithms.toAsnAlgorithm(signature).algorithm;
  } catch {
    return undefined;
  }
}

interface Handshake {
  socket?: TLSSocket;
  error?: Error & { code?: string };
}

/** One TLS handshake with the URL's host, verification on; the socket is destroyed by the caller. */
function handshake(ctx: ProbeContext, extra: ConnectionOptions = {}): Promise<Handshake> {
  const url = new URL(ctx.baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ ...ctx.tls, ...extra, host, port: Number(url.port) || 443, ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: Object.assign(new Error(`no TLS handshake within ${ctx.timeoutMs} ms`), { code: 'DEADLINE' }) });
    }, ctx.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error });
    });
  });
}

/** The handler's certificate, fetched once per run and shared by the certificate probes. */
const certificates = new WeakMap<ProbeContext, Promise<{ cert?: X509Certificate; error?: string }>>();

function peerCertificate(ctx: ProbeContext): Promise<{ cert?: X509Certificate; error?: string }> {
  let p = certificates.get(ctx);
  if (!p) {
    p = handshake(ctx).then(({ socket, error }) => {
      if (!socket) return { error: `the TLS handshake failed (${error?.code ?? error?.message ?? 'unknown'})` };
      const raw = socket.getPeerCertificate().raw;
      socket.destroy();
      return raw ? { cert: new X509Certificate(raw) } : { error: 'the handler presented no certificate' };
    });
    certificates.set(ctx, p);
  }
  return p;
}

/** A certificate probe: skipped over plain http or when no certificate could be read. */
function certificateProbe(check: (cert: X509Certificate, ctx: ProbeContext, report: ProbeReport) => void): ProbeFn {
  return async (ctx) => {
    const report = createReport();
    if (ctx.plainHttp) {
      report.skip('plain http: there is no TLS to look at');
      return report;
    }
    const { cert, error } = await peerCertificate(ctx);
    if (!cert) {
      report.skip(`could not read the certificate: ${error ?? 'unknown error'}`);
      return report;
    }
    check(cert, ctx, report);
    return report;
  };
}

function describeKey(cert: X509Certificate): { text: string; weak: boolean } {
  const key = cert.publicKey;
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = d.modulusLength ?? 0;
    return { text: `RSA-${bits}`, weak: bits < 2048 };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = d.namedCurve ?? 'unknown curve';
    return { text: `EC ${curve}`, weak: !STRONG_CURVES.includes(curve) };
  }
  if (key.asymmetricKeyType === 'dsa') return { text: `DSA-${d.modulusLength ?? 0}`, weak: true };
  return { text: String(key.asymmetricKeyType), weak: false };
}

/**
 * The option's trust store (as in tls/trust.ts) in a context that offers only TLS 1.0 and 1.1.
 * Protocol versions live in the secure context, so the cosigner's own context cannot be reused.
 */
function legacyContext(ctx: ProbeContext) {
  const legacy = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
  const mode = SECURITY_OPTIONS[ctx.option].tls;
  if (mode === 'pinned') return createSecureContext({ ...legacy, ca: [ctx.trust.pinnedCertPem ?? ''], allowPartialTrustChain: true });
  if (mode === 'public-ca') return createSecureContext({ ...legacy, ca: publicCaAnchors(ctx.trust) });
  return createSecureContext({ ...legacy, ca: [ctx.trust.caPem ?? ''] });
}

/**
 * Whether the handler completes a handshake capped at TLS 1.1. OpenSSL 3 does not offer TLS 1.0
 * or 1.1 at its default security level (their handshake signatures use SHA-1/MD5), so this one
 * probe connection lowers the client's level to 0; certificate verification stays on. When the
 * local TLS library still cannot offer them, the probe is skipped with the reason.
 */
async function legacyVersion(ctx: ProbeContext): Promise<ProbeReport> {
  const report = createReport();
  if (ctx.plainHttp) {
    report.skip('plain http: there is no TLS to look at');
    return report;
  }
  const { socket, error } = await handshake(ctx, { secureContext: legacyContext(ctx) });
  if (socket) {
    const version = socket.getProtocol() ?? 'TLS 1.0/1.1';
    socket.destroy();
    report.expect('TLS 1.0-1.1 handshake', { ok: true, message: `the handler accepted ${version}` });
    report.warn({
      id: 'tls/legacy-version',
      message: `the handler accepts ${version} (deprecated by RFC 8996)`,
      hint: 'set the server\'s minimum TLS version to 1.2 (Node: minVersion: \'TLSv1.2\'; nginx: ssl_protocols TLSv1.2 TLSv1.3)',
    });
    return report;
  }
  const code = error?.code ?? '';
  if (/NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE|NO_SUITABLE|UNSUPPORTED_PROTOCOL$/.test(code) && !/ALERT/.test(code)) {
    report.skip(`this Node/OpenSSL cannot offer TLS 1.0 or 1.1 (${code}), so whether the handler accepts them is unknown`);
    return report;
  }
  report.expect('TLS 1.0-1.1 handshake', { ok: true, message: `refused (${code || error?.message || 'handshake failed'})` });
  return report;
}

/** The TLS posture probes, by id. They only warn. */
export const TLS_PROBES: Record<string, ProbeFn> = {
  'tls/expiry': certificateProbe((cert, _ctx, report) => {
    const validTo = new Date(cert.validTo);
    const days = Math.floor((validTo.getTime() - Date.now()) / DAY_MS);
    report.expect('certificate', { ok: true, message: `valid until ${validTo.toISOString()} (${days} days)` });
    if (days < EXPIRY_WARNING_DAYS) {
      report.warn({
        id: 'tls/expiry',
        message: `the handler certificate expires in ${days} days (${validTo.toISOString()})`,
        hint: 'renew it now; with options 2 and 4, give the Co-signer the new certificate to pin before switching',
      });
    }
  }),
  'tls/hostname': certificateProbe((cert, ctx, report) => {
    const host = new URL(ctx.baseUrl).hostname.replace(/^\[|\]$/g, '');
    const covered = isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
    const names = cert.subjectAltName ?? '(no subjectAltName)';
    report.expect('certificate', { ok: true, message: `${host} ${covered ? 'is' : 'is not'} covered by ${names}` });
    if (!covered) {
      report.warn({
        id: 'tls/hostname',
        message: `the certificate's names (${names}) do not cover the URL host ${host}`,
        hint: `issue the certificate for ${host} (a subjectAltName ${isIP(host) ? 'IP' : 'DNS'} entry): options 1, 3 and 5 check the name`,
      });
    }
  }),
  'tls/key-size': certificateProbe((cert, _ctx, report) => {
    const key = describeKey(cert);
    report.expect('certificate', { ok: true, message: `key ${key.text}` });
    if (key.weak) {
      report.warn({ id: 'tls/key-size', message: `the certificate key is ${key.text}, below RSA-2048 / P-256`, hint: 'make a new key of at least RSA-2048 (or EC P-256) and a certificate for it' });
    }
  }),
  'tls/signature-algorithm': certificateProbe((cert, _ctx, report) => {
    const oid = certificateSignatureOid(cert.raw);
    const name = oid ? (SIGNATURE_NAMES[oid] ?? oid) : 'unknown';
    report.expect('certificate', { ok: true, message: `signed with ${name}` });
    if (oid && WEAK_SIGNATURES[oid]) {
      report.warn({ id: 'tls/signature-algorithm', message: `the certificate is signed with ${name}`, hint: 'reissue it signed with SHA-256 (e.g. openssl req -sha256)' });
    }
  }),
  'tls/legacy-version': legacyVersion,
};
