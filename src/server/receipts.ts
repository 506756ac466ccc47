import type { FastifyReply } from "fastify";
import type { InteractionReceipt } from "../archive/index.ts";

/**
 * What recording a list of reports from another system answers (interactions, responses): each one sent with
 * status `added` or `existing`, in the order sent; 201 when any was added, 200 when none was.
 */
export function receiptsSchema(list: string) {
  return {
    type: "object",
    required: ["customerId", "added", "existing", list],
    properties: {
      customerId: { type: "string" },
      added: { type: "integer" },
      existing: { type: "integer" },
      [list]: {
        type: "array",
        description: "one per item sent, in the order sent",
        items: {
          type: "object",
          required: ["source", "sourceId", "status"],
          properties: {
            source: { type: "string" },
            sourceId: { type: "string" },
            status: {
              type: "string",
              enum: ["added", "existing"],
              description: "existing: that source and sourceId were already recorded, and nothing was changed",
            },
          },
        },
      },
    },
  } as const;
}

export function sendReceipts(
  reply: FastifyReply,
  customerId: string,
  list: string,
  recorded: readonly InteractionReceipt[],
) {
  const added = recorded.filter((r) => r.added).length;
  return reply.code(added > 0 ? 201 : 200).send({
    customerId,
    added,
    existing: recorded.length - added,
    [list]: recorded.map((r) => ({ source: r.source, sourceId: r.sourceId, status: r.added ? "added" : "existing" })),
  });
}
