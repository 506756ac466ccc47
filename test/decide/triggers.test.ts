import { describe, expect, it } from "vitest";
import { type Catalogue, loadCatalogue, triggerTemplateProblems } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { catalogueFrom, item, mustLoad } from "./fixtures.ts";

/** A trigger in YAML, one key a line under its dash (line 1 is `- event:`), overridable key by key. */
function trigger(fields: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    event: "payment.missed",
    template: "payment-reminder",
    channels: "[sms, email]",
    fallback: "[print]",
    dedupe: "{ hours: 72 }",
    quietHours: '{ from: "21:00", to: "08:00", channels: [sms] }',
    ...fields,
  };
  return Object.entries(all)
    .filter(([, v]) => v !== "")
    .map(([k, v], i) => `  ${i === 0 ? "-" : " "} ${k}: ${v}\n`)
    .join("");
}

/** The problems of a catalogue whose header (from line 1) is `header`, as `code at: message`. */
function problemsOf(header: string): string[] {
  const r = catalogueFrom(item("notice"), header);
  if (r.ok) return [];
  return r.problems.map((p) => `${p.code} ${p.at}: ${p.message}`);
}

describe("triggers in the catalogue", () => {
  it("load with their zone, defaults and place in the file", () => {
    const c = mustLoad(
      item("notice"),
      `timeZone: Europe/Paris\ntriggers:\n${trigger()}${trigger({ event: "direct-debit.failed", fallback: "", dedupe: "", quietHours: "" })}`,
    );
    expect(c.timeZone).toBe("Europe/Paris");
    expect(c.triggers).toEqual([
      {
        event: "payment.missed",
        template: "payment-reminder",
        channels: ["sms", "email"],
        fallback: ["print"],
        dedupeHours: 72,
        quietHours: { from: "21:00", to: "08:00", channels: ["sms"] },
        at: "test.yaml:3:5",
      },
      {
        event: "direct-debit.failed",
        template: "payment-reminder",
        channels: ["sms", "email"],
        fallback: [],
        dedupeHours: 0,
        at: "test.yaml:9:5",
      },
    ]);
    expect(Object.isFrozen(c.triggers[0].channels)).toBe(true);
  });

  it("default to none, in London", () => {
    const c = mustLoad(item("notice"));
    expect(c.triggers).toEqual([]);
    expect(c.timeZone).toBe("Europe/London");
  });

  // Line 1 is `triggers:`, line 2 the trigger's dash: each key of `trigger()` is a line further down.
  it.each([
    [
      "an event type that is not dotted lower-case words",
      { event: "Payment.Missed" },
      "OMD_CATALOGUE_SYNTAX test.yaml:2:12: triggers.0.event must match pattern",
    ],
    [
      "a single word for an event type",
      { event: "payment" },
      "OMD_CATALOGUE_SYNTAX test.yaml:2:12: triggers.0.event must match pattern",
    ],
    [
      "an unknown channel",
      { channels: "[sms, fax]" },
      "OMD_CATALOGUE_SYNTAX test.yaml:4:21: triggers.0.channels.1 must be one of print, email, sms",
    ],
    [
      "a channel named twice",
      { channels: "[sms, email, sms]" },
      "OMD_CATALOGUE_TRIGGER test.yaml:4:28: trigger 1 (payment.missed): channels names sms twice",
    ],
    [
      "no channel",
      { channels: "[]" },
      "OMD_CATALOGUE_SYNTAX test.yaml:4:15: triggers.0.channels must NOT have fewer than 1 items",
    ],
    [
      "a fallback among the channels",
      { fallback: "[print, email]" },
      "OMD_CATALOGUE_TRIGGER test.yaml:5:23: trigger 1 (payment.missed): fallback email is already one of its channels",
    ],
    [
      "a fallback named twice",
      { fallback: "[print, print]", channels: "[sms]", quietHours: "" },
      "OMD_CATALOGUE_TRIGGER test.yaml:5:23: trigger 1 (payment.missed): fallback names print twice",
    ],
    [
      "negative dedupe hours",
      { dedupe: "{ hours: -1 }" },
      "OMD_CATALOGUE_SYNTAX test.yaml:6:22: triggers.0.dedupe.hours must be >= 0",
    ],
    [
      "a time that is not HH:MM",
      { quietHours: '{ from: "9pm", to: "08:00", channels: [sms] }' },
      "OMD_CATALOGUE_SYNTAX test.yaml:7:25: triggers.0.quietHours.from must match pattern",
    ],
    [
      "an hour past 23",
      { quietHours: '{ from: "24:00", to: "08:00", channels: [sms] }' },
      "OMD_CATALOGUE_SYNTAX test.yaml:7:25: triggers.0.quietHours.from must match pattern",
    ],
    [
      "quiet hours that hold no time",
      { quietHours: '{ from: "08:00", to: "08:00", channels: [sms] }' },
      "OMD_CATALOGUE_TRIGGER test.yaml:7:38: trigger 1 (payment.missed): quiet hours from 08:00 to 08:00 hold no time",
    ],
    [
      "quiet hours for a channel it never uses",
      { channels: "[email]" },
      "OMD_CATALOGUE_TRIGGER test.yaml:7:58: trigger 1 (payment.missed): quiet hours hold back sms, which it never sends on",
    ],
    ["an unknown key", { delay: "5" }, 'OMD_CATALOGUE_SYNTAX test.yaml:8:12: triggers.0 has an unknown key "delay"'],
  ])("refuse %s at its line and column", (_, fields, expected) => {
    const found = problemsOf(`triggers:\n${trigger(fields)}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("refuse two triggers sending the same template for the same event, at the second's template", () => {
    expect(problemsOf(`triggers:\n${trigger()}${trigger({ channels: "[email]", quietHours: "" })}`)).toEqual([
      "OMD_CATALOGUE_TRIGGER test.yaml:9:15: trigger 2 (payment.missed): trigger 1 already sends payment-reminder for payment.missed",
    ]);
    // Another template for the same event is another message.
    expect(problemsOf(`triggers:\n${trigger()}${trigger({ template: "payment-plan-offer" })}`)).toEqual([]);
  });

  it("refuse a zone Intl does not know, or an offset, at the timeZone", () => {
    expect(problemsOf("name: x\ntimeZone: Mars/Olympus_Mons\n")).toEqual([
      'OMD_CATALOGUE_TRIGGER test.yaml:2:11: timeZone "Mars/Olympus_Mons" is not an IANA time zone',
    ]);
    expect(problemsOf('timeZone: "+01:00"\n')).toHaveLength(1);
    expect(problemsOf("timeZone: UTC\n")).toEqual([]);
  });

  it("name each trigger whose template is not loaded, at the trigger", () => {
    const c: Catalogue = mustLoad(
      item("notice"),
      `triggers:\n${trigger()}${trigger({ event: "direct-debit.failed", template: "dd-failed" })}`,
    );
    expect(triggerTemplateProblems(c, ["payment-reminder", "energy-bill"])).toEqual([
      {
        code: "OMD_CATALOGUE_TRIGGER",
        message: 'the trigger for direct-debit.failed sends template "dd-failed", which is not loaded',
        at: "test.yaml:8:5",
        hint: "templates: energy-bill, payment-reminder",
      },
    ]);
    expect(triggerTemplateProblems(c, new Set(["payment-reminder", "dd-failed"]))).toEqual([]);
  });

  it("in the sample catalogue start the payment reminder, and name templates that exist", () => {
    const loaded = loadCatalogue(nodeWorld(), "samples/catalogue.yaml");
    if (!loaded.ok) throw new Error(loaded.problems[0].message);
    const c = loaded.value;
    expect(c.triggers.map((t) => [t.event, t.template, t.channels, t.fallback])).toEqual([
      ["payment.missed", "payment-reminder", ["sms", "email"], ["print"]],
      ["direct-debit.failed", "payment-reminder", ["sms", "email"], ["print"]],
    ]);
    expect(c.triggers[0].quietHours).toEqual({ from: "21:00", to: "08:00", channels: ["sms"] });
    expect(triggerTemplateProblems(c, ["energy-bill", "payment-reminder"])).toEqual([]);
  });
});
