import type { Readable } from "node:stream";

/** A stream a command writes to; `isTTY` picks a progress bar over JSON lines. */
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean };

/** Where a command line reads and writes: the process's own streams, or a caller's (main called in-process). */
export interface CliIO {
  stdin: Readable;
  stdout: CliOutput;
  stderr: CliOutput;
}

/**
 * What one invocation of the command line hands its command: the streams, and the exit code a command sets
 * when it did its work but found failures (rejected records, lint findings). `main` returns that code; only the
 * executable turns it into the process's exit code.
 */
export interface CliContext {
  readonly io: CliIO;
  exitCode: number;
}

/** The process's streams, stdin opened only when a command reads it (opening it can hold the process open). */
export function processIO(): CliIO {
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
}
