import type { Command } from "commander";
import type { CliContext } from "./context.ts";
import { queueAddress } from "./shared.ts";

/** `omnidoc runs`: the distributed runs the queue knows, newest first, with their state. */
export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command("runs")
    .description("list the distributed runs a queue knows, with their state and shards")
    .requiredOption("-q, --queue <url>", "the runs' Redis: redis://HOST:PORT/DB")
    .option("--json", "one JSON object per run")
    .action(async (flags: { queue: string; json?: boolean }) => {
      const queue = await queueAddress(flags.queue);
      const { RunRegistry, checkReachable, connect } = await import("../queue/index.ts");
      await checkReachable(queue);
      const redis = connect(queue, "omnidoc-cli");
      try {
        const runs = await new RunRegistry(redis).list();
        const w = (s: string) => ctx.io.stdout.write(`${s}\n`);
        if (flags.json) {
          for (const r of runs) w(JSON.stringify(r));
          return;
        }
        if (runs.length === 0) {
          w(`no runs on ${queue.shown}`);
          return;
        }
        for (const r of runs) {
          const shards = `${r.shards.committed}/${r.shards.planned}${r.shards.all ? "" : "+"} shards`;
          const by = r.coordinator ? `, coordinator ${r.coordinator}` : "";
          w(`${r.run}  ${r.state}  ${r.template} ${r.runDate}  ${shards}, ${r.records} records${by}`);
          w(`    ${r.out}  started ${r.started}, updated ${r.updated}${r.error ? `\n    error: ${r.error}` : ""}`);
        }
      } finally {
        redis.disconnect();
      }
    });
}
