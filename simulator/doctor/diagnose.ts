import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { assertMaterialFits } from '../client/material.js';
import { KeyUnsupportedError } from '../errors.js';
import { assertRsa2048, parseCertificate, parsePrivateKey, parsePublicKey, readMaterialFile } from '../keys/parse.js';
import { KIT_FILES } from '../keys/types.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../protocol/options.js';
import type { TrustMaterial } from '../tls/trust.js';
import { Findings, type Finding, type Severity } from './findings.js';
import { tlsHandshake, type HandshakeReport } from './handshake.js';

/** What doctor checks: the same settings `run` takes (files as paths), and the handler's private key. */
export interface DoctorInput {
  option: SecurityOptionNumber;
  url?: string;
  /** A kit folder (KIT_FILES names). */
  kit?: string;
  cosignerKey?: string;
  handlerPublicKey?: string;
  /** The handler's private key, checked against the handler public key. */
  handlerKey?: string;
  pinnedCert?: string;
  ca?: string;
  /** Options 3 and 5: false when `--no-check-hostname` was given. */
  checkHostname?: boolean;
  /** The TLS handshake's deadline (default 10 s). */
  timeoutMs?: number;
  /** Relative paths are read from here (default the process's working folder). */
  cwd?: string;
  /** The clock for expiry (tests). */
  now?: Date;
}

export interface DoctorReport {
  option: SecurityOptionNumber;
  url?: string;
  /** In the order the checks run, which is fixed: the same input gives the same list. */
  findings: Finding[];
  /** The one TLS handshake, when a reachable-looking https URL and usable trust were given. */
  handshake?: HandshakeReport;
}

/** A certificate expiring sooner than this is a warning. */
const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

type Expect = 'private' | 'public' | 'cert';

const FLAGS = { cosignerKey: '--cosigner-key', handlerPublicKey: '--handler-public-key', handlerKey: '--handler-key', pinnedCert: '--pinned-cert', ca: '--ca' } as const;
type FlagKey = keyof typeof FLAGS;

const EXPECT_OF_FLAG: Record<FlagKey, Expect> = { cosignerKey: 'private', handlerPublicKey: 'public', handlerKey: 'private', pinnedCert: 'cert', ca: 'cert' };

const EXPECT_OF_KIT: Record<keyof typeof KIT_FILES, Expect> = {
  cosignerPrivateKey: 'private',
  cosignerPublicKey: 'public',
  handlerPrivateKey: 'private',
  handlerPublicKey: 'public',
  pinnedCert: 'cert',
  pinnedKey: 'private',
  rootCaCert: 'cert',
  rootCaKey: 'private',
  leafCert: 'cert',
  leafKey: 'private',
};

/** One file, read and parsed as what its place expects. */
interface Parsed {
  label: string;
  field?: string;
  key?: KeyObject;
  cert?: X509Certificate;
  certPem?: string;
  /** True once any finding names this file: a file with a problem is not compared with another. */
  bad: boolean;
}

/**
 * Reads and parses each file once (the same file may be named twice: `--ca keys/root-ca.pem --kit
 * keys/`), turning what each parser throws into a finding.
 */
class Files {
  readonly #cache = new Map<string, Parsed>();
  readonly #f: Findings;
  readonly #cwd: string;

  constructor(f: Findings, cwd: string) {
    this.#f = f;
    this.#cwd = cwd;
  }

  load(path: string, expect: Expect, field?: string): Parsed {
    const abs = isAbsolute(path) ? path : resolve(this.#cwd, path);
    const cacheKey = `${expect}:${abs}`;
    const cached = this.#cache.get(cacheKey);
    if (cached) return cached;
    const where = { file: path, ...(field !== undefined ? { field } : {}) };
    const out: Parsed = { label: path, ...(field !== undefined ? { field } : {}), bad: false };
    this.#cache.set(cacheKey, out);
    const text = this.#f.attempt(where, () => readMaterialFile(abs, expect === 'cert' ? 'certificate' : `${expect} key`));
    if (text === undefined) {
      out.bad = true;
      return out;
    }
    const source = { label: path };
    if (expect === 'cert') {
      const c = this.#f.attempt(where, () => parseCertificate(text, source));
      if (c) [out.cert, out.certPem] = [c.x509, c.pem];
    } else {
      const k = this.#f.attempt(where, () => (expect === 'private' ? parsePrivateKey(text, source) : parsePublicKey(text, source)));
      if (k) out.key = k;
    }
    if (!out.key && !out.cert) out.bad = true;
    return out;
  }

  /** Record a finding about a parsed file; an error marks it bad (a warning leaves it usable). */
  flag(p: Parsed, finding: Omit<Finding, 'file' | 'field'>): void {
    if (finding.severity === 'error') p.bad = true;
    this.#f.add({ ...finding, file: p.label, ...(p.field !== undefined ? { field: p.field } : {}) });
  }
}

function spki(key: KeyObject): Buffer {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
}

/** Do a private key and a public key (or a certificate's key) belong together? */
function samePair(privateKey: KeyObject, publicKey: KeyObject): boolean {
  return spki(privateKey).equals(spki(publicKey));
}

/** The URL checks of protocol/endpoints.ts, one rule at a time (it stops at the first). */
function checkUrl(url: string, option: SecurityOptionNumber, f: Findings): URL | undefined {
  const raw = url.trim();
  const http = /^http:/i.test(raw);
  // The scheme rule is checked on its own below; the rest on the URL with https, so an http URL
  // ending in /v2 gets both findings.
  const tls = http ? raw.replace(/^http:/i, 'https:') : raw;
  try {
    validateBaseUrl(tls, option);
  } catch (e) {
    // One more path segment clears only the "already ends in /v2" rule: if that makes it valid,
    // the suffix was the problem.
    let suffix = false;
    try {
      validateBaseUrl(`${tls.replace(/\/$/, '')}/x`, option);
      suffix = true;
    } catch {
      suffix = false;
    }
    if (http && e instanceof Error) e.message = e.message.split(tls).join(raw);
    f.addError(e, { field: 'url', id: suffix ? 'url-suffix' : 'url-invalid' });
  }
  if (http) {
    const spec = SECURITY_OPTIONS[option];
    if (option === 1) {
      f.add({
        id: 'url-plain-http',
        severity: 'warning',
        field: 'url',
        message: `${raw}: option 1 over plain http, which the Co-signer allows for development only [protocol.md §2]`,
        fix: `serve HTTPS with a publicly trusted certificate in production: ${tls}`,
      });
    } else {
      f.add({
        id: 'url-plain-http',
        severity: 'error',
        field: 'url',
        message: `${raw}: option ${option} (${spec.label}) needs TLS, and this URL is plain http`,
        fix: `options 2-5 authenticate the handler by its certificate; use ${tls}`,
      });
    }
  }
  if (!/^https?:\/\//i.test(raw)) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function names(cert: X509Certificate): string {
  return cert.subjectAltName ?? 'no subjectAltName';
}

/**
 * Check every file and setting of one setup, collecting every problem (not only the first), then
 * make one TLS handshake with the handler when a URL is given. Never starts a handler and never
 * sends a request.
 *
 * @example
 * const report = await diagnose({ option: 4, kit: 'keys/', url: 'https://127.0.0.1:8443/cb' });
 * report.findings.filter((f) => f.severity === 'error'); // [] when the setup is sound
 */
export async function diagnose(input: DoctorInput): Promise<DoctorReport> {
  const f = new Findings();
  const files = new Files(f, input.cwd ?? process.cwd());
  const option = input.option;
  const spec = SECURITY_OPTIONS[option];
  const now = input.now ?? new Date();

  // 1. The URL.
  const url = input.url !== undefined ? checkUrl(input.url, option, f) : undefined;

  // 2. Material the option never uses (client/material.ts, one item at a time).
  for (const key of ['cosignerKey', 'handlerPublicKey', 'pinnedCert', 'ca'] as const) {
    const path = input[key];
    if (path === undefined) continue;
    f.attempt({ field: key }, () => assertMaterialFits({ option, [key]: path, labels: { [key]: `${FLAGS[key]} ${path}` } }));
  }
  if (input.handlerKey !== undefined && spec.messageLayer === 'json') {
    f.add({
      id: 'material-misfit',
      severity: 'error',
      field: 'handlerKey',
      message: `${FLAGS.handlerKey} ${input.handlerKey} is for the JWT options 1, 4 and 5; option ${option} (${spec.label}) exchanges plain JSON`,
      fix: option === 2 ? 'drop the key, or choose option 4 (JWT over a pinned certificate)' : 'drop the key, or choose option 5 (JWT over a Root CA)',
    });
  }

  // 3. Every file named by a flag, then every file of the kit, parsed as its place expects.
  const flagged: Partial<Record<FlagKey, Parsed>> = {};
  for (const key of Object.keys(FLAGS) as FlagKey[]) {
    const path = input[key];
    if (path !== undefined) flagged[key] = files.load(path, EXPECT_OF_FLAG[key], key);
  }
  const kit: Partial<Record<keyof typeof KIT_FILES, Parsed>> = {};
  if (input.kit !== undefined) {
    const dir = isAbsolute(input.kit) ? input.kit : resolve(input.cwd ?? process.cwd(), input.kit);
    if (!existsSync(dir)) {
      f.add({ id: 'file-missing', severity: 'error', file: input.kit, field: 'kit', message: `${input.kit}: no such kit folder`, fix: 'check the --kit path, or write a kit with `cosigner-sim init --keys-only <dir>`' });
    } else {
      for (const name of Object.keys(KIT_FILES) as (keyof typeof KIT_FILES)[]) {
        kit[name] = files.load(join(input.kit, KIT_FILES[name]), EXPECT_OF_KIT[name]);
      }
    }
  }

  // 4. What the option will use: a flag wins over the kit (as client/material.ts resolves it).
  const cosigner = flagged.cosignerKey ?? kit.cosignerPrivateKey;
  const handlerPublic = flagged.handlerPublicKey ?? kit.handlerPublicKey;
  const pinned = flagged.pinnedCert ?? kit.pinnedCert;
  const ca = flagged.ca ?? kit.rootCaCert;

  if (spec.messageLayer === 'jwt') {
    if (!cosigner) {
      f.add({ id: 'material-missing', severity: 'error', field: 'cosignerKey', message: `option ${option} (${spec.label}) signs requests with the Co-signer private key, and none was given`, fix: 'pass --cosigner-key <pem> with the private key whose public half your handler trusts, or --kit <dir>' });
    } else if (cosigner.key && cosigner.key.asymmetricKeyType !== 'rsa') {
      files.flag(cosigner, { id: 'key-unsupported', severity: 'error', message: `${cosigner.label}: the Co-signer signs with RS256, which needs an RSA key (found ${cosigner.key.asymmetricKeyType})`, fix: 'openssl genrsa -out cosigner-private.pem 2048' });
    }
    if (!handlerPublic) {
      f.add({ id: 'material-missing', severity: 'error', field: 'handlerPublicKey', message: `option ${option} (${spec.label}) verifies responses with the handler public key, and none was given`, fix: 'pass --handler-public-key <pem>: the public half of the key your handler signs with, or --kit <dir>' });
    }
  } else if (kit.cosignerPrivateKey?.key && kit.cosignerPrivateKey.key.asymmetricKeyType !== 'rsa') {
    files.flag(kit.cosignerPrivateKey, { id: 'key-unsupported', severity: 'error', message: `${kit.cosignerPrivateKey.label}: the Co-signer signs with RS256, which needs an RSA key (found ${kit.cosignerPrivateKey.key.asymmetricKeyType})`, fix: 'openssl genrsa -out cosigner-private.pem 2048' });
  }
  // The handler key must be RSA-2048 wherever it stands [protocol.md §2]: a kit is meant for every option.
  for (const p of new Set([flagged.handlerPublicKey, kit.handlerPublicKey])) {
    if (!p?.key) continue;
    const key = p.key;
    try {
      assertRsa2048(key, { label: p.label });
    } catch (e) {
      if (!(e instanceof KeyUnsupportedError)) throw e;
      files.flag(p, { id: 'key-unsupported', severity: 'error', message: e.message, fix: e.hint ?? 'openssl genrsa -out handler-private.pem 2048' });
    }
  }
  if (spec.tls === 'pinned' && !pinned) {
    f.add({ id: 'material-missing', severity: 'error', field: 'pinnedCert', message: `option ${option} (${spec.label}) pins the handler's certificate, and none was given`, fix: 'pass --pinned-cert <pem>: the exact certificate your handler serves, or --kit <dir>' });
  }
  if (spec.tls === 'root-ca' && !ca) {
    f.add({ id: 'material-missing', severity: 'error', field: 'ca', message: `option ${option} (${spec.label}) trusts only the Root CA you give, and none was given`, fix: "pass --ca <pem>: the Root CA certificate that signed your handler's certificate, or --kit <dir>" });
  }

  // 5. Keys that belong together: each private key with its public key or certificate.
  const pair = (priv: Parsed | undefined, pub: Parsed | undefined, what: string, fix: string) => {
    if (!priv?.key || priv.bad || !pub || pub.bad) return;
    const pubKey = pub.key ?? pub.cert?.publicKey;
    if (!pubKey || samePair(priv.key, pubKey)) return;
    files.flag(priv, { id: 'key-pair-mismatch', severity: 'error', message: `${priv.label} is not the private key of ${pub.label} (${what})`, fix });
  };
  pair(kit.cosignerPrivateKey, kit.cosignerPublicKey, 'the Co-signer key pair: your handler would refuse every request', 'write both halves from one key: openssl rsa -in cosigner-private.pem -pubout -out cosigner-public.pem');
  pair(kit.handlerPrivateKey, kit.handlerPublicKey, 'the handler key pair: every response signature would fail', 'write both halves from one key: openssl rsa -in handler-private.pem -pubout -out handler-public.pem');
  pair(flagged.handlerKey, handlerPublic, 'the handler key pair: every response signature would fail', 'give the public half of --handler-key: openssl rsa -in handler-private.pem -pubout -out handler-public.pem');
  pair(kit.pinnedKey, kit.pinnedCert, 'the pinned certificate and its key: the handler could not serve it', 'serve the certificate with the key it was made for');
  pair(kit.rootCaKey, kit.rootCaCert, 'the Root CA and its key: certificates signed with this key do not chain to it', 'keep the Root CA certificate and the key that signs with it together');
  pair(kit.leafKey, kit.leafCert, 'the leaf certificate and its key: the handler could not serve it', 'serve the certificate with the key it was made for');
  if (flagged.handlerKey?.key && !flagged.handlerKey.bad && !handlerPublic) {
    try {
      assertRsa2048(createPublicKey(flagged.handlerKey.key), { label: flagged.handlerKey.label });
    } catch (e) {
      if (!(e instanceof KeyUnsupportedError)) throw e;
      files.flag(flagged.handlerKey, { id: 'key-unsupported', severity: 'error', message: e.message, fix: e.hint ?? 'openssl genrsa -out handler-private.pem 2048' });
    }
  }

  // 6. Dates of every certificate.
  for (const p of new Set([flagged.pinnedCert, flagged.ca, kit.pinnedCert, kit.rootCaCert, kit.leafCert])) {
    if (!p?.cert) continue;
    const from = new Date(p.cert.validFrom);
    const to = new Date(p.cert.validTo);
    if (to.getTime() <= now.getTime()) {
      files.flag(p, { id: 'cert-expired', severity: 'error', message: `${p.label}: the certificate expired on ${to.toISOString()}`, fix: 'issue a new certificate (and give the real Co-signer the new one where it pins or trusts it)' });
    } else if (from.getTime() > now.getTime()) {
      files.flag(p, { id: 'cert-not-yet-valid', severity: 'error', message: `${p.label}: the certificate is not valid before ${from.toISOString()}`, fix: "check the clock of the machine that made it, or issue one valid from now" });
    } else if (to.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.ceil((to.getTime() - now.getTime()) / DAY_MS);
      files.flag(p, { id: 'cert-expiring', severity: 'warning', message: `${p.label}: the certificate expires in ${days} day${days === 1 ? '' : 's'} (${to.toISOString()})`, fix: 'issue a new certificate before then, and give it to the real Co-signer where it pins or trusts it' });
    }
  }

  // 7. The Root CA: a CA certificate, and the one that signed the leaf.
  const caUsed = spec.tls === 'root-ca' || (spec.tls === 'public-ca' && flagged.ca !== undefined) ? ca : undefined;
  if (caUsed?.cert && !caUsed.cert.ca) {
    files.flag(caUsed, {
      id: 'ca-not-ca',
      severity: spec.tls === 'root-ca' ? 'error' : 'warning',
      message: `${caUsed.label}: expected a CA certificate (basicConstraints CA:TRUE), found ${caUsed.cert.subject.split('\n').join(', ')}, which is not a CA`,
      fix: "pass the Root CA that signed the handler's certificate, not the handler's certificate itself",
    });
  }
  if (caUsed?.cert && kit.leafCert?.cert && !caUsed.bad && !kit.leafCert.bad) {
    const leaf = kit.leafCert.cert;
    if (!leaf.checkIssued(caUsed.cert) || !leaf.verify(caUsed.cert.publicKey)) {
      files.flag(kit.leafCert, {
        id: 'chain-broken',
        severity: spec.tls === 'root-ca' ? 'error' : 'warning',
        message: `${kit.leafCert.label} does not chain to the Root CA ${caUsed.label}: it was issued by ${leaf.issuer.split('\n').join(', ')}`,
        fix: `sign the leaf with this Root CA, or pass the Root CA that signed it (check with: openssl verify -CAfile ${caUsed.label} ${kit.leafCert.label})`,
      });
    }
  }

  // 8. The served certificate's names against the URL host.
  const served = spec.tls === 'pinned' ? pinned : kit.leafCert;
  const checksNames = spec.tls === 'public-ca' || (spec.tls === 'root-ca' && input.checkHostname !== false);
  if (url && served?.cert && (checksNames || spec.tls === 'pinned')) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const covered = isIP(host) !== 0 ? served.cert.checkIP(host) : served.cert.checkHost(host);
    if (covered === undefined) {
      const severity: Severity = spec.tls === 'pinned' ? 'info' : 'error';
      f.add({
        id: 'san-mismatch',
        severity,
        file: served.label,
        ...(served.field !== undefined ? { field: served.field } : {}),
        message:
          spec.tls === 'pinned'
            ? `${served.label} does not cover ${host} (${names(served.cert)}); option ${option} compares the pinned certificate whole and does not check names [protocol.md §2]`
            : `${served.label} does not cover ${host} (${names(served.cert)}): option ${option} (${spec.label}) checks the certificate's names against the URL host`,
        fix:
          spec.tls === 'pinned'
            ? `nothing needed for the pin; to be safe if the Co-signer ever checks names, add ${host} to the certificate's subjectAltName`
            : `issue the certificate with ${host} in its subjectAltName (openssl ... -addext "subjectAltName=${isIP(host) !== 0 ? 'IP' : 'DNS'}:${host}"), or use a URL with one of its names${spec.tls === 'root-ca' ? ', or --no-check-hostname' : ''}`,
      });
    }
  }

  // 9. Co-signer versions: no profile says which Co-signer the user has, so this is information.
  if (option >= 3) {
    f.add({
      id: 'cosigner-version',
      severity: 'info',
      field: 'option',
      message: `option ${option} (${spec.label}) needs Co-signer 2025.12.11 or newer${option >= 4 ? ', on SGX only' : ''} [protocol.md §2, §14.1]`,
      fix: option >= 4 ? 'check the Co-signer is an SGX one at 2025.12.11 or later, or use option 1 or 2' : 'check the Co-signer is at 2025.12.11 or later (the Nitro and GCP notes do not list the Root-CA option), or use option 1 or 2',
    });
  }

  // 10. One TLS handshake against what the option will trust.
  const report: DoctorReport = { option, ...(input.url !== undefined ? { url: input.url } : {}), findings: [] };
  if (url && url.protocol === 'https:') {
    const trust: TrustMaterial | undefined =
      spec.tls === 'pinned'
        ? pinned?.certPem && !pinned.bad ? { pinnedCertPem: pinned.certPem } : undefined
        : spec.tls === 'root-ca'
          ? ca?.certPem && !ca.bad ? { caPem: ca.certPem, ...(input.checkHostname === false ? { checkHostname: false } : {}) } : undefined
          : // Option 1 trusts the public roots plus an explicit --ca only, as a run against this URL
            // does: a kit's test Root CA is never added silently (the real Co-signer would not have it).
            flagged.ca?.certPem && !flagged.ca.bad ? { caPem: flagged.ca.certPem } : {};
    if (trust) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = url.port === '' ? 443 : Number(url.port);
      const hs = await tlsHandshake({ host, port, option, trust, timeoutMs: input.timeoutMs ?? 10_000 });
      report.handshake = hs;
      handshakeFindings(hs, option, f);
    }
  }
  report.findings = f.list();
  return report;
}

function handshakeFindings(hs: HandshakeReport, option: SecurityOptionNumber, f: Findings): void {
  const where = `${hs.host}:${hs.port}`;
  if (hs.status === 'unreachable') {
    f.add({ id: 'handler-unreachable', severity: 'info', field: 'url', message: `${where}: no TLS server answered (${hs.code ?? hs.reason ?? 'no answer'}); the handshake was not checked`, fix: 'start the handler and run doctor again to see what it presents' });
    return;
  }
  if (hs.status !== 'failed') return;
  const mode = SECURITY_OPTIONS[option].tls;
  const presented = hs.presented ? `presented SHA-256 ${hs.presented.fingerprint256}${hs.presented.subject ? ` (${hs.presented.subject})` : ''}` : 'no certificate seen';
  const trusted =
    mode === 'pinned'
      ? `pinned SHA-256 ${hs.trusted.pinnedFingerprint256 ?? '?'}`
      : hs.trusted.ca
        ? `trusted Root CA ${hs.trusted.ca.subject} (SHA-256 ${hs.trusted.ca.fingerprint256})${mode === 'public-ca' ? ' and the public roots' : ''}`
        : 'trusted: the public roots';
  f.add({
    id: 'tls-handshake',
    severity: 'error',
    field: 'url',
    message: `${where}: the TLS handshake fails as option ${option} will verify it: ${hs.reason ?? hs.code ?? 'refused'}; ${presented}; ${trusted}`,
    fix:
      mode === 'pinned'
        ? 'pin the certificate the handler serves (openssl s_client -connect host:port -showcerts shows it), or make the handler serve the pinned one'
        : mode === 'root-ca'
          ? "serve a certificate signed by this Root CA with the URL host in its subjectAltName, or pass the Root CA that signed the handler's certificate"
          : 'serve a certificate from a publicly trusted CA that covers the URL host (or pass --ca for a private test CA)',
  });
}
