/**
 * Decimal places of a number as JSON wrote it. A double's shortest round-trip form (`String(x)`) is the
 * decimal the extract held whenever that had at most 15 significant digits, so `19.99` has 2 places and
 * `0.30000000000000004` has 17; exponent forms count too: `1e-7` has 7, `1.5e-7` has 8, `1e21` none.
 */
export function decimalPlaces(x: number): number {
  const [mantissa, exponent = "0"] = String(x).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}
