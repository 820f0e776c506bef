import { isCsimError, type CsimError, type CsimErrorCode } from '../errors.js';

/** How bad a finding is: an error stops a run (exit 1), a warning fails only with --strict, info never. */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * Every finding id, in one list. The ids are stable: the JSON report, the README's doctor table
 * and the tests use them as they are.
 */
export const FINDING_IDS = [
  'url-invalid',
  'url-suffix',
  'url-plain-http',
  'material-misfit',
  'material-missing',
  'file-missing',
  'key-format',
  'cert-format',
  'key-unsupported',
  'key-pair-mismatch',
  'cert-expired',
  'cert-not-yet-valid',
  'cert-expiring',
  'ca-not-ca',
  'chain-broken',
  'san-mismatch',
  'cosigner-version',
  'handler-unreachable',
  'tls-handshake',
] as const;

export type FindingId = (typeof FINDING_IDS)[number];

/** One problem (or fact worth knowing) about the setup, with what to do about it. */
export interface Finding {
  id: FindingId;
  severity: Severity;
  /** The file it is about, as the user named it (a flag's value or a kit file). */
  file?: string;
  /** The setting it is about: the option-table key (`pinnedCert`, `url`, ...). */
  field?: string;
  message: string;
  fix: string;
}

/** The finding id of each error code the existing validators throw. */
const ID_OF_CODE: Partial<Record<CsimErrorCode, FindingId>> = {
  CSIM_KEY_FORMAT: 'key-format',
  CSIM_CERT_FORMAT: 'cert-format',
  CSIM_KEY_UNSUPPORTED: 'key-unsupported',
  CSIM_FILE_NOT_FOUND: 'file-missing',
  CSIM_INVALID_OPTION: 'material-misfit',
  CSIM_MISSING_MATERIAL: 'material-missing',
  CSIM_INVALID_URL: 'url-invalid',
};

/**
 * Collects findings in the order the checks run (which is fixed), so the same input always gives
 * the same list. The validators elsewhere throw on the first problem; {@link Findings.attempt}
 * runs one of them on one item and turns its CsimError into a finding, so every item is checked.
 *
 * @example
 * const findings = new Findings();
 * const key = findings.attempt({ file: 'keys/cosigner.pem' }, () => parsePrivateKey(pem, { label: 'keys/cosigner.pem' }));
 * findings.list(); // [{ id: 'key-format', severity: 'error', file: 'keys/cosigner.pem', ... }] when it was not a private key
 */
export class Findings {
  readonly #items: Finding[] = [];

  add(finding: Finding): void {
    this.#items.push(finding);
  }

  /** Turn a CsimError into a finding (its hint is the fix); anything else is a bug and is rethrown. */
  addError(e: unknown, where: { file?: string; field?: string; id?: FindingId; severity?: Severity; fix?: string } = {}): void {
    if (!isCsimError(e) || ID_OF_CODE[e.code] === undefined) throw e;
    const err = e as CsimError;
    const file = where.file ?? err.file;
    const field = where.field ?? err.field;
    this.add({
      id: where.id ?? ID_OF_CODE[err.code]!,
      severity: where.severity ?? 'error',
      ...(file !== undefined ? { file } : {}),
      ...(field !== undefined ? { field } : {}),
      message: err.message,
      fix: err.hint ?? where.fix ?? 'see README#doctor',
    });
  }

  /** Run one validator; its result, or undefined after recording what it threw. */
  attempt<T>(where: { file?: string; field?: string }, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      this.addError(e, where);
      return undefined;
    }
  }

  list(): Finding[] {
    return [...this.#items];
  }
}

/** Counts by severity. */
export function countFindings(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/**
 * Exit code of a doctor run: 1 iff any error, or any warning with `strict`; else 0.
 *
 * @example
 * doctorExitCode([{ id: 'cert-expiring', severity: 'warning', message: '', fix: '' }], true) // 1
 */
export function doctorExitCode(findings: readonly Finding[], strict: boolean): 0 | 1 {
  const n = countFindings(findings);
  return n.error > 0 || (strict && n.warning > 0) ? 1 : 0;
}
