/** The part of MJML 5's API the email channel uses (the package ships no types). */
declare module "mjml" {
  interface MjmlOptions {
    validationLevel?: "strict" | "soft" | "skip";
    keepComments?: boolean;
    fonts?: Record<string, string>;
    minify?: boolean;
  }
  interface MjmlResult {
    html: string;
    errors: { line?: number; message: string; tagName?: string; formattedMessage?: string }[];
  }
  export default function mjml2html(mjml: string, options?: MjmlOptions): Promise<MjmlResult>;
}
