/**
 * Replaying what a real Co-signer sent (issue 11): a body override is judged by the requestId,
 * stage and payload it carries, never by a generated request that was not sent, in the library
 * and in scenarios; with `resign: true` the captured header and payload segments go on the wire
 * byte for byte, signed again with the run's Co-signer key.
 */
import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner, type Cosigner } from '../simulator/client/cosigner.js';
import { splitCompactJws } from '../simulator/codec/jws.js';
import { writeKit } from '../simulator/keys/kit.js';
import type { Kit } from '../simulator/keys/types.js';
import { runScenarios, type ScenarioResult } from '../simulator/runner/index.js';
import { scenarioFromCapture } from '../simulator/suite/from-capture.js';
import { loadScenarioFile } from '../simulator/suite/index.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';

const FIXTURES = new URL('./fixtures/captured-requests/', import.meta.url);
const CAPTURES = readdirSync(FIXTURES).filter((f) => f.endsWith('.jwt'));
const captured = (file: string) => readFileSync(new URL(file, FIXTURES), 'utf8').trim();
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const GOAT = captured('goat-2024.jwt');
const signingInput = (jwt: string) => jwt.trim().split('.').slice(0, 2).join('.');
const failed = (r: ScenarioResult) => r.checks.filter((c) => c.status === 'fail');

let kit: Kit;
let target: StartedTarget;
let cosigner: Cosigner;
let dir: string;
beforeAll(async () => {
  kit = await sharedKit();
  target = await startTarget({ kind: 'reference', option: 4, kit });
  cosigner = createCosigner(target, { seed: 21 });
  dir = mkdtempSync(join(tmpdir(), 'csim-replay-'));
});
afterAll(() => target?.close());

async function runFile(name: string, text: string, on: Cosigner = cosigner, option: 1 | 2 | 3 | 4 | 5 = 4): Promise<ScenarioResult[]> {
  const file = join(dir, name);
  writeFileSync(file, text);
  return (await runScenarios(await loadScenarioFile(file), { cosigner: on, option })).results;
}

describe('a body override is judged by what it carries', () => {
  it('has captures to replay', () => {
    expect(CAPTURES).toEqual(expect.arrayContaining(['goat-2024.jwt', 'mjw-2022.jwt', 'docs-eth-2023.jwt']));
  });

  it('sendTx with a body another request produced: requestId, txId, stage and payload come from that body', async () => {
    const earlier = await createCosigner(target, { seed: 5 }).sendTx({ stage: 'approval' });
    const res = await cosigner.sendTx({ body: earlier.request.body });
    expect(res.request.body).toBe(earlier.request.body);
    expect(res.request.requestId).toBe(earlier.request.requestId);
    expect(res.request.txId).toBe(earlier.request.txId);
    expect(res.request.stage).toBe('approval');
    expect(res.request.payload).toEqual(earlier.request.payload);
    expect(failed(res as never)).toEqual([]);
    expect(res.ok).toBe(true);
  });

  it('sendConfigChange with a body: the requestId is the body\'s', async () => {
    const earlier = await createCosigner(target, { seed: 8 }).sendConfigChange({ type: 'EXCHANGE' });
    const res = await cosigner.sendConfigChange({ body: earlier.request.body });
    expect(res.request).toMatchObject({ requestId: earlier.request.requestId, stage: 'approval', payload: earlier.request.payload });
    expect(res.ok).toBe(true);
  });

  it('an explicit stage wins over the one the body implies', async () => {
    const earlier = await createCosigner(target, { seed: 5 }).sendTx({ stage: 'approval' });
    expect((await cosigner.sendTx({ body: earlier.request.body, stage: 'signing' })).request.stage).toBe('signing');
  });

  it('a body that is no request keeps the built request as the record (the handler refuses it)', async () => {
    const res = await cosigner.sendTx({ body: 'not a jwt' });
    expect(res.response?.status).toBe(400);
    expect(res.request.body).toBe('not a jwt');
    expect(res.request.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('goat-2024 sent as is is judged by its own requestId: the run\'s handler refuses it (another key signed it)', async () => {
    const res = await cosigner.sendTx({ body: GOAT });
    expect(res.request.body).toBe(GOAT);
    expect(res.request.requestId).toBe(claimsOf(GOAT).requestId);
    expect(res.request.requestId).toBe('d10c1458-f352-4588-bf08-133c23c6dd08');
    expect(res.request.stage).toBe('approval');
    expect(res.response?.status).toBe(401);
  });

  it('goat-2024 sent as is to a handler that trusts the key that signed it: every check passes, request-id against the captured id', async () => {
    const pem = readFileSync(new URL('goat-2024.cosigner-public.pem', FIXTURES), 'utf8');
    const trusting = { ...kit, cosigner: { ...kit.cosigner, publicKeyPem: pem, publicKey: createPublicKey(pem) } };
    await using goatHandler = await startTarget({ kind: 'reference', option: 4, kit: trusting }, { kit });
    const res = await createCosigner(goatHandler, { seed: 1 }).sendTx({ body: GOAT });
    expect(res.response?.status).toBe(200);
    expect(res.checks.find((c) => c.id === 'request-id')).toMatchObject({ status: 'pass' });
    expect(res.decision.requestId).toBe('d10c1458-f352-4588-bf08-133c23c6dd08');
    expect(res.ok).toBe(true);
  });
});

describe('resign: the captured segments byte for byte, signed with the run\'s Co-signer key', () => {
  for (const file of CAPTURES) {
    it(`${file} through the client: every check passes`, async () => {
      const jwt = captured(file);
      const res = await cosigner.sendTx({ body: `${jwt}\n`, resign: true });
      const sent = splitCompactJws(res.request.body)!;
      const original = splitCompactJws(jwt)!;
      expect([sent.header, sent.payload]).toEqual([original.header, original.payload]);
      expect(sent.signature).not.toBe(original.signature);
      expect(res.request.requestId).toBe(claimsOf(jwt).requestId);
      expect(res.request.stage).toBe(claimsOf(jwt).fee === undefined ? 'approval' : 'signing');
      expect(res.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(res.ok).toBe(true);
    });
  }

  it('signWith beside resign signs the replay with that key: a forged replay is refused', async () => {
    const res = await cosigner.sendTx({ body: GOAT, resign: true, signWith: kit.handler.privateKey });
    const sent = splitCompactJws(res.request.body)!;
    expect(`${sent.header}.${sent.payload}`).toBe(signingInput(GOAT));
    expect(createVerify('RSA-SHA256').update(`${sent.header}.${sent.payload}`).verify(kit.handler.publicKey, Buffer.from(sent.signature, 'base64url'))).toBe(true);
    expect(res.response?.status).toBe(401);
  });

  it('under a JSON option the captured payload bytes are sent', async () => {
    await using json = await startTarget({ kind: 'reference', option: 2, kit });
    const res = await createCosigner(json).sendTx({ body: GOAT, resign: true });
    expect(res.request.body).toBe(Buffer.from(splitCompactJws(GOAT)!.payload, 'base64url').toString('utf8'));
    expect(res.request.requestId).toBe(claimsOf(GOAT).requestId);
    expect(res.ok).toBe(true);
  });

  it('resign refuses a body that is not a compact JWS, and resign without a body', async () => {
    await expect(cosigner.sendTx({ body: '{"requestId":"r"}', resign: true })).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', field: 'resign' });
    await expect(cosigner.sendTx({ resign: true })).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', field: 'resign' });
  });
});

describe('scenario files with body: (and resign:)', () => {
  it('a YAML scenario with a request JWT another run produced, inline: passes, judged by its requestId (the reported bug)', async () => {
    const earlier = await createCosigner(target, { seed: 6 }).sendTx({ stage: 'approval' });
    const [r] = await runFile('replay.yaml', `name: replayed\nrequest:\n  body: ${earlier.request.body}\n`);
    expect(failed(r!)).toEqual([]);
    expect(r!.steps[0]!.final.request).toMatchObject({ requestId: earlier.request.requestId, stage: 'approval' });
    expect(r!.status).toBe('pass');
  });

  it('every capture as a YAML block scalar with resign: true passes, segments byte for byte', async () => {
    const text = CAPTURES.map((f) => `- name: replay ${f}\n  request:\n    body: |\n      ${captured(f)}\n    resign: true\n`).join('');
    const results = await runFile('captures.yaml', text);
    expect(results).toHaveLength(CAPTURES.length);
    for (const [i, r] of results.entries()) {
      expect(failed(r), r.name).toEqual([]);
      expect(signingInput(r.steps[0]!.final.request.body)).toBe(signingInput(captured(CAPTURES[i]!)));
      expect(r.status).toBe('pass');
    }
  });

  it('a JSON scenario file with goat-2024 and no resign: sent as is, refused, request-id expectation the captured one', async () => {
    const [r] = await runFile('goat.json', JSON.stringify({ name: 'goat as is', request: { body: GOAT }, expect: { status: 'refused' } }));
    expect(r!.steps[0]!.final.request.body).toBe(GOAT);
    expect(r!.steps[0]!.final.request.requestId).toBe('d10c1458-f352-4588-bf08-133c23c6dd08');
    expect(r!.status).toBe('pass');
  });

  it('the loader refuses resign without a body and resign with a body that is no JWS, naming the field', async () => {
    const load = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return loadScenarioFile(join(dir, name));
    };
    await expect(load('r1.yaml', 'name: x\nrequest:\n  resign: true\n')).rejects.toMatchObject({ code: 'CSIM_SCENARIO_INVALID', field: 'request.resign', message: expect.stringMatching(/r1\.yaml:3.*there is no body/) });
    await expect(load('r2.yaml', 'name: x\nrequest:\n  body: "{}"\n  resign: true\n')).rejects.toMatchObject({ code: 'CSIM_SCENARIO_INVALID', field: 'request.body', message: expect.stringMatching(/compact JWS/) });
    await expect(load('r3.yaml', 'name: x\nrequest:\n  body: x\n  resign: yes\n')).rejects.toMatchObject({ code: 'CSIM_SCENARIO_INVALID', field: 'request.resign' });
  });

  it('through the in-process CLI: cosigner-sim run replays a capture with resign: true, exit 0', async () => {
    const kitDir = join(dir, 'kit');
    writeKit(kit, kitDir);
    writeFileSync(join(dir, 'cli.yaml'), `name: replay goat\nrequest:\n  body: ${GOAT}\n  resign: true\n`);
    const r = await runInProcess(['run', join(dir, 'cli.yaml'), '--option', '4', '--kit', kitDir, '--reporter', 'json', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: { status: string; request: { body: string; requestId: string } }[] };
    expect(doc.scenarios[0]).toMatchObject({ status: 'pass', request: { requestId: 'd10c1458-f352-4588-bf08-133c23c6dd08' } });
    expect(signingInput(doc.scenarios[0]!.request.body)).toBe(signingInput(GOAT));
  }, 60_000);
});

describe('a scenario made from a capture (what decode --save-scenario writes)', () => {
  for (const file of CAPTURES) {
    it(`${file}: the written file loads, and passes against the reference handler byte for byte`, async () => {
      const jwt = captured(file);
      const { yaml } = scenarioFromCapture({ format: 'jwt', text: jwt, payload: claimsOf(jwt) }, { source: file });
      const [r] = await runFile(`saved-${file}.yaml`, yaml);
      expect(failed(r!)).toEqual([]);
      expect(signingInput(r!.steps[0]!.final.request.body)).toBe(signingInput(jwt));
      expect(r!.steps[0]!.final.request.requestId).toBe(claimsOf(jwt).requestId);
      expect(r!.status).toBe('pass');
    });
  }

  it('a JSON capture replays as its exact payload under option 3', async () => {
    const claims = claimsOf(captured('docs-eth-2023.jwt'));
    await using json = await startTarget({ kind: 'reference', option: 3, kit });
    const { yaml } = scenarioFromCapture({ format: 'json', text: JSON.stringify(claims), payload: claims });
    const [r] = await runFile('saved-json.yaml', yaml, createCosigner(json), 3);
    expect(failed(r!)).toEqual([]);
    expect(JSON.parse(r!.steps[0]!.final.request.body)).toEqual(claims);
    expect(r!.status).toBe('pass');
  });
});

describe('cosigner-sim decode --save-scenario', () => {
  it('writes a scenario that cosigner-sim run replays byte for byte, and never overwrites it', async () => {
    const kitDir = join(dir, 'kit-save');
    writeKit(kit, kitDir);
    const out = join(dir, 'saved', 'goat.yaml');
    const pasted = `"Bearer ${GOAT.slice(0, 120)}\n${GOAT.slice(120)}"`;
    const decoded = await runInProcess(['decode', pasted, '--save-scenario', out]);
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(decoded.stderr).toContain(`wrote ${out}`);
    const [scenario] = await loadScenarioFile(out);
    expect(scenario!.steps[0]!.request).toMatchObject({ resign: true });
    const r = await runInProcess(['run', out, '--option', '4', '--kit', kitDir, '--reporter', 'json', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: { status: string; request: { body: string; requestId: string } }[] };
    expect(doc.scenarios[0]).toMatchObject({ status: 'pass', request: { requestId: 'd10c1458-f352-4588-bf08-133c23c6dd08' } });
    expect(signingInput(doc.scenarios[0]!.request.body)).toBe(signingInput(GOAT));
    const again = await runInProcess(['decode', GOAT, '--save-scenario', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--save-scenario ${out}: the file exists`);
  }, 60_000);

  it('refuses to save a response as a scenario (exit 2), and writes nothing', async () => {
    const response = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"action":"APPROVE","requestId":"r1"}').toString('base64url')}.c2ln`;
    const out = join(dir, 'saved', 'response.yaml');
    const r = await runInProcess(['decode', response, '--save-scenario', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--save-scenario needs a request, and this is a handler response');
    expect(readdirSync(join(dir, 'saved'))).not.toContain('response.yaml');
  });
});
