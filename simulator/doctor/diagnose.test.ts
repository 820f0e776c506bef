import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import { generateRsaKeyPair, generateTestCertificate } from '../keys/generate.js';
import { writeKit } from '../keys/kit.js';
import type { CertMaterial, Kit, KeyPairMaterial } from '../keys/types.js';
import { diagnose, type DoctorInput } from './diagnose.js';
import { FINDING_IDS, doctorExitCode, type Finding } from './findings.js';

const RSA_4096_PUBLIC = readFileSync(new URL('../../test/fixtures/keys/rsa-4096-public.pem', import.meta.url), 'utf8');
const DAY = 24 * 3600 * 1000;

let kit: Kit;
let other: KeyPairMaterial;
let root: string;
let goodKit: string;
const servers: Server[] = [];

/** A file in this run's temporary folder. */
function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

/** A copy of the good kit with some files replaced. */
function kitWith(name: string, replace: Record<string, string>): string {
  const dir = join(root, name);
  cpSync(goodKit, dir, { recursive: true });
  for (const [f, text] of Object.entries(replace)) writeFileSync(join(dir, f), text);
  return dir;
}

/** A TLS server on 127.0.0.1 serving one certificate: a stand-in handler doctor only shakes hands with. */
async function serve(cert: CertMaterial): Promise<number> {
  const server = createServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one that was just closed. */
async function closedPort(): Promise<number> {
  const server = createServer({});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ids = (fs: Finding[]) => fs.map((f) => f.id);
const run = (input: DoctorInput) => diagnose({ timeoutMs: 5000, ...input });

beforeAll(async () => {
  kit = await sharedKit();
  other = await generateRsaKeyPair();
  root = mkdtempSync(join(tmpdir(), 'csim-doctor-'));
  goodKit = join(root, 'good-kit');
  writeKit(kit, goodKit);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('doctor collects', () => {
  it('six independent problems give six error findings, in a stable order', async () => {
    // A live TLS server with the kit's leaf: the handshake verifies, so it adds no finding.
    const port = await serve(kit.leaf);
    const broken = kitWith('six', {
      'cosigner-private.pem': kit.cosigner.publicKeyPem, // a public key where the Co-signer private key belongs
      'handler-public.pem': RSA_4096_PUBLIC, // a 4096-bit handler key
      'leaf-key.pem': other.privateKeyPem, // a key pair that does not belong together
    });
    const expired = await generateTestCertificate({ keyPair: other, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const input: DoctorInput = {
      option: 3,
      url: `https://127.0.0.1:${port}/cb/v2`, // a /v2 URL
      kit: broken,
      pinnedCert: file('expired-pin.pem', expired.certPem), // an expired certificate, given with option 3
    };
    const first = await run(input);
    const errors = first.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.id, f.file ?? f.field])).toEqual([
      ['url-suffix', 'url'],
      ['material-misfit', 'pinnedCert'],
      ['key-format', join(broken, 'cosigner-private.pem')],
      ['key-unsupported', join(broken, 'handler-public.pem')],
      ['key-pair-mismatch', join(broken, 'leaf-key.pem')],
      ['cert-expired', input.pinnedCert],
    ]);
    // Beside them only the version note option 3 always carries (no profile says which Co-signer).
    expect(first.findings.filter((f) => f.severity !== 'error').map((f) => [f.id, f.severity])).toEqual([['cosigner-version', 'info']]);
    expect(first.handshake?.status).toBe('ok');
    expect(errors[0]!.fix).toContain(`use https://127.0.0.1:${port}/cb`);
    expect(errors[2]!.message).toContain('expected a private key, found a public key');
    expect(errors[3]!.message).toContain('RSA-4096');
    expect(doctorExitCode(first.findings, false)).toBe(1);
    // The same input, the same list.
    expect((await run(input)).findings).toEqual(first.findings);
  });
});

describe('a clean kit', () => {
  it.each([1, 2] as const)('option %i: no findings, exit 0', async (option) => {
    const r = await run({ option, kit: goodKit });
    expect(r.findings).toEqual([]);
    expect(doctorExitCode(r.findings, true)).toBe(0);
  });

  it('option 5 against a live handler: only the version note, and the handshake shows both sides', async () => {
    const port = await serve(kit.leaf);
    const r = await run({ option: 5, kit: goodKit, url: `https://127.0.0.1:${port}/cb` });
    expect(ids(r.findings)).toEqual(['cosigner-version']);
    expect(r.findings[0]!.message).toContain('2025.12.11 or newer, on SGX only');
    expect(r.handshake).toMatchObject({ status: 'ok', presented: { subjectAltName: expect.stringContaining('IP Address:127.0.0.1') }, trusted: { mode: 'root-ca', checkHostname: true, ca: { subject: expect.stringContaining('Root CA') } } });
    expect(doctorExitCode(r.findings, true)).toBe(0);
  });

  it('option 1 against a live handler on a kit certificate: trusts the public roots and --ca only, as run does', async () => {
    const port = await serve(kit.leaf);
    const url = `https://127.0.0.1:${port}/cb`;
    // The kit alone: its test Root CA is not trusted (the real Co-signer would not have it).
    const bare = await run({ option: 1, kit: goodKit, url });
    expect(ids(bare.findings)).toContain('tls-handshake');
    expect(bare.handshake).toMatchObject({ status: 'failed' });
    // Named as --ca, it is.
    const named = await run({ option: 1, kit: goodKit, url, ca: join(goodKit, 'root-ca.pem') });
    expect(ids(named.findings)).not.toContain('tls-handshake');
    expect(named.handshake).toMatchObject({ status: 'ok' });
  });

  it('accepts PKCS#1 private and public keys as well as PKCS#8 and SPKI', async () => {
    const cosignerKey = file('pkcs1-private.pem', kit.cosigner.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const handlerPublicKey = file('pkcs1-public.pem', kit.handler.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const handlerKey = file('pkcs1-handler.pem', kit.handler.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    expect(readFileSync(handlerPublicKey, 'utf8')).toContain('BEGIN RSA PUBLIC KEY');
    expect((await run({ option: 1, cosignerKey, handlerPublicKey, handlerKey })).findings).toEqual([]);
  });
});

describe('each finding, from a generated bad input', () => {
  it('url-invalid: a query string, and a scheme that is not http(s)', async () => {
    const port = await closedPort();
    // The host of a URL with a query string is still tried; a URL with another scheme is not.
    for (const [url, found] of [
      [`https://127.0.0.1:${port}/cb?x=1`, ['url-invalid', 'handler-unreachable']],
      ['ftp://127.0.0.1/cb', ['url-invalid']],
    ] as const) {
      const r = await run({ option: 1, kit: goodKit, url });
      expect(ids(r.findings), url).toEqual(found);
      expect(r.findings[0]).toMatchObject({ severity: 'error', field: 'url' });
    }
  });

  it('url-suffix and url-plain-http: an http URL ending in an endpoint gets both', async () => {
    const r = await run({ option: 2, kit: goodKit, url: 'http://127.0.0.1/cb/tx_sign_request' });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['url-suffix', 'error'],
      ['url-plain-http', 'error'],
    ]);
    expect(r.findings[0]!.message).toContain('"http://127.0.0.1/cb/tx_sign_request"');
    expect(r.findings[1]!.fix).toContain('https://127.0.0.1/cb/tx_sign_request');
  });

  it('url-plain-http is a warning for option 1, which allows http for development', async () => {
    const r = await run({ option: 1, kit: goodKit, url: `http://127.0.0.1:${await closedPort()}/cb` });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['url-plain-http', 'warning']]);
    expect(doctorExitCode(r.findings, false)).toBe(0);
    expect(doctorExitCode(r.findings, true)).toBe(1);
  });

  it('material-misfit: every key the option never uses, each its own finding', async () => {
    const r = await run({
      option: 2,
      pinnedCert: file('pin-ok.pem', kit.pinned.certPem),
      cosignerKey: file('cos.pem', kit.cosigner.privateKeyPem),
      handlerPublicKey: file('hpub.pem', kit.handler.publicKeyPem),
      handlerKey: file('hpriv.pem', kit.handler.privateKeyPem),
      ca: file('ca.pem', kit.rootCa.certPem),
    });
    expect(r.findings.map((f) => [f.id, f.field])).toEqual([
      ['material-misfit', 'cosignerKey'],
      ['material-misfit', 'handlerPublicKey'],
      ['material-misfit', 'ca'],
      ['material-misfit', 'handlerKey'],
    ]);
  });

  it('material-missing: option 4 with nothing given names all three', async () => {
    const r = await run({ option: 4 });
    expect(r.findings.map((f) => [f.id, f.field])).toEqual([
      ['material-missing', 'cosignerKey'],
      ['material-missing', 'handlerPublicKey'],
      ['material-missing', 'pinnedCert'],
      ['cosigner-version', 'option'],
    ]);
  });

  it('file-missing: a flag naming no file, and a kit folder that does not exist', async () => {
    const r = await run({ option: 1, cosignerKey: join(root, 'nope.pem'), handlerPublicKey: file('hp.pem', kit.handler.publicKeyPem), kit: join(root, 'no-kit') });
    expect(r.findings.map((f) => [f.id, f.field])).toEqual([
      ['file-missing', 'cosignerKey'],
      ['file-missing', 'kit'],
    ]);
    expect(r.findings[0]!.message).toContain('nope.pem: cannot read');
  });

  it('key-format: a certificate where a key is expected; cert-format: a key where a certificate is expected', async () => {
    const r = await run({ option: 5, cosignerKey: file('cos-cert.pem', kit.leaf.certPem), handlerPublicKey: file('hp2.pem', kit.handler.publicKeyPem), ca: file('ca-key.pem', kit.rootCa.keyPem) });
    expect(r.findings.map((f) => [f.id, f.field])).toEqual([
      ['key-format', 'cosignerKey'],
      ['cert-format', 'ca'],
      ['cosigner-version', 'option'],
    ]);
    expect(r.findings[0]!.message).toContain('found a certificate');
    expect(r.findings[0]!.fix).toContain('not the certificate');
    expect(r.findings[1]!.message).toContain('expected a certificate, found a private key');
  });

  it('key-unsupported: a 4096-bit handler key, and a Co-signer key that is not RSA', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const r = await run({ option: 1, cosignerKey: file('ec.pem', ec), handlerPublicKey: file('big.pem', RSA_4096_PUBLIC) });
    expect(r.findings.map((f) => [f.id, f.field])).toEqual([
      ['key-unsupported', 'cosignerKey'],
      ['key-unsupported', 'handlerPublicKey'],
    ]);
    expect(r.findings[0]!.message).toContain('needs an RSA key (found ec)');
  });

  it('key-pair-mismatch: --handler-key against --handler-public-key, and the halves of a kit pair', async () => {
    const flags = await run({ option: 1, cosignerKey: file('c.pem', kit.cosigner.privateKeyPem), handlerPublicKey: file('h.pem', kit.handler.publicKeyPem), handlerKey: file('o.pem', other.privateKeyPem) });
    expect(flags.findings.map((f) => [f.id, f.field])).toEqual([['key-pair-mismatch', 'handlerKey']]);
    const dir = kitWith('pair', { 'cosigner-public.pem': other.publicKeyPem, 'handler-private.pem': other.privateKeyPem });
    const inKit = await run({ option: 1, kit: dir });
    expect(inKit.findings.map((f) => [f.id, f.file])).toEqual([
      ['key-pair-mismatch', join(dir, 'cosigner-private.pem')],
      ['key-pair-mismatch', join(dir, 'handler-private.pem')],
    ]);
    expect(inKit.findings[0]!.message).toContain('cosigner-public.pem');
  });

  it('cert-expiring (a warning) within 30 days, cert-not-yet-valid (an error) before its start', async () => {
    const soon = await generateTestCertificate({ keyPair: other, notAfter: new Date(Date.now() + 10 * DAY) });
    const later = await generateTestCertificate({ keyPair: other, notBefore: new Date(Date.now() + 10 * DAY), notAfter: new Date(Date.now() + 400 * DAY) });
    const r1 = await run({ option: 2, pinnedCert: file('soon.pem', soon.certPem) });
    expect(r1.findings.map((f) => [f.id, f.severity])).toEqual([['cert-expiring', 'warning']]);
    expect(r1.findings[0]!.message).toMatch(/expires in (9|10) days/);
    expect(doctorExitCode(r1.findings, false)).toBe(0);
    expect(doctorExitCode(r1.findings, true)).toBe(1);
    const r2 = await run({ option: 2, pinnedCert: file('later.pem', later.certPem) });
    expect(r2.findings.map((f) => [f.id, f.severity])).toEqual([['cert-not-yet-valid', 'error']]);
  });

  it('ca-not-ca: the handler certificate given as the Root CA', async () => {
    const r = await run({ option: 3, ca: file('leaf-as-ca.pem', kit.leaf.certPem) });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['ca-not-ca', 'error'],
      ['cosigner-version', 'info'],
    ]);
  });

  it('chain-broken: a leaf that another Root CA signed', async () => {
    const otherCa = await generateTestCertificate({ commonName: 'another Root CA', isCa: true, keyPair: other });
    const r = await run({ option: 5, kit: goodKit, ca: file('other-ca.pem', otherCa.certPem) });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['chain-broken', 'error'],
      ['cosigner-version', 'info'],
    ]);
    expect(r.findings[0]!.message).toContain('issued by CN=cosigner-sim Test Root CA');
  });

  it('san-mismatch: an error for options 1, 3 and 5, info for 2 and 4, none with --no-check-hostname', async () => {
    const narrow = await generateTestCertificate({ altNames: [{ type: 2, value: 'other.example' }], issuer: kit.rootCa, keyPair: other });
    const dir = kitWith('narrow', { 'leaf-cert.pem': narrow.certPem, 'leaf-key.pem': narrow.keyPem, 'pinned-cert.pem': narrow.certPem, 'pinned-key.pem': narrow.keyPem });
    const url = `https://127.0.0.1:${await closedPort()}/cb`;
    const sev = async (option: 1 | 2 | 3 | 4 | 5, checkHostname = true) =>
      (await run({ option, kit: dir, url, checkHostname })).findings.filter((f) => f.id === 'san-mismatch').map((f) => f.severity);
    expect(await sev(1)).toEqual(['error']);
    expect(await sev(3)).toEqual(['error']);
    expect(await sev(5)).toEqual(['error']);
    expect(await sev(2)).toEqual(['info']);
    expect(await sev(4)).toEqual(['info']);
    expect(await sev(3, false)).toEqual([]);
    const r = await run({ option: 3, kit: dir, url });
    expect(r.findings.find((f) => f.id === 'san-mismatch')!.message).toContain('does not cover 127.0.0.1 (DNS:other.example)');
  });

  it('cosigner-version: info for options 3, 4 and 5 only', async () => {
    for (const option of [1, 2, 3, 4, 5] as const) {
      const r = await run({ option, kit: goodKit });
      expect(r.findings.filter((f) => f.id === 'cosigner-version').map((f) => f.severity), `option ${option}`).toEqual(option >= 3 ? ['info'] : []);
    }
  });

  it('handler-unreachable: nothing listens at the URL (info, no handshake to judge)', async () => {
    const r = await run({ option: 1, kit: goodKit, url: `https://127.0.0.1:${await closedPort()}/cb` });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['handler-unreachable', 'info']]);
    expect(r.handshake).toMatchObject({ status: 'unreachable', code: 'ECONNREFUSED' });
  });

  it('tls-handshake: a handler that serves another certificate than the pin shows both fingerprints', async () => {
    const port = await serve(kit.leaf);
    const r = await run({ option: 4, kit: goodKit, url: `https://127.0.0.1:${port}/cb` });
    const hs = r.findings.find((f) => f.id === 'tls-handshake')!;
    expect(hs.severity).toBe('error');
    expect(r.handshake?.status).toBe('failed');
    const presented = r.handshake!.presented!.fingerprint256;
    const pinned = r.handshake!.trusted.pinnedFingerprint256!;
    expect(presented).not.toBe(pinned);
    expect(hs.message).toContain(`presented SHA-256 ${presented}`);
    expect(hs.message).toContain(`pinned SHA-256 ${pinned}`);
  });

  it('tls-handshake: a Root CA option whose CA did not sign what the handler serves', async () => {
    const port = await serve(kit.pinned); // self-signed, not under the kit's Root CA
    const r = await run({ option: 3, kit: goodKit, url: `https://127.0.0.1:${port}/cb` });
    expect(ids(r.findings)).toEqual(['cosigner-version', 'tls-handshake']);
    expect(r.handshake?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('the pin that matches: the handshake verifies and reports the one fingerprint on both sides', async () => {
    const port = await serve(kit.pinned);
    const r = await run({ option: 2, kit: goodKit, url: `https://127.0.0.1:${port}/cb` });
    expect(r.findings).toEqual([]);
    expect(r.handshake?.status).toBe('ok');
    expect(r.handshake?.presented?.fingerprint256).toBe(r.handshake?.trusted.pinnedFingerprint256);
  });

  it('covers every finding id in this file', () => {
    const text = readFileSync(new URL(import.meta.url), 'utf8');
    for (const id of FINDING_IDS) expect(text, id).toContain(`'${id}'`);
  });
});

describe('doctor never starts a handler', () => {
  it('imports nothing that serves: no targets, no reference handler, no http server', () => {
    const dir = new URL('.', import.meta.url);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const text = readFileSync(new URL(name, dir), 'utf8');
      expect(text, name).not.toMatch(/from '[^']*\/(targets|reference)\/|node:https?'|createServer/);
    }
  });
});
