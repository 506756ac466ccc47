/**
 * The archive: every document a batch run or the API renders, for the single customer view.
 *
 *   const archive = await openArchive(archiveUrl(flags.archive));   // Result<Archive>
 *   await archive.value.recordMany(documents);                      // one transaction per batch of documents
 *   await archive.value.close();
 */
export { documentId } from "./archive.ts";
export { DEFAULT_ARCHIVE_URL, archiveUrl, openArchive, parseArchiveUrl, redact } from "./open.ts";
export { ArchiveUnavailableError } from "./unavailable.ts";
export type {
  Archive,
  ArchivedDocument,
  AuditEntry,
  ClaimOutcome,
  DocumentInput,
  InteractionReceipt,
  ListOptions,
  ProfileSource,
  RequestClaim,
  StoredResponse,
} from "./types.ts";
