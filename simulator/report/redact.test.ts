import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from '../codec/jws.js';
import { createRedactor, looksLikePrivateKeyDer, REDACTED, redactText, redactValue } from './redact.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');

const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', extra: object = {}) => key.export({ type, format: 'pem', ...extra }) as string;

/** Every private key shape a handler could leak, as PEM. */
const PRIVATE_PEMS: Record<string, string> = {
  'rsa pkcs8': pem(rsa.privateKey, 'pkcs8'),
  'rsa pkcs1': pem(rsa.privateKey, 'pkcs1'),
  'ec sec1': pem(ec.privateKey, 'sec1'),
  'ec pkcs8': pem(ec.privateKey, 'pkcs8'),
  'ed25519 pkcs8': pem(ed.privateKey, 'pkcs8'),
  'rsa pkcs8 encrypted': pem(rsa.privateKey, 'pkcs8', { cipher: 'aes-256-cbc', passphrase: 'pw' }),
};

/** The base64 body of a PEM block, without its armour. */
const bodyOf = (block: string) => block.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('\n');

/** 24-character windows of a key's base64: none may survive redaction. */
function keyWindows(block: string): string[] {
  const flat = bodyOf(block).replace(/\n/g, '');
  const out: string[] = [];
  for (let i = 0; i + 24 <= flat.length; i += 12) out.push(flat.slice(i, i + 24));
  return out;
}

const token = (sig: 'real' | 'short' = 'real') => {
  const t = signCompactJws('{"action":"APPROVE","requestId":"r"}', rsa.privateKey, '{"alg":"RS256","typ":"JWT"}');
  return sig === 'real' ? t : `${t.split('.').slice(0, 2).join('.')}.abc`;
};

/** What must never survive: a JWS with a signature, any PEM armour line, any piece of a key's base64. */
function leaks(text: string, keys: readonly string[]): string[] {
  const found: string[] = [];
  const jws = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/.exec(text);
  if (jws) found.push(`JWS with a signature: ${jws[0].slice(0, 40)}…`);
  if (/-----(BEGIN|END)/.test(text)) found.push('a PEM armour line');
  for (const k of keys) for (const w of keyWindows(k)) if (text.includes(w)) found.push(`key base64 ${w}`);
  return found;
}

describe('redactText', () => {
  it('replaces complete PEM blocks with their label, armour included', () => {
    expect(redactText(`key: ${PRIVATE_PEMS['rsa pkcs8']!.trim()} and more`)).toBe('key: [PRIVATE KEY redacted] and more');
    expect(redactText(PRIVATE_PEMS['rsa pkcs1']!)).toBe('[RSA PRIVATE KEY redacted]\n');
    expect(redactText(PRIVATE_PEMS['ec sec1']!)).toBe('[EC PRIVATE KEY redacted]\n');
    expect(redactText(PRIVATE_PEMS['rsa pkcs8 encrypted']!)).toBe('[ENCRYPTED PRIVATE KEY redacted]\n');
    const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(redactText(spki)).toBe('[PUBLIC KEY redacted]\n');
  });

  it('redacts a block cut off at either end, and a BEGIN line cut in its label', () => {
    const block = PRIVATE_PEMS['rsa pkcs8']!;
    expect(redactText(block.slice(0, 120))).toBe('[PRIVATE KEY redacted]');
    expect(redactText(`body: ${block.slice(0, 300)}`)).toBe('body: [PRIVATE KEY redacted]');
    expect(redactText(`"${block.slice(200)}" was sent`)).toBe('"[PRIVATE KEY redacted]\n" was sent');
    expect(redactText('preview ends in -----BEGIN PRIV')).toBe('preview ends in [PEM redacted]');
  });

  it('redacts PEM blocks and bare keys inside JSON-escaped text', () => {
    const block = PRIVATE_PEMS['ec pkcs8']!;
    expect(redactText(JSON.stringify({ key: block }))).toBe('{"key":"[PRIVATE KEY redacted]\\n"}');
    expect(redactText(JSON.stringify(block.slice(0, 100)))).toBe('"[PRIVATE KEY redacted]"');
    expect(redactText(JSON.stringify(block).slice(100))).toBe('[PRIVATE KEY redacted]\\n"');
    expect(redactText(JSON.stringify(JSON.stringify(block)).slice(100))).toBe('[PRIVATE KEY redacted]\\\\n\\""');
    expect(redactText(JSON.stringify(bodyOf(block)))).toBe('"[base64 PRIVATE KEY redacted]"');
  });

  it('redacts the bare base64 body of every kind of private key, whole, on one line or cut', () => {
    for (const [name, block] of Object.entries(PRIVATE_PEMS)) {
      const body = bodyOf(block);
      for (const text of [body, body.replace(/\n/g, ''), `key=${body.slice(0, 300)}`, body.replace(/\n/g, '\r\n')]) {
        expect(leaks(redactText(text), [block]), `${name}: ${text.slice(0, 30)}`).toEqual([]);
      }
      expect(redactText(body)).toBe('[base64 PRIVATE KEY redacted]');
    }
  });

  it('leaves public material and other base64 alone', () => {
    const spki = bodyOf(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    expect(redactText(spki)).toBe(spki);
    const hash = Buffer.alloc(48, 7).toString('base64');
    expect(redactText(hash)).toBe(hash);
    expect(looksLikePrivateKeyDer(rsa.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
    expect(looksLikePrivateKeyDer(rsa.privateKey.export({ type: 'pkcs1', format: 'der' }))).toBe(true);
  });

  it('redacts the signature of any compact JWS and keeps header and payload', () => {
    const t = token();
    const [h, p, s] = t.split('.');
    expect(redactText(`"${t}"`)).toBe(`"${h}.${p}.<signature: ${s!.length} chars, redacted>"`);
    expect(redactText(token('short'))).toBe(`${h}.${p}.<signature: 3 chars, redacted>`);
    for (const text of [`Bearer ${t}`, `https://h/cb?jwt=${t}&x=1`, JSON.stringify({ nested: [t] }), `${h}..${s}`, `${t}\n${t}`]) {
      expect(leaks(redactText(text), []), text.slice(0, 30)).toEqual([]);
    }
    expect(redactText(`${h}.${p}.`)).toBe(`${h}.${p}.`); // unsigned: nothing to hide
  });

  it('redacts URL passwords and JWK private members', () => {
    expect(redactText('https://user:hunter2@host/x')).toBe(`https://user:${REDACTED}@host/x`);
    const jwk = rsa.privateKey.export({ format: 'jwk' });
    const text = redactText(JSON.stringify(jwk));
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) expect(text).not.toContain(jwk[member]!);
    expect(text).toContain(jwk.n!);
    expect(redactText(JSON.stringify(JSON.stringify(jwk)))).not.toContain(jwk.d!);
  });

  // redactText skips its patterns for short texts that hold none of their markers, and does
  // not decode a base64 run that starts like no key: these hold those shortcuts to the full rules.
  it('redacts short texts too: a URL password, a JWS signature, a JWK member, PEM armour', () => {
    expect(redactText('https://a:b@h')).toBe(`https://a:${REDACTED}@h`);
    expect(redactText('eyJ.e30.sig')).toBe('eyJ.e30.<signature: 3 chars, redacted>');
    expect(redactText('{"kty":"x","d":"y"}')).toBe(`{"kty":"x","d":"${REDACTED}"}`);
    expect(redactText('-----BEGIN X-----')).toBe('[X redacted]');
    for (const plain of ['APPROVE', 'ETH', '2.5', 'a-b_c/d+e=f', '']) expect(redactText(plain)).toBe(plain);
  });

  it('redacts a bare OpenSSH private key, and keeps base64 runs that start like no key', () => {
    const openssh = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), Buffer.alloc(64, 9)]).toString('base64');
    expect(openssh[0]).toBe('b');
    expect(redactText(`key: ${openssh}`)).toBe('key: [base64 PRIVATE KEY redacted]');
    const der = rsa.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(der[0]).toBe('M');
    for (const id of ['7f3c2a1e-9b8d-4c6f-a5e4-3d2c1b0a9f8e', '0x000000000000000000000000000000000000dEaD']) expect(redactText(id)).toBe(id);
  });

  it('gives a text the same result the second time (remembered) as the first', () => {
    const text = `note ${bodyOf(PRIVATE_PEMS['ec sec1']!).replace(/\n/g, '')} ${token()}`;
    const first = redactText(text);
    expect(first).not.toBe(text);
    expect(redactText(`${text}`)).toBe(first);
  });

  it('is idempotent', () => {
    const text = `a ${token()} b ${PRIVATE_PEMS['rsa pkcs8']} c ${bodyOf(PRIVATE_PEMS['ec sec1']!)} https://u:p@h/`;
    const once = redactText(text);
    expect(redactText(once)).toBe(once);
  });

  // Previews are prefixes (the first 300 bytes), so a bare key always keeps its DER header; a
  // bare body cut at its start has nothing left to recognise it by, and is not claimed here.
  it('no JWS signature, PEM armour or key base64 survives any mix of them, whole, previewed or JSON-escaped', () => {
    const pieces = [token(), token('short'), ...Object.values(PRIVATE_PEMS), ...Object.values(PRIVATE_PEMS).map(bodyOf), JSON.stringify(PRIVATE_PEMS)];
    const keys = Object.values(PRIVATE_PEMS);
    for (let i = 0; i < pieces.length; i++) {
      for (let j = 0; j < pieces.length; j++) {
        const mixed = `start ${pieces[i]} middle ${pieces[j]}`;
        for (const text of [mixed, mixed.slice(0, 300), JSON.stringify(mixed), JSON.stringify(mixed).slice(0, 300)]) expect(leaks(redactText(text), keys), `${i} ${j}`).toEqual([]);
        // Inside an armoured block the END line marks what came before it as key material.
        const block = keys[i % keys.length]!;
        const armoured = `start ${block} middle ${pieces[j]}`;
        expect(leaks(redactText(armoured.slice(6 + Math.floor(block.length / 2))), keys)).toEqual([]);
      }
    }
  });

  it('takes one pass over a long body with no END line', () => {
    const huge = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(250_000)}`;
    const started = performance.now();
    expect(redactText(huge)).toBe('[PRIVATE KEY redacted]');
    expect(redactText(`${'QUJD'.repeat(250_000)}\n-----END PRIVATE KEY-----`)).toBe('[PRIVATE KEY redacted]');
    expect(redactText('eyJ'.repeat(100_000))).toBe('eyJ'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('redactValue and createRedactor', () => {
  it('replaces secret-named fields and JWK private members at any depth, and redacts every string', () => {
    const jwk = ec.privateKey.export({ format: 'jwk' });
    const input = { apiKey: 'a', nested: { client_secret: 'b', password: 'c', privateKey: 'd', jwk, note: `sig ${token()}` }, list: [{ token: 'e' }] };
    const out = redactValue(input);
    expect(out).toEqual({
      apiKey: REDACTED,
      nested: { client_secret: REDACTED, password: REDACTED, privateKey: REDACTED, jwk: { ...jwk, d: REDACTED }, note: expect.stringContaining('<signature: 342 chars, redacted>') },
      list: [{ token: REDACTED }],
    });
    expect(input.apiKey).toBe('a');
  });

  it('does nothing with --show-secrets', () => {
    const r = createRedactor(true);
    expect(r.enabled).toBe(false);
    expect(r.text(token())).toBe(token());
    expect(r.value({ apiKey: 'a' })).toEqual({ apiKey: 'a' });
    expect(createRedactor(false).isSecretKey('apiKey')).toBe(true);
  });
});
