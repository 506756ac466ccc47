import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Redis server of a test's own (Debian's redis-server), on a port and folder of its own, that keeps its data
 * on disk (append-only file, synced on every write) so it can be restarted mid-run with its data kept, the way
 * an operator restarts the machine's Redis.
 */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    readonly host: string,
  ) {}

  /** Listens on `host` only: 127.0.0.1, or an address that only machines of a test's network reach. */
  static async start(host = "127.0.0.1"): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), "omnidoc-redis-")), host);
    await server.up();
    return server;
  }

  /** `redis://HOST:PORT/DB`. */
  url(db = 0): string {
    return `redis://${this.host}:${this.port}/${db}`;
  }

  /** A client of the test's own, to look at what the run keeps; the caller disconnects it. */
  client(db = 0): Redis {
    return new Redis({ host: this.host, port: this.port, db, maxRetriesPerRequest: null });
  }

  /** Stops the server (SHUTDOWN on SIGTERM: the append-only file is complete), waits `downMs`, starts it again. */
  async restart(downMs: number): Promise<void> {
    await this.down();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async up(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", this.host, "--dir", this.dir, "--save", ""];
    // Bound to `host` alone, it may answer other machines than its own without a password.
    args.push("--protected-mode", "no");
    args.push("--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--logfile", "redis.log");
    this.child = spawn("redis-server", args, { stdio: "ignore" });
    for (let tries = 0; ; tries++) {
      const probe = new Redis({ host: this.host, port: this.port, lazyConnect: true, retryStrategy: () => null });
      probe.on("error", () => {});
      try {
        await probe.connect();
        if ((await probe.ping()) === "PONG") return;
      } catch (err) {
        if (tries > 100) {
          this.child.kill(); // it runs, but no client of the test's gets an answer from it
          throw err;
        }
      } finally {
        probe.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}
