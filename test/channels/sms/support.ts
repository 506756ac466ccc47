import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { smsChannel } from "../../../src/channels/sms/index.ts";
import type { CompiledSms } from "../../../src/channels/sms/index.ts";
import type { Problem } from "../../../src/core/index.ts";
import type { NonGsmNames, TemplateManifest, TemplatePackage, Theme } from "../../../src/templates/index.ts";
import type { View } from "../../../src/view/index.ts";

const DIR = "templates/energy-bill";
const yaml = <T>(path: string) => parse(readFileSync(path, "utf8")) as T;

/** The energy-bill package as the loader would give it, with only the files the SMS channel reads. */
export function energyBillPackage(
  over: { sms?: string; budget?: number; nonGsm?: NonGsmNames; locales?: Record<string, Record<string, string>> } = {},
): TemplatePackage {
  const manifest = yaml<TemplateManifest>(`${DIR}/template.yaml`);
  if (over.budget !== undefined) manifest.channels.sms = { ...manifest.channels.sms!, budget: over.budget };
  if (over.nonGsm !== undefined) manifest.channels.sms = { ...manifest.channels.sms!, nonGsm: over.nonGsm };
  return {
    manifest,
    dir: DIR,
    files: { "sms.hbs": over.sms ?? readFileSync(`${DIR}/sms.hbs`, "utf8") },
    locales:
      over.locales ??
      Object.fromEntries(manifest.languages.map((l) => [l, yaml<Record<string, string>>(`${DIR}/locales/${l}.yaml`)])),
    theme: yaml<Theme>("samples/theme.yaml"),
  };
}

export async function compileSms(pkg = energyBillPackage()): Promise<CompiledSms> {
  const r = await smsChannel.compile(pkg, undefined as never);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.code} ${p.at}: ${p.message}`).join("\n"));
  return r.value;
}

export async function renderSms(compiled: CompiledSms, view: View) {
  const warnings: Problem[] = [];
  const result = await smsChannel.render(compiled, view, { warnings: { warn: (p) => warnings.push(p) } });
  return { result, warnings };
}
