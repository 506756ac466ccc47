import { type Problem, isTimeZone, problem } from "../core/index.ts";
import type { Channel } from "../profile/index.ts";
import type { Catalogue, Trigger } from "./types.ts";

/** A trigger exactly as the catalogue file writes it (after the schema check). */
export interface TriggerSource {
  event: string;
  template: string;
  channels: Channel[];
  fallback?: Channel[];
  dedupe?: { hours: number };
  quietHours?: { from: string; to: string; channels: Channel[] };
}

/** Where a node of the catalogue is, by its path: `file:line:column`. */
type Locate = (path: readonly (string | number)[]) => string;

/** The problem of the catalogue's `timeZone`, if Intl does not know it (none named: the default applies). */
export function timeZoneProblems(zone: string | undefined, locate: Locate): Problem[] {
  if (zone === undefined || isTimeZone(zone)) return [];
  return [
    problem(
      "OMD_CATALOGUE_TRIGGER",
      `timeZone "${zone}" is not an IANA time zone`,
      locate(["timeZone"]),
      "name a zone such as Europe/London or Europe/Paris",
    ),
  ];
}

/**
 * Each trigger as loaded, and the problems the schema cannot state: channels named twice, a fallback that is
 * already a channel, quiet hours that are no time at all or hold back a channel the trigger never uses, and two
 * triggers that would send the same template for the same event.
 */
export function loadTriggers(
  sources: readonly TriggerSource[],
  locate: Locate,
): { triggers: Trigger[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const say = (path: (string | number)[], message: string, hint?: string) =>
    problems.push(problem("OMD_CATALOGUE_TRIGGER", message, locate(path), hint));
  const seen = new Map<string, number>();
  const triggers = sources.map((src, index): Trigger => {
    const path = (...rest: (string | number)[]) => ["triggers", index, ...rest];
    const name = `trigger ${index + 1} (${src.event})`;
    for (const list of ["channels", "fallback"] as const)
      repeats(src[list] ?? [], (i, c) => say(path(list, i), `${name}: ${list} names ${c} twice`));
    repeats(src.quietHours?.channels ?? [], (i, c) =>
      say(path("quietHours", "channels", i), `${name}: quietHours.channels names ${c} twice`),
    );
    (src.fallback ?? []).forEach((c, i) => {
      if (src.channels.includes(c))
        say(
          path("fallback", i),
          `${name}: fallback ${c} is already one of its channels`,
          "a fallback is where the message goes when its channels did not deliver it",
        );
    });
    if (src.quietHours) {
      const { from, to, channels } = src.quietHours;
      if (from === to) say(path("quietHours", "to"), `${name}: quiet hours from ${from} to ${to} hold no time`);
      channels.forEach((c, i) => {
        if (!src.channels.includes(c) && !(src.fallback ?? []).includes(c))
          say(path("quietHours", "channels", i), `${name}: quiet hours hold back ${c}, which it never sends on`);
      });
    }
    const key = `${src.event}\u0000${src.template}`;
    const first = seen.get(key);
    if (first !== undefined)
      say(
        path("template"),
        `${name}: trigger ${first + 1} already sends ${src.template} for ${src.event}`,
        "one trigger may send it on several channels",
      );
    else seen.set(key, index);

    const trigger: Trigger = {
      event: src.event,
      template: src.template,
      channels: src.channels,
      fallback: src.fallback ?? [],
      dedupeHours: src.dedupe?.hours ?? 0,
      at: locate(path()),
    };
    if (src.quietHours) trigger.quietHours = src.quietHours;
    return trigger;
  });
  return { triggers, problems };
}

/** Calls `found` with the index and value of each entry that repeats an earlier one. */
function repeats<T>(list: readonly T[], found: (index: number, value: T) => void): void {
  list.forEach((value, i) => {
    if (list.indexOf(value) < i) found(i, value);
  });
}

/**
 * Triggers naming a template that is not loaded, each at the trigger (`Trigger.at`): callers run this once the
 * templates are loaded (the catalogue loads before them and without them).
 */
export function triggerTemplateProblems(
  catalogue: Pick<Catalogue, "triggers">,
  templateIds: ReadonlySet<string> | readonly string[],
): Problem[] {
  const known = new Set(templateIds);
  return catalogue.triggers
    .filter((t) => !known.has(t.template))
    .map((t) =>
      problem(
        "OMD_CATALOGUE_TRIGGER",
        `the trigger for ${t.event} sends template "${t.template}", which is not loaded`,
        t.at,
        `templates: ${[...known].sort().join(", ") || "none"}`,
      ),
    );
}
