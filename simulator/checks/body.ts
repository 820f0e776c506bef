import { verifyRs256 } from '../codec/response.js';
import { SECURITY_OPTIONS } from '../protocol/options.js';
import { blocked, fail, notApplicable, pass, type Check, type CheckInput, type PriorOutcomes } from './context.js';
import type { CheckId, CheckOutcome } from '../protocol/types.js';

function upstreamBlocker(prior: PriorOutcomes): CheckId | undefined {
  return (['connect', 'tls', 'deadline', 'http-status'] as const).find((id) => prior.get(id)?.status !== 'pass' && prior.get(id)?.status !== undefined && !(prior.get(id)?.status === 'skip' && prior.get(id)?.reason === 'not-applicable'));
}

/** `body-format`: JWT options, exactly one bare compact JWS; JSON options, one JSON object. */
export const bodyFormatCheck: Check = {
  id: 'body-format',
  run(input: CheckInput, prior: PriorOutcomes): CheckOutcome {
    const response = input.result.response;
    if (response?.truncated) {
      return fail('body-format', 'too-large', `the response body is larger than the size cap (stopped reading after ${response.bodyBytes} bytes)`, 'a decision is a few hundred bytes: answer with the JWT or JSON object only');
    }
    const by = upstreamBlocker(prior);
    if (by) return blocked('body-format', by);
    const parsed = input.parsed;
    if (!parsed) return blocked('body-format', 'connect');
    if (parsed.format === 'invalid') {
      return fail('body-format', 'invalid', parsed.problem, parsed.hint);
    }
    const layer = SECURITY_OPTIONS[input.result.request.option].messageLayer;
    return pass('body-format', { message: layer === 'jwt' ? 'one compact JWS' : 'one JSON object' });
  },
};

/** `jwt-alg`: the response JWT is signed with exactly RS256 (`none`, HS256 and anything else fail). */
export const jwtAlgCheck: Check = {
  id: 'jwt-alg',
  run(input, prior) {
    if (SECURITY_OPTIONS[input.result.request.option].messageLayer !== 'jwt') return notApplicable('jwt-alg', `option ${input.result.request.option} exchanges plain JSON`);
    if (prior.get('body-format')?.status !== 'pass') return blocked('jwt-alg', 'body-format');
    const parsed = input.parsed;
    if (parsed?.format !== 'jws') return blocked('jwt-alg', 'body-format');
    const alg = parsed.header.alg;
    if (alg === 'RS256') return pass('jwt-alg', { received: alg });
    const hint =
      alg === 'none' || alg === undefined
        ? 'the response is unsigned: sign it with the handler private key (RS256)'
        : typeof alg === 'string' && alg.startsWith('HS')
          ? 'HMAC is not accepted: sign with the handler RSA-2048 private key, algorithm RS256'
          : 'the Co-signer accepts only RS256 with an RSA-2048 key (jjwt picks RS384/RS512 for bigger keys: force RS256)';
    return fail('jwt-alg', 'invalid', `response JWT alg is ${JSON.stringify(alg)}, expected "RS256"`, hint, { expected: 'RS256', received: alg });
  },
};

/** An RS256 signature is as long as the signing key's modulus: 256 bytes for RSA-2048 [protocol.md §2]. */
const RSA_2048_SIGNATURE_BYTES = 256;

/**
 * What a signature's length says when it is not 256 bytes. An RSA signature is exactly as long
 * as the key's modulus, so N bytes means an N*8-bit key (512 bytes: RSA-4096); a length that is
 * no RSA key size means the signature was cut or padded.
 */
function signatureSizeProblem(bytes: number): { message: string; hint: string } | undefined {
  if (bytes === RSA_2048_SIGNATURE_BYTES) return undefined;
  const bits = bytes * 8;
  if (bits >= 1024 && bits % 256 === 0) {
    return {
      message: `response JWT does not verify: it is signed with a ${bits}-bit key (a ${bytes}-byte signature); the Co-signer supports only RSA-2048`,
      hint: 'make the handler key RSA-2048 (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it, and give the Co-signer its public half (handlerPublicKey / --handler-public-key)',
    };
  }
  return {
    message: `response JWT does not verify: its signature is ${bytes} bytes, where RS256 with an RSA-2048 key gives ${RSA_2048_SIGNATURE_BYTES}`,
    hint: 'send the signature exactly as the JWT library produced it (base64url, not cut, padded or re-encoded)',
  };
}

/** `jwt-signature`: the response JWT verifies with the configured handler public key. */
export const jwtSignatureCheck: Check = {
  id: 'jwt-signature',
  run(input, prior) {
    if (SECURITY_OPTIONS[input.result.request.option].messageLayer !== 'jwt') return notApplicable('jwt-signature', `option ${input.result.request.option} exchanges plain JSON`);
    if (prior.get('body-format')?.status !== 'pass') return blocked('jwt-signature', 'body-format');
    if (prior.get('jwt-alg')?.status !== 'pass') return blocked('jwt-signature', 'jwt-alg');
    const parsed = input.parsed;
    if (parsed?.format !== 'jws') return blocked('jwt-signature', 'body-format');
    if (!input.handlerPublicKey) return { id: 'jwt-signature', status: 'skip', reason: 'no-key', message: 'no handler public key configured' };
    if (verifyRs256(parsed.signingInput, parsed.signature, input.handlerPublicKey)) return pass('jwt-signature');
    const size = signatureSizeProblem(parsed.signature.length);
    if (size) return fail('jwt-signature', 'invalid', size.message, size.hint, { expected: `${RSA_2048_SIGNATURE_BYTES}-byte signature (RSA-2048)`, received: `${parsed.signature.length}-byte signature` });
    return fail(
      'jwt-signature',
      'invalid',
      'response JWT does not verify with the handler public key (RS256)',
      'sign with the private key whose public half you gave the Co-signer (handlerPublicKey / --handler-public-key)',
    );
  },
};
