import type { HelperOptions } from "handlebars";
import { type Problem, type Result, fail, ok, problem } from "../../core/index.ts";
import { type HandlebarsEnv, type TemplatePackage, createHandlebars } from "../../templates/index.ts";
import { type ChannelItem, fillLabel } from "../../view/index.ts";

/**
 * An SMS template is a sequence of named parts, nothing else at its top level:
 *
 *   {{#part "balance"}} … {{/part}}          required: always sent
 *   {{#part "offer" drop=2}} … {{/part}}     optional: dropped, lowest `drop` first, to meet the budget
 *
 * Inside a part, whitespace collapses to single spaces and parts are joined by one space. Helpers:
 * `{{label "key" name=value}}` fills a label's `{name}` placeholders; `{{smsCopy item}}` and `{{smsLink item}}`
 * print an item's SMS text or tracked link and mark the part as marketing when the item is, which adds the
 * opt-out (`smsStop` label) to the text. Output is not HTML-escaped: SMS is plain text.
 */

export interface RawPart {
  name: string;
  text: string;
  drop?: number;
  marketing: boolean;
  /** Ids of the items whose copy or link the part says. */
  items: string[];
}

interface PartData {
  smsParts: RawPart[];
  smsPart?: RawPart;
}

export type SmsTemplate = (context: unknown) => RawPart[];

function at(pkg: TemplatePackage, file: string, line: number, column: number): string {
  return `${pkg.dir}/${file}:${line}:${column + 1}`;
}

/** Checks the top level holds only parts with unique literal names and numeric drop positions. */
function checkStructure(hb: HandlebarsEnv, pkg: TemplatePackage, file: string): Problem[] {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(pkg.files[file]);
  } catch (e) {
    const err = e as Error & { lineNumber?: number; column?: number };
    return [
      problem("OMD_TEMPLATE_SYNTAX", err.message.split("\n")[0], at(pkg, file, err.lineNumber ?? 1, err.column ?? 0)),
    ];
  }
  const problems: Problem[] = [];
  const names = new Set<string>();
  for (const s of ast.body) {
    const where = at(pkg, file, s.loc.start.line, s.loc.start.column);
    if (s.type === "CommentStatement") continue;
    if (s.type === "ContentStatement") {
      const { value } = s as hbs.AST.ContentStatement;
      const lead = /^\s*/.exec(value)![0];
      if (lead.length < value.length) {
        // Point at the stray text itself, not at the whitespace before it.
        const lines = lead.split("\n");
        const line = s.loc.start.line + lines.length - 1;
        const column = lines.length > 1 ? lines.at(-1)!.length : s.loc.start.column + lead.length;
        problems.push(
          problem(
            "OMD_SMS_TEMPLATE_PARTS",
            "SMS text outside a {{#part}} block",
            at(pkg, file, line, column),
            "wrap it in a part",
          ),
        );
      }
      continue;
    }
    const block = s as hbs.AST.BlockStatement;
    const name = block.params?.[0] as hbs.AST.StringLiteral | undefined;
    if (s.type !== "BlockStatement" || (block.path as hbs.AST.PathExpression).original !== "part") {
      problems.push(
        problem("OMD_SMS_TEMPLATE_PARTS", "only {{#part}} blocks may stand at the top of an SMS template", where),
      );
    } else if (name?.type !== "StringLiteral") {
      problems.push(problem("OMD_SMS_TEMPLATE_PARTS", 'a part needs a quoted name: {{#part "balance"}}', where));
    } else if (names.has(name.value)) {
      problems.push(problem("OMD_SMS_TEMPLATE_PARTS", `part "${name.value}" appears twice`, where));
    } else {
      names.add(name.value);
      for (const pair of block.hash?.pairs ?? []) {
        if (pair.key !== "drop" || pair.value.type !== "NumberLiteral")
          problems.push(
            problem(
              "OMD_SMS_TEMPLATE_PARTS",
              `part "${name.value}": only drop=<number> is allowed, not ${pair.key}`,
              where,
            ),
          );
      }
    }
  }
  return problems;
}

function registerSmsHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper("part", function (this: unknown, name: string, options: HelperOptions) {
    const data = options.data as PartData;
    const part: RawPart = { name, text: "", marketing: false, items: [] };
    if (typeof options.hash.drop === "number") part.drop = options.hash.drop;
    const frame = hb.createFrame(data) as PartData;
    frame.smsPart = part;
    part.text = options.fn(this, { data: frame });
    data.smsParts.push(part);
    return "";
  });
  const itemText =
    (pick: (item: ChannelItem) => string | undefined) =>
    (item: ChannelItem | null | undefined, options: HelperOptions) => {
      if (!item) return "";
      const part = (options.data as PartData).smsPart;
      const said = pick(item) ?? "";
      if (part && item.marketing) part.marketing = true;
      if (part && said !== "") part.items.push(item.id);
      return said;
    };
  hb.registerHelper(
    "smsCopy",
    itemText((item) => item.sms),
  );
  hb.registerHelper(
    "smsLink",
    itemText((item) => item.cta?.url),
  );
  hb.registerHelper("label", (key: string, options: HelperOptions) => {
    const labels = (options.data.root as { labels: Record<string, string> }).labels;
    return fillLabel(labels[key] ?? key, options.hash);
  });
}

/** Compiles the package's SMS file once: structure checked, Handlebars strict and unescaped. */
export function compileSmsTemplate(pkg: TemplatePackage, file: string): Result<SmsTemplate> {
  const hb = createHandlebars(pkg);
  const problems = checkStructure(hb, pkg, file);
  if (problems.length > 0) return fail(...problems);
  registerSmsHelpers(hb);
  const template = hb.compile(pkg.files[file], { strict: true, noEscape: true });
  return ok((context) => {
    const smsParts: RawPart[] = [];
    template(context, { data: { smsParts } });
    return smsParts;
  });
}
