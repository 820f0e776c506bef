/**
 * `cosigner-sim load`'s engine, free of the CLI: paced requests against one handler (closed or
 * open loop), every answer judged, latency in HDR histograms (node:perf_hooks), counts by check id.
 */
export { runLoad, loadFailures, errorRate, DEFAULT_MAX_IN_FLIGHT, LATE_START_MS, type LoadOptions, type LoadMode, type LoadCosigner, type ResendPolicy, type LoadStop, type LoadProgress, type LoadReport, type PhaseSummaries } from './run.js';
export { parseMix, mixPicker, mixText, LOAD_KINDS, DEFAULT_MIX_TEXT, type LoadKind, type MixEntry } from './mix.js';
export { LatencyHistogram, CHART_BOUNDS_MS, PERCENTILES, type LatencySummary, type ChartBucket } from './histogram.js';
export { COSIGNER_BURST, MIX_PRESETS, mixPreset, presetMode, type MixPreset } from './presets.js';
export { loadCosigners } from './cosigners.js';
