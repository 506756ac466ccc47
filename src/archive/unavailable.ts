/**
 * The archive's database cannot be reached (down, restarting, refusing connections, locked): the state of a
 * dependency, not a bug, so a caller can answer "try again later" instead of failing.
 */
export class ArchiveUnavailableError extends Error {
  constructor(
    readonly kind: "sqlite" | "postgres",
    override readonly cause: unknown,
  ) {
    super(`the archive database (${kind}) is unreachable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "ArchiveUnavailableError";
  }
}
