import type { EmailOutput, PdfOutput } from "../channels/channel.ts";
import { type Composition, compose } from "../compose.ts";
import { type Problem, type Result, formatProblem } from "../core/index.ts";
import type { CustomerHistory } from "../decide/index.ts";
import type { Engine } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import { visitPages } from "../studio/raster.ts";
import type { ChannelName } from "../templates/index.ts";
import { DEFAULT_CHROMIUM, type EmailCamera, openEmailCamera } from "./email-shot.ts";
import { type Picture, compareImages, pictureOfCanvas, pictureOfPng } from "./pixels.ts";
import type { DocumentDiff, ImageDiff } from "./types.ts";
import { wordDiff, wordsChanged } from "./words.ts";

/** A customer of the sample set, with why they are in it and what the relationship remembers of them. */
export interface DiffSample {
  label: string;
  profile: Profile;
  history?: CustomerHistory;
}

export interface DiffOptions {
  /** Chromium's executable, which shows the emails (default /usr/bin/chromium). */
  chromium?: string;
}

export interface DocumentDiffs {
  documents: DocumentDiff[];
  /**
   * What kept a comparison from being whole: Chromium missing (the emails are compared as words only), a
   * customer either version cannot compose, a channel that fails in one version only (at: the customer id).
   */
  problems: Problem[];
}

/**
 * Pages at 96 dpi: a changed word moves a few hundred pixels, and an A4 page is 0.75 million of them, drawn
 * and compared in a few tens of milliseconds.
 */
const DIFF_DPI = 96;

/**
 * Each sample customer's documents in the base version (the released one) against the new one, channel by
 * channel: PDF pages and the email's screenshot compared pixel by pixel with the changes highlighted, the
 * SMS, the email's subject and its text part word by word. A channel that is the same in both is reported
 * unchanged, with no images.
 */
export async function diffDocuments(
  base: Engine,
  next: Engine,
  template: string,
  samples: readonly DiffSample[],
  runDate: string,
  options: DiffOptions = {},
): Promise<DocumentDiffs> {
  const problems: Problem[] = [];
  const documents: DocumentDiff[] = [];
  // Chromium starts at the first email, once: its problem, if it cannot, is reported once.
  let camera: Promise<Result<EmailCamera>> | undefined;
  const emailCamera = async () => {
    if (!camera) {
      camera = openEmailCamera(options.chromium ?? DEFAULT_CHROMIUM);
      const opened = await camera;
      if (!opened.ok) problems.push(...opened.problems);
    }
    const opened = await camera;
    return opened.ok ? opened.value : undefined;
  };
  try {
    for (const sample of samples) {
      const id = sample.profile.id;
      const [was, is] = await Promise.all(
        [base, next].map((engine) => composeAll(engine, template, sample, runDate, problems)),
      );
      problems.push(...channelProblemsOfOne(was, is, id));
      const doc: DocumentDiff = { customerId: id, label: sample.label, unchanged: true };
      if (was?.pdf || is?.pdf) doc.pdf = await pdfDiff(was?.pdf, is?.pdf, id, problems);
      if (was?.email || is?.email) doc.email = await emailDiff(was?.email, is?.email, emailCamera);
      if (was?.sms || is?.sms) doc.sms = wordDiff(was?.sms?.text ?? "", is?.sms?.text ?? "");
      doc.unchanged = !changed(doc);
      documents.push(doc);
    }
  } finally {
    const opened = await camera;
    if (opened?.ok) await opened.value.close();
  }
  return { documents, problems };
}

/**
 * Every channel the version's template has, for the customer; undefined when it composes nothing for them (a
 * customer outside its audience gets no document, which the diff shows as channels only one version has).
 */
async function composeAll(
  engine: Engine,
  template: string,
  sample: DiffSample,
  runDate: string,
  problems: Problem[],
): Promise<Composition | undefined> {
  const compiled = engine.templates.get(template);
  if (!compiled) return undefined;
  const channels = Object.keys(compiled.channels) as ChannelName[];
  const c = await compose(engine, sample.profile, { template, channels, runDate, history: sample.history });
  if (c.ok) return c.value;
  const at = sample.profile.id;
  problems.push(...c.problems.filter((p) => p.code !== "OMD_AUDIENCE_OUTSIDE").map((p) => ({ ...p, at })));
  return undefined;
}

/**
 * A channel that fails in one version only is what the change broke (or mended); one failing in both is the
 * customer's own (no mobile, no email address) and not the change's.
 */
function channelProblemsOfOne(was: Composition | undefined, is: Composition | undefined, at: string): Problem[] {
  const key = (p: Problem) => formatProblem({ ...p, at: undefined });
  const before = new Set((was?.problems ?? []).map(key));
  const after = new Set((is?.problems ?? []).map(key));
  return [
    ...(was?.problems ?? []).filter((p) => !after.has(key(p))),
    ...(is?.problems ?? []).filter((p) => !before.has(key(p))),
  ].map((p) => ({ ...p, at }));
}

async function pdfDiff(
  was: PdfOutput | undefined,
  is: PdfOutput | undefined,
  at: string,
  problems: Problem[],
): Promise<NonNullable<DocumentDiff["pdf"]>> {
  const [before, after] = await Promise.all([pagesOf(was), pagesOf(is)]);
  for (const r of [before, after]) if (!r.ok) problems.push(...r.problems.map((p) => ({ ...p, at })));
  const basePages = before.ok ? before.value : [];
  const nextPages = after.ok ? after.value : [];
  const pages: ImageDiff[] = [];
  for (let n = 1; n <= Math.max(basePages.length, nextPages.length); n++)
    pages.push(await compareImages(n, basePages[n - 1], nextPages[n - 1]));
  return { basePages: was?.pages ?? 0, nextPages: is?.pages ?? 0, pages };
}

async function pagesOf(pdf: PdfOutput | undefined): Promise<Result<Picture[]>> {
  if (!pdf) return { ok: true, value: [] };
  return visitPages(pdf.bytes, DIFF_DPI, pictureOfCanvas);
}

async function emailDiff(
  was: EmailOutput | undefined,
  is: EmailOutput | undefined,
  camera: () => Promise<EmailCamera | undefined>,
): Promise<NonNullable<DocumentDiff["email"]>> {
  const diff: NonNullable<DocumentDiff["email"]> = {
    subject: wordDiff(was?.subject ?? "", is?.subject ?? ""),
    text: wordDiff(was?.text ?? "", is?.text ?? ""),
  };
  const shots = await camera();
  if (!shots) return diff;
  const picture = async (email?: EmailOutput) => (email ? pictureOfPng(await shots.shoot(email.html)) : undefined);
  diff.screenshot = await compareImages(1, await picture(was), await picture(is));
  return diff;
}

function changed(doc: DocumentDiff): boolean {
  const { pdf, email, sms } = doc;
  return (
    (pdf !== undefined && (pdf.basePages !== pdf.nextPages || pdf.pages.some((p) => p.changedPixels > 0))) ||
    (email !== undefined &&
      (wordsChanged(email.subject) || wordsChanged(email.text) || (email.screenshot?.changedPixels ?? 0) > 0)) ||
    (sms !== undefined && wordsChanged(sms))
  );
}
