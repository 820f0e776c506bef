/**
 * A captured Co-signer request turned into a scenario (what `decode --save-scenario` writes):
 * pure, no I/O. A JWT becomes `body:` with `resign: true`, so its header and payload segments go
 * on the wire byte for byte, signed with the run's Co-signer key; a plain JSON body (options 2
 * and 3) becomes `payloadMode: exact` with that payload.
 */
import { stringify } from 'yaml';
import { InvalidArgumentError } from '../errors.js';

/** A decoded request as the decode command holds it (its pasted message fits as it is). */
export interface CapturedRequest {
  /** `jwt`: `text` is the compact JWS; `json`: `text` is the JSON body. */
  format: 'jwt' | 'json';
  /** The message after tidying (quotes, `Bearer `, line breaks taken off): exactly what was sent. */
  text: string;
  /** Its decoded payload. */
  payload: Record<string, unknown>;
}

export interface FromCaptureOptions {
  /** The scenario's name (default: `replayed <endpoint> <requestId> (<stage>)`). */
  name?: string;
  /** Where the request came from (a file name, "stdin"), for the comment at the top. */
  source?: string;
}

export interface CapturedScenario {
  /** The scenario as a scenario file holds it (it passes the schema and the loader). */
  scenario: Record<string, unknown>;
  /** The scenario file's text: comments saying what it replays, then the scenario. */
  yaml: string;
}

const TX_FIELDS = ['txId', 'operation', 'asset', 'destinations', 'amount', 'amountStr', 'sourceType'];

/**
 * The scenario that replays one captured request. Throws InvalidArgumentError for a response
 * (it has `action`), a payload that is neither kind of request, or one without a `requestId`.
 *
 * @example
 * const { yaml } = scenarioFromCapture({ format: 'jwt', text: token, payload }, { source: 'handler.log' });
 * writeFileSync('scenarios/replay.yaml', yaml); // request: { type: tx, body: eyJ…, resign: true }
 */
export function scenarioFromCapture(captured: CapturedRequest, o: FromCaptureOptions = {}): CapturedScenario {
  const { payload } = captured;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(payload, key);
  if (has('action')) {
    throw new InvalidArgumentError('--save-scenario needs a request, and this is a handler response (it has `action`)', {
      field: 'action',
      hint: 'paste the request JWT the Co-signer sent (a tx_sign_request or config_change_sign_request), not the answer to it',
    });
  }
  // The same reading as decode: a config change by `type`, a transaction by its tx fields [protocol.md §4.1, §6].
  const isTx = TX_FIELDS.some(has);
  const isConfig = !isTx && typeof payload['type'] === 'string';
  if (!isTx && !isConfig) {
    throw new InvalidArgumentError('--save-scenario needs a Co-signer request, and this payload is neither a tx_sign_request nor a config_change_sign_request', {
      hint: 'a tx_sign_request has txId, operation, asset and destinations; a config_change_sign_request has type',
    });
  }
  const requestId = payload['requestId'];
  if (typeof requestId !== 'string' || requestId === '') {
    throw new InvalidArgumentError('--save-scenario needs a request with a requestId (the handler must echo it), and this payload has none', {
      field: 'requestId',
      hint: 'paste the whole request as the Co-signer sent it',
    });
  }
  const endpoint = isConfig ? 'config_change_sign_request' : 'tx_sign_request';
  // A fee (or rawTx) only at the signing stage [protocol.md §4.7]; config changes are approvals.
  const stage = isTx && (has('fee') || has('rawTx')) ? 'signing' : 'approval';
  const what = isConfig ? `${endpoint} of type ${String(payload['type'])}` : `${endpoint} at the ${stage} stage`;

  const request: Record<string, unknown> = { type: isConfig ? 'config' : 'tx' };
  if (captured.format === 'jwt') {
    // The body carries its own stage; the client reads it from the fee.
    request['body'] = captured.text.trim();
    request['resign'] = true;
  } else {
    if (isTx) request['stage'] = stage;
    request['payloadMode'] = 'exact';
    request['payload'] = payload;
  }
  const scenario: Record<string, unknown> = { name: o.name ?? `replayed ${endpoint} ${requestId} (${stage})`, request };

  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const how =
    captured.format === 'jwt'
      ? ["Sent with its header and payload segments byte for byte, signed again with the run's", 'Co-signer key (resign); under options 2 and 3 the payload JSON is sent.']
      : ['Sent as this exact payload (payloadMode: exact), signed with the run\'s Co-signer key under', 'options 1, 4 and 5.'];
  const comments = [
    `A request captured from a Co-signer${o.source !== undefined ? ` (${oneLine(o.source)})` : ''}: a ${what},`,
    `requestId ${requestId}.`,
    ...how,
    'Every response check must pass; say what your policy must answer, e.g.:',
    'expect: { action: APPROVE }',
  ];
  // lineWidth 0: a JWT is one long scalar and must not be folded.
  const yaml = `${comments.map((c) => `# ${c}`).join('\n')}\n${stringify(scenario, { lineWidth: 0 })}`;
  return { scenario, yaml };
}
