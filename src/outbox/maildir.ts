import { readFile, readdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { problem } from "../core/index.ts";
import { type BounceHandlers, takeBounce } from "./bounce-server.ts";
import { headerOf } from "./fields.ts";
import { deliveryIdOf } from "./verp.ts";

/**
 * Takes the bounces waiting in a Maildir (for a bounce domain whose mail a mail server stores): each file of
 * `new/`, oldest name first, is read and then moved to `cur/` as seen. A file whose report could not be
 * recorded (onReport threw) stays in `new/` and the error is thrown, so the next call tries it again.
 * Resolves to the number of files moved.
 */
export async function readMailbox(dir: string, to: BounceHandlers): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(join(dir, "new"))).filter((name) => !name.startsWith(".")).sort();
  } catch (e) {
    to.onProblem(problem("OMD_BOUNCE_MAILBOX", (e as Error).message, join(dir, "new")));
    return 0;
  }
  let moved = 0;
  for (const name of names) {
    const path = join(dir, "new", name);
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (e) {
      to.onProblem(problem("OMD_BOUNCE_MAILBOX", (e as Error).message, path));
      continue;
    }
    await takeBounce(raw, envelopeRecipient(raw), to);
    try {
      await rename(path, join(dir, "cur", `${name}:2,S`));
      moved++;
    } catch (e) {
      to.onProblem(problem("OMD_BOUNCE_MAILBOX", (e as Error).message, path));
    }
  }
  return moved;
}

/** The bounce address the message was delivered to, as the delivering server wrote it on top. */
function envelopeRecipient(raw: Uint8Array): string | undefined {
  const header = headerOf(raw);
  return [header.get("x-original-to"), header.get("delivered-to")].find(
    (address) => address !== undefined && deliveryIdOf(address) !== undefined,
  );
}
