import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Archive, Delivery } from "../archive/index.ts";
import { PRINT_DIR, batchName, postalSortKey, writePrintBatch } from "../batch/index.ts";

/** What one collection of the print queue wrote. */
export interface LetterBatch {
  /** The merged print file, relative to the folder, or undefined when no letter was waiting. */
  file?: string;
  letters: number;
  pages: number;
}

/**
 * Takes every letter waiting in the print queue (a triggered message whose other channels could not deliver
 * it) into one print batch in `dir`, sorted by postcode like a billing run's, with its index: the same files a
 * print house takes from a run. Each letter moves to `sending` before the file is written and to `sent` after,
 * so a letter is in one batch only; one the queue lost to a crash mid-write stays `sending`, in sight.
 */
export async function collectLetters(archive: Archive, dir: string, now: Date): Promise<LetterBatch> {
  const name = batchName(1);
  if (existsSync(join(dir, PRINT_DIR, `${name}.json`)))
    throw new Error(`${join(dir, PRINT_DIR)} already holds a print batch: give another folder`);
  const at = now.toISOString();
  const waiting = await archive.printQueue({ limit: 10_000 });
  const letters: { delivery: Delivery; postcode: string; path: string }[] = [];
  for (const folder of ["pdf", PRINT_DIR]) mkdirSync(join(dir, folder), { recursive: true });
  for (const delivery of waiting) {
    const stored = delivery.documentId ? await archive.get(delivery.documentId) : undefined;
    if (!stored) continue;
    if (!(await archive.moveDelivery(delivery.id, ["pending"], { state: "sending", at, attempt: true }))) continue;
    const path = join("pdf", `${delivery.id}.pdf`);
    writeFileSync(join(dir, path), stored.bytes);
    const profile = (await archive.lastProfile(delivery.customerId)) as
      | { contact?: { address?: { postcode?: string } } }
      | undefined;
    letters.push({ delivery, postcode: profile?.contact?.address?.postcode ?? "", path });
  }
  if (letters.length === 0) return { letters: 0, pages: 0 };
  const key = (l: (typeof letters)[number]) => `${postalSortKey(l.postcode)}\u0000${l.delivery.id}`;
  letters.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const pages = await writePrintBatch(
    dir,
    {
      number: 1,
      statements: letters.map((l, i) => ({
        id: l.delivery.customerId,
        line: i + 1,
        postcode: l.postcode,
        path: l.path,
        // Counted as the batch is merged.
        pages: 0,
      })),
    },
    at.slice(0, 10),
  );
  const file = join(PRINT_DIR, `${name}.pdf`);
  for (const l of letters)
    await archive.moveDelivery(l.delivery.id, ["sending"], {
      state: "sent",
      at,
      gateway: "print",
      detail: `in the print batch ${join(dir, file)}`,
    });
  return { file, letters: letters.length, pages };
}
