import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { SAMPLE_LOCALES, sampleLines } from "../../src/sample/index.ts";
import { KEYS, type Running, call, startServer } from "../server/support.ts";
import { omnidoc } from "../support/cli.ts";
import { profilesToCsv } from "../support/csv.ts";
import { generateLines } from "../support/customers.ts";

/** One character of each class a text field refuses, each put in another text field. */
const CASES = [
  { char: "\u0000", code: "U+0000", field: "/name/first" },
  { char: "\n", code: "U+000A", field: "/contact/address/lines/0" },
  { char: "\u0085", code: "U+0085", field: "/name/last" },
  { char: "\ud800", code: "U+D800", field: "/name/last" },
  { char: "\udc00", code: "U+DC00", field: "/contact/address/city" },
  { char: "\u200b", code: "U+200B", field: "/name/first" },
  { char: "\u200d", code: "U+200D", field: "/contact/address/postcode" },
  { char: "\u2060", code: "U+2060", field: "/name/last" },
  { char: "\ufeff", code: "U+FEFF", field: "/name/first" },
  { char: "\u202e", code: "U+202E", field: "/name/last" },
  { char: "\u202a", code: "U+202A", field: "/contact/address/lines/0" },
  { char: "\u2067", code: "U+2067", field: "/name/first" },
  { char: "\u2028", code: "U+2028", field: "/account/charges/0/description" },
  { char: "\ufffd", code: "U+FFFD", field: "/contact/address/city" },
] as const;

/** The record with the character slipped into the middle of the field the pointer names. */
function withCharacter(record: Profile, pointer: string, char: string): Profile {
  const copy = structuredClone(record);
  const path = pointer.split("/").slice(1);
  const parent = path
    .slice(0, -1)
    .reduce(
      (node: Record<string, unknown>, k) => node[k] as Record<string, unknown>,
      copy as unknown as Record<string, unknown>,
    );
  const last = path[path.length - 1];
  const value = String(parent[last]);
  parent[last] = `${value.slice(0, 1)}${char}${value.slice(1)}`;
  return copy;
}

const base = () => JSON.parse(generateLines(1)[0]) as Profile;

describe("text fields of a profile", () => {
  it("refuse each class of invisible or control character, naming the field and the character", () => {
    for (const c of CASES) {
      const r = validateProfile(withCharacter(base(), c.field, c.char));
      expect(r.ok, c.code).toBe(false);
      if (!r.ok)
        expect(r.problems[0]).toMatchObject({
          code: "OMD_PROFILE_FIELD_INVALID",
          at: c.field,
          message: expect.stringContaining(`${c.field} holds ${c.code}`),
        });
    }
  });

  it("accept letters of every script, accents and characters beyond the BMP (surrogate pairs)", () => {
    for (const first of ["Zoë", "Łukasz", "Δημήτρης", "محمد", "Jean-Loïc", "O'Brien", "𝒜nna 😀"]) {
      const r = validateProfile({ ...base(), name: { first, last: "Ünal" } });
      expect(r.ok, first).toBe(true);
    }
  });

  it("are never given such a character by the sample generator, in any locale", () => {
    const lines = [...sampleLines({ count: 2000, seed: 18, locales: SAMPLE_LOCALES })];
    const invalid = lines.filter((l, i) => !validateProfile(JSON.parse(l), `line ${i + 1}`).ok);
    expect(invalid).toEqual([]);
  });
});

describe("a batch", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "omnidoc-plain-text-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rejects each NDJSON line that holds one, with the line, the field and the character", async () => {
    const rejects = join(dir, "rejects.ndjson");
    const lines = CASES.map((c) => JSON.stringify(withCharacter(base(), c.field, c.char)));
    const r = await omnidoc(["validate", "--input", "-", "--rejects", rejects], `${lines.join("\n")}\n`);
    expect(r.code).toBe(1);
    const rejected = readFileSync(rejects, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rejected.map((l) => [l.line, l.field, l.reason.slice(l.field.length + 1, l.field.length + 13)])).toEqual(
      CASES.map((c, i) => [i + 1, c.field, `holds ${c.code}`]),
    );
  });

  it("rejects each CSV row that holds one the same way", async () => {
    const input = join(dir, "customers.csv");
    const records = CASES.map((c, i) => ({ ...withCharacter(base(), c.field, c.char), id: `C${i + 1}` }));
    // A file is UTF-8, where a lone surrogate cannot be written: the encoder puts U+FFFD in its place.
    writeFileSync(input, profilesToCsv(records));
    const out = join(dir, "run");
    const r = await omnidoc([
      "run",
      "--template",
      "energy-bill",
      "--input",
      input,
      "--out",
      out,
      "--date",
      "2026-11-01",
    ]);
    expect(r.code).toBe(1);
    const rejected = readFileSync(join(out, "rejects.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const lone = /^U\+D[89A-F]/;
    expect(rejected.map((l) => [l.id, l.field, l.reason.slice(l.field.length + 1, l.field.length + 13)])).toEqual(
      CASES.map((c, i) => [`C${i + 1}`, c.field, `holds ${lone.test(c.code) ? "U+FFFD" : c.code}`]),
    );
  });
});

describe("the API", () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer();
  }, 120_000);
  afterAll(() => s?.close());

  it("answers 400 with the JSON pointer of the field and the character", async () => {
    for (const c of CASES) {
      const res = await call(s.base, "/v1/documents", {
        key: KEYS.render,
        body: {
          template: "energy-bill",
          channel: "sms",
          runDate: "2026-11-01",
          profile: withCharacter(base(), c.field, c.char),
        },
      });
      expect(res.status, c.code).toBe(400);
      const { problems } = await res.json();
      expect(problems[0]).toMatchObject({
        code: "OMD_PROFILE_FIELD_INVALID",
        at: `/profile${c.field}`,
        message: expect.stringContaining(`/profile${c.field} holds ${c.code}`),
      });
    }
  });
});
