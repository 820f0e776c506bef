// The benchmark's baseline: the least a Co-signer client must do per request, written with node
// built-ins only, so that "the library costs 1.1x the baseline" means something. Per request it
// does what cosigner-sim's sendTx does, no more and no less of the essential work:
//   build a tx_sign_request payload (fresh IDs) -> serialize -> sign RS256 (compact JWS) ->
//   fresh TCP + TLS handshake, verifying the handler's certificate against the pin (option 4) ->
//   POST -> read the body -> verify the answer's RS256 signature -> check action and requestId.
// What it leaves out on purpose (the library's extras, which the ratio then prices): the 40-odd
// checks and their messages, timings per phase, the peer-certificate record, the faithful
// number formatting, warnings, seeds.
//
// Fair in the other direction too: no needless work, everything asynchronous where Node offers it.
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';

// The Co-signer's JWT header, byte for byte, base64url-encoded once: it never changes.
const HEADER_SEGMENT = Buffer.from('{"typ":"JWT","alg":"RS256"}').toString('base64url');
const ACTIONS = new Set(['APPROVE', 'REJECT', 'IGNORE', 'RETRY']);

/**
 * The payload of one realistic 0.01 ETH transfer at the signing stage: the library's default tx
 * under the `latest` profile (2024 wire), the same fields and about the same 1.7 kB.
 */
function txPayload(requestId) {
  // A fresh object per request (as a real client builds one), two fresh UUIDs: txId and requestId.
  return {
    txId: requestId,
    operation: 'TRANSFER',
    sourceType: 'VAULT',
    sourceId: '0',
    destType: 'UNMANAGED',
    destId: '8e6337cf-9db5-44d8-90ef-16d041a04e40',
    asset: 'ETH',
    amount: 0.01,
    amountStr: '0.01',
    requestedAmount: 0.01,
    requestedAmountStr: '0.01',
    fee: '0.000584261607657000',
    destAddressType: 'WHITELISTED',
    destAddress: '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94',
    extraParameters: { securityEnrichment: {} },
    destinations: [
      {
        amountNative: 0.01,
        amountNativeStr: '0.01',
        amountUSD: 18.74292937,
        dstAddress: '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94',
        dstAddressType: 'WHITELISTED',
        dstId: '8e6337cf-9db5-44d8-90ef-16d041a04e40',
        dstWalletId: '',
        dstName: 'Counterparty A',
        dstSubType: 'EXTERNAL',
        dstTag: '',
        dstType: 'UNMANAGED',
        displayDstAddress: '0x1Eab7d412a25a5d00Ec3d04648aa54CeA4aB7e94',
        displayDstTag: '',
        action: 'ALLOW',
        actionInfo: {
          capturedRuleNum: 5,
          rulesSnapshotId: 8164,
          byGlobalPolicy: false,
          byRule: true,
          ruleType: 'TENANT',
          capturedRule:
            '{"type":"TRANSFER","transactionType":"TRANSFER","asset":"*","amount":0,"operators":{"wildcard":"*"},"applyForApprove":true,"action":"ALLOW","src":{"ids":[["*"]]},"dst":{"ids":[["*"]]},"dstAddressType":"*","amountCurrency":"USD","amountScope":"SINGLE_TX","periodSec":0}',
        },
        authorizationGroups: { logic: 'OR', groups: [], allowOperatorAsAuthorizer: false },
      },
    ],
    externalTxId: `fire_tx_${requestId.slice(0, 8)}`,
    players: ['21926ecc-4a8a-4614-bbac-7c591aa7efdd', '27900737-46f6-4097-a169-d0ff45649ed5', 'f89cac50-c656-4e74-879f-041aff8d01b5'],
    note: 'cosigner-sim test transaction',
    requestId,
    signerId: randomUUID(),
  };
}

/**
 * A baseline client for security option 4 (JWT over a pinned certificate) against a handler at
 * `url` (base URL, without /v2), with the kit folder's files.
 */
export function createBaselineClient({ url, kitDir }) {
  // Keys and the trust store are parsed once, as any sane client does: parsing a PEM per request
  // would be a cost the library does not pay either.
  const cosignerKey = createPrivateKey(readFileSync(join(kitDir, 'cosigner-private.pem'), 'utf8'));
  const handlerKey = createPublicKey(readFileSync(join(kitDir, 'handler-public.pem'), 'utf8'));
  const pinnedPem = readFileSync(join(kitDir, 'pinned-cert.pem'), 'utf8');
  // The pin: the certificate's SHA-256 fingerprint in Node's AA:BB:... form, computed once.
  const pinnedDer = Buffer.from(pinnedPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const pin = createHash('sha256').update(pinnedDer).digest('hex').toUpperCase().match(/../g).join(':');
  // One secure context for every connection (building one per request costs a CA parse).
  // allowPartialTrustChain: the pinned leaf is its own trust anchor, as the library's option 4.
  const secureContext = createSecureContext({ ca: [pinnedPem], minVersion: 'TLSv1.2', allowPartialTrustChain: true });
  const endpoint = new URL(`${url.replace(/\/$/, '')}/v2/tx_sign_request`);

  /** One request; resolves to the handler's action, rejects on any failure. */
  function send() {
    const requestId = randomUUID();
    const signingInput = `${HEADER_SEGMENT}.${Buffer.from(JSON.stringify(txPayload(requestId))).toString('base64url')}`;
    // createSign is synchronous: Node has no asynchronous RS256 sign short of crypto.subtle, whose
    // promise wrapper runs the same work on the thread pool and costs more for a 2048-bit key.
    const body = `${signingInput}.${createSign('RSA-SHA256').update(signingInput).sign(cosignerKey, 'base64url')}`;
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: endpoint.hostname,
          port: endpoint.port,
          path: endpoint.pathname,
          method: 'POST',
          // agent: false: a fresh connection and a full handshake per request, like the library
          // (no keep-alive, no TLS session resumption).
          agent: false,
          secureContext,
          ALPNProtocols: ['http/1.1'],
          // Called after the chain verified against the pinned certificate: the leaf must BE it.
          checkServerIdentity: (_host, cert) => (cert.fingerprint256 === pin ? undefined : new Error(`pin mismatch: ${cert.fingerprint256}`)),
          headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            try {
              if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
              const token = Buffer.concat(chunks).toString('utf8').trim();
              const [h, p, s] = token.split('.');
              if (s === undefined) throw new Error('the answer is not a compact JWS');
              const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(handlerKey, s, 'base64url');
              if (!ok) throw new Error('the answer signature does not verify');
              const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
              if (header.alg !== 'RS256') throw new Error(`alg ${header.alg}`);
              const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
              if (claims.requestId !== requestId) throw new Error('the answer echoes another requestId');
              if (!ACTIONS.has(claims.action)) throw new Error(`unknown action ${claims.action}`);
              resolve(claims.action);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  return { send };
}
