import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProblemError } from "../core/index.ts";
import { RELEASE_FOLDER_ENGINE } from "../engine-files.ts";
import { type EngineOptions, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import { type SampleFiles, loadSampleSet } from "../studio/samples.ts";
import { materialise, readReleaseContent } from "./content.ts";
import { renderProofSet } from "./proof-set.ts";
import type { ProofSet, ReleaseContent } from "./types.ts";

/**
 * What proposing a template sends to review: its content as the project's files are now, and the proof set
 * rendered by an engine built from that very content (written out to a folder of its own), so what the
 * reviewer sees is what would be released, even should the project's files change meanwhile.
 */
export async function readProposal(
  root: string,
  options: EngineOptions,
  template: string,
  runDate: string,
  samples: Partial<SampleFiles> = {},
): Promise<{ content: ReleaseContent; proof: ProofSet }> {
  const content = await readReleaseContent(root, options, template);
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-proposal-"));
  try {
    materialise(content, dir);
    const built = await buildEngine(nodeWorld(dir), { ...options, ...RELEASE_FOLDER_ENGINE });
    if (!built.ok) throw new ProblemError(built.problems);
    const proof = await renderProofSet(built.value, template, runDate, loadSampleSet(nodeWorld(root), samples));
    return { content, proof };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
