import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  fitQr,
  qrSize,
  qrSymbols,
  isDark,
  QR_MIN_MODULE,
  QR_QUIET_ZONE,
  qrMatrix,
  qrPng,
  qrRuns,
  type QrSymbols,
} from "../../src/assets/qr/index.ts";

const payload = "https://pay.northwind-energy.example/p/ACC-000123?amt=12345&exp=20261231&sig=abcDEF123_-xyz";

describe("QR code", () => {
  it("paints the runs into a PNG that zbarimg decodes to exactly the payload", () => {
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-qr-"));
    const file = join(dir, "pay.png");
    writeFileSync(file, qrPng(payload, 4));
    const decoded = execFileSync("zbarimg", ["--quiet", "--raw", file], { encoding: "utf8" });
    expect(decoded.trimEnd()).toBe(payload);
  });

  it("has runs that cover every dark module and nothing else, offset by the quiet zone", () => {
    const m = qrMatrix(payload);
    const { span, runs } = qrRuns(m);
    expect(span).toBe(m.size + 2 * QR_QUIET_ZONE);
    const painted = new Set<string>();
    for (const r of runs) {
      expect(r.length).toBeGreaterThan(0);
      for (let c = r.col; c < r.col + r.length; c++) painted.add(`${r.row},${c}`);
    }
    let dark = 0;
    for (let row = 0; row < m.size; row++)
      for (let col = 0; col < m.size; col++) {
        if (isDark(m, row, col)) dark++;
        expect(painted.has(`${row + QR_QUIET_ZONE},${col + QR_QUIET_ZONE}`)).toBe(isDark(m, row, col));
      }
    expect(painted.size).toBe(dark);
    expect(runs.length).toBeLessThan(dark);
  });

  it("keeps the quiet zone light in the PNG", () => {
    const scale = 3;
    const { span } = qrRuns(qrMatrix(payload));
    const png = Buffer.from(qrPng(payload, scale));
    expect(png.readUInt32BE(16)).toBe(span * scale);
    // A whole-symbol check is the zbarimg test; here only that the first module row is the quiet zone.
    expect(qrRuns(qrMatrix(payload)).runs.every((r) => r.row >= QR_QUIET_ZONE && r.col >= QR_QUIET_ZONE)).toBe(true);
  });
});

describe("a QR code's size from its payload", () => {
  const mm = (v: number) => (v * 72) / 25.4;
  // A tracked offer link as the catalogue makes them: 124 bytes, version 8 at level M, 6 at L.
  const offer =
    "https://www.northwind-energy.example/en/winter-guide?utm_source=omnidoc&utm_campaign=winter-guide&cid=v3z48DEAo5jbA711hfGM7L";

  it("makes a module at least 3 pixels at 150 dpi (0.508 mm)", () => {
    expect(QR_MIN_MODULE).toBeCloseTo(mm(0.508), 2);
  });

  it("keeps the size asked for when its modules are large enough", () => {
    const fit = fitQr(qrSymbols("https://example.org/p?a=1"), mm(22), mm(29));
    expect(fit.side).toBe(mm(22));
    expect(fit.side / fit.geometry.span).toBeGreaterThanOrEqual(QR_MIN_MODULE);
  });

  it("grows a long link past the size asked for, up to the room it has, at level M", () => {
    const fit = fitQr(qrSymbols(offer), mm(22), mm(29));
    expect(fit.level).toBe("M");
    expect(fit.side).toBeGreaterThan(mm(22));
    expect(fit.side).toBeLessThanOrEqual(mm(29));
    expect(fit.side / fit.geometry.span).toBeGreaterThanOrEqual(QR_MIN_MODULE - 1e-9);
  });

  it("falls back to level L, a smaller symbol, when M does not fit the room", () => {
    const fit = fitQr(qrSymbols(offer), mm(22), mm(26));
    expect(fit.level).toBe("L");
    expect(fit.side / fit.geometry.span).toBeGreaterThanOrEqual(QR_MIN_MODULE - 1e-9);
    expect(fit.needed).toBeLessThanOrEqual(mm(26));
  });

  it("encodes a level's symbol once, however many widths it is fitted to", () => {
    const symbols = qrSymbols(offer);
    const wide = fitQr(symbols, mm(22), mm(29));
    expect(fitQr(symbols, mm(22), mm(40)).geometry).toBe(wide.geometry);
    expect(symbols.geometry("L")).toBe(symbols.geometry("L"));
  });

  it("knows each level's side without encoding it, as the symbol comes out", () => {
    for (let length = 1; length <= 400; length += 7)
      for (const level of ["L", "M", "Q", "H"] as const) {
        const payload = "é".repeat(length % 5) + "x".repeat(length);
        expect(qrSize(payload, level), `${level} ${length}`).toBe(qrMatrix(payload, level).size);
      }
  });

  it("encodes only the level it fits", () => {
    const symbols = qrSymbols(offer);
    let encoded = 0;
    const counted: QrSymbols = {
      span: symbols.span,
      geometry(level) {
        encoded++;
        return symbols.geometry(level);
      },
    };
    expect(fitQr(counted, mm(22), mm(26)).level).toBe("L");
    expect(encoded).toBe(1);
  });

  it("says when no level fits the room", () => {
    const fit = fitQr(qrSymbols(offer), mm(22), mm(22));
    expect(fit.needed).toBeGreaterThan(mm(22));
    expect(fit.side).toBe(mm(22));
  });
});
