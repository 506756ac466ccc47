import { readFileSync } from "node:fs";
import type { Composition } from "../compose.ts";
import { type Problem, parseYaml, problem } from "../core/index.ts";
import type { Catalogue } from "../decide/index.ts";
import type { Channel, Profile } from "../profile/index.ts";
import type { TemplatePackage } from "../templates/index.ts";
import type { ViewItem } from "../view/index.ts";

/**
 * What the copy says, checked against what each customer actually gets: words asking the reader to scan a code
 * in a channel that carries none (only paper draws a QR code, for an item marked `qr` with a link), and usage
 * wording that compares a month with no reading, or a zero one, with similar homes ("0 kWh, 100% less").
 */

/** Asking to scan a code, in English, French (scannez, scanner) and German (scannen, QR-Code). */
const SCAN = /\b(?:scan\w*|QR)\b/i;

/** The labels that compare the billed month with similar homes. */
const COMPARISONS = ["usageSummaryLess", "usageSummaryMore", "usageSummarySame"];

/** Text as a reader meets it: typographic quotes straight, any run of white space one space. */
const plain = (s: string) =>
  s
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, " ")
    .trim();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A label as a pattern, its `{placeholders}` matching any words. */
const labelPattern = (label: string) =>
  new RegExp(
    plain(label)
      .split(/\{\w+\}/)
      .map(escapeRegExp)
      .join(".+?"),
  );

/** Where in the catalogue an item's copy is written: `samples/catalogue.yaml:191:9`. */
export type ItemLocator = (id: string, path: readonly (string | number)[]) => string;

/** Reads the catalogue file again for line and column; one that cannot be read points at its name. */
export function catalogueLocator(file: string): ItemLocator {
  let parsed: ReturnType<typeof parseYaml> | undefined;
  try {
    parsed = parseYaml(file, readFileSync(file, "utf8"), "OMD_CATALOGUE_SYNTAX");
  } catch {
    parsed = undefined;
  }
  if (!parsed?.ok) return () => file;
  const { value, locate } = parsed.value;
  const items = (value as { items?: { id?: unknown }[] }).items ?? [];
  return (id, path) => {
    const index = items.findIndex((i) => i?.id === id);
    return index < 0 ? file : locate.node(["items", index, ...path]);
  };
}

export interface CopyLint {
  pkg: TemplatePackage;
  catalogue: Catalogue;
  locateItem: ItemLocator;
}

/** The words an item says in one channel. */
function wordsIn(item: ViewItem, channel: Channel): string {
  if (channel === "sms") return item.sms ?? "";
  const words = channel === "print" ? item.print : item.email;
  return `${words.headline} ${words.body}`;
}

/** Only paper draws a code: for an item marked `qr` that has a link to put in it. */
const hasCode = (item: ViewItem, channel: Channel) => channel === "print" && item.qr === true && !!item.cta;

function codeProblems(c: Composition, lint: CopyLint): Problem[] {
  const problems: Problem[] = [];
  const items = [c.view.offers.hero, ...c.view.offers.secondary, ...c.view.offers.notices].filter(
    (i): i is ViewItem => !!i,
  );
  for (const item of items) {
    for (const channel of item.channels) {
      const words = wordsIn(item, channel);
      if (!SCAN.test(words) || hasCode(item, channel)) continue;
      const source = lint.catalogue.items.find((i) => i.id === item.id);
      const language = source?.copy[c.view.language] ? c.view.language : "en";
      const field = channel === "sms" ? "sms" : source?.copy[language]?.[channel] ? channel : "body";
      problems.push(
        problem(
          "OMD_COPY_NO_CODE",
          `item ${item.id} asks ${language} readers to scan a code in the ${channel === "print" ? "statement" : channel}, which has none for it: "${plain(
            words,
          )
            .match(/[^.!?]*\b(?:scan\w*|QR)\b[^.!?]*[.!?]?/i)?.[0]
            .trim()}"`,
          lint.locateItem(item.id, ["copy", language, field]),
          channel === "print"
            ? "mark the item qr: true and give it a cta, or reword it"
            : `give it its own ${channel === "sms" ? "sms text" : `${channel}: body`} without the code`,
        ),
      );
    }
  }
  // The template's own words: the rendered text less what the items said.
  const texts: [string | undefined, "email" | "sms", Channel][] = [
    [c.email?.text, "email", "email"],
    [c.sms?.text, "sms", "sms"],
  ];
  for (const [text, name, channel] of texts) {
    if (text === undefined) continue;
    // A link is not copy: a tracked link's token may well spell "QR" between its dashes.
    let rest = plain(text).replace(/\bhttps?:\/\/[^\s>)]+/g, "");
    for (const item of items)
      for (const part of wordsIn(item, channel).split(/(?<=[.!?])\s+/)) rest = rest.replace(plain(part), "");
    if (SCAN.test(rest))
      problems.push(
        problem(
          "OMD_COPY_NO_CODE",
          `the ${name} asks the reader to scan a code, and ${name === "email" ? "an email" : "a text"} carries none`,
          `${lint.pkg.dir}/${lint.pkg.manifest.channels[name]?.file}`,
        ),
      );
  }
  return problems;
}

/** The billed month (the one the period ends in) when the profile has no reading for it, or reads it as zero. */
function unreadMonth(profile: Profile): { month: string; reading: "zero" | "missing" } | undefined {
  const month = profile.account.periodEnd.slice(0, 7);
  const m = profile.usage.monthly.find((x) => x.month === month);
  if (!m) return { month, reading: "missing" };
  return m.value === 0 ? { month, reading: "zero" } : undefined;
}

function usageProblems(c: Composition, profile: Profile, lint: CopyLint): Problem[] {
  const unread = unreadMonth(profile);
  if (!unread) return [];
  const labels = lint.pkg.locales[c.view.language] ?? {};
  const patterns = COMPARISONS.filter((k) => typeof labels[k] === "string").map((k) => labelPattern(labels[k]));
  const texts: [string | undefined, string][] = [
    [c.view.usage.summary, `${lint.pkg.dir}/locales/${c.view.language}.yaml`],
    [c.email?.text, `${lint.pkg.dir}/${lint.pkg.manifest.channels.email?.file}`],
    [c.sms?.text, `${lint.pkg.dir}/${lint.pkg.manifest.channels.sms?.file}`],
  ];
  const problems: Problem[] = [];
  for (const [text, at] of texts) {
    if (!text) continue;
    const claim = patterns.map((p) => p.exec(plain(text))?.[0]).find(Boolean);
    if (claim)
      problems.push(
        problem(
          "OMD_COPY_USAGE_CLAIM",
          `${unread.month} ${unread.reading === "zero" ? "reads zero" : "has no reading"}, yet the text compares it with similar homes: "${claim}"`,
          at,
          "say the month has no reading (usageSummaryMissing) or none was used (usageSummaryZero)",
        ),
      );
  }
  return problems;
}

/** Both checks for one composed customer. */
export function copyProblems(c: Composition, profile: Profile, lint: CopyLint): Problem[] {
  return [...codeProblems(c, lint), ...usageProblems(c, profile, lint)];
}
