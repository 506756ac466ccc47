import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engine, type Profile, buildEngine, compose, nodeWorld, parseProfileLine } from "../../src/index.ts";
import { type Standing, accountState, contradictions } from "../support/account-state.ts";
import { generateLines } from "../support/customers.ts";

/**
 * No channel of either template contradicts the account it was written for: generated customers, put in
 * every account state (credit, zero, owed; Direct Debit or not; in arrears or not), each channel's text read
 * back as the customer gets it (pdftotext, the email's subject and text part, the SMS) and held to the rules
 * of test/support/account-state.ts, which are written from the account, not from the templates.
 */
const RUNS = Number(process.env.OMNIDOC_ACCOUNT_STATE_RUNS ?? 100);

let engine: Engine;
let customers: Profile[];
const dir = mkdtempSync(join(tmpdir(), "omnidoc-account-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const built = await buildEngine(nodeWorld());
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  engine = built.value;
  // Every language, and only customers who can get every channel.
  customers = generateLines(300, "--seed", "15").flatMap((line, i) => {
    const r = parseProfileLine(line, i + 1);
    return r.ok && r.value.contact.email && r.value.contact.mobile ? [r.value] : [];
  });
}, 60_000);

interface Account {
  /** Which generated customer. */
  customer: number;
  standing: Standing;
  /** The balance's size in minor units (pence, cents). */
  minor: number;
  directDebit: boolean;
  inArrears: boolean;
}

const accounts: fc.Arbitrary<Account> = fc.record({
  customer: fc.nat(),
  standing: fc.constantFrom<Standing>("credit", "zero", "owed"),
  minor: fc.integer({ min: 1, max: 250_000 }),
  directDebit: fc.boolean(),
  inArrears: fc.boolean(),
});

/** Accounts a reminder is for: half the reminder's runs, so its documents are read as often as its skips. */
const reminderAccounts = fc.oneof(
  accounts,
  accounts.map((a) => ({ ...a, standing: "owed" as const, directDebit: false, inArrears: true })),
);

/** A generated customer in the account state asked for; only a balance owed can be in arrears. */
function inState(a: Account): Profile {
  const p = structuredClone(customers[a.customer % customers.length]);
  const balance = a.standing === "credit" ? -a.minor / 100 : a.standing === "zero" ? 0 : a.minor / 100;
  p.account.balanceDue = balance;
  p.account.directDebit = a.directDebit;
  p.account.inArrears = a.standing === "owed" && a.inArrears;
  return p;
}

/** Each channel's text as the customer reads it. */
async function channelTexts(template: string, p: Profile) {
  const r = await compose(engine, p, {
    template,
    channels: ["pdf", "email", "sms"],
    runDate: p.account.statementDate,
    channelOptions: { emailChart: false },
  });
  if (!r.ok) return { problems: r.problems };
  const c = r.value;
  expect(c.problems, `${template} for ${p.id}`).toEqual([]);
  const file = join(dir, `${p.id}.pdf`);
  writeFileSync(file, c.pdf!.bytes);
  return {
    problems: [],
    texts: {
      pdf: execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }),
      email: `${c.email!.subject}\n${c.email!.preheader}\n${c.email!.text}`,
      sms: c.sms!.text,
    },
  };
}

describe("what every channel says of money agrees with the account", () => {
  it("the energy bill, in every account state", async () => {
    await fc.assert(
      fc.asyncProperty(accounts, async (a) => {
        const p = inState(a);
        const r = await channelTexts("energy-bill", p);
        expect(r.problems).toEqual([]);
        for (const [channel, text] of Object.entries(r.texts!))
          expect(contradictions(text, accountState(p)), `${channel} of ${p.id}`).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it("the payment reminder: composed only for a balance owed in arrears off Direct Debit, and then true", async () => {
    await fc.assert(
      fc.asyncProperty(reminderAccounts, async (a) => {
        const p = inState(a);
        const { balanceDue, inArrears, directDebit } = p.account;
        const forIt = balanceDue > 0 && inArrears && !directDebit;
        const r = await channelTexts("payment-reminder", p);
        if (!forIt) {
          expect(r.problems.map((x) => x.code)).toEqual(["OMD_AUDIENCE_OUTSIDE"]);
          return;
        }
        expect(r.problems).toEqual([]);
        for (const [channel, text] of Object.entries(r.texts!))
          expect(contradictions(text, accountState(p)), `${channel} of ${p.id}`).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
