import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort, threadId, workerData } from "node:worker_threads";

/**
 * A pool worker whose warm-up lasts until the test creates the file `workerData.gate`: the test decides how
 * long a thread takes to start, as building and warming an Engine does. Its tasks answer at once.
 */
while (!existsSync(workerData.gate)) await sleep(20);
parentPort?.postMessage({ warmed: threadId });

export default function run(task: { echo: string }): string {
  return task.echo;
}
