import type { FastifyRequest } from "fastify";
import type { Archive, AuditEntry } from "../archive/index.ts";

/** What recording an audit entry needs of the server's context. */
interface Auditing {
  archive: Archive;
  now: () => Date;
}

/** Who (the key's name) did what (read or write) to whose data, by which route, when (the server's clock). */
export function auditEntry(
  ctx: Auditing,
  request: FastifyRequest,
  customerId: string,
  action: AuditEntry["action"],
  documentId?: string,
): AuditEntry {
  return {
    at: ctx.now().toISOString(),
    keyName: request.apiKey?.name ?? "",
    route: `${request.method} ${request.routeOptions.url}`,
    customerId,
    action,
    ...(documentId !== undefined && { documentId }),
  };
}

/** Records a read before the data is answered: if it cannot be recorded, nothing is read. */
export function auditRead(ctx: Auditing, request: FastifyRequest, customerId: string, documentId?: string) {
  return ctx.archive.audit([auditEntry(ctx, request, customerId, "read", documentId)]);
}
