import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64LinesLength, writeBase64Lines } from "../../../src/channels/email/base64-lines.ts";

/** What nodemailer's encoder writes: Node's base64 in lines of 76 characters joined by CRLF. */
const expected = (bytes: Buffer) => (bytes.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");

describe("base64 in lines of 76 characters", () => {
  it("is Node's base64 broken after every 76 characters but the last, at every length and padding", () => {
    const source = randomBytes(700);
    for (const length of [0, 1, 2, 3, 4, 5, 55, 56, 57, 58, 59, 60, 113, 114, 115, 116, 171, 172, 400, 700]) {
      const bytes = source.subarray(0, length);
      // Bytes around it that are not its own: it writes only its length, from where it is told.
      const out = Buffer.alloc(base64LinesLength(length) + 10, "#");
      const end = writeBase64Lines(bytes, out, 5);
      expect(end - 5, `length ${length}`).toBe(base64LinesLength(length));
      expect(out.toString("latin1"), `length ${length}`).toBe(`#####${expected(bytes)}#####`);
    }
  });
});
