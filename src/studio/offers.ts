import { writeFileSync } from "node:fs";
import type { Problem, World } from "../core/index.ts";
import { type Catalogue, parseCatalogue } from "../decide/index.ts";
import type { Engine } from "../engine.ts";
import {
  type FieldPlace,
  type OfferFields,
  type OfferForm,
  applyOfferEdit,
  fieldAt,
  listOffers,
  readOffer,
} from "./offer-yaml.ts";

/** A problem of an edited catalogue, placed in the form when it is about the item being edited. */
export type OfferProblem = Problem & Partial<FieldPlace>;

/** An item's fields applied to the catalogue on disk, and what the loader says of the result. */
export interface OfferDraft {
  /** The catalogue file (relative to the project) and its text with the edit. */
  file: string;
  text: string;
  /** Lines of the file the edit changes. */
  changedLines: number;
  problems: OfferProblem[];
  /** The edited catalogue, loaded, when it has no problems. */
  catalogue?: Catalogue;
}

/**
 * The studio's offer editor over the catalogue file the live engine reads: an item's fields, an edit applied
 * to the file's text in memory and checked by the catalogue loader itself, and the edit saved. The file is
 * read afresh each time, so an edit always applies to what a developer last saved.
 */
export class OfferEditor {
  constructor(
    private readonly world: World,
    readonly file: string,
  ) {}

  /** The project folder the catalogue's path is relative to. */
  get root(): string {
    return this.world.resolve(".");
  }

  private text(): string {
    return this.world.readText(this.file);
  }

  list(): ReturnType<typeof listOffers> {
    return listOffers(this.text());
  }

  read(id: string): OfferForm | undefined {
    return readOffer(this.text(), id);
  }

  /** The catalogue with item `id` edited, checked; undefined when there is no such item. */
  draft(id: string, fields: OfferFields): OfferDraft | undefined {
    const original = this.text();
    const text = applyOfferEdit(original, id, fields);
    if (text === undefined) return undefined;
    const loaded = parseCatalogue(this.file, text);
    const problems = loaded.ok ? [] : loaded.problems.map((p) => ({ ...p, ...fieldAt(text, id, this.file, p.at) }));
    return {
      file: this.file,
      text,
      changedLines: changedLines(original, text),
      problems,
      ...(loaded.ok && { catalogue: loaded.value }),
    };
  }

  /** Writes a draft that loads to the catalogue file: the live engine rebuilds from it as from any save. */
  save(draft: OfferDraft): void {
    writeFileSync(this.world.resolve(draft.file), draft.text);
  }
}

/** The engine with another catalogue: the templates never read the catalogue, only `compose` does. */
export function draftEngine(engine: Engine, catalogue: Catalogue): Engine {
  return Object.freeze({ ...engine, catalogue });
}

/** How many lines differ between two texts, after their common start and end. */
function changedLines(a: string, b: string): number {
  const x = a.split("\n");
  const y = b.split("\n");
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  return Math.max(x.length, y.length) - start - end;
}
