/**
 * The archive's database cannot be reached (down, restarting, refusing connections, locked): the state of a
 * dependency, not a bug, so a caller can answer "try again later" instead of failing.
 */
export class ArchiveUnavailableError extends Error {
  constructor(
    readonly kind: "sqlite" | "postgres",
    override readonly cause: unknown,
  ) {
    // The cause (addresses, driver words) is for the log, not for whoever called.
    super(`the archive database (${kind}) is unreachable`);
    this.name = "ArchiveUnavailableError";
  }
}
