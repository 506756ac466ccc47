import type { FastifyRequest } from "fastify";
import type { AuditEntry } from "../archive/index.ts";
import type { ServerContext } from "./context.ts";

/** Who (the key's name) did what (read or write) to whose data, by which route, when (the server's clock). */
export function auditEntry(
  ctx: ServerContext,
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
export function auditRead(ctx: ServerContext, request: FastifyRequest, customerId: string, documentId?: string) {
  return ctx.archive.audit([auditEntry(ctx, request, customerId, "read", documentId)]);
}
