import { beforeAll, describe, expect, it } from 'vitest';
import type { Kit } from '../simulator/keys/types.js';
import { failureOf, matcherKit, probe } from '../test/fixtures/matchers/harness.js';
import { redactText } from '../simulator/report/index.js';
import { redact } from './format.js';
import './vitest.js';

describe('failure messages never print secrets', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await matcherKit();
  });

  it('redacts PEM blocks, even cut off', () => {
    expect(redact(`key: ${kit.handler.privateKeyPem.trim()} and more`)).toBe('key: [PRIVATE KEY redacted] and more');
    expect(redact(kit.pinned.certPem.slice(0, 120))).toBe('[CERTIFICATE redacted]');
  });

  it('uses the one redactor the reporters use (simulator/report)', () => {
    const text = `${kit.handler.privateKeyPem} https://u:pw@h/ {"kty":"RSA","d":"secret"} eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln`;
    expect(redact(text)).toBe(redactText(text));
    expect(redact(text)).not.toMatch(/BEGIN|pw@|"secret"|c2ln/);
  });

  it('redacts JWS signature segments and keeps header and payload', () => {
    expect(redact('"eyJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.c2lnbmF0dXJlLXNlZ21lbnQ"')).toBe(
      '"eyJhbGciOiJSUzI1NiJ9.eyJhY3Rpb24iOiJBUFBST1ZFIn0.<signature: 23 chars, redacted>"',
    );
  });

  it('does not print a private key a broken handler sends back', async () => {
    const res = await probe({ option: 4, hooks: { encode: (_claims, ctx) => ctx.kit.handler.privateKeyPem } });
    const message = failureOf(() => expect(res).toBeSignedApproval());
    expect(message).toContain('Check failed: body-format');
    expect(message).toContain('Body: "[PRIVATE KEY redacted]\\n"');
    expect(message).not.toContain(kit.handler.privateKeyPem.split('\n')[1]!.slice(0, 40));
  });

  it('shows a JWT wrapped in a JSON string raw, with its signature redacted', async () => {
    const res = await probe({ option: 4, zoo: 'jwt-as-json-string' });
    const message = failureOf(() => expect(res).toBeSignedApproval());
    expect(message).toContain('Check failed: body-format: the JWT is wrapped in a JSON string literal');
    expect(message).toMatch(/Body: "\\"eyJ[\w-]+\.[\w-]+\.<signature: 342 chars, redacted>\\""/);
    expect(message).toMatchSnapshot();
  });
});
