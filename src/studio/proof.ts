import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import type { SmsOutput } from "../channels/channel.ts";
import type { Problem } from "../core/index.ts";
import { compose } from "../compose.ts";
import type { Engine } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import { type PreviewService, THUMBNAIL_DPI, templateChannels } from "./preview.ts";

/** The most customers one proof sheet holds: each is composed, and the sheet is made in one task. */
export const MAX_PROOF_CUSTOMERS = 200;

/** One customer on the proof sheet: the first page of the statement and the SMS, from one decision. */
export interface ProofCard {
  id: string;
  hero?: string;
  pages?: number;
  pageUrl?: string;
  sms?: Pick<SmsOutput, "text" | "encoding" | "segments">;
  problems: Problem[];
}

/** The print and SMS channels of a template: what a proof sheet shows. */
function proofChannels(engine: Engine, template: string): ChannelName[] {
  return templateChannels(engine, template).filter((c) => c === "pdf" || c === "sms");
}

export async function proofCard(
  previews: PreviewService,
  engine: Engine,
  template: string,
  runDate: string,
  profile: Profile,
): Promise<ProofCard> {
  const r = await previews.compose(profile, template, runDate, proofChannels(engine, template));
  if (!r.ok) return { id: profile.id, problems: r.problems };
  const c = r.value;
  const card: ProofCard = { id: profile.id, hero: c.decision.slots.hero[0]?.copy.headline, problems: c.problems };
  if (c.sms) card.sms = { text: c.sms.text, encoding: c.sms.encoding, segments: c.sms.segments };
  if (c.pdf) {
    const { id } = previews.keepPdf(c.pdf.bytes, c.pdf.pages, THUMBNAIL_DPI, true);
    card.pages = c.pdf.pages;
    card.pageUrl = `api/pdf/${id}/${THUMBNAIL_DPI}/1.jpg`;
  }
  return card;
}

/**
 * The proof as one PDF: the first page of every customer's statement, in order, each stamped in the margin with
 * the customer id and why it is on the proof, so a reviewer can print it and mark it up. Runs in a studio worker.
 */
export async function proofPdf(
  engine: Engine,
  template: string,
  runDate: string,
  customers: { profile: Profile; label: string }[],
): Promise<{ bytes: Uint8Array; problems: Problem[] }> {
  const proof = await PDFDocument.create();
  const font = await proof.embedFont(StandardFonts.Helvetica);
  const problems: Problem[] = [];
  proof.setTitle(`Proof: ${template}, run ${runDate}`);
  // Dates inside the file come from the run, so the same proof gives the same bytes.
  const runDay = new Date(`${runDate}T00:00:00Z`);
  proof.setCreationDate(runDay);
  proof.setModificationDate(runDay);
  for (const { profile, label } of customers) {
    const r = await compose(engine, profile, { template, runDate, channels: ["pdf"] });
    if (!r.ok || !r.value.pdf) {
      problems.push(...(r.ok ? r.value.problems : r.problems));
      continue;
    }
    const source = await PDFDocument.load(r.value.pdf.bytes);
    const [page] = await proof.copyPages(source, [0]);
    proof.addPage(page);
    const stamp = ascii(`${profile.id} · ${label} · page 1 of ${source.getPageCount()}`);
    page.drawText(stamp, { x: 18, y: 8, size: 7, font, color: rgb(0.45, 0.45, 0.5) });
  }
  return { bytes: await proof.save({ useObjectStreams: true }), problems };
}

/** The standard PDF font encodes Latin-1 only; a stamp is ids and labels, so anything else becomes `?`. */
const ascii = (s: string) => s.replace(/·/g, "-").replace(/[^\x20-\x7E]/g, "?");
