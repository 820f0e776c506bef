/**
 * Every error cosigner-sim throws on purpose. We throw only when we cannot run (bad input, an
 * unreadable key, no scenarios, a bug in us); a handler that answers wrongly is never an error,
 * it is a failed check in the result.
 *
 * Modelled on jose's `util/errors.ts`: each class has a stable `code`, static and on the
 * instance, `name` is the class name, `cause` is passed through, and `hint` says the fix.
 */

/**
 * The stable error codes, in one list: the union below, the README's error table (a test holds
 * them equal) and `switch` exhaustiveness all come from it.
 */
export const ERROR_CODES = [
  'CSIM_GENERIC',
  'CSIM_INVALID_OPTION',
  'CSIM_INVALID_URL',
  'CSIM_KEY_FORMAT',
  'CSIM_KEY_UNSUPPORTED',
  'CSIM_CERT_FORMAT',
  'CSIM_FILE_NOT_FOUND',
  'CSIM_MISSING_MATERIAL',
  'CSIM_INVALID_ARGUMENT',
  'CSIM_OVERRIDE_PATH',
  'CSIM_SCENARIO_INVALID',
  'CSIM_NO_SCENARIOS',
  'CSIM_CONFIG_INVALID',
  'CSIM_USAGE',
  'CSIM_MATCHER_BAD_RECEIVED',
  'CSIM_MATCHER_SETUP',
  'CSIM_MISSING_DEPENDENCY',
  'CSIM_TARGET_START',
  'CSIM_UNKNOWN_PROFILE',
  'CSIM_OPTION_UNAVAILABLE',
  'CSIM_INTERNAL',
] as const;

/** One of {@link ERROR_CODES}. */
export type CsimErrorCode = (typeof ERROR_CODES)[number];

/**
 * The brand every cosigner-sim error carries. A registered symbol is the same in every copy of the
 * package (a project can install two: its own and a plugin's), so {@link isCsimError} works across
 * copies, and a foreign error whose code merely starts with `CSIM_` is not mistaken for ours.
 */
const CSIM_ERROR_BRAND: unique symbol = Symbol.for('cosigner-sim.CsimError') as never;

export interface CsimErrorOptions {
  /** What to do about it, in one or two lines. */
  hint?: string;
  cause?: unknown;
  /** The file the problem is in, when there is one. */
  file?: string;
  /** The field (dotted path) the problem is in, when there is one. */
  field?: string;
}

/** Base class of every cosigner-sim error. Match on `code`, not on `instanceof`. */
export class CsimError extends Error {
  static code: CsimErrorCode = 'CSIM_GENERIC';
  code: CsimErrorCode = 'CSIM_GENERIC';
  hint: string | undefined;
  file: string | undefined;
  field: string | undefined;

  constructor(message: string, options: CsimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = (new.target as typeof CsimError).code;
    this.hint = options.hint;
    this.file = options.file;
    this.field = options.field;
    Object.defineProperty(this, CSIM_ERROR_BRAND, { value: true });
  }
}

/** `option` is not one of 1..5, or a flag does not belong to the chosen option. */
export class InvalidOptionError extends CsimError {
  static override code = 'CSIM_INVALID_OPTION' as const;
  declare code: 'CSIM_INVALID_OPTION';
}

/** The handler base URL is malformed, ends in `/v2` or an endpoint name, or uses http where TLS is required. */
export class InvalidUrlError extends CsimError {
  static override code = 'CSIM_INVALID_URL' as const;
  declare code: 'CSIM_INVALID_URL';
}

/** A key file holds something other than the expected key (a certificate, a public key, garbage). */
export class KeyFormatError extends CsimError {
  static override code = 'CSIM_KEY_FORMAT' as const;
  declare code: 'CSIM_KEY_FORMAT';
}

/** A key is readable but not what the Co-signer accepts (e.g. not RSA-2048). */
export class KeyUnsupportedError extends CsimError {
  static override code = 'CSIM_KEY_UNSUPPORTED' as const;
  declare code: 'CSIM_KEY_UNSUPPORTED';
}

/** A certificate file holds something other than a PEM certificate. */
export class CertFormatError extends CsimError {
  static override code = 'CSIM_CERT_FORMAT' as const;
  declare code: 'CSIM_CERT_FORMAT';
}

/** A file the user named does not exist or cannot be read. */
export class FileNotFoundError extends CsimError {
  static override code = 'CSIM_FILE_NOT_FOUND' as const;
  declare code: 'CSIM_FILE_NOT_FOUND';
}

/** The chosen option needs a key or certificate that was not given. */
export class MissingMaterialError extends CsimError {
  static override code = 'CSIM_MISSING_MATERIAL' as const;
  declare code: 'CSIM_MISSING_MATERIAL';
}

/** A library call got an argument it cannot use. */
export class InvalidArgumentError extends CsimError {
  static override code = 'CSIM_INVALID_ARGUMENT' as const;
  declare code: 'CSIM_INVALID_ARGUMENT';
}

/** An override or unset path does not fit the payload (e.g. indexes past the end of an array). */
export class OverridePathError extends CsimError {
  static override code = 'CSIM_OVERRIDE_PATH' as const;
  declare code: 'CSIM_OVERRIDE_PATH';
}

/** A scenario file is unreadable or does not match the schema. */
export class ScenarioInvalidError extends CsimError {
  static override code = 'CSIM_SCENARIO_INVALID' as const;
  declare code: 'CSIM_SCENARIO_INVALID';
}

/** No scenario files were found, or the filters selected none. */
export class NoScenariosError extends CsimError {
  static override code = 'CSIM_NO_SCENARIOS' as const;
  declare code: 'CSIM_NO_SCENARIOS';
}

/** A cosigner-sim.config file is unreadable or invalid. */
export class ConfigInvalidError extends CsimError {
  static override code = 'CSIM_CONFIG_INVALID' as const;
  declare code: 'CSIM_CONFIG_INVALID';
}

/** The command line was used wrongly (unknown flag, missing value, conflicting flags). */
export class UsageError extends CsimError {
  static override code = 'CSIM_USAGE' as const;
  declare code: 'CSIM_USAGE';
}

/** A matcher received something that is not a CallbackResult. */
export class MatcherBadReceivedError extends CsimError {
  static override code = 'CSIM_MATCHER_BAD_RECEIVED' as const;
  declare code: 'CSIM_MATCHER_BAD_RECEIVED';
}

/** The matchers could not be registered: no vitest `expect` to extend. */
export class MatcherSetupError extends CsimError {
  static override code = 'CSIM_MATCHER_SETUP' as const;
  declare code: 'CSIM_MATCHER_SETUP';
}

/**
 * A feature needs an optional peer dependency (msw, testcontainers) that is not installed; the
 * message names the package and the hint the `npm install` line.
 */
export class MissingDependencyError extends CsimError {
  static override code = 'CSIM_MISSING_DEPENDENCY' as const;
  declare code: 'CSIM_MISSING_DEPENDENCY';
}

/**
 * A handler cosigner-sim starts (`--start`) exited before it was ready, or did not accept a TLS
 * connection in time; the message carries its exit code or the wait, and its last output lines.
 */
export class TargetStartError extends CsimError {
  static override code = 'CSIM_TARGET_START' as const;
  declare code: 'CSIM_TARGET_START';
}

/** A `--profile` value that names no listed Co-signer version, or one older than the first listed. */
export class UnknownProfileError extends CsimError {
  static override code = 'CSIM_UNKNOWN_PROFILE' as const;
  declare code: 'CSIM_UNKNOWN_PROFILE';
}

/** The security option is not offered by the Co-signer version the run simulates (`--profile`). */
export class OptionUnavailableError extends CsimError {
  static override code = 'CSIM_OPTION_UNAVAILABLE' as const;
  declare code: 'CSIM_OPTION_UNAVAILABLE';
}

/** A bug in cosigner-sim itself. */
export class InternalError extends CsimError {
  static override code = 'CSIM_INTERNAL' as const;
  declare code: 'CSIM_INTERNAL';
}

/**
 * Every error class paired with its code, so `switch (err.code)` narrows to the class (jose's
 * `AnyJOSEError` pattern).
 *
 * @example
 * if (isCsimError(e) && e.code === 'CSIM_KEY_FORMAT') e.file; // e is a KeyFormatError here
 */
export type AnyCsimError =
  | InvalidOptionError
  | InvalidUrlError
  | KeyFormatError
  | KeyUnsupportedError
  | CertFormatError
  | FileNotFoundError
  | MissingMaterialError
  | InvalidArgumentError
  | OverridePathError
  | ScenarioInvalidError
  | NoScenariosError
  | ConfigInvalidError
  | UsageError
  | MatcherBadReceivedError
  | MatcherSetupError
  | MissingDependencyError
  | UnknownProfileError
  | OptionUnavailableError
  | TargetStartError
  | InternalError
  | (CsimError & { code: 'CSIM_GENERIC' });

/**
 * True for any error cosigner-sim threw on purpose, from this copy of the package or another:
 * it tests the brand the base class sets, not the code's prefix.
 *
 * @example
 * try { resolveMaterial(input) } catch (e) { if (isCsimError(e)) console.error(e.code, e.hint) }
 */
export function isCsimError(error: unknown): error is AnyCsimError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[CSIM_ERROR_BRAND] === true;
}
