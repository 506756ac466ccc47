import { describe, expect, it } from "vitest";
import { RecentCache } from "../../../src/channels/pdf/recent-cache.ts";

describe("a cache of what was used recently", () => {
  it("holds at most its bound, however many entries go in", () => {
    const cache = new RecentCache<string, number>(10);
    for (let i = 0; i < 1000; i++) {
      cache.set(`w${i}`, i);
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(cache.size).toBeGreaterThanOrEqual(5);
  });

  it("keeps an entry used once every half of its bound, and drops one left unused", () => {
    const cache = new RecentCache<string, number>(10);
    cache.set("kept", 1);
    cache.set("dropped", 2);
    for (let i = 0; i < 100; i++) {
      cache.set(`w${i}`, i);
      if (i % 4 === 0) expect(cache.get("kept")).toBe(1);
    }
    expect(cache.get("kept")).toBe(1);
    expect(cache.get("dropped")).toBeUndefined();
  });

  it("finds the last half-bound of entries put in, whether or not the generations have just turned", () => {
    for (const count of [19, 20, 21]) {
      const cache = new RecentCache<number, number>(8);
      for (let i = 0; i < count; i++) cache.set(i, i * 2);
      for (let i = count - 4; i < count; i++) expect(cache.get(i), `${i} of ${count}`).toBe(i * 2);
    }
  });
});
