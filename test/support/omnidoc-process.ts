import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/omnidoc.mjs");

/** A command line of omnidoc run as its own process, with what it wrote kept for the test to read. */
export class OmnidocProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (d: Buffer) => {
      this.stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((done) => child.once("exit", (code) => done(code)));
  }

  /**
   * Starts `omnidoc ARGS…` in the repository, with the test suite's environment (its signing keys). A
   * `wrapper` (`unshare …`, `ip netns exec NS`) runs it inside another view of the machine; it must exec
   * omnidoc, so that signals reach it.
   */
  static start(args: string[], env: NodeJS.ProcessEnv = {}, wrapper: string[] = []): OmnidocProcess {
    const [command, ...rest] = [...wrapper, process.execPath, BIN, ...args];
    return new OmnidocProcess(
      spawn(command!, rest, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
  }

  /** Resolves once `text` has appeared on stderr (a worker's "worker ready", a shard committed…). */
  async waitFor(text: string | RegExp, timeoutMs = 60_000): Promise<void> {
    const found = () => (typeof text === "string" ? this.stderr.includes(text) : text.test(this.stderr));
    const until = Date.now() + timeoutMs;
    while (!found()) {
      if (this.child.exitCode !== null)
        throw new Error(`exited (${this.child.exitCode}) before "${text}":\n${this.stderr}`);
      if (Date.now() > until) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ctrl-C, as an operator stops it; resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGINT");
    return this.exited;
  }

  /** kill -9: the machine died. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}
