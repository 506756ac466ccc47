import { spawnSync } from "node:child_process";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli.ts";

const BIN = fileURLToPath(new URL("../../bin/omnidoc.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it, as it is written. */
function captured(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** The `omnidoc` command line called in this process, on its own streams: what a user sees, without the spawn. */
export async function omnidoc(args: string[], input?: string): Promise<CliResult> {
  const stdout = captured();
  const stderr = captured();
  const stdin = Readable.from(Buffer.from(input ?? ""), { objectMode: false });
  const code = await main(args, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The real executable in its own process: for what only a process shows (the shim, exit codes, signals, environment). */
export function omnidocProcess(args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input, env, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
