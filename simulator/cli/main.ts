#!/usr/bin/env node
// The bin shim: everything else is in program.ts, which never calls process.exit() so that
// reporters finish writing and embedded handlers close before Node exits on its own.
import { packageVersion } from '../lib/package-version.js';

// `cosigner-sim run --reporter json | head -1` closes the pipe early: that is not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The cold-start path (issue 14: within 60 ms of a bare `node -e 0`): the answer commander
  // would give, without loading commander, the option table and the modules they import
  // (about two thirds of a `--version` start, measured with node --cpu-prof). Anything more
  // on the line (`-V run`, `--version --help`) goes through commander as before.
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(argv);
}
