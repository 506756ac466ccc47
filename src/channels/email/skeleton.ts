import { type Problem, type Result, type World, fail, ok, problem } from "../../core/index.ts";
import type { HandlebarsEnv } from "../../templates/index.ts";
import {
  blankComments,
  type CompileTimeValues,
  fillCompileTime,
  lostPlaceholders,
  misplacedPlaceholders,
} from "./placeholders.ts";
import { restylePreheader } from "./preheader.ts";

/**
 * MJML compiled once for one language: the result is HTML still holding the per-customer Handlebars
 * placeholders, compiled by Handlebars into a merge function. Per customer only that merge runs.
 */
export async function compileSkeleton(
  world: World,
  hb: HandlebarsEnv,
  source: string,
  values: CompileTimeValues,
  file: string,
): Promise<Result<Handlebars.TemplateDelegate>> {
  const filled = fillCompileTime(blankComments(source), values, file);
  const problems: Problem[] = [...filled.problems, ...misplacedPlaceholders(filled.text, file)];
  try {
    hb.parse(filled.text);
  } catch (e) {
    const line = /line (\d+)/.exec((e as Error).message)?.[1];
    problems.push(problem("OMD_TEMPLATE_SYNTAX", (e as Error).message.split("\n")[0], line ? `${file}:${line}` : file));
  }
  if (problems.length > 0) return fail(...problems);

  let html: string;
  try {
    html = world.sharedText
      ? await world.sharedText(`mjml ${file} ${values.lang}`, filled.text, mjmlToHtml)
      : await mjmlToHtml(filled.text);
  } catch (e) {
    const errors = (e as { errors?: { line?: number; message: string }[] }).errors;
    if (!errors?.length) return fail(problem("OMD_EMAIL_MJML", (e as Error).message, file));
    return fail(
      ...errors.map((err) => problem("OMD_EMAIL_MJML", err.message, err.line ? `${file}:${err.line}` : file)),
    );
  }
  const lost = lostPlaceholders(filled.text, html, file);
  if (lost.length > 0) return fail(...lost);
  // MJML indents deeply; leading whitespace and blank lines are a third of the bytes and carry no meaning
  // here. Lines end in CRLF already, as the MIME message wants them, so no merge has to convert them.
  const squeezed = restylePreheader(html)
    .replace(/^[ \t]+/gm, "")
    .replace(/\n{2,}/g, "\n")
    .replace(/\n/g, "\r\n");
  return ok(hb.compile(squeezed, { strict: true }));
}

/**
 * MJML's compiler is loaded only to compile: render threads are handed what their process compiled already
 * (`World.sharedText`), and would otherwise hold it for their life.
 */
async function mjmlToHtml(source: string): Promise<string> {
  const { default: mjml2html } = await import("mjml");
  // Strict validation turns MJML's warnings (unknown attribute, bad value) into failures with a line.
  return (await mjml2html(source, { validationLevel: "strict", keepComments: false, fonts: {} })).html;
}
