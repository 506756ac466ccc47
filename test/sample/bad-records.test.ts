import { describe, expect, it } from "vitest";
import type { ProblemCode } from "../../src/core/index.ts";
import { parseProfileLine, recordId } from "../../src/profile/index.ts";
import { BAD_KINDS, type BadKind, customerId, sampleLines } from "../../src/sample/index.ts";

/** What the engine's own validation must say about each kind: the code and the field (none for unreadable lines). */
const EXPECTED: Record<BadKind, [ProblemCode, string | undefined]> = {
  "not-json": ["OMD_INPUT_NOT_JSON", undefined],
  "empty-line": ["OMD_INPUT_EMPTY", undefined],
  "no-id": ["OMD_PROFILE_FIELD_MISSING", "/id"],
  "number-as-text": ["OMD_PROFILE_FIELD_INVALID", "/account/balanceDue"],
  "invalid-email": ["OMD_PROFILE_FIELD_INVALID", "/contact/email"],
  "wrong-type": ["OMD_PROFILE_FIELD_INVALID", "/usage/monthly"],
  "long-markup-name": ["OMD_PROFILE_FIELD_INVALID", "/name/first"],
  "unknown-locale": ["OMD_PROFILE_LOCALE_UNKNOWN", "/locale"],
};

describe("bad records of the reference extract", () => {
  const K = 10;
  const lines = [...sampleLines({ count: 2 * BAD_KINDS.length * K, seed: 8, badEvery: K })];
  const read = lines.map((line, i) => ({ line: i + 1, text: line, r: parseProfileLine(line, i + 1) }));

  it("puts one of each kind, in turn, on every K-th line, and only there", () => {
    const rejected = read.filter((x) => !x.r.ok).map((x) => x.line);
    expect(rejected).toEqual(Array.from({ length: 2 * BAD_KINDS.length }, (_, i) => (i + 1) * K));
  });

  it("has each rejected by the engine's validation with a reason naming the line and the field", () => {
    for (const [n, kind] of [...BAD_KINDS, ...BAD_KINDS].entries()) {
      const { line, r } = read[(n + 1) * K - 1];
      const [code, field] = EXPECTED[kind];
      expect(r.ok, kind).toBe(false);
      if (r.ok) continue;
      const [p] = r.problems;
      expect([p.code, p.at], kind).toEqual([code, field ? `line ${line} ${field}` : `line ${line}`]);
      expect(p.message, kind).toBeTruthy();
      if (field) expect(p.message, kind).toContain(field);
    }
  });

  it("keeps the id of the customer a readable bad line replaced, so a reject report can name it", () => {
    for (const { line, text, r } of read) {
      if (r.ok || text === "" || line % K !== 0) continue;
      const kind = BAD_KINDS[(line / K - 1) % BAD_KINDS.length];
      expect(recordId(text), kind).toBe(kind === "no-id" ? undefined : customerId(line));
    }
  });

  it("carries what each kind is named for", () => {
    const at = (kind: BadKind) => lines[(BAD_KINDS.indexOf(kind) + 1) * K - 1];
    expect(at("number-as-text")).toMatch(/"balanceDue":"-?\d+,\d\d"/);
    const named = JSON.parse(at("long-markup-name")).name;
    expect(named.first).toHaveLength(5000);
    expect(named.last).toMatch(/<script>/);
    expect(JSON.parse(at("wrong-type")).usage.monthly).toBeTypeOf("object");
    expect(JSON.parse(at("unknown-locale"))).toMatchObject({ locale: "pt-BR", currency: "BRL" });
  });
});
