import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../src/core/index.ts";
import { type BounceServer, type DeliveryReport, bounceServer, readMailbox } from "../../src/outbox/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dsn/${name}`, import.meta.url));
const DOMAIN = "bounces.northwind-energy.example";

const reports: DeliveryReport[] = [];
const problems: Problem[] = [];
let archiveDown = false;
const handlers = {
  onReport(report: DeliveryReport) {
    if (archiveDown) throw new Error("archive unavailable");
    reports.push(report);
  },
  onProblem: (p: Problem) => problems.push(p),
};
beforeEach(() => {
  reports.length = 0;
  problems.length = 0;
  archiveDown = false;
});

describe("the bounce server", () => {
  let server: BounceServer;
  let port: number;
  beforeAll(async () => {
    server = bounceServer({ domain: DOMAIN, maxBytes: 64 * 1024, ...handlers });
    port = await server.listen(0, "127.0.0.1");
  });
  afterAll(() => server.close());

  /** A remote mail server returning mail: the null sender, as bounces are sent. */
  async function bounce(to: string, raw: Buffer) {
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port, ignoreTLS: true });
    try {
      return await transport.sendMail({ envelope: { from: "", to: [to] }, raw });
    } finally {
      transport.close();
    }
  }

  it("turns a DSN sent to a bounce address into a hard bounce of that address's delivery", async () => {
    const sent = await bounce(`bounces+d-42@${DOMAIN}`, fixture("postfix-user-unknown.eml"));
    expect(sent.response).toMatch(/^250/);
    expect(reports).toMatchObject([
      { deliveryId: "d-42", outcome: "hard-bounce", status: "5.1.1", recipient: "jan.vanderberg@example.com" },
    ]);
    expect(problems).toEqual([]);
  });

  it("refuses any other recipient at RCPT with 550, reading nothing", async () => {
    await expect(
      bounce("postmaster@northwind-energy.example", fixture("postfix-user-unknown.eml")),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(bounce("bounces+d-42@elsewhere.example", fixture("postfix-user-unknown.eml"))).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(reports).toEqual([]);
  });

  it("takes a message that is not a DSN (no bounce of a bounce) and reports it as a problem", async () => {
    const sent = await bounce(
      `bounces+d-43@${DOMAIN}`,
      Buffer.from("From: jan@example.com\r\nSubject: Re: your bill\r\n\r\nPlease call me.\r\n"),
    );
    expect(sent.response).toMatch(/^250/);
    expect(reports).toEqual([]);
    expect(problems.map((p) => [p.code, p.at])).toEqual([["OMD_BOUNCE_NOT_DSN", `bounces+d-43@${DOMAIN}`]]);
  });

  it("outlives senders that drop their connections mid-transaction", async () => {
    for (const _ of [1, 2]) {
      const socket = connect(port, "127.0.0.1");
      let replies = "";
      const replied = (code: string) =>
        new Promise<void>((resolve) => {
          const check = () => (new RegExp(`(^|\r\n)${code} `).test(replies) ? resolve() : undefined);
          socket.on("data", (d: Buffer) => {
            replies += d.toString();
            check();
          });
        });
      for (const [line, code] of [
        ["", "220"],
        ["EHLO mx1.example.net\r\n", "250"],
        ["MAIL FROM:<>\r\n", "250"],
      ]) {
        replies = "";
        const reply = replied(code);
        socket.write(line);
        await reply;
        socket.removeAllListeners("data");
      }
      await new Promise<void>((resolve) => socket.resetAndDestroy().once("close", () => resolve()));
    }
    const sent = await bounce(`bounces+d-45@${DOMAIN}`, fixture("postfix-user-unknown.eml"));
    expect(sent.response).toMatch(/^250/);
  });

  it("refuses a message over its size limit with 552, reading nothing", async () => {
    const padded = Buffer.concat([
      fixture("postfix-user-unknown.eml"),
      Buffer.from(`${"x".repeat(76)}\r\n`.repeat(1000)),
    ]);
    await expect(bounce(`bounces+d-46@${DOMAIN}`, padded)).rejects.toMatchObject({ responseCode: 552 });
    expect(reports).toEqual([]);
  });

  it("answers 451 when the report cannot be recorded, so the sender keeps the bounce and tries again", async () => {
    archiveDown = true;
    await expect(bounce(`bounces+d-44@${DOMAIN}`, fixture("postfix-user-unknown.eml"))).rejects.toMatchObject({
      responseCode: 451,
    });
  });
});

describe("the bounce mailbox", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "omnidoc-maildir-"));
    for (const sub of ["new", "cur", "tmp"]) await mkdir(join(dir, sub));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads each bounce in new/, by the bounce address its delivering server wrote on top, and moves it to cur/", async () => {
    await writeFile(join(dir, "new", "1796504292.M1P10.mx1"), fixture("postfix-user-unknown.eml"));
    await writeFile(
      join(dir, "new", "1796504293.M2P10.mx1"),
      Buffer.concat([Buffer.from(`X-Original-To: bounces+d-9@${DOMAIN}\n`), fixture("rfc3464-simple.eml")]),
    );
    expect(await readMailbox(dir, handlers)).toBe(2);
    expect(reports.map((r) => [r.deliveryId, r.outcome, r.status])).toEqual([
      ["d-7f3a9c", "hard-bounce", "5.1.1"],
      ["d-9", "soft-bounce", "4.0.0"],
    ]);
    expect(await readdir(join(dir, "new"))).toEqual([]);
    expect((await readdir(join(dir, "cur"))).sort()).toEqual(["1796504292.M1P10.mx1:2,S", "1796504293.M2P10.mx1:2,S"]);
    expect(problems).toEqual([]);
  });

  it("leaves a bounce in new/ when its report cannot be recorded", async () => {
    await writeFile(join(dir, "new", "1796504294.M3P10.mx1"), fixture("postfix-user-unknown.eml"));
    archiveDown = true;
    await expect(readMailbox(dir, handlers)).rejects.toThrow("archive unavailable");
    expect(await readdir(join(dir, "new"))).toEqual(["1796504294.M3P10.mx1"]);
  });
});
