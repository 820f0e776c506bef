import type { LoadMode, ResendPolicy } from './run.js';

/**
 * A named `--mix`: not only the kinds but the traffic's whole shape (who sends, in what pacing,
 * what happens to RETRY), for a situation worth rehearsing as a unit.
 */
export interface MixPreset {
  name: string;
  /** Co-signers sharing the handler, each with its own signerId (and its own key when there are several). */
  cosigners: number;
  /** The kinds and weights, in `--mix` syntax. */
  mix: string;
  /** Every `everyMs`, each Co-signer starts `size` requests at once. */
  burst: { size: number; everyMs: number };
  resend: ResendPolicy;
  /** One paragraph for `load --help` and the README. */
  description: string;
}

/**
 * `--mix cosigner-burst`: several Co-signers sharing one handler send bursts, and re-send RETRY
 * answers. The numbers are this preset's choices, not the Co-signer's documented figures: Co-signers
 * in HA are two or more, each signing with its own key [I] (protocol.md §14.2); a RETRY brings the
 * identical request again, by default 3 minutes later, at most 20 times [C-doc] (§0.5, §7), compressed here
 * to 250 ms and 3 re-sends so a run of seconds shows the re-send traffic.
 */
export const COSIGNER_BURST: MixPreset = {
  name: 'cosigner-burst',
  cosigners: 3,
  mix: 'tx.approval:2,tx.signing:2,config:1',
  burst: { size: 8, everyMs: 1000 },
  resend: { maxResends: 3, backoffMs: 250 },
  description:
    '3 Co-signers (distinct signerIds; each its own key where the material holds several) each send a burst of 8 requests at once every 1 s ' +
    '(24 due together), mixed tx.approval:2,tx.signing:2,config:1 per Co-signer, measured from the burst start; an answer of RETRY is re-sent ' +
    'identically (same requestId) 250 ms after it came, at most 3 times, only within the run\'s --duration/--requests; --max-in-flight bounds it, ' +
    '--rate and --concurrency do not apply',
};

export const MIX_PRESETS: Readonly<Record<string, MixPreset>> = { [COSIGNER_BURST.name]: COSIGNER_BURST };

/** The preset a `--mix` value names, if it names one. */
export function mixPreset(text: string): MixPreset | undefined {
  return Object.hasOwn(MIX_PRESETS, text.trim()) ? MIX_PRESETS[text.trim()] : undefined;
}

/** The burst pacing of a preset as a load mode. */
export function presetMode(p: MixPreset, maxInFlight?: number): Extract<LoadMode, { kind: 'burst' }> {
  return { kind: 'burst', size: p.burst.size, everyMs: p.burst.everyMs, ...(maxInFlight !== undefined ? { maxInFlight } : {}) };
}
