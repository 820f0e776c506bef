#!/usr/bin/env node
// The bin shim: everything else is in program.ts, which never calls process.exit() so that
// reporters finish writing and embedded handlers close before Node exits on its own.
import { runCli } from './program.js';

// `cosigner-sim run --reporter json | head -1` closes the pipe early: that is not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
