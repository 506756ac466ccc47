/**
 * The one door to everything outside the pure core: files, fonts, the clock and secrets.
 * `compose` never touches a World; the engine reads through it once at build time.
 */
/** The secrets a World holds: the signing keys of pay links and of customer tokens (see signing-keys.ts). */
export type SecretName = "linkKey" | "trackingKey";

export interface World {
  /** Reads a file of the project (template package, catalogue, theme, font) as bytes. */
  readBytes(path: string): Uint8Array;
  readText(path: string): string;
  /** Names of the entries of a directory, sorted; [] when it does not exist. */
  list(dir: string): string[];
  exists(path: string): boolean;
  /** Absolute path of a project-relative path, for libraries that want a path (fonts). */
  resolve(path: string): string;
  /** A named secret as written (`KID:SECRET[,KID:SECRET…]`, see signing-keys.ts); undefined when not set. */
  secret(name: SecretName): string | undefined;
  now(): Date;
  /**
   * The text `make` gives for `input`, made once a process: kept under `slot` (replaced when its input changes)
   * where the render threads started afterwards find it, so that they need not load what makes it. Optional:
   * without it every caller makes its own.
   */
  sharedText?(slot: string, input: string, make: (input: string) => Promise<string>): Promise<string>;
}
