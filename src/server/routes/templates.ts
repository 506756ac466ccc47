import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { TEMPLATE_ID, problems } from "../schemas.ts";

/** `GET /v1/templates[/:id]`: what this server can render, with versions, channels and languages. */
export function templateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const describe = (id: string) => {
    const t = ctx.templates.get(id);
    return t && { ...t, versions: [t.version] };
  };
  app.get(
    "/v1/templates",
    {
      config: { scope: "render" },
      schema: {
        summary: "List the loaded templates",
        tags: ["templates"],
        response: {
          200: { type: "object", properties: { templates: { type: "array", items: { $ref: "Template#" } } } },
          ...problems(401, 403),
        },
      },
    },
    async () => ({ templates: [...ctx.templates.keys()].map(describe) }),
  );
  app.get<{ Params: { id: string } }>(
    "/v1/templates/:id",
    {
      config: { scope: "render" },
      schema: {
        summary: "One template",
        tags: ["templates"],
        params: { type: "object", required: ["id"], properties: { id: TEMPLATE_ID } },
        response: { 200: { $ref: "Template#" }, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const t = describe(request.params.id);
      if (!t) throw HttpProblem.of(404, "OMD_TEMPLATE_NOT_FOUND", `no template "${request.params.id}" is loaded`);
      return t;
    },
  );
}
