/**
 * The seam for `cosigner-sim --handler src/handler.js`: cosigner-sim loads this module, calls
 * `createHandler(kit)` with its side of the kit, and serves what it returns over TLS for the
 * option under test. An Express app is a Node request listener, so the app itself is the answer.
 * server.js builds the same config from the COSIGNER_SIM_* variables for `--start` and images.
 *
 * The risk API's URL comes from RISK_URL here too: under `--handler` a scenario's `upstream:`
 * mocks answer the handler's global `fetch` to it inside cosigner-sim's worker.
 */
import { createApp } from './app.js';

/**
 * @typedef {object} HandlerKit  what cosigner-sim passes to createHandler
 * @property {number} option
 * @property {{ tx: string, config: string }} paths
 * @property {import('node:crypto').KeyObject[]} cosignerPublicKeys
 * @property {import('node:crypto').KeyObject} handlerPrivateKey
 */

/**
 * @param {HandlerKit} kit
 * @param {Record<string, string | undefined>} [env]
 */
export function createHandler(kit, env = process.env) {
  return createApp({
    paths: kit.paths,
    cosignerPublicKeys: kit.cosignerPublicKeys,
    handlerPrivateKey: kit.handlerPrivateKey,
    risk: riskSettings(env),
  });
}

/**
 * RISK_URL (required), RISK_TIMEOUT_MS, RISK_THRESHOLD. Without RISK_URL the handler does not
 * start: a handler that approved without asking the risk API would pass every test and approve
 * everything in production.
 *
 * @param {Record<string, string | undefined>} env
 */
export function riskSettings(env) {
  const url = env.RISK_URL;
  if (!url) {
    throw new Error(
      'RISK_URL is not set: this handler asks a risk API before it approves anything, and refuses to start without one. ' +
        'Set RISK_URL to its scoring endpoint (POST, answers {"score": <0-100>}); for local tests run `node test/risk-mock.js` and use the URL it prints.',
    );
  }
  return {
    url,
    ...(env.RISK_TIMEOUT_MS ? { timeoutMs: positive(env.RISK_TIMEOUT_MS, 'RISK_TIMEOUT_MS') } : {}),
    ...(env.RISK_THRESHOLD ? { threshold: positive(env.RISK_THRESHOLD, 'RISK_THRESHOLD') } : {}),
  };
}

/** @param {string} text @param {string} name */
function positive(text, name) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${JSON.stringify(text)})`);
  return n;
}
