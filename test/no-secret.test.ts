/**
 * No secret in any report: `run` in-process with the json, junit and ctrf file reporters against
 * the embedded reference handler (option 4: signed JWT requests and answers, a pinned
 * certificate), with a kit whose private keys the test knows, a scenario the handler passes, one
 * it answers otherwise than expected (a signed REJECT) and one it refuses (a forged request,
 * 401). Every output is searched for a three-segment JWS with a signature left in, a PEM header,
 * and the base64 body of each of the kit's private keys. The search is shown able to fail on
 * the same kind of text unredacted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCompactJws } from '../simulator/codec/jws.js';
import { generateKit } from '../simulator/keys/generate.js';
import { writeKit } from '../simulator/keys/kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { PASS_AND_FAIL_SCENARIOS } from './fixtures/reports/scenarios.js';

/** A compact JWS with a non-empty third segment: the redactor leaves `.<signature: N chars, redacted>`. */
const SIGNED_JWS = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/g;
const PEM_HEADER = /-----BEGIN [A-Z0-9 ]*-----/g;

function privateKeyBodies(kit: Kit): { name: string; lines: string[] }[] {
  const pems = { cosigner: kit.cosigner.privateKeyPem, handler: kit.handler.privateKeyPem, pinned: kit.pinned.keyPem, rootCa: kit.rootCa.keyPem, leaf: kit.leaf.keyPem };
  return Object.entries(pems).map(([name, pem]) => ({ name, lines: pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')) }));
}

/** Every secret found in a text: signed JWSs, PEM headers, and any 64-character line of a private key's base64 body (also with the breaks escaped or removed). */
function secretsIn(text: string, kit: Kit): string[] {
  const found = [...(text.match(SIGNED_JWS) ?? []).map((t) => `JWS ${t.slice(0, 40)}…`), ...(text.match(PEM_HEADER) ?? [])];
  const flat = text.replace(/\\+[nr]|\s/g, '');
  for (const key of privateKeyBodies(kit)) {
    // Lines of at least 40 characters (all but maybe the last): long enough never to occur by chance.
    for (const line of key.lines.filter((l) => l.length >= 40)) if (flat.includes(line)) found.push(`${key.name} private key body`);
  }
  return [...new Set(found)];
}

const SCENARIOS = `${PASS_AND_FAIL_SCENARIOS}- name: a forged request is refused
  request:
    type: tx
    signWith: forged.pem
  expect: { status: refused }
`;

describe('no secret in any report', () => {
  let kit: Kit;
  let dir: string;
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'csim-no-secret-'));
    kit = writeKit(await generateKit(), join(dir, 'kit'));
    writeFileSync(join(dir, 'forged.pem'), (await generateKit()).cosigner.privateKeyPem);
    writeFileSync(join(dir, 'scenarios.yaml'), SCENARIOS);
    const r = await runInProcess(
      ['run', join(dir, 'scenarios.yaml'), '--option', '4', '--kit', join(dir, 'kit'), '--seed', '5', '--reporter', 'json:out/report.json', '--reporter', 'junit:out/report.xml', '--reporter', 'ctrf:out/ctrf.json'],
      { cwd: dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    for (const name of ['report.json', 'report.xml', 'ctrf.json']) outputs[name] = readFileSync(join(dir, 'out', name), 'utf8');
    outputs['stdout (pretty)'] = r.stdout;
  }, 120_000);

  it('the run told what it should: requests with payloads, the failure, signed JWTs redacted', () => {
    const doc = JSON.parse(outputs['report.json']!);
    expect(doc.scenarios.map((s: { status: string }) => s.status)).toEqual(['pass', 'fail', expect.any(String)]);
    expect(doc.scenarios[1].response.action).toBe('REJECT');
    expect(doc.scenarios[1].request.payload.destinations[0].dstAddress).toMatch(/dEaD$/);
    // The handler's answers were signed JWTs: decoded in the JSON, their signatures cut in the stories.
    expect(doc.scenarios[1].response.jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(outputs['report.xml']).toContain('JWT signature: &lt;342 chars, redacted&gt;');
    expect(JSON.parse(outputs['ctrf.json']!).results.tests[1].message).toContain('JWT signature: <342 chars, redacted>');
  });

  it.each(['report.json', 'report.xml', 'ctrf.json', 'stdout (pretty)'])('%s holds no signature, PEM block or private key', (name) => {
    expect(secretsIn(outputs[name]!, kit)).toEqual([]);
  });

  it('the search finds the signed request bodies in the same run with --show-secrets (it can fail on real output)', async () => {
    const r = await runInProcess(['run', join(dir, 'scenarios.yaml'), '--option', '4', '--kit', join(dir, 'kit'), '--seed', '5', '--reporter', 'json', '--show-secrets']);
    expect(secretsIn(r.stdout, kit).filter((f) => f.startsWith('JWS ')).length).toBeGreaterThan(0);
  }, 60_000);

  it('the search finds each kind of secret when it is there (it can fail)', () => {
    const jws = signCompactJws(JSON.stringify({ action: 'APPROVE', requestId: 'r' }), kit.handler.privateKey, '{"alg":"RS256","typ":"JWT"}');
    expect(secretsIn(JSON.stringify({ body: jws }), kit)).toEqual([expect.stringMatching(/^JWS eyJ/)]);
    expect(secretsIn(`<failure>${kit.rootCa.certPem}</failure>`, kit)).toEqual(['-----BEGIN CERTIFICATE-----']);
    // A key's body with its armour stripped, as a JSON string with escaped breaks, and flattened.
    const body = privateKeyBodies(kit).find((k) => k.name === 'leaf')!.lines;
    expect(secretsIn(JSON.stringify({ key: body.join('\n') }), kit)).toEqual(['leaf private key body']);
    expect(secretsIn(body.join(''), kit)).toEqual(['leaf private key body']);
    expect(secretsIn(kit.cosigner.privateKeyPem, kit)).toEqual(['-----BEGIN PRIVATE KEY-----', 'cosigner private key body']);
  });
});
