import { describe, expect, it } from "vitest";
import { ColourIds } from "../../src/assets/chart/colour-ids.ts";

describe("colour numbers", () => {
  it("numbers colours in the order they are met, the same number each time, through the table's growth", () => {
    // 5,000 colours (the table starts with room for 512): 0 and -1 (white, opaque) among them, and colours that
    // differ in one channel only.
    const colours = Array.from({ length: 5000 }, (_, i) => (i === 1 ? -1 : Math.imul(i, i % 3 === 0 ? 1 : 0x10101)));
    const ids = new ColourIds();
    for (const pass of [1, 2])
      expect(
        colours.map((c) => ids.idOf(c)),
        `pass ${pass}`,
      ).toEqual(colours.map((_, i) => i));
    expect(ids.size).toBe(5000);
    expect([...ids.colours.subarray(0, ids.size)]).toEqual(colours);
  });
});
