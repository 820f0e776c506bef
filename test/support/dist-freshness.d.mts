// Types for dist-freshness.mjs, so the tests (TypeScript) can import it.
export function stampFile(root: string): string;
export function staleReason(root: string, stamp?: string): string | undefined;
export function buildDist(root: string, stamp?: string): Promise<{ code: number | null; output: string }>;
