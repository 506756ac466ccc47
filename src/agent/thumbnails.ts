import { type Result, ok } from "../core/index.ts";
import { RenderPool } from "../server/index.ts";
import { Lru } from "../studio/lru.ts";

/** How long a thumbnail may take once its thread is warm, and how long an unused thread is kept. */
const DRAW_LIMIT_MS = 20_000;
const IDLE_MS = 5 * 60_000;
/** What the first thumbnail after a pause allows its thread to start and load pdf.js, on a loaded machine. */
const START_ALLOWANCE_MS = 60_000;

/**
 * First-page thumbnails of archived PDFs, drawn with pdf.js as the studio draws its pages, in one worker thread
 * that starts with the first thumbnail and stops after five minutes without one. An archived document never
 * changes (its bytes are named by their SHA-256), so the last thumbnails drawn are kept by that hash.
 */
export class Thumbnails {
  private readonly pool = new RenderPool(
    {},
    { workers: 1, queue: 32, killAfterMs: 0, idleMs: IDLE_MS },
    new URL("./thumbnail-worker.ts", import.meta.url),
  );
  private readonly drawn = new Lru<string, Uint8Array>(200);
  /** The longest a thumbnail's request may wait for its answer: longer than the server's idle timeout. */
  readonly longestMs = START_ALLOWANCE_MS + DRAW_LIMIT_MS;

  async firstPage(sha256: string, pdf: Uint8Array): Promise<Result<Uint8Array>> {
    const kept = this.drawn.get(sha256);
    if (kept) return ok(kept);
    const images = await this.pool.run<Result<Uint8Array[]>>({ pdf }, DRAW_LIMIT_MS);
    if (!images.ok) return images;
    this.drawn.set(sha256, images.value[0]);
    return ok(images.value[0]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
