import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBounce } from "../../src/outbox/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dsn/${name}`, import.meta.url));

describe("reading a delivery status notification (RFC 3464)", () => {
  it("the RFC's simple DSN: a failure with a temporary status is a soft bounce, dated by its last attempt", async () => {
    const reports = await readBounce(fixture("rfc3464-simple.eml"), "bounces+d-1@bounces.example");
    expect(reports).toEqual({
      ok: true,
      value: [
        {
          deliveryId: "d-1",
          gateway: "smtp",
          outcome: "soft-bounce",
          at: "1994-07-07T21:15:49.000Z",
          status: "4.0.0",
          detail: "426 connection timed out",
          recipient: "louisl@larry.slip.umd.edu",
        },
      ],
    });
  });

  it("the RFC's multi-recipient DSN: one report per recipient, the folded diagnostic unfolded", async () => {
    const reports = await readBounce(fixture("rfc3464-multi-recipient.eml"));
    expect(reports.ok).toBe(true);
    if (!reports.ok) return;
    expect(reports.value.map((r) => [r.recipient, r.outcome, r.status, r.detail])).toEqual([
      ["arathib@vnet.ibm.com", "hard-bounce", "5.0.0", "550 'arathib@vnet.IBM.COM' is not a registered gateway user"],
      ["johnh@hpnjld.njd.hp.com", "buffered", "4.0.0", "4.0.0 (hpnjld.njd.jp.com: host name lookup failure)"],
      ["wsnell@sdcc13.ucsd.edu", "hard-bounce", "5.0.0", "550 user unknown"],
    ]);
    // Without a bounce address, an envelope id or a returned Message-ID, the report names no delivery; it is
    // dated by the notification itself.
    expect(reports.value.every((r) => r.deliveryId === undefined && r.gatewayId === undefined)).toBe(true);
    expect(reports.value[0].at).toBe("1994-07-08T13:21:47.000Z");
  });

  it("the RFC's delayed DSN is the remote server still trying: buffered, nothing to resend", async () => {
    const reports = await readBounce(fixture("rfc3464-delayed.eml"), "bounces+d-2@bounces.example");
    expect(reports.ok && reports.value.map((r) => [r.deliveryId, r.recipient, r.outcome, r.status])).toEqual([
      ["d-2", "thomas@de-montfort.ac.uk", "buffered", "4.0.0"],
    ]);
  });

  it("a Postfix bounce: a hard bounce for the bounce address's delivery, naming the returned Message-ID", async () => {
    const reports = await readBounce(
      fixture("postfix-user-unknown.eml"),
      "bounces+d-7f3a9c@bounces.northwind-energy.example",
    );
    expect(reports).toEqual({
      ok: true,
      value: [
        {
          deliveryId: "d-7f3a9c",
          gateway: "smtp",
          gatewayId: "2026-11-01.4be1f0c2a9d84e7f8c61a3b5d2e90f17@northwind-energy.example",
          outcome: "hard-bounce",
          at: "2026-12-05T20:58:12.000Z",
          status: "5.1.1",
          detail:
            "550 5.1.1 <jan.vanderberg@example.com>: Recipient address rejected: User unknown in local recipient table",
          recipient: "jan.vanderberg@example.com",
        },
      ],
    });
  });

  it("takes the delivery from the envelope id when the bounce address is not known", async () => {
    const withEnvelopeId = fixture("postfix-user-unknown.eml")
      .toString("utf8")
      .replace(
        "Reporting-MTA: dns; mx1.example.net\n",
        "Reporting-MTA: dns; mx1.example.net\nOriginal-Envelope-Id: d-55\n",
      );
    const reports = await readBounce(Buffer.from(withEnvelopeId));
    expect(reports.ok && reports.value.map((r) => r.deliveryId)).toEqual(["d-55"]);
  });

  it("names the message by the Message-ID of a returned whole message as well", async () => {
    const returned = fixture("rfc3464-simple.eml")
      .toString("utf8")
      .replace(
        "[original message goes here]",
        "From: billing@northwind-energy.example\nMessage-ID: <2026-11-01.abc@northwind-energy.example>\n\nYour bill",
      );
    const reports = await readBounce(Buffer.from(returned));
    expect(reports.ok && reports.value.map((r) => r.gatewayId)).toEqual(["2026-11-01.abc@northwind-energy.example"]);
  });

  it("reads delivered, relayed and expanded as delivered, and a notification with CRLF line ends as well", async () => {
    const text = fixture("rfc3464-multi-recipient.eml")
      .toString("utf8")
      .replace("Action: failed\nStatus: 5.0.0 (permanent failure)", "Action: delivered\nStatus: 2.0.0")
      .replace("Action: delayed", "Action: relayed")
      .replace("Action: failed\nStatus: 5.0.0\n", "Action: expanded\nStatus: 2.0.0\n")
      .replace(/\n/g, "\r\n");
    const reports = await readBounce(Buffer.from(text));
    expect(reports.ok && reports.value.map((r) => r.outcome)).toEqual(["delivered", "delivered", "delivered"]);
  });

  it("an ordinary message, or a report of another kind, is OMD_BOUNCE_NOT_DSN", async () => {
    const reply = await readBounce(
      Buffer.from("From: a@example.com\r\nSubject: Re: your bill\r\n\r\nPlease call me.\r\n"),
      "bounces+d-3@bounces.example",
    );
    expect(reply.ok ? undefined : reply.problems.map((p) => p.code)).toEqual(["OMD_BOUNCE_NOT_DSN"]);
    const disposition = fixture("rfc3464-simple.eml")
      .toString("utf8")
      .replace("report-type=delivery-status", "report-type=disposition-notification");
    const mdn = await readBounce(Buffer.from(disposition));
    expect(mdn.ok ? undefined : mdn.problems.map((p) => p.code)).toEqual(["OMD_BOUNCE_NOT_DSN"]);
  });
});
