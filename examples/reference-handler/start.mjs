#!/usr/bin/env node
// Start the reference Callback Handler from the built package (run `npm run build` first).
//   node examples/reference-handler/start.mjs [kit-dir] --option 4 [--port 8443] [--base-path /cb] [--http]
// The kit folder is read when it exists, otherwise a new kit is generated and written there,
// so the simulator can use the same keys and certificates.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// The package's own entries (`cosigner-sim` and `cosigner-sim/reference`), from the built dist/.
import { generateKit, KIT_FILES, kitCosigners, parseSecurityOption, readKit, writeKit } from '../../dist/simulator/index.js';
import { startReferenceHandler } from '../../dist/simulator/reference/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    option: { type: 'string', default: '4' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'base-path': { type: 'string', default: '' },
    http: { type: 'boolean', default: false },
  },
});

const dir = positionals[0] ?? '.cosigner-sim/kit';
const kit = existsSync(join(dir, KIT_FILES.cosignerPublicKey)) ? readKit(dir) : writeKit(await generateKit(), dir);
const handler = await startReferenceHandler({
  option: parseSecurityOption(values.option),
  kit,
  host: values.host,
  port: Number(values.port),
  basePath: values['base-path'],
  plainHttp: values.http,
});

console.log(`reference handler (option ${handler.option}) listening on ${handler.url}`);
console.log(`kit: ${dir} (trusts all ${kitCosigners(kit).length} of its Co-signer keys)`);
const stop = () => void handler.close().then(() => console.log(`stopped after ${handler.requests} requests`));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
