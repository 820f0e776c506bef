import { InvalidOptionError } from '../errors.js';

/**
 * The five security setups between a Co-signer and a Callback Handler
 * [protocol.md §2].
 */
export type SecurityOptionNumber = 1 | 2 | 3 | 4 | 5;

/** How messages travel: signed JWTs (options 1, 4, 5) or plain JSON (options 2, 3). */
export type MessageLayer = 'jwt' | 'json';

/** How the Co-signer trusts the handler's TLS certificate. */
export type TlsMode = 'public-ca' | 'pinned' | 'root-ca';

export interface SecurityOption {
  readonly option: SecurityOptionNumber;
  /** Short label used in CLI lines, matcher text and JSON output. */
  readonly label: string;
  readonly messageLayer: MessageLayer;
  readonly tls: TlsMode;
  /** `/v2` for the JWT options, nothing for the JSON ones [protocol.md §1, §2]. */
  readonly pathPrefix: '/v2' | '';
}

export const SECURITY_OPTIONS: Readonly<Record<SecurityOptionNumber, SecurityOption>> = {
  1: { option: 1, label: 'jwt+public-ca', messageLayer: 'jwt', tls: 'public-ca', pathPrefix: '/v2' },
  2: { option: 2, label: 'json+pinned', messageLayer: 'json', tls: 'pinned', pathPrefix: '' },
  3: { option: 3, label: 'json+root-ca', messageLayer: 'json', tls: 'root-ca', pathPrefix: '' },
  4: { option: 4, label: 'jwt+pinned', messageLayer: 'jwt', tls: 'pinned', pathPrefix: '/v2' },
  5: { option: 5, label: 'jwt+root-ca', messageLayer: 'jwt', tls: 'root-ca', pathPrefix: '/v2' },
};

export const SECURITY_OPTION_NUMBERS: readonly SecurityOptionNumber[] = [1, 2, 3, 4, 5];

/** True when the option signs messages with JWTs (1, 4, 5). */
export function usesJwt(option: SecurityOptionNumber): boolean {
  return SECURITY_OPTIONS[option].messageLayer === 'jwt';
}

/**
 * Read an option from user input (a number or a numeric string).
 *
 * @example
 * parseSecurityOption('4') // 4
 */
export function parseSecurityOption(value: unknown): SecurityOptionNumber {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === 5) return n;
  throw new InvalidOptionError(`Invalid security option: ${JSON.stringify(value)}. Expected one of: 1, 2, 3, 4, 5.`, {
    hint: '1 jwt+public-ca, 2 json+pinned, 3 json+root-ca, 4 jwt+pinned, 5 jwt+root-ca (see README#security-options)',
  });
}
