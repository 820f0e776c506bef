import { describe, expect, it } from 'vitest';
import * as protocol from './index.js';

describe('simulator/protocol public surface', () => {
  it('exports the builders, serializer, endpoint rules and constants', () => {
    for (const name of [
      'createRequestFactory', 'serializePayload', 'COSIGNER_JWT_HEADER', 'buildEndpointUrl', 'validateBaseUrl',
      'DEFAULT_DEST_ADDRESS', 'CONFIG_EXTRA_INFO_KNOWN', 'DEFAULT_BATCH_SUFFIX', 'applyOverrides', 'unsetPaths', 'parsePath',
      'resolveSeed', 'ASSETS', 'OPERATION_TEMPLATES', 'DEST_TYPES', 'TX_OPERATIONS', 'CONFIG_CHANGE_TYPES', 'SECURITY_OPTIONS',
    ]) {
      expect(protocol).toHaveProperty(name);
    }
  });

  it('has no I/O imports in its modules', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('./', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/from 'node:(fs|net|tls|http|https|dgram|child_process)/);
    }
  });
});
