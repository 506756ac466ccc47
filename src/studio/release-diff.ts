import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Archive } from "../archive/index.ts";
import { ProblemError, type Problem, problem, sha256Hex } from "../core/index.ts";
import type { Engine } from "../engine.ts";
import { diffDocuments, engineOfFolder } from "../releases/index.ts";
import { releaseFolder } from "../releases/production.ts";
import type { DocumentDiff, ImageDiff, Release } from "../releases/types.ts";
import { Lru } from "./lru.ts";
import type { SampleSet } from "./samples.ts";

/** An image of a comparison as the page loads it: by URL, not bytes. */
export interface ImageShown {
  page: number;
  changedPixels: number;
  base?: string;
  next?: string;
  highlighted?: string;
}

/** One customer's comparison as the page shows it: word diffs as they are, images by URL. */
export type DocumentDiffShown = Omit<DocumentDiff, "pdf" | "email"> & {
  pdf?: { basePages: number; nextPages: number; pages: ImageShown[] };
  email?: Omit<NonNullable<DocumentDiff["email"]>, "screenshot"> & { screenshot?: ImageShown };
};

/**
 * A release's documents against the template's released version, over the curated sample customers
 * (`diffDocuments`): each version built from its own release folder, written once under a folder of this
 * studio's. The images are kept by content hash for the page to load, as the preview's are.
 */
export class ReleaseComparer {
  private readonly images = new Lru<string, Uint8Array>(256);
  /** Release folders, written once each, made at the first comparison and removed with the studio. */
  private cache?: string;

  constructor(
    private readonly archive: Archive,
    private readonly samples: SampleSet,
  ) {}

  async compare(
    release: Release,
    released: Release | undefined,
    runDate: string,
  ): Promise<{ against: string; documents: DocumentDiffShown[]; problems: Problem[] }> {
    if (!released || released.id === release.id)
      throw new ProblemError([
        problem(
          "OMD_RELEASE_REQUIRED",
          released
            ? `release ${release.id.slice(0, 8)} is the released version of ${release.template}: nothing to compare it with`
            : `${release.template} has no released version to compare release ${release.id.slice(0, 8)} with`,
          release.id,
          "publish a release of the template first",
        ),
      ]);
    const [base, next] = await Promise.all([released.id, release.id].map((id) => this.engineOf(id)));
    const diffs = await diffDocuments(base, next, release.template, this.samples, runDate);
    return { against: released.id, documents: diffs.documents.map((d) => this.shown(d)), problems: diffs.problems };
  }

  image(id: string): Uint8Array | undefined {
    return this.images.get(id);
  }

  close(): void {
    if (this.cache) rmSync(this.cache, { recursive: true, force: true });
  }

  private async engineOf(id: string): Promise<Engine> {
    this.cache ??= mkdtempSync(join(tmpdir(), "omnidoc-studio-releases-"));
    const built = await engineOfFolder(await releaseFolder(this.archive, id, this.cache));
    if (!built.ok) throw new ProblemError(built.problems);
    return built.value;
  }

  private shown(d: DocumentDiff): DocumentDiffShown {
    const { pdf, email, ...rest } = d;
    return {
      ...rest,
      ...(pdf && { pdf: { ...pdf, pages: pdf.pages.map((p) => this.keep(p)) } }),
      ...(email && { email: { ...email, screenshot: email.screenshot && this.keep(email.screenshot) } }),
    };
  }

  private keep(image: ImageDiff): ImageShown {
    const url = (png?: Uint8Array) => {
      if (!png) return undefined;
      const id = sha256Hex(png).slice(0, 24);
      this.images.set(id, png);
      return `api/diff-images/${id}.png`;
    };
    return {
      page: image.page,
      changedPixels: image.changedPixels,
      base: url(image.base),
      next: url(image.next),
      highlighted: url(image.highlighted),
    };
  }
}
