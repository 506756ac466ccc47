import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatOf, readRecords } from "../../src/batch/source.ts";
import { profilesToCsv } from "../support/csv.ts";
import { generateLines } from "../support/customers.ts";

async function collect(input: Readable, format: "ndjson" | "csv") {
  const out = [];
  for await (const r of readRecords(input, format))
    out.push({ record: r.record, line: r.line, id: r.id(), read: r.read() });
  return out;
}

describe("streamed input records", () => {
  it("makes every NDJSON line a record, an empty one and a last line without newline included", async () => {
    const [a, b] = generateLines(2);
    const text = `\uFEFF${a}\r\n\n${b}`;
    // Split inside a multi-byte character to check the decoding across chunk boundaries.
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 17), bytes.subarray(17, 18), bytes.subarray(18)];
    const records = await collect(Readable.from(chunks), "ndjson");
    expect(records.map((r) => [r.record, r.line, r.id, r.read.ok])).toEqual([
      [1, 1, "C0000001", true],
      [2, 2, undefined, false],
      [3, 3, "C0000002", true],
    ]);
    expect(!records[1].read.ok && records[1].read.problems[0].code).toBe("OMD_INPUT_EMPTY");
  });

  it("reads no further than the consumer asks (back-pressure), whatever the input's size", async () => {
    const line = generateLines(1)[0];
    let pulled = 0;
    const endless = new Readable({
      highWaterMark: 16 * 1024,
      read() {
        pulled++;
        this.push(`${line}\n`);
      },
    });
    let n = 0;
    for await (const _ of readRecords(endless, "ndjson")) {
      if (++n === 50) break;
    }
    // An endless input: only what the 50 records needed plus the stream's small buffer was ever produced.
    expect(pulled).toBeLessThan(50 + 20);
    expect(endless.destroyed).toBe(true);
  });

  it("reads a CSV extract with dotted headers, row lines counted from the header", async () => {
    const profiles = generateLines(3).map((l) => JSON.parse(l));
    const csv = profilesToCsv(profiles);
    const records = await collect(Readable.from([csv]), "csv");
    expect(records.map((r) => [r.record, r.line, r.id, r.read.ok])).toEqual([
      [1, 2, "C0000001", true],
      [2, 3, "C0000002", true],
      [3, 4, "C0000003", true],
    ]);
  });

  it("stops with the line when the CSV syntax itself is broken", async () => {
    const csv = 'id,name.first\nC1,Ann\nC2,"Bo\n';
    await expect(collect(Readable.from([csv]), "csv")).rejects.toThrow(/OMD_INPUT_CSV/);
  });

  it("tells the format by the file extension unless told", () => {
    expect(formatOf("x/extract.CSV")).toBe("csv");
    expect(formatOf("x/extract.ndjson")).toBe("ndjson");
    expect(formatOf("-", "csv")).toBe("csv");
  });
});
