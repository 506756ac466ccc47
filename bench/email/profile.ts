/**
 * Composes emails (chart embedded) and SMS through the public API in a loop, for `node --cpu-prof`: warm-up, then
 * N customers. Usage: node --cpu-prof --import tsx bench/email/profile.ts [N=3000] [CHANNELS=email]
 */
import "../signing-keys.ts";
import { fileURLToPath } from "node:url";
import { compose } from "../../src/compose.ts";
import { buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";

const N = Number(process.argv[2] ?? 3000);
const CHANNELS = (process.argv[3] ?? "email").split(",") as ("email" | "sms")[];
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function must<T>(r: { ok: true; value: T } | { ok: false; problems: { message: string }[] }): T {
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.value;
}
const engine = must(await buildEngine(nodeWorld(ROOT)));
const profiles: Profile[] = Array.from(sampleLines({ count: Math.round(N * 1.3) }), (line) =>
  must(validateProfile(JSON.parse(line))),
).filter((p) => p.contact.email && p.contact.mobile);
const one = async (p: Profile) =>
  must(await compose(engine, p, { template: "energy-bill", channels: CHANNELS, runDate: "2026-11-01" }));
for (const p of profiles.slice(0, 500)) await one(p);
const start = process.cpuUsage();
for (let i = 0; i < N; i++) await one(profiles[i % profiles.length]);
const u = process.cpuUsage(start);
console.log(`${N} customers (${CHANNELS.join(",")}): ${((u.user + u.system) / 1000 / N).toFixed(3)} ms CPU each`);
