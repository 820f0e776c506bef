import type { TestProject } from 'vitest/node';
import { buildCli } from '../cli.global-setup.js';

/**
 * Global setup of the `e2e` project: bring dist/ up to date once per run for the tests that
 * spawn the bin (a few milliseconds of stat calls when it already is).
 */
export default async function setup(project: TestProject): Promise<void> {
  await buildCli();
  project.provide('cosignerSimBuilt', true);
}
