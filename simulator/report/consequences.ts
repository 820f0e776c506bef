/**
 * The consequence line: under a failed check, what the real Co-signer would do with that answer
 * under the profile in force. One table ({@link consequenceTable}) holds one row per check id ×
 * stage (approval, signing, and the configuration change, which is always an approval but fails
 * differently), each marked as docs/protocol.md marks its facts: documented, inferred or unknown,
 * with the source tag and the section it is written in. An unknown row says so.
 *
 * Two rows depend on what the handler answered rather than on which check failed: `action`
 * (IGNORE at the signing stage, RETRY where the profile does not honour it) and `expectation`
 * (the scenario expected another answer: what the Co-signer does with the one it got).
 *
 * Pure: no I/O.
 */
import { illegalAction, resolveProfile, type FactMark, type Profile } from '../protocol/profiles.js';
import { ACTIONS, CHECK_IDS, type Action, type Endpoint, type Stage } from '../protocol/types.js';

/** Where an answer lands: a transaction's approval or signing stage, or a configuration change. */
export type ConsequenceStage = 'approval' | 'signing' | 'config-change';
export const CONSEQUENCE_STAGES: readonly ConsequenceStage[] = ['approval', 'signing', 'config-change'];

/** What the real Co-signer would do next, how that is known, and where it is written. */
export interface Consequence {
  /** One line, without the mark. */
  text: string;
  mark: FactMark;
  /** The source tag(s) of docs/protocol.md §11 (`D-resp`, `HC-pending`). */
  source: string;
  /** The section of docs/protocol.md that states it (`§0.5.8`). */
  section: string;
}

/** One row of the table: a check id at a stage, for one answer when it depends on it. */
export interface ConsequenceRow extends Consequence {
  check: string;
  stage: ConsequenceStage;
  /** The handler's answer the row is for; absent for the row that holds whatever was answered. */
  answer?: Action;
}

/** The stage of a request, as the table keys it. */
export function consequenceStage(request: { endpoint: Endpoint; stage: Stage }): ConsequenceStage {
  return request.endpoint === 'config_change_sign_request' ? 'config-change' : request.stage;
}

/** `the transaction fails at the approval stage`: what "no valid decision" means at each stage [protocol.md §7]. */
const FAILS: Readonly<Record<ConsequenceStage, string>> = {
  approval: 'the transaction fails at the approval stage',
  signing: 'the transaction fails at the signing stage (this Co-signer does not sign it)',
  'config-change': 'this Co-signer does not approve the configuration change',
};

/** The undocumented broken answer [protocol.md §0.5.8, §7]: the same words for every such check. */
function noAnswer(stage: ConsequenceStage, what = 'it'): Consequence {
  return {
    text: `not documented: the Co-signer most likely treats ${what} as no answer: as after 30 s, ${FAILS[stage]}, without a retry [I]`,
    mark: 'unknown',
    source: 'D-resp',
    section: '§0.5.8',
  };
}

/** No answer within 30 s [protocol.md §0.5.1]: documented for both endpoints. */
function deadline(stage: ConsequenceStage): Consequence {
  return { text: `${FAILS[stage]}: Fireblocks fails a request the handler has not answered within 30 s`, mark: 'documented', source: stage === 'config-change' ? 'D-cfg' : 'D-resp', section: '§0.5.1' };
}

const doc = (text: string, source: string, section: string): Consequence => ({ text, mark: 'documented', source, section });

const RETRY_TX = doc(
  "the Co-signer re-sends the identical request (by default every 3 minutes) until APPROVE or REJECT, at most until the transaction's own 2-hour limit [C-doc HC-pending]; on EVM that also holds back the transactions queued behind it in that vault [I]",
  'D-resp, HC-pending',
  '§14.3',
);

/** What the Co-signer does with each legal decision, per stage [protocol.md §0.5, §6, §14.3]. IGNORE at signing is {@link noAnswer}. */
const DECIDED: Readonly<Record<Action, Partial<Record<ConsequenceStage, Consequence>>>> = {
  APPROVE: {
    approval: doc('the Co-signer approves: the transaction goes on (other approvers its policy rule names may still be needed)', 'D-resp', '§0.5.2'),
    signing: doc('the Co-signer signs the transaction', 'D-resp', '§0.5.2'),
    'config-change': doc('this Co-signer approves the change; the rest of its quorum may still be needed', 'D-resp', '§6'),
  },
  REJECT: {
    approval: doc('the transaction is rejected: one REJECT is enough, even where a quorum is expected', 'D-resp', '§0.5.3'),
    signing: doc('the transaction fails for good (substatus REJECTED_BY_USER): no Console user or other signer is asked', 'D-resp, HC-substatus', '§0.5.3'),
    'config-change': doc('the change is refused: one REJECT is enough, whatever the rest of the quorum says', 'D-resp', '§6'),
  },
  RETRY: {
    approval: RETRY_TX,
    signing: RETRY_TX,
    'config-change': doc('the Co-signer re-sends the identical request until APPROVE or REJECT or the retry window closes (by default 20 retries 3 minutes apart)', 'D-cfg, D-resp', '§6'),
  },
  IGNORE: {
    approval: doc('treated as no decision: other approvers or a Console user can still decide', 'D-resp', '§0.5.5'),
    'config-change': doc('treated as no decision: the rest of the quorum decides', 'D-resp', '§6'),
  },
};

function decided(stage: ConsequenceStage, answer: Action): Consequence {
  return DECIDED[answer][stage] ?? noAnswer(stage, 'IGNORE at the signing stage (IGNORE is for approvals only)');
}

/** RETRY where the profile does not honour it: the reason and source come from the profile table. */
function retryRefused(stage: ConsequenceStage, profile: Profile, sourceType?: unknown): Consequence | undefined {
  const illegal = illegalAction(profile, 'RETRY', { sourceType });
  if (illegal === undefined) return undefined;
  return { text: `the Co-signer fails the request, so ${FAILS[stage]} (${illegal.arrived}; this run simulates ${profile.id})`, mark: illegal.mark, source: illegal.source, section: '§14.1' };
}

/**
 * The whole table under a profile: every check id × stage has a row holding whatever was
 * answered; `action` and `expectation` add rows for the answers they depend on.
 *
 * @example
 * consequenceTable().find((r) => r.check === 'deadline' && r.stage === 'signing')?.mark; // 'documented'
 */
export function consequenceTable(profile: Profile = resolveProfile('latest')): ConsequenceRow[] {
  const rows: ConsequenceRow[] = [];
  for (const stage of CONSEQUENCE_STAGES) {
    for (const check of CHECK_IDS) {
      rows.push({ check, stage, ...(check === 'deadline' ? deadline(stage) : noAnswer(stage)) });
    }
    // `action`: a decision outside APPROVE/REJECT/RETRY/IGNORE is the default row above.
    if (stage === 'signing') rows.push({ check: 'action', stage, answer: 'IGNORE', ...decided(stage, 'IGNORE') });
    const refused = retryRefused(stage, profile);
    if (refused) rows.push({ check: 'action', stage, answer: 'RETRY', ...refused });
    // `expectation`: the handler decided, just not as the scenario expected.
    for (const answer of ACTIONS) {
      rows.push({ check: 'expectation', stage, answer, ...(answer === 'RETRY' && refused ? refused : decided(stage, answer)) });
    }
  }
  return rows;
}

/** What {@link consequenceOf} reads about the exchange a check failed on. */
export interface ConsequenceContext {
  endpoint: Endpoint;
  stage: Stage;
  /** The handler's `action` as sent, if any. */
  action?: unknown;
  /** The request's `sourceType` (RETRY on an exchange withdrawal depends on it). */
  sourceType?: unknown;
  /** Default `latest`. */
  profile?: Profile;
}

/**
 * The consequence line of one failed check, or undefined for a check the Co-signer never sees
 * (`upstream`: the handler's own outbound calls) or an `expectation` with no readable decision.
 *
 * @example
 * consequenceOf('jwt-signature', { endpoint: 'tx_sign_request', stage: 'signing' })?.mark; // 'unknown'
 * consequenceOf('action', { endpoint: 'tx_sign_request', stage: 'approval', action: 'RETRY', profile: resolveProfile('sgx@3.5.0') })?.text;
 * // 'the Co-signer fails the request, so the transaction fails at the approval stage (RETRY arrived with sgx@3.6.5; this run simulates sgx@3.5.0)'
 */
export function consequenceOf(check: string, at: ConsequenceContext): Consequence | undefined {
  const stage = consequenceStage(at);
  const profile = at.profile ?? resolveProfile('latest');
  const answer = ACTIONS.find((a) => a === at.action);
  if (check === 'action' && answer === 'RETRY') {
    const refused = retryRefused(stage, profile, at.sourceType);
    if (refused) return refused;
  }
  if (check === 'expectation') {
    if (!answer) return undefined;
    if (answer === 'RETRY') return retryRefused(stage, profile, at.sourceType) ?? decided(stage, answer);
    return decided(stage, answer);
  }
  // The row of the table this exchange falls on, without building the table.
  if (!(CHECK_IDS as readonly string[]).includes(check)) return undefined;
  if (check === 'action' && answer === 'IGNORE' && stage === 'signing') return decided(stage, 'IGNORE');
  return check === 'deadline' ? deadline(stage) : noAnswer(stage);
}

/**
 * `[documented; D-resp §0.5.1]`: the mark as the reports print it.
 *
 * @example
 * consequenceMark({ mark: 'unknown', source: 'D-resp', section: '§0.5.8', text: '' }); // '[unknown; D-resp §0.5.8]'
 */
export function consequenceMark(c: Consequence): string {
  return `[${c.mark}; ${c.source} ${c.section}]`;
}
