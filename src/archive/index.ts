/**
 * The archive: every document a batch run or the API renders, for the single customer view.
 *
 *   const archive = await openArchive(archiveUrl(flags.archive));   // Result<Archive>
 *   await archive.value.recordMany(documents);                      // one transaction per batch of documents
 *   await archive.value.close();
 */
export { decisionId, deliveryId, documentId } from "./archive.ts";
export { DEFAULT_ARCHIVE_URL, archiveUrl, openArchive, parseArchiveUrl, redact } from "./open.ts";
export { ArchiveUnavailableError } from "./unavailable.ts";
export type {
  Archive,
  ArchivedDocument,
  AuditEntry,
  ClaimOutcome,
  CustomerResponse,
  CustomerResponseKind,
  DecisionInput,
  DecisionItemInput,
  DecisionItemOfRecord,
  DecisionOfRecord,
  DecisionTraceEntry,
  Delivery,
  DeliveryChange,
  DeliveryChannel,
  DeliveryInput,
  DeliveryState,
  DeliveryStep,
  DocumentInput,
  HistoryOptions,
  InteractionReceipt,
  LinkPurpose,
  LinkToken,
  ListOptions,
  OfferStats,
  OfferStatsFilter,
  ProfileSource,
  RequestClaim,
  ResolvedLink,
  ResponseReceipt,
  StoredResponse,
  Suppression,
} from "./types.ts";
