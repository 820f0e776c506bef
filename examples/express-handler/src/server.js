/**
 * `npm start`: the handler over HTTPS on PORT, its keys and certificate read from the
 * environment. cosigner-sim sets these variables when it starts the handler (`--start`, or a
 * container with `--image`); in production set the same names to your own files:
 *
 *   COSIGNER_SIM_COSIGNER_PUBLIC_KEYS  Co-signer public key paths, `:`-separated (or COSIGNER_SIM_COSIGNER_PUBLIC_KEY)
 *   COSIGNER_SIM_HANDLER_PRIVATE_KEY   the key answers are signed with
 *   COSIGNER_SIM_TLS_CERT, _TLS_KEY    the certificate to serve: under option 4 the one the Co-signer
 *                                      pins, under option 1 one a public CA signed
 *   each also as <NAME>_PEM with the PEM text instead of a path
 *   PORT (default 8443), HOST (default 0.0.0.0), BASE_PATH (default none: /v2/... at the root)
 *   RISK_URL, RISK_TIMEOUT_MS, RISK_THRESHOLD: see handler.js
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { delimiter } from 'node:path';
import { createApp } from './app.js';
import { riskSettings } from './handler.js';

const env = process.env;

/** A PEM from NAME_PEM (the text) or NAME (a path), with an error that names both. */
function pem(name) {
  if (env[`${name}_PEM`]) return env[`${name}_PEM`];
  if (env[name]) return readFileSync(env[name], 'utf8');
  throw new Error(`${name} is not set: give the path of the PEM file (or its text in ${name}_PEM)`);
}

function cosignerKeys() {
  const list = env.COSIGNER_SIM_COSIGNER_PUBLIC_KEYS;
  if (list) return list.split(delimiter).filter(Boolean).map((path) => createPublicKey(readFileSync(path, 'utf8')));
  return [createPublicKey(pem('COSIGNER_SIM_COSIGNER_PUBLIC_KEY'))];
}

/** `/fireblocks/cb` → `/fireblocks/cb/v2/tx_sign_request`; JWT options put /v2 before the endpoint. */
function pathsUnder(basePath) {
  const base = basePath.replace(/\/+$/, '');
  return { tx: `${base}/v2/tx_sign_request`, config: `${base}/v2/config_change_sign_request` };
}

function main() {
  const option = env.COSIGNER_SIM_OPTION ?? '4';
  if (!['1', '4', '5'].includes(option)) {
    throw new Error(`COSIGNER_SIM_OPTION=${option}: this handler speaks the JWT options (1, 4, 5); options 2 and 3 send plain JSON`);
  }
  const app = createApp({
    paths: pathsUnder(env.BASE_PATH ?? ''),
    cosignerPublicKeys: cosignerKeys(),
    handlerPrivateKey: createPrivateKey(pem('COSIGNER_SIM_HANDLER_PRIVATE_KEY')),
    risk: riskSettings(env),
  });
  const port = Number(env.PORT ?? 8443);
  const host = env.HOST ?? '0.0.0.0';
  const server = createServer({ cert: pem('COSIGNER_SIM_TLS_CERT'), key: pem('COSIGNER_SIM_TLS_KEY') }, app);
  server.listen(port, host, () => console.log(`callback handler (option ${option}) on https://${host}:${port}${env.BASE_PATH ?? ''}, risk API ${env.RISK_URL}`));
  // cosigner-sim (and docker stop) send SIGTERM: finish what is in flight, then exit.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}

try {
  main();
} catch (error) {
  console.error(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
