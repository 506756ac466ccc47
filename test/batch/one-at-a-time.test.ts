import { describe, expect, it } from "vitest";
import { oneAtATime } from "../../src/batch/one-at-a-time.ts";

describe("oneAtATime", () => {
  it("starts each task once the one before has settled, failed or not, in the order given", async () => {
    const inTurn = oneAtATime();
    const seen: string[] = [];
    const task =
      (name: string, fails = false) =>
      async () => {
        seen.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(`end ${name}`);
        if (fails) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([inTurn(task("a")), inTurn(task("b", true)), inTurn(task("c"))]);
    expect(seen).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});
