import { userInfo } from "node:os";
import type { Command } from "commander";
import type { Archive } from "../archive/index.ts";
import { ProblemError, type Result } from "../core/index.ts";
import type { ReleaseDesk } from "../releases/desk.ts";
import type { ProofSet, Release } from "../releases/types.ts";
import type { CliContext, CliOutput } from "./context.ts";
import { table } from "./customer.ts";
import { CliError, EXIT } from "./errors.ts";
import {
  type EngineFlags,
  PACKAGE_ROOT,
  engineOptions,
  parseDate,
  requireSigningKeys,
  withEngineFlags,
} from "./shared.ts";

const ARCHIVE_HELP = "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)";

interface DeskFlags {
  archive?: string;
  as?: string;
  comment?: string;
  json?: boolean;
}

interface ProposeFlags extends DeskFlags, EngineFlags {
  template?: string;
  date?: string;
  samples?: string;
  interactions?: string;
  responses?: string;
}

/**
 * `omnidoc release …`: a template version goes from the project's files to production through the archive:
 * proposed with its proof set, approved by another person who saw that proof set, published, and retired or
 * rolled back by publishing the one before. Returns the `release` command so other subcommands can join it.
 */
export function registerRelease(program: Command, ctx: CliContext): Command {
  const release = program
    .command("release")
    .description("propose, approve, publish and roll back template versions; export and import them as folders");
  const person = (c: Command) =>
    c
      .option("-a, --archive <url>", ARCHIVE_HELP)
      .option("--as <name>", "who does it, as the release's steps record (default: your login name)");

  const command = person(release.command("propose"))
    .description("render the proof set of the project's files for a template and send them to review")
    .requiredOption("-t, --template <id>", "template id, e.g. energy-bill")
    .option("-d, --date <YYYY-MM-DD>", "run date the proof set is rendered for (default: today)")
    .option("--comment <text>", "a note for the reviewer")
    .option("--samples <file>", "sample customers, NDJSON (default: samples/customers-200.ndjson)")
    .option("--interactions <file>", "their interactions (default: samples/interactions.ndjson)")
    .option("--responses <file>", "their responses (default: samples/responses.ndjson)");
  withEngineFlags(command)
    .option("--json", "print the release as JSON")
    .action((flags: ProposeFlags) =>
      withDesk(flags, async (desk) => {
        requireSigningKeys();
        const { content, proof } = await proofOfProject(flags);
        const proposed = settled(await desk.propose(content, proof, actor(flags)));
        print(ctx.io.stdout, flags, proposed, () =>
          [
            `proposed   ${proposed.id} (${proposed.template} ${proposed.templateVersion}) by ${actor(flags).name}`,
            proofLine(proof),
            ...proof.problems.map((p) => `           ${p.code}: ${p.message}`),
          ].join("\n"),
        );
      }),
    );

  person(release.command("approve"))
    .description("approve a release in review, naming the proof set you saw (another person than its proposer)")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .requiredOption("--seen <hash>", "the hash of the proof set you looked at (omnidoc release show prints it)")
    .option("--comment <text>", "a note")
    .option("--json", "print the release as JSON")
    .action((id: string, flags: DeskFlags & { seen: string }) =>
      withDesk(flags, async (desk) => {
        const approved = settled(await desk.approve(id, { ...actor(flags), seen: flags.seen }));
        print(ctx.io.stdout, flags, approved, () => `approved   ${approved.id} (${approved.template})`);
      }),
    );

  person(release.command("reject"))
    .description("turn down a release in review, saying what to change")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .requiredOption("--comment <text>", "what to change")
    .option("--json", "print the release as JSON")
    .action((id: string, flags: DeskFlags) =>
      withDesk(flags, async (desk) => {
        const rejected = settled(await desk.reject(id, { ...actor(flags), comment: flags.comment as string }));
        print(ctx.io.stdout, flags, rejected, () => `rejected   ${rejected.id} (${rejected.template})`);
      }),
    );

  person(release.command("publish"))
    .description("make an approved release the template's released one (a retired one again: a rollback)")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .option("--comment <text>", "a note")
    .option("--json", "print the release as JSON")
    .action((id: string, flags: DeskFlags) =>
      withDesk(flags, async (desk) => {
        const { release: published, retired } = settled(await desk.publish(id, actor(flags)));
        print(ctx.io.stdout, flags, published, () =>
          [
            `released   ${published.id} (${published.template} ${published.templateVersion})`,
            ...(retired ? [`retired    ${retired.id} (${retired.templateVersion})`] : []),
          ].join("\n"),
        );
      }),
    );

  person(release.command("retire"))
    .description("retire a release: its template has no released version until another is published")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .option("--comment <text>", "a note")
    .option("--json", "print the release as JSON")
    .action((id: string, flags: DeskFlags) =>
      withDesk(flags, async (desk) => {
        const retired = settled(await desk.retire(id, actor(flags)));
        print(ctx.io.stdout, flags, retired, () => `retired    ${retired.id} (${retired.template})`);
      }),
    );

  release
    .command("list")
    .description("the archive's releases, newest first")
    .option("-a, --archive <url>", ARCHIVE_HELP)
    .option("-t, --template <id>", "only this template's")
    .option("--state <state>", "only those in this state: draft, review, approved, released, retired, rejected")
    .option("--json", "print the releases as JSON")
    .action((flags: DeskFlags & { template?: string; state?: string }) =>
      withDesk(flags, async (desk) => {
        const { RELEASE_STATES } = await import("../releases/types.ts");
        const state = RELEASE_STATES.find((s) => s === flags.state);
        if (flags.state !== undefined && state === undefined)
          throw new CliError(`--state must be one of ${RELEASE_STATES.join(", ")}, not "${flags.state}"`, EXIT.usage);
        const releases = await desk.list({ template: flags.template, state });
        print(ctx.io.stdout, flags, releases, () => listTable(releases));
      }),
    );

  release
    .command("show")
    .description("one release: its state, every step, and its proof set with the hash an approver names")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .option("-a, --archive <url>", ARCHIVE_HELP)
    .option("--json", "print the release and its proof set (without the documents' bytes) as JSON")
    .action((id: string, flags: DeskFlags) =>
      withDesk(flags, async (desk, archive) => {
        const found = settled(await desk.find(id));
        const proof = await archive.releaseProof(found.id);
        const shown = { ...found, ...(proof && { proof: { ...proof, documents: proof.documents.map(withoutBytes) } }) };
        print(ctx.io.stdout, flags, shown, () => showText(found, proof));
      }),
    );

  release
    .command("export")
    .description("write a release as a plain folder: release.json, files/ and proof/")
    .argument("<id>", "release id, or 8 or more of its first characters")
    .requiredOption("-o, --out <dir>", "folder to write (created; must be empty or new)")
    .option("-a, --archive <url>", ARCHIVE_HELP)
    .action((id: string, flags: DeskFlags & { out: string }) =>
      withDesk(flags, async (desk, archive) => {
        const { existsSync, readdirSync } = await import("node:fs");
        if (existsSync(flags.out) && readdirSync(flags.out).length > 0)
          throw new CliError(`${flags.out} is not empty: export into a new folder`, EXIT.usage);
        const found = settled(await desk.find(id));
        const { exportRelease } = await import("../releases/folder.ts");
        await exportRelease(archive, found, flags.out);
        ctx.io.stdout.write(`exported   ${found.id} (${found.template}, ${found.state}) to ${flags.out}\n`);
      }),
    );

  release
    .command("import")
    .description("keep a release folder in the archive with its steps, every file checked against its hash")
    .argument("<dir>", "a folder `omnidoc release export` wrote")
    .option("-a, --archive <url>", ARCHIVE_HELP)
    .action((dir: string, flags: DeskFlags) =>
      withDesk(flags, async (_desk, archive) => {
        const { importRelease } = await import("../releases/folder.ts");
        const { created, release: kept } = await importRelease(archive, dir);
        ctx.io.stdout.write(
          `${created ? "imported" : "already kept"}   ${kept.id} (${kept.template} ${kept.templateVersion}, ${kept.state})\n`,
        );
      }),
    );
  return release;
}

/** Opens the archive and the desk over it for one command, and closes the archive after. */
async function withDesk(flags: DeskFlags, work: (desk: ReleaseDesk, archive: Archive) => Promise<void>): Promise<void> {
  const { archiveUrl, openArchive } = await import("../archive/index.ts");
  const { releaseDesk } = await import("../releases/desk.ts");
  const opened = await openArchive(archiveUrl(flags.archive));
  if (!opened.ok) throw new ProblemError(opened.problems);
  try {
    await work(
      releaseDesk(opened.value, () => new Date()),
      opened.value,
    );
  } finally {
    await opened.value.close();
  }
}

/** The project's files for the template and their proof set, as `readProposal` (releases/proposal.ts) makes them. */
async function proofOfProject(flags: ProposeFlags) {
  const { resolve } = await import("node:path");
  const { readProposal } = await import("../releases/proposal.ts");
  const runDate = parseDate(flags.date) ?? new Date().toISOString().slice(0, 10);
  return readProposal(PACKAGE_ROOT, engineOptions(flags), flags.template as string, runDate, {
    samples: flags.samples && resolve(flags.samples),
    interactions: flags.interactions && resolve(flags.interactions),
    responses: flags.responses && resolve(flags.responses),
  });
}

/** Who acts: `--as`, else the login name. */
function actor(flags: DeskFlags): { name: string; comment?: string } {
  const name = (flags.as ?? userInfo().username).trim();
  if (name === "") throw new CliError("--as needs a name", EXIT.usage);
  return { name, ...(flags.comment !== undefined && { comment: flags.comment }) };
}

/** The desk's answer, or its problems as the command's failure (exit 1). */
function settled<T>(r: Result<T>): T {
  if (!r.ok) throw new ProblemError(r.problems);
  return r.value;
}

function print(out: CliOutput, flags: DeskFlags, value: unknown, text: () => string): void {
  out.write(`${flags.json ? JSON.stringify(value, null, 2) : text()}\n`);
}

const withoutBytes = ({ bytes: _, ...d }: ProofSet["documents"][number]) => d;

function proofLine(proof: ProofSet): string {
  const customers = new Set(proof.documents.map((d) => d.customerId)).size;
  return `proof set  ${proof.hash} (${proof.documents.length} documents of ${customers} sample customers, run date ${proof.runDate}; ${proof.problems.length} problems)`;
}

function listTable(releases: readonly Release[]): string {
  if (releases.length === 0) return "no releases";
  const rows = releases.map((r) => {
    const last = r.steps.at(-1);
    return [
      r.id.slice(0, 12),
      r.template,
      r.templateVersion,
      r.state,
      `${last?.action} by ${last?.by}`,
      last?.at ?? "",
    ];
  });
  const n = `${releases.length} release${releases.length === 1 ? "" : "s"}`;
  return table(n, ["release", "template", "version", "state", "last step", "at"], rows);
}

function showText(r: Release, proof: ProofSet | undefined): string {
  const lines = [
    `release    ${r.id}`,
    `template   ${r.template} ${r.templateVersion}`,
    `state      ${r.state}`,
    ...(proof ? [proofLine(proof)] : ["proof set  none yet: proposing renders it"]),
    "",
    table(
      "steps",
      ["at", "action", "by", "from", "to", "note"],
      r.steps.map((s) => [
        s.at,
        s.action,
        s.by,
        s.from ?? "-",
        s.to,
        [s.comment, s.seen && `saw ${s.seen.slice(0, 12)}`].filter(Boolean).join("; ") || "-",
      ]),
    ),
  ];
  if (proof) {
    const rows = proof.documents.map((d) => [
      d.path,
      d.label,
      d.contentType,
      String(d.bytes.length),
      d.sha256.slice(0, 12),
    ]);
    lines.push("", table("proof documents", ["document", "sample", "type", "bytes", "sha256"], rows, 3));
    for (const p of proof.problems) lines.push(`problem    ${p.code}: ${p.message}`);
  }
  return lines.join("\n");
}
