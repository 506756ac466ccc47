import { Command, CommanderError } from "commander";
import { ProblemError, formatProblem } from "./core/index.ts";
import { CliError, EXIT } from "./cli/errors.ts";
import { registerCustomer } from "./cli/customer.ts";
import { registerDecide } from "./cli/decide.ts";
import { registerDemo } from "./cli/demo.ts";
import { registerLint } from "./cli/lint.ts";
import { registerRender } from "./cli/render.ts";
import { registerRun } from "./cli/run.ts";
import { registerServe } from "./cli/serve.ts";
import { registerStudio } from "./cli/studio.ts";
import { registerValidate } from "./cli/validate.ts";

function program(): Command {
  const p = new Command("omnidoc")
    .description("Personalised document composition: one decision per customer, rendered to PDF, email and SMS")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");
  // Each command lives in src/cli/<name>.ts and registers itself here.
  registerValidate(p);
  registerDecide(p);
  registerRender(p);
  registerRun(p);
  registerLint(p);
  registerServe(p);
  registerStudio(p);
  registerCustomer(p);
  registerDemo(p);
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    // A command that finished its work but found failures (rejected records) sets process.exitCode.
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`omnidoc: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ProblemError) {
      for (const p of err.problems) process.stderr.write(`omnidoc: ${formatProblem(p)}\n`);
      return EXIT.failure;
    }
    throw err;
  }
}
