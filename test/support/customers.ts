import { sampleOptions } from "../../src/cli/sample.ts";
import { sampleLines } from "../../src/sample/index.ts";
import type { Profile } from "../../src/profile/index.ts";

const FLAGS: Record<string, "seed" | "badEvery" | "locale"> = {
  "--seed": "seed",
  "--bad-every": "badEvery",
  "--locale": "locale",
};

/**
 * NDJSON lines of the project's reference extract, made in this process: the arguments are those of
 * `omnidoc sample` after the count (`--seed 3`, `--bad-every 10`, `--locale fr-FR`). Same arguments, same lines.
 */
export function generateLines(count: number, ...args: string[]): string[] {
  const flags: Partial<Record<"seed" | "badEvery" | "locale", string>> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = FLAGS[args[i]];
    if (!flag || args[i + 1] === undefined) throw new Error(`generateLines: unknown or incomplete option ${args[i]}`);
    flags[flag] = args[i + 1];
  }
  return [...sampleLines(sampleOptions(String(count), flags))];
}

/**
 * The customer as one the payment reminder is for (its `audience`): a balance owed, in arrears, off Direct
 * Debit. A balance already owed is kept; a credit or zero one becomes `owed`.
 */
export function inArrears(p: Profile, owed = 86.4): Profile {
  const q = structuredClone(p);
  if (q.account.balanceDue <= 0) q.account.balanceDue = owed;
  q.account.inArrears = true;
  q.account.directDebit = false;
  return q;
}
