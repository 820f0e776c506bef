import type { TestProject } from 'vitest/node';
import { generateKit } from '../../simulator/keys/generate.js';
import { toKitPem, type KitPem } from './kit-pem.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared kit as PEM text (test/support/shared-kit.ts parses it). */
    cosignerSimKit: KitPem;
  }
}

/**
 * Global setup of the root project, whose provided values every project inherits: generate the
 * run's one shared kit. Each test file is a fresh process, and each paid about a second of RSA
 * key generation for its own kit before. KeyObjects do not survive the trip to the workers, so
 * the kit travels as PEM text.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('cosignerSimKit', toKitPem(await generateKit()));
}
