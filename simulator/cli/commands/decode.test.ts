import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../test/fixtures/cli/memory-io.js';
import { sharedKit } from '../../../test/support/shared-kit.js';
import { signCompactJws } from '../../codec/jws.js';
import { createRequestFactory } from '../../protocol/factory.js';
import { serializePayload } from '../../protocol/serialize.js';

const CAPTURED = join(new URL('../../../', import.meta.url).pathname, 'test', 'fixtures', 'captured-requests');
const GOAT_FILE = join(CAPTURED, 'goat-2024.jwt');
const GOAT_KEY = join(CAPTURED, 'goat-2024.cosigner-public.pem');
const GOAT = readFileSync(GOAT_FILE, 'utf8').trim();

let dir: string;
let request: string;
let requestId: string;
let approve: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csim-decode-'));
  const kit = await sharedKit();
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys', 'cosigner-private.pem'), kit.cosigner.privateKeyPem);
  writeFileSync(join(dir, 'keys', 'handler-public.pem'), kit.handler.publicKeyPem);
  const built = createRequestFactory({ seed: 11 }).tx({ stage: 'signing' });
  requestId = built.requestId;
  request = signCompactJws(serializePayload(built.payload), kit.cosigner.privateKey);
  writeFileSync(join(dir, 'request.jwt'), `${request}\n`);
  approve = signCompactJws(JSON.stringify({ action: 'APPROVE', requestId }), kit.handler.privateKey);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const decode = (args: string[], o: { stdin?: string } = {}) => runInProcess(['decode', ...args], { cwd: dir, ...o });

interface Doc {
  kind: string;
  stage?: string;
  type?: string;
  action?: string;
  format: string;
  tidied: string[];
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature?: { kind: string; chars?: number; value?: string };
  verified?: boolean;
  checks: string[];
  outcomes?: { id: string; status: string; reason?: string }[];
  findings: { id: string; severity: string; message: string; fix?: string }[];
  redacted: boolean;
}
const json = (stdout: string) => JSON.parse(stdout) as Doc;

describe('cosigner-sim decode', () => {
  it('a captured request from a file, verified with its Co-signer key: exit 0, what it is and which checks apply', async () => {
    const r = await decode([GOAT_FILE, '--key', GOAT_KEY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Decoded:  tx_sign_request at the approval stage (it has no `fee` or `rawTx`)');
    expect(lines[1]).toBe('JWT header:    {"typ":"JWT","alg":"RS256"}');
    expect(lines[2]).toMatch(/^JWT payload: {3}\{"txId":"d10c1458-f352-4588-bf08-133c23c6dd08",.*"signerId":"[^"]+"\}$/);
    expect(lines[3]).toBe('JWT signature: <342 chars, redacted>');
    expect(lines[4]).toBe(`Verified: yes, with ${GOAT_KEY} (the Co-signer key, RS256)`);
    expect(lines[5]).toBe('Checks on the answer: connect, tls, deadline, http-status, body-format, jwt-alg, jwt-signature, response-shape, request-id, action, rejection-reason');
    expect(r.stdout).not.toContain(GOAT.split('.')[2]!);
  });

  it('the same with --reporter json: kind, stage, header, payload, verified, checks, findings', async () => {
    const r = await decode([GOAT_FILE, '--key', GOAT_KEY, '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ kind: 'tx_sign_request', stage: 'approval', format: 'jwt', header: { typ: 'JWT', alg: 'RS256' }, verified: true, findings: [], redacted: true, signature: { kind: 'redacted', chars: 342 } });
    expect(doc.payload).toEqual(JSON.parse(readFileSync(join(CAPTURED, 'goat-2024.payload.json'), 'utf8')));
    expect(doc.checks).toHaveLength(11);
  });

  it('a tampered token with --key: exit 1 and the finding with its fix', async () => {
    const [h, p, s] = GOAT.split('.') as [string, string, string];
    const changed = Buffer.from(Buffer.from(p, 'base64url').toString('utf8').replace('"sourceId":"1"', '"sourceId":"2"')).toString('base64url');
    expect(changed).not.toBe(p);
    const r = await decode([`${h}.${changed}.${s}`, '--key', GOAT_KEY]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`Verified: no, not with ${GOAT_KEY} (the Co-signer key)`);
    expect(r.stdout).toContain(`✗ request-signature: the request does not verify with ${GOAT_KEY} (RS256, the Co-signer public key)\n  hint: verify with the Co-signer public key`);
    // The untouched token with the same key: exit 0, so the exit 1 above is the tampering.
    expect((await decode([GOAT, '--key', GOAT_KEY])).code).toBe(0);
  });

  it('a quoted token, and a Bearer-prefixed token broken over lines on stdin', async () => {
    const quoted = await decode([`'${GOAT}'`, '--reporter', 'json']);
    expect(quoted.code, quoted.stderr).toBe(0);
    expect(json(quoted.stdout)).toMatchObject({ kind: 'tx_sign_request', tidied: ['surrounding single quotes'] });

    const pasted = `Bearer ${GOAT.slice(0, 76)}\n${GOAT.slice(76, 152)}\n  ${GOAT.slice(152)}\n`;
    const r = await decode(['-', '--key', GOAT_KEY], { stdin: pasted });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['Decoded:  tx_sign_request at the approval stage (it has no `fee` or `rawTx`)', '          took off a Bearer prefix, whitespace and line breaks inside the token']);
    expect(r.stdout).toContain('Verified: yes');
  });

  it('input that is not a JWT or JSON: exit 2 with CSIM_INVALID_ARGUMENT and how to paste it', async () => {
    const r = await decode(['not-a-token']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'CSIM_INVALID_ARGUMENT  the input is neither a JWT (header.payload.signature) nor a JSON object (got "not-a-token")\n' +
        '  hint: paste the request or response JWT (it starts with eyJ) or the JSON body; quotes, a Bearer prefix and line breaks are fine. A file path or - (stdin) works too\n',
    );
    expect((await decode(['-'], { stdin: '\n' })).code).toBe(2);
  });

  it('a plain JSON body: a config change of its type; --key with it is exit 2', async () => {
    const body = serializePayload(createRequestFactory({ seed: 2 }).configChange({ type: 'ADD_USER' }).payload);
    const r = await decode([body]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Decoded:  config_change_sign_request of type ADD_USER (it has `type`)');
    expect(r.stdout).toMatch(/^JSON body: \{"requestId":/m);
    expect(r.stdout).toContain('Checks on the answer: connect, tls, deadline, http-status, body-format, response-shape, request-id, action, rejection-reason');
    const withKey = await decode([body, '--key', GOAT_KEY]);
    expect(withKey.code).toBe(2);
    expect(withKey.stderr).toContain('CSIM_USAGE  --key');
  });

  it('a response with the handler key and the request it answers: the checks row, exit 0', async () => {
    const r = await decode([approve, '--key', 'keys/handler-public.pem', '--request', 'request.jwt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Decoded:  response with action "APPROVE" (it has `action`)');
    expect(r.stdout).toContain('Verified: yes, with keys/handler-public.pem (the handler key, RS256)');
    expect(r.stdout).toContain('Checks: ✓ body-format ✓ jwt-alg ✓ jwt-signature ✓ response-shape ✓ request-id ✓ action ✓ rejection-reason');
    expect(r.stdout).toContain('not judged from the text: connect, tls, deadline, http-status (they need the live exchange)');
  });

  it('a response that answers another request, verified with the wrong key (a private one: its public half): exit 1, each failure told', async () => {
    const kit = await sharedKit();
    const other = signCompactJws(JSON.stringify({ action: 'IGNORE', requestId: 'someone-else' }), kit.handler.privateKey);
    const r = await decode([other, '--key', 'keys/cosigner-private.pem', '--request', request, '--reporter', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = json(r.stdout);
    expect(doc.verified).toBe(false);
    expect(doc.findings.map((f) => f.id)).toEqual(['jwt-signature', 'request-id', 'action']);
    expect(doc.outcomes?.find((c) => c.id === 'request-id')).toMatchObject({ status: 'fail', expected: requestId, received: 'someone-else' });

    const pretty = await decode([other, '--request', request]);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(`✗ request-id: the response requestId is not the request's requestId\n  hint: copy requestId from the request you are answering into the response\n  expected: "${requestId}"\n  received: "someone-else"`);
    expect(pretty.stdout).toContain('✗ action: IGNORE at the signing stage');
    expect(pretty.stdout).toContain('jwt-signature: no key to verify with (decode --key <handler public key>)');
  });

  it('--show-secrets prints the signature; redacted by default', async () => {
    const signature = GOAT.split('.')[2]!;
    expect((await decode([GOAT])).stdout).not.toContain(signature);
    const shown = await decode([GOAT, '--show-secrets', '--reporter', 'json']);
    expect(json(shown.stdout)).toMatchObject({ signature: { kind: 'shown', value: signature }, redacted: false });
  });

  it('usage errors are exit 2 naming the flag', async () => {
    const junit = await decode([GOAT, '--reporter', 'junit']);
    expect(junit.code).toBe(2);
    expect(junit.stderr).toContain('CSIM_USAGE  Invalid value for --reporter: "junit": decode reports with pretty or json, to stdout.');
    const both = await decode(['-', '--request', '-'], { stdin: GOAT });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('only one of the input and --request can be read from stdin');
    const missingKey = await decode([GOAT, '--key', 'keys/nope.pem']);
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('CSIM_FILE_NOT_FOUND');
    const requestWithRequest = await decode([GOAT, '--request', 'request.jwt']);
    expect(requestWithRequest.code).toBe(2);
    expect(requestWithRequest.stderr).toContain('--request goes with a response');
    const noStdin = await runInProcess(['decode', '-'], { cwd: dir });
    expect(noStdin.code).toBe(2);
  });

  it('every captured request decodes; mjw-2022 and docs-eth-2023 are at the signing stage', async () => {
    for (const [file, stage] of [['mjw-2022.jwt', 'signing'], ['docs-eth-2023.jwt', 'signing'], ['goat-2024.jwt', 'approval']] as const) {
      const r = await decode([join(CAPTURED, file), '--reporter', 'json']);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      expect(json(r.stdout), file).toMatchObject({ kind: 'tx_sign_request', stage });
    }
  });
});

describe('cosigner-sim decode and the config file', () => {
  it('passes over a top-level reporter meant for run (junit to a file), and takes json from its decode: section', async () => {
    writeFileSync(join(dir, 'cosigner-sim.config.json'), JSON.stringify({ reporter: ['pretty', 'junit:reports/cosigner.xml'], decode: { reporter: 'json' } }));
    try {
      const r = await decode([GOAT]);
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout).kind).toBe('tx_sign_request');
      writeFileSync(join(dir, 'cosigner-sim.config.json'), JSON.stringify({ reporter: ['junit:reports/cosigner.xml'] }));
      const top = await decode([GOAT]);
      expect(top.code, top.stderr).toBe(0);
      expect(top.stdout.startsWith('Decoded:  tx_sign_request')).toBe(true);
      writeFileSync(join(dir, 'cosigner-sim.config.json'), JSON.stringify({ decode: { reporter: 'junit' } }));
      const own = await decode([GOAT]);
      expect(own.code).toBe(2);
      expect(own.stderr).toContain('CSIM_CONFIG_INVALID  cosigner-sim.config.json: invalid value for "decode.reporter": "junit": decode reports with pretty or json, to stdout.');
    } finally {
      rmSync(join(dir, 'cosigner-sim.config.json'));
    }
  });
});
