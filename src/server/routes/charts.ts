import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { registerChartGlobals } from "../../assets/chart/index.ts";
import { type EmailChart, emailChartPng, readHostedChart } from "../../channels/email/index.ts";
import {
  type RenderCaches,
  type Result,
  type SigningKeys,
  createRenderCaches,
  fail,
  ok,
  problem,
  signingKeysOf,
} from "../../core/index.ts";
import { ENGINE_DEFAULTS, type EngineOptions } from "../../engine.ts";
import { nodeWorld } from "../../node-world.ts";
import { loadTheme, type Theme } from "../../templates/index.ts";
import type { ServerContext } from "../context.ts";

/**
 * The public end of an email's hosted chart, `GET /c/{token}.png`: the token is the chart's data signed with
 * the tracking ring, so the route draws exactly what the email was composed with, from nothing but the URL
 * and the theme, and never anything a request could choose. Drawn on this thread at the first request (~5 ms
 * of CPU; libvips encodes off it), then served from a bounded cache; browsers and image proxies keep it for
 * good, as the same URL always stands for the same picture.
 */

/** Charts kept: ~32 KB each, so ~16 MB; an email is opened mostly in the days after it is sent. */
const CACHED_CHARTS = 500;

const PNG_HEADERS = {
  "cache-control": "public, max-age=31536000, immutable",
  "x-content-type-options": "nosniff",
};

/** What the route draws with, read once when the server starts. */
export interface ChartDrawing {
  theme: Theme;
  keys: SigningKeys;
  caches: RenderCaches;
}

/** The theme and tracking ring the render workers' Engines have, from the same project folder and settings. */
export function chartDrawing(root: string, engine: EngineOptions): Result<ChartDrawing> {
  const world = nodeWorld(root);
  const keys = signingKeysOf(world, "trackingKey");
  if (!keys.ok) return keys;
  const theme = loadTheme(world, engine.theme ?? ENGINE_DEFAULTS.theme);
  if (!theme.ok) return theme;
  if (!registerChartGlobals(world, theme.value.fonts.body))
    return fail(
      problem(
        "OMD_THEME_FONT_UNUSABLE",
        `the body font ${theme.value.fonts.body} is not a font the chart can draw with`,
      ),
    );
  return ok({ theme: theme.value, keys: keys.value, caches: createRenderCaches() });
}

export function chartRoutes(ctx: ServerContext, drawing: ChartDrawing): FastifyPluginAsync {
  return async (app) => {
    // Most recently asked last; a chart being drawn is kept as its promise, so two first opens draw it once.
    const cache = new Map<string, Promise<Uint8Array>>();
    const pngOf = (request: FastifyRequest, file: string, chart: EmailChart) => {
      let png = cache.get(file);
      if (png) cache.delete(file);
      else {
        request.log.debug("drawing a hosted chart");
        png = emailChartPng(chart, drawing.theme, drawing.caches);
        png.catch(() => cache.delete(file));
        if (cache.size >= CACHED_CHARTS) cache.delete(cache.keys().next().value as string);
      }
      cache.set(file, png);
      return png;
    };

    app.get<{ Params: { file: string } }>(
      "/c/:file",
      {
        schema: {
          summary: "An email's hosted usage chart",
          description:
            "Public, no API key. `file` is `{token}.png` from the image URL of an email whose template hosts its " +
            "chart (`channels.email.chart: hosted`): the token carries the chart's data, signed with the tracking " +
            "key. Answers the PNG the embedded chart would be, cacheable for good. A token that is malformed, " +
            "tampered with, signed by a key this server does not hold or past its last day gets 404, and nothing " +
            "is drawn.",
          tags: ["links"],
          security: [],
          params: { type: "object", required: ["file"], properties: { file: { type: "string" } } },
          response: { 200: { description: "image/png" }, 404: { description: "no such chart" } },
        },
      },
      async (request, reply) => {
        const { file } = request.params;
        const chart = readHostedChart(file, drawing.keys, ctx.now().toISOString().slice(0, 10));
        if (!chart.ok) {
          request.problemCodes = chart.problems.map((p) => p.code);
          return reply.code(404).header("cache-control", "no-store").type("text/plain").send("no such chart\n");
        }
        const png = await pngOf(request, file, chart.value);
        return reply
          .code(200)
          .headers(PNG_HEADERS)
          .type("image/png")
          .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      },
    );
  };
}
