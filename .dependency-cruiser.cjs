/**
 * Keeps the arrows of the design true: inner stages never reach outward, channels never import each other,
 * the pure pipeline never touches the disk, the network or the process.
 */
const OUTER = "^src/(agent|batch|queue|server|studio|archive|outbox|realtime|releases|cli|cli\\.ts|node-world\\.ts)";
const PURE = "^src/(core|profile|interactions|events|triggers|responses|offers|decide|view|templates|layout|assets|channels|compose\\.ts)";
const IO_MODULES = "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|cluster|dgram|readline)$";

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    { name: "core-depends-on-nothing", severity: "error", from: { path: "^src/core/" }, to: { path: "^src/(?!core/)" } },
    {
      name: "inner-never-reaches-outer",
      comment: "Only the outer ring (cli, server, studio, agent, batch, queue, archive, outbox, node-world) may be imported by the outer ring.",
      severity: "error",
      from: { pathNot: `${OUTER}|^src/index\\.ts$` },
      to: { path: OUTER },
    },
    {
      name: "pure-pipeline-does-no-io",
      comment: "compose and everything under it reach files, fonts and secrets only through the World.",
      severity: "error",
      from: { path: PURE },
      to: { dependencyTypes: ["core"], path: IO_MODULES },
    },
    {
      name: "decide-knows-nothing-of-rendering",
      severity: "error",
      from: { path: "^src/decide/" },
      to: { path: "^src/(view|templates|layout|assets|channels|engine|compose)" },
    },
    {
      name: "layout-is-format-free",
      severity: "error",
      from: { path: "^src/layout/" },
      to: { path: "(^src/(channels|view|decide)|pdfkit)" },
    },
    {
      name: "channels-never-import-each-other",
      severity: "error",
      from: { path: "^src/channels/([^/]+)/" },
      to: { path: "^src/channels/([^/]+)/", pathNot: "^src/channels/$1/" },
    },
    {
      name: "sample-is-pure-and-alone",
      comment: "The reference extract is made from the profile's types and core alone: no I/O, no packages, no other stage.",
      severity: "error",
      from: { path: "^src/sample/" },
      to: { pathNot: "^src/(sample/|core/|profile/types\\.ts$)" },
    },
    {
      name: "sample-only-through-its-index",
      severity: "error",
      from: { pathNot: "^src/sample/" },
      to: { path: "^src/sample/(?!index\\.ts$)" },
    },
    {
      name: "stages-only-through-their-index",
      comment: "Another stage is imported through its index.ts (or its types-only types.ts), never another file inside it.",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: {
        path: "^src/(core|profile|decide|view|templates|layout|assets/chart|assets/qr|archive|interactions|responses|offers)/(?!(index|types)\\.ts$)",
        pathNot: "^src/$1/",
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"] },
  },
};
