// Types for table.mjs, so the README test (TypeScript) can import it.
export const README_START: string;
export const README_END: string;
export const REQUEST_COLUMNS: readonly string[];
export const WALL_COLUMNS: readonly string[];
export interface Ratio { median: number; range: [number, number] }
export interface RequestRow { figure: string; concurrency: number; cpuMsPerRequest: number; cpuRatio?: Ratio; rps: number; rpsRatio?: Ratio; busy: number; saturated: boolean }
export interface WallRow { figure: string; wallMs: number; beside?: string; target?: string }
export interface Verdict { met: boolean; text: string }
export function requestTable(rows: readonly RequestRow[]): string;
export function wallTable(rows: readonly WallRow[]): string;
export function renderBench(input: { machine: string; requestRows: readonly RequestRow[]; wallRows: readonly WallRow[]; verdicts: readonly Verdict[] }): string;
export function replaceReadmeSection(readme: string, block: string): string;
