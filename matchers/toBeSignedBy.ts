import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import type { MatcherState } from 'vitest';
import { parseJwsBody, verifyRs256 } from '../simulator/codec/response.js';
import { InvalidArgumentError } from '../simulator/errors.js';
import { assertCallbackResult, isJwtOption, optionLabel, toResult, type SyncExpectationResult } from './format.js';

function toPublicKey(key: unknown): KeyObject {
  try {
    if (key instanceof KeyObject) return key.type === 'public' ? key : createPublicKey(key);
    if (typeof key === 'string') return createPublicKey(key);
  } catch (cause) {
    throw new InvalidArgumentError('toBeSignedBy: the key is not a readable public key', {
      cause,
      hint: 'pass a KeyObject or PEM text (SPKI "BEGIN PUBLIC KEY", PKCS#1 "BEGIN RSA PUBLIC KEY" or a certificate)',
    });
  }
  throw new InvalidArgumentError(`toBeSignedBy: expected a KeyObject or a PEM string, got ${key === null ? 'null' : typeof key}`, {
    hint: 'e.g. expect(res).toBeSignedBy(kit.handler.publicKey) or toBeSignedBy(readFileSync("handler-public.pem", "utf8"))',
  });
}

/** A short name for a key that is safe to print: type, size and the start of its SPKI SHA-256. */
function describeKey(key: KeyObject): string {
  const spki = key.export({ type: 'spki', format: 'der' });
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return `${key.asymmetricKeyType ?? 'unknown'}${bits ? ` ${bits}` : ''} key, SPKI sha256:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
}

/**
 * Passes when the response is a compact JWS with alg RS256 whose signature verifies with
 * `publicKey` (a KeyObject, or PEM text: SPKI, PKCS#1 or a certificate). Verified here with
 * node:crypto, synchronously, against the body as received.
 *
 * @example
 * expect(await cosigner.sendTx()).toBeSignedBy(kit.handler.publicKey);
 */
export function toBeSignedBy(this: MatcherState, received: unknown, publicKey: KeyObject | string): SyncExpectationResult {
  assertCallbackResult(received, 'toBeSignedBy');
  const key = toPublicKey(publicKey);
  const u = this.utils;
  const keyName = describeKey(key);
  let problem: string | undefined;
  const response = received.response;
  if (!isJwtOption(received)) {
    problem = `Not a JWT option: ${optionLabel(received)} exchanges plain JSON, so the response carries no signature\n  hint: in options 2 and 3 TLS authenticates the handler; use toBeApproval() and friends`;
  } else if (!response || !response.complete) {
    problem = 'Expected a signed response, but no complete response arrived';
  } else {
    const parsed = parseJwsBody(response.body);
    if (parsed.format !== 'jws') {
      problem = `Expected a compact JWS, but ${parsed.format === 'invalid' ? parsed.problem : 'the body is not one'}`;
    } else if (parsed.header.alg !== 'RS256') {
      problem = `Expected alg ${u.printExpected('RS256')}, received ${u.printReceived(parsed.header.alg)}`;
    } else if (!verifyRs256(parsed.signingInput, parsed.signature, key)) {
      problem = `Expected the signature to verify with the key passed (${keyName}), but it does not\n  hint: the handler signs with a private key whose public half is not this key`;
    }
  }
  return toResult(this, received, problem === undefined, {
    matcherName: 'toBeSignedBy',
    argument: 'publicKey',
    problems: problem === undefined ? [] : [problem],
    notProblems: [`Expected the response not to be signed by this key (${keyName}), but its RS256 signature verifies with it:`],
  });
}
