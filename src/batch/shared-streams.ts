import { createHash } from "node:crypto";
import { PDFArray, type PDFContext, PDFDict, type PDFObject, PDFRef, PDFStream } from "pdf-lib";

/**
 * Byte-identical streams of a print batch stored once. Statements share most of their font programs (shared
 * subsets carry a tag made from the program, so equal programs also have equal names), ToUnicode maps and
 * images; pdf-lib copies every one per statement. After each statement is copied in, a new stream equal to
 * one already in the file (same dictionary, references to streams compared by content, same bytes) is
 * dropped and what pointed at it points at the first copy.
 */
export class SharedStreams {
  /** The first stream of each content key. */
  private readonly firstOf = new Map<string, PDFRef>();
  /** Content key of each stream being shared (copied streams reference only streams copied with them). */
  private readonly keys = new Map<PDFRef, string>();
  /** Objects up to this number were shared already; pdf-lib numbers new objects upwards. */
  private done = 0;

  constructor(private readonly context: PDFContext) {}

  /** Shares the streams added since the last call. */
  share(): void {
    const added: [PDFRef, PDFObject][] = [];
    for (let n = this.done + 1; n <= this.context.largestObjectNumber; n++) {
      const ref = PDFRef.of(n);
      const object = this.context.lookup(ref);
      if (object) added.push([ref, object]);
    }
    const moved = new Map<PDFRef, PDFRef>();
    for (const [ref, object] of added) {
      if (!(object instanceof PDFStream)) continue;
      const key = this.keyOf(ref, object);
      const first = this.firstOf.get(key);
      if (first) moved.set(ref, first);
      else this.firstOf.set(key, ref);
    }
    for (const [ref, object] of added) {
      if (moved.has(ref)) this.context.delete(ref);
      else repoint(object, moved);
    }
    this.done = this.context.largestObjectNumber;
    this.keys.clear();
  }

  private keyOf(ref: PDFRef, stream: PDFStream): string {
    const known = this.keys.get(ref);
    if (known) return known;
    // A placeholder while the dictionary is read: a stream that (indirectly) names itself is kept as it is.
    this.keys.set(ref, ref.toString());
    const key = createHash("sha256")
      .update(this.describe(stream.dict))
      .update("\nstream\n")
      .update(stream.getContents())
      .digest("base64");
    this.keys.set(ref, key);
    return key;
  }

  /** `value` as text, a stream it references by its content key, any other object by its reference. */
  private describe(value: PDFObject): string {
    if (value instanceof PDFRef) {
      const target = this.context.lookup(value);
      return target instanceof PDFStream ? `{${this.keyOf(value, target)}}` : value.toString();
    }
    if (value instanceof PDFDict)
      return `<<${value
        .entries()
        .map(([name, v]) => `${name.toString()} ${this.describe(v)}`)
        .sort()
        .join(" ")}>>`;
    if (value instanceof PDFArray)
      return `[${value
        .asArray()
        .map((v) => this.describe(v))
        .join(" ")}]`;
    return value.toString();
  }
}

/** Points every reference in `object` (nested dictionaries and arrays too) that `moved` names to its target. */
function repoint(object: PDFObject, moved: ReadonlyMap<PDFRef, PDFRef>): void {
  if (object instanceof PDFStream) repoint(object.dict, moved);
  else if (object instanceof PDFDict)
    for (const [name, value] of object.entries()) {
      const to = value instanceof PDFRef ? moved.get(value) : undefined;
      if (to) object.set(name, to);
      else repoint(value, moved);
    }
  else if (object instanceof PDFArray)
    for (let i = 0; i < object.size(); i++) {
      const value = object.get(i);
      const to = value instanceof PDFRef ? moved.get(value) : undefined;
      if (to) object.set(i, to);
      else repoint(value, moved);
    }
}
