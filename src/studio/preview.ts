import type { SmsOutput } from "../channels/channel.ts";
import type { Composition } from "../compose.ts";
import { type Problem, type Result, problem, sha256Hex } from "../core/index.ts";
import { type CustomerHistory, type Decision, NO_HISTORY } from "../decide/index.ts";
import type { Engine } from "../engine.ts";
import { type Profile, validateProfile } from "../profile/index.ts";
import { MAX_JSON_DEPTH, type RenderPool, jsonDepth } from "../server/index.ts";
import type { ChannelName } from "../templates/index.ts";
import { Lru } from "./lru.ts";
import { type ReadOptions, pageOf } from "./raster.ts";
import type { ComposeReply, DraftCatalogue, ProofReply, ReadReply, StudioTask } from "./worker-protocol.ts";
import type { LiveEngine } from "./workspace.ts";

/** Resolution of the preview pages (A4 at 993 px) and of the proof sheet's thumbnails (A4 at 496 px). */
export const PREVIEW_DPI = 120;
export const THUMBNAIL_DPI = 60;
/** The resolutions the studio's own pages use, the only ones whose images are kept. */
const KEPT_DPIS = new Set([PREVIEW_DPI, THUMBNAIL_DPI]);

/** Longest a preview, a page image or a proof may take in its worker before the worker is stopped. */
export const STUDIO_TASK_LIMITS_MS = { compose: 20_000, read: 30_000, proof: 120_000 } as const;
export type StudioTaskLimits = Record<keyof typeof STUDIO_TASK_LIMITS_MS, number>;

export interface PreviewRequest {
  template: string;
  runDate: string;
  /** The profile as the person typed it (JSON text), validated exactly as the engine validates an API body. */
  profileText: string;
}

/** Everything the page shows for one customer: one decision, every channel the template has. */
export interface Preview {
  engineVersion: number;
  /** Problems of the latest engine build: the preview below them comes from the last good engine. */
  engineProblems: Problem[];
  /** The profile does not validate: nothing was composed. */
  profileProblems: Problem[];
  /** The offer editor's draft of the catalogue does not load (each problem placed in the form): nothing was composed. */
  draftProblems?: (Problem & { field?: string; offset?: number })[];
  /** The customer is outside the template's audience (OMD_AUDIENCE_OUTSIDE, naming the rule): nothing was composed. */
  outside?: Problem;
  template?: string;
  channels?: ChannelName[];
  decision?: Decision;
  pdf?: { id: string; pages: number; pageUrls: string[]; pdfUrl: string; texts: string[] };
  email?: {
    id: string;
    to?: string;
    subject: string;
    preheader: string;
    htmlUrl: string;
    text: string;
    marketing: boolean;
  };
  sms?: SmsOutput & { characters: number };
  /** Channels that could not render for this customer (no mobile, a template that failed while merging). */
  problems: Problem[];
  warnings: Problem[];
  timings: { composeMs: number; pdfTextMs: number };
}

/** A parsed and validated profile, or the problems the engine would report for it. */
export function readProfileText(text: string): { profile?: Profile; problems: Problem[] } {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return {
      problems: [problem("OMD_API_BODY_TOO_DEEP", `the profile nests more than ${MAX_JSON_DEPTH} levels deep`)],
    };
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    return {
      problems: [
        problem("OMD_INPUT_NOT_JSON", `not valid JSON: ${(err as Error).message}`, jsonErrorAt(text, err as Error)),
      ],
    };
  }
  const r = validateProfile(record);
  return r.ok ? { profile: r.value, problems: [] } : { problems: r.problems };
}

/** `line 3 column 7` from the position V8 reports in a JSON syntax error (the end, when the text stops short). */
function jsonErrorAt(text: string, err: Error): string | undefined {
  const m = /position (\d+)/.exec(err.message);
  const position = m ? Number(m[1]) : /end of JSON input/.test(err.message) ? text.length : undefined;
  if (position === undefined) return undefined;
  const before = text.slice(0, position).split("\n");
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}

interface KeptPdf {
  pdf: Uint8Array;
  pages: number;
  /** Page images by resolution. */
  images: Map<number, Promise<Result<Buffer[]>>>;
  texts?: Promise<string[]>;
}

/**
 * Composes previews with the live engine and keeps what the page loads afterwards (page images, the email
 * HTML) by content hash, so an image URL always means the same bytes. Composing, drawing pages and proofs run
 * in the studio's worker pool with a time limit each: never on the event loop that answers the API.
 */
export class PreviewService {
  private readonly pages = new Lru<string, KeptPdf>(96);
  private readonly emails = new Lru<string, string>(64);

  /** The longest any studio request may take: the longest task limit, which counts once its worker is warm. */
  get longestTaskMs(): number {
    return Math.max(...Object.values(this.limitsMs));
  }

  constructor(
    private readonly live: LiveEngine,
    private readonly pool: RenderPool,
    private readonly limitsMs: StudioTaskLimits = STUDIO_TASK_LIMITS_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  private run<T>(task: StudioTask): Promise<T> {
    return this.pool.run<T>(task, this.limitsMs[task.kind]);
  }

  /** The preview of one customer, decided on the history `historyOf` gives for the customer's id (the sample set's). */
  async preview(
    req: PreviewRequest,
    historyOf: (customerId: string) => CustomerHistory = () => NO_HISTORY,
    catalogue?: DraftCatalogue,
  ): Promise<Preview> {
    const state = this.live.current();
    const base: Preview = {
      engineVersion: state.version,
      engineProblems: state.problems,
      profileProblems: [],
      problems: [],
      warnings: [],
      timings: { composeMs: 0, pdfTextMs: 0 },
    };
    const { profile, problems } = readProfileText(req.profileText);
    if (!profile) return { ...base, profileProblems: problems };
    if (!state.engine) return base;
    const started = this.clock();
    const composed = await this.compose(
      profile,
      req.template,
      req.runDate,
      templateChannels(state.engine, req.template),
      historyOf(profile.id),
      catalogue,
    );
    if (!composed.ok) {
      const outside = composed.problems.find((p) => p.code === "OMD_AUDIENCE_OUTSIDE");
      return outside ? { ...base, template: req.template, outside } : { ...base, problems: composed.problems };
    }
    const c = composed.value;
    const composeMs = this.clock() - started;
    const preview: Preview = {
      ...base,
      template: req.template,
      channels: templateChannels(state.engine, req.template),
      decision: c.decision,
      problems: c.problems,
      warnings: c.warnings,
    };
    if (c.email) {
      const { id, htmlUrl } = this.keepEmail(c.email.html);
      preview.email = {
        id,
        to: c.email.to,
        subject: c.email.subject,
        preheader: c.email.preheader,
        htmlUrl,
        text: c.email.text,
        marketing: c.email.marketing,
      };
    }
    if (c.sms) preview.sms = { ...c.sms, characters: [...c.sms.text].length };
    if (c.pdf) {
      const textStarted = this.clock();
      const { id, texts } = this.keepPdf(c.pdf.bytes, c.pdf.pages, PREVIEW_DPI);
      const pageTexts = await texts;
      preview.timings.pdfTextMs = Math.round(this.clock() - textStarted);
      const pages = pageTexts.length || c.pdf.pages;
      preview.pdf = { id, pages, ...pdfUrls(id, pages), texts: pageTexts };
    }
    preview.timings.composeMs = Math.round(composeMs);
    return preview;
  }

  /**
   * One composition with the channels asked for, through the same `compose` the batch run and the API use;
   * with `catalogue`, decided with that draft of the catalogue instead of the one on disk.
   */
  compose(
    profile: Profile,
    template: string,
    runDate: string,
    channels: ChannelName[],
    history: CustomerHistory = NO_HISTORY,
    catalogue?: DraftCatalogue,
  ): Promise<ComposeReply> {
    const engineVersion = this.live.current().engineVersion;
    return this.run<ComposeReply>({
      kind: "compose",
      engineVersion,
      template,
      runDate,
      profile,
      channels,
      history,
      ...(catalogue && { catalogue }),
    });
  }

  /** The proof sheet of `customers`, made in a worker (see proofPdf). */
  proof(template: string, runDate: string, customers: { profile: Profile; label: string }[]): Promise<ProofReply> {
    const engineVersion = this.live.current().engineVersion;
    return this.run<ProofReply>({ kind: "proof", engineVersion, template, runDate, customers });
  }

  /** Page images and texts drawn by pdf.js in a worker; a failed or refused drawing is not kept. */
  private read(
    pdf: Uint8Array,
    options: ReadOptions,
  ): { images?: Promise<Result<Buffer[]>>; texts?: Promise<string[]> } {
    // A PDF already drawn and read (the same document again) asks for nothing: no task, and none left unheard.
    if (options.dpi === undefined && !options.text) return {};
    const reading = this.run<ReadReply>({ kind: "read", pdf, ...options });
    const images =
      options.dpi === undefined
        ? undefined
        : reading.then((r) => {
            const drawn = r.images as Result<Uint8Array[]>;
            return drawn.ok ? { ok: true as const, value: drawn.value.map(asBuffer) } : drawn;
          });
    const texts = options.text ? reading.then((r) => r.texts ?? []) : undefined;
    return { images, texts };
  }

  /**
   * Remembers a PDF and starts rasterising it at `dpi` (the first page only for thumbnails), so the images are
   * ready by the time the page asks for them; answers its id and the text of its pages.
   */
  keepPdf(
    pdf: Uint8Array,
    pages: number,
    dpi: number,
    firstPageOnly = false,
  ): { id: string; texts: Promise<string[]> } {
    const id = sha256Hex(pdf).slice(0, 20);
    const kept: KeptPdf = this.pages.get(id) ?? { pdf, pages, images: new Map() };
    this.pages.set(id, kept);
    const reading = this.read(pdf, {
      dpi: kept.images.has(dpi) ? undefined : dpi,
      text: !firstPageOnly && !kept.texts,
      firstPageOnly,
    });
    if (reading.images) this.keepImages(kept, dpi, reading.images);
    if (reading.texts) {
      kept.texts = reading.texts;
      reading.texts.catch(() => {
        if (kept.texts === reading.texts) kept.texts = undefined;
      });
    }
    return { id, texts: kept.texts ?? Promise.resolve([]) };
  }

  /**
   * A page image (1-based), rasterising on demand when the PDF is known but not yet at this resolution; a
   * problem for a resolution or page out of range, nothing for an unknown PDF.
   */
  async pageImage(id: string, dpi: number, page: number): Promise<Result<Buffer> | undefined> {
    const kept = this.pages.get(id);
    if (!kept) return undefined;
    let images = kept.images.get(dpi);
    if (!images) {
      images = this.read(kept.pdf, { dpi }).images!;
      // Other resolutions are drawn for the request and not kept: one PDF at every resolution would be
      // hundreds of megabytes.
      if (KEPT_DPIS.has(dpi)) this.keepImages(kept, dpi, images);
    }
    const drawn = await images;
    return drawn.ok ? pageOf(drawn.value, page) : drawn;
  }

  /** Keeps the drawing of a page set while it is good: a refusal, a timeout or a problem is asked again. */
  private keepImages(kept: KeptPdf, dpi: number, images: Promise<Result<Buffer[]>>): void {
    kept.images.set(dpi, images);
    const forget = () => {
      if (kept.images.get(dpi) === images) kept.images.delete(dpi);
    };
    images.then((drawn) => drawn.ok || forget(), forget);
  }

  /** Keeps an email's HTML for the page's sandboxed frame, by content hash. */
  keepEmail(html: string): { id: string; htmlUrl: string } {
    const id = sha256Hex(html).slice(0, 20);
    this.emails.set(id, html);
    return { id, htmlUrl: `api/email/${id}` };
  }

  pdfBytes(id: string): Uint8Array | undefined {
    return this.pages.get(id)?.pdf;
  }

  emailHtml(id: string): string | undefined {
    return this.emails.get(id);
  }
}

/** Where the page loads a kept PDF's page images (at the preview's resolution) and the PDF itself. */
export function pdfUrls(id: string, pages: number): { pageUrls: string[]; pdfUrl: string } {
  return {
    pageUrls: Array.from({ length: pages }, (_, i) => `api/pdf/${id}/${PREVIEW_DPI}/${i + 1}.jpg`),
    pdfUrl: `api/pdf/${id}.pdf`,
  };
}

/** The channels a template declares, in the order the page shows them. */
export function templateChannels(engine: Engine, template: string): ChannelName[] {
  const declared = engine.templates.get(template)?.pkg.manifest.channels ?? {};
  return (["pdf", "email", "sms"] as const).filter((c) => c in declared);
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export type { Composition };
