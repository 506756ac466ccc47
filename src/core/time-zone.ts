/**
 * Whether `name` is an IANA time zone this runtime knows (`Europe/London`, `UTC`): Intl is the authority, as it
 * is the one that converts times. Offsets (`+01:00`) are refused: newer runtimes take them, a zone names a place.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
