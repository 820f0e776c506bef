import pc from 'picocolors';

/** A place text goes: process.stdout/stderr, a file buffer, or a string collector in tests. */
export interface Sink {
  write(text: string): void;
  /** Present on terminals; colours are used only when true. */
  readonly isTTY?: boolean;
}

/** The signals that stop a run early (Ctrl-C sends SIGINT; CI cancelling a job sends SIGTERM). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code of a run a signal cut short: 128 + the signal number, as a shell reports it. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, 130 | 143>> = { SIGINT: 130, SIGTERM: 143 };

/** Everything the CLI touches outside itself, so commands run in-process in tests. */
export interface CliIO {
  stdout: Sink;
  stderr: Sink;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /**
   * Listen for SIGINT/SIGTERM while a command runs; returns the function that stops listening.
   * Commands that report (run, send, conformance) listen, stop starting scenarios on the first
   * signal and still write every report. Absent: nothing is listened for (tests that never
   * interrupt). Tests pass a fake to deliver a signal in-process.
   */
  onSignal?(listener: (signal: StopSignal) => void): () => void;
  /**
   * Read all of standard input as text (`decode -`). Absent: there is no stdin to read (tests
   * that never pass `-` leave it out; the in-memory IO takes a string).
   */
  readStdin?(): Promise<string>;
}

/**
 * The real process. While a command listens, the first SIGINT or SIGTERM goes to it (the run
 * stops and reports); a second one while it finishes exits at once with that signal's code, for
 * a user who will not wait for an in-flight exchange. Nothing is installed until a command
 * listens, so before and after that a signal ends the process as Node does by default.
 */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    onSignal(listener) {
      let seen = false;
      const handler = (signal: StopSignal) => {
        // Reports are written synchronously, so this can never land between a write and its rename.
        if (seen) {
          // Quit now, but not leaving a started handler behind: its group gets SIGTERM (SIGKILL
          // after 5 s). Loaded here, so the CLI's start-up does not pay for the targets module.
          void import('../targets/index.js')
            .then((m) => m.stopAllStarted())
            .finally(() => process.exit(SIGNAL_EXIT[signal]));
          return;
        }
        seen = true;
        listener(signal);
      };
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours only on a terminal, never with NO_COLOR (any non-empty value, no-color.org) or
 * `--no-color`. picocolors' own detection reads process.argv and process.stdout, which is wrong
 * for stderr and for files, so the decision is made here per sink.
 */
export function colorsFor(sink: Sink, env: CliIO['env'], colorFlag: boolean): Colors {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return pc.createColors(colorFlag && !noColor && sink.isTTY === true);
}

// In lib/ so the client can send it in its User-Agent, and `--version` can answer without loading the CLI (main.ts).
export { packageVersion } from '../lib/package-version.js';
