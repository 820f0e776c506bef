import { InvalidArgumentError, InvalidOptionError, InvalidUrlError } from '../errors.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from './options.js';
import type { Endpoint } from './types.js';

/**
 * The two endpoints, in the order the docs list them [protocol.md §1].
 *
 * @example
 * ENDPOINTS.includes('config_change_sign_request') // true
 */
export const ENDPOINTS: readonly Endpoint[] = ['tx_sign_request', 'config_change_sign_request'];

/**
 * A checked handler base URL.
 *
 * @example
 * const { url, plainHttp }: ValidatedBaseUrl = validateBaseUrl('http://127.0.0.1:8080/cb', 1);
 * if (plainHttp) warn('option 1 over plain http: fine for development only');
 */
export interface ValidatedBaseUrl {
  /** The base as configured, minus one trailing slash: the Co-signer appends paths to it. */
  url: string;
  /** True for `http:` (allowed for option 1 only): the caller should warn. */
  plainHttp: boolean;
}

function checkOption(option: SecurityOptionNumber): void {
  if (!Object.hasOwn(SECURITY_OPTIONS, option)) {
    throw new InvalidOptionError(`Invalid security option: ${JSON.stringify(option)}. Expected one of: 1, 2, 3, 4, 5.`);
  }
}

function checkEndpoint(endpoint: Endpoint): void {
  if (!ENDPOINTS.includes(endpoint)) {
    throw new InvalidArgumentError(`Unknown endpoint: ${JSON.stringify(endpoint)}. Expected one of: ${ENDPOINTS.join(', ')}.`);
  }
}

// A path that already ends in what the Co-signer appends: /v2, or an endpoint with or without /v2.
const SUFFIX_RE = /(?:\/v2(?:\/(?:tx_sign_request|config_change_sign_request))?|\/(?:tx_sign_request|config_change_sign_request))$/i;

/**
 * The path the Co-signer appends to the base URL for an option: `/v2/<endpoint>` with JWTs
 * (options 1, 4, 5), `/<endpoint>` with plain JSON (options 2, 3) [protocol.md §1, §2].
 *
 * @example
 * endpointPath(4, 'tx_sign_request') // '/v2/tx_sign_request'
 * endpointPath(2, 'tx_sign_request') // '/tx_sign_request'
 */
export function endpointPath(option: SecurityOptionNumber, endpoint: Endpoint): string {
  checkOption(option);
  checkEndpoint(endpoint);
  return `${SECURITY_OPTIONS[option].pathPrefix}/${endpoint}`;
}

/**
 * Check a handler base URL the way the Co-signer will use it, and normalize it. The base may carry
 * a path (`https://h/fireblocks/cb`); the Co-signer appends `/v2/…` or `/…` to it by plain string
 * concatenation [protocol.md §1], hence the rules:
 *
 * - it must parse and be `https:` (`http:` only for option 1, flagged `plainHttp`: the docs allow
 *   HTTP for development [protocol.md §2]);
 * - no query string or fragment (the appended path would land inside it), no user:password;
 * - it must not already end in `/v2`, `/tx_sign_request` or `/config_change_sign_request` (with or
 *   without `/v2`): the hint gives the base to use instead;
 * - one trailing slash is dropped.
 *
 * @example
 * validateBaseUrl('https://h.example/fireblocks/cb/', 4) // { url: 'https://h.example/fireblocks/cb', plainHttp: false }
 * validateBaseUrl('http://127.0.0.1:8080', 1)          // { url: 'http://127.0.0.1:8080', plainHttp: true }
 * validateBaseUrl('https://h.example/cb/v2', 1)         // throws InvalidUrlError, hint: use https://h.example/cb
 */
export function validateBaseUrl(baseUrl: string, option: SecurityOptionNumber): ValidatedBaseUrl {
  checkOption(option);
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw new InvalidUrlError(`Invalid handler URL: ${JSON.stringify(baseUrl)}: expected a URL such as https://handler.example.com/callback.`);
  }
  const raw = baseUrl.trim();
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch (cause) {
    throw new InvalidUrlError(`Invalid handler URL "${raw}": it does not parse as a URL.`, {
      cause,
      hint: 'give scheme, host and optional path, e.g. https://handler.example.com/fireblocks/callback',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidUrlError(`Invalid handler URL "${raw}": the scheme must be https (got ${parsed.protocol.replace(/:$/, '')}).`, {
      hint: 'the Co-signer calls the handler over HTTPS, e.g. https://handler.example.com/callback',
    });
  }
  const queryAt = raw.search(/[?#]/);
  if (queryAt >= 0) {
    const fixed = raw.slice(0, queryAt).replace(/\/$/, '');
    throw new InvalidUrlError(`Invalid handler URL "${raw}": it has a ${raw[queryAt] === '?' ? 'query string' : 'fragment'}.`, {
      hint: `the Co-signer appends the endpoint path to the base by concatenation, so the base cannot carry ? or #; use ${fixed}`,
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidUrlError(`Invalid handler URL "${raw}": it carries a user name or password.`, {
      hint: 'the Co-signer sends no credentials; authenticate the Co-signer by its JWT signature or TLS instead',
    });
  }
  const url = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const suffix = SUFFIX_RE.exec(url);
  if (suffix !== null) {
    const fixed = url.slice(0, url.length - suffix[0].length);
    throw new InvalidUrlError(`Invalid handler URL "${raw}": it already ends in "${suffix[0]}", which the Co-signer appends itself.`, {
      hint: `configure the base URL only: use ${fixed} (the Co-signer calls ${fixed}${endpointPath(option, 'tx_sign_request')})`,
    });
  }
  const plainHttp = parsed.protocol === 'http:';
  if (plainHttp && option !== 1) {
    throw new InvalidUrlError(`Invalid handler URL "${raw}": option ${option} (${SECURITY_OPTIONS[option].label}) cannot use http.`, {
      hint: `options 2-5 need https; the TLS check is their whole point. Use ${url.replace(/^http:/i, 'https:')}`,
    });
  }
  return { url, plainHttp };
}

/**
 * The full URL the Co-signer POSTs to for an option and endpoint: the validated base plus
 * {@link endpointPath} [protocol.md §1].
 *
 * @example
 * buildEndpointUrl('https://h/fireblocks/cb', 1, 'tx_sign_request') // 'https://h/fireblocks/cb/v2/tx_sign_request'
 * buildEndpointUrl('https://h/fireblocks/cb', 2, 'tx_sign_request') // 'https://h/fireblocks/cb/tx_sign_request'
 */
export function buildEndpointUrl(baseUrl: string, option: SecurityOptionNumber, endpoint: Endpoint): string {
  checkEndpoint(endpoint);
  return `${validateBaseUrl(baseUrl, option).url}${endpointPath(option, endpoint)}`;
}
