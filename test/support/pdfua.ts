import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What pdfua-check.py found in one PDF, read with pikepdf. */
export interface PdfUaReport {
  /** Each failed condition as [Matterhorn number or clause, message]; empty when the file passes. */
  failures: [string, string][];
  /** The heading levels of the structure tree in order (H2 is 2). */
  headings: number[];
  /** Each Link element: how many annotations it holds and their distinct Contents. */
  links: { annotations: number; contents: string[] }[];
  /** The Scope of each TH, null where it has none. */
  scopes: (string | null)[];
}

const CHECKER = fileURLToPath(new URL("./pdfua-check.py", import.meta.url));

/**
 * Checks PDFs against the machine-checkable PDF/UA-1 conditions (and PDF/A-3's metadata rules for files that
 * claim PDF/A) in one run of Debian's python3-pikepdf, an implementation nobody on the project wrote.
 */
export function checkPdfUa(files: readonly string[]): Record<string, PdfUaReport> {
  const out = execFileSync("/usr/bin/python3", [CHECKER, ...files], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out) as Record<string, PdfUaReport>;
}

/** Each failure as `file: id message`, for an assertion that names what failed where. */
export function failuresOf(reports: Record<string, PdfUaReport>): string[] {
  return Object.entries(reports).flatMap(([file, r]) => r.failures.map(([id, m]) => `${file}: ${id} ${m}`));
}
