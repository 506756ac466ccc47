import { OmnidocProcess } from "./omnidoc-process.ts";

/**
 * A small distributed run's coordinator command line: every channel, no archive, one print thread, shards of
 * `shardSize` records and print batches of four, so that a dozen customers make several shards and batches.
 */
export const queuedRunArgs = (queue: string, input: string, out: string, shardSize = 4): string[] => [
  ...["run", "--queue", queue, "--template", "energy-bill", "--input", input, "--out", out],
  ...["--date", "2026-11-01", "--channels", "all", "--no-archive", "--workers", "1"],
  ...["--shard-size", String(shardSize), "--print-batch", "4"],
];

/** A worker of one composing thread (the test machine's cores are shared), with `more` flags. */
export const workerArgs = (queue: string, ...more: string[]): string[] => [
  ...["worker", "--queue", queue, "--concurrency", "1"],
  ...more,
];

/** The JSON lines of a worker's pino log (stderr). */
export const logLines = (stderr: string): Record<string, unknown>[] =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The omnidoc processes a test file starts, every one killed at its end, whatever became of its tests. */
export class Processes {
  private readonly started: OmnidocProcess[] = [];

  start(...args: Parameters<typeof OmnidocProcess.start>): OmnidocProcess {
    const p = OmnidocProcess.start(...args);
    this.started.push(p);
    return p;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.started.map((p) => p.kill()));
  }
}
