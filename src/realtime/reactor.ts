import {
  type Archive,
  type Delivery,
  type DeliveryChannel,
  type DeliveryState,
  deliveryId,
  documentId,
} from "../archive/index.ts";
import type { Catalogue, CustomerHistory, Trigger } from "../decide/index.ts";
import { NO_HISTORY } from "../decide/index.ts";
import type { CustomerEvent } from "../events/index.ts";
import type { DeliveryReport, Gateway, OutgoingEmail, OutgoingSms, SendOutcome } from "../outbox/index.ts";
import { type Channel, type Profile, validateProfile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import { customerZone, nextFallback, planTrigger, sendTime } from "../triggers/index.ts";
import { eventRunId, eventSubject, parseEventSubject } from "./subject.ts";
import type { Composer } from "./types.ts";

/** The gateways messages leave by; a channel without one fails its deliveries, and they fall back. */
export interface Gateways {
  email?: Gateway<OutgoingEmail>;
  sms?: Gateway<OutgoingSms>;
}

/** How a temporary failure (a 4xx at hand-over, a soft bounce) is retried: `attempts` hand-overs in all. */
export interface RetryPolicy {
  attempts: number;
  /** The first wait; each next one doubles. */
  backoffMs: number;
}

export interface ReactorOptions {
  archive: Archive;
  catalogue: Pick<Catalogue, "triggers" | "timeZone">;
  compose: Composer;
  gateways: Gateways;
  /** Hands a delivery to the queue to be delivered at `at` (quiet hours, a retry's back-off). */
  later: (deliveryId: string, at: Date) => Promise<void>;
  now: () => Date;
  retry?: RetryPolicy;
  /** Production mode: the release each template composes with, named on every archived document. */
  released?: ReadonlyMap<string, string>;
  /** Where what happened is said; never personal data. */
  log: (fields: Record<string, unknown>, message: string) => void;
}

/** What an event started, per trigger: the deliveries it claimed, or why it started nothing. */
export interface Reaction {
  template: string;
  skipped?: string;
  deliveries: { id: string; channel: DeliveryChannel; state: DeliveryState }[];
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 60_000 };
/** States a delivery is finished in without having reached the customer. */
const UNDELIVERED: readonly DeliveryState[] = ["failed", "bounced", "fallen-back"];
/** A letter is the PDF document; the template names that channel `pdf`. */
const templateChannel = (c: Channel): ChannelName => (c === "print" ? "pdf" : c);

/**
 * What turns an event into the right message, sent once: decides and composes for the customer's profile and
 * history, claims one delivery per channel in the archive (the commit point a retried job finds), hands each
 * over now or when quiet hours end, and reads what the network reports afterwards. A message that cannot
 * arrive (no address, a hard bounce, a failed text) falls back by the trigger's rule, down to a letter.
 */
export class Reactor {
  private readonly retry: RetryPolicy;

  constructor(private readonly o: ReactorOptions) {
    this.retry = o.retry ?? DEFAULT_RETRY;
  }

  /** Acts on one event: every trigger of its type. Running it again (a retried job) sends nothing twice. */
  async handle(event: CustomerEvent): Promise<Reaction[]> {
    const triggers = this.o.catalogue.triggers.filter((t) => t.event === event.type);
    if (triggers.length === 0) return [];
    const profile = await this.profileOf(event.customerId);
    if (typeof profile === "string")
      return triggers.map((t) => ({ template: t.template, skipped: profile, deliveries: [] }));
    const now = this.o.now();
    const history =
      (await this.o.archive.histories([event.customerId], now.toISOString())).get(event.customerId) ?? NO_HISTORY;
    const reactions: Reaction[] = [];
    for (const trigger of triggers) reactions.push(await this.react(trigger, event, profile, history, now));
    return reactions;
  }

  private async react(
    trigger: Trigger,
    event: CustomerEvent,
    profile: Profile,
    history: CustomerHistory,
    now: Date,
  ): Promise<Reaction> {
    const plan = planTrigger(trigger, event, profile, history, now, this.o.catalogue.timeZone);
    if (plan.action === "skip") {
      this.o.log(
        { event: event.type, template: trigger.template },
        "event starts nothing: a repeat within the dedupe window",
      );
      return { template: trigger.template, skipped: plan.reason, deliveries: [] };
    }
    const subject = eventSubject({ type: event.type, template: trigger.template, eventId: event.id });
    const at = now.toISOString();
    const documents = await this.composed(
      trigger.template,
      plan.sends.map((s) => s.channel),
      profile,
      history,
      eventRunId(event.id),
      subject,
      now,
    );
    if (typeof documents === "string") {
      this.o.log(
        { event: event.type, template: trigger.template },
        "event starts nothing: the message cannot be composed",
      );
      return { template: trigger.template, skipped: documents, deliveries: [] };
    }
    const deliveries: Delivery[] = [];
    // A channel the customer cannot receive is a delivery that failed at once: the timeline says why, and the
    // fallback counts it.
    for (const u of plan.unreachable) {
      const { delivery } = await this.o.archive.claimDelivery({
        subject,
        channel: u.channel,
        customerId: profile.id,
        at,
      });
      if (delivery.state === "pending")
        await this.o.archive.moveDelivery(delivery.id, ["pending"], { state: "failed", at, detail: u.reason });
      deliveries.push({ ...delivery, state: "failed" });
    }
    // Every channel is claimed before any is handed over, so a failure on one never finds the others unclaimed
    // (and falls back too early); then they go at once, each at its own pace.
    const claimed: Delivery[] = [];
    for (const send of plan.sends) {
      const { delivery } = await this.o.archive.claimDelivery({
        subject,
        channel: send.channel,
        customerId: profile.id,
        ...(send.address !== undefined && { address: send.address }),
        documentId: documents.get(send.channel),
        notBefore: send.notBefore,
        at,
      });
      claimed.push(delivery);
    }
    deliveries.push(...(await Promise.all(claimed.map((d) => this.dispatch(d)))));
    if (deliveries.some((d) => UNDELIVERED.includes(d.state))) await this.fallBackIfUndelivered(subject, profile.id);
    return {
      template: trigger.template,
      deliveries: deliveries.map((d) => ({ id: d.id, channel: d.channel, state: d.state })),
    };
  }

  /**
   * Composes the channels of a subject that are not claimed yet and archives their documents with the decision:
   * a retried job whose deliveries are all claimed composes nothing. Answers each channel's document id, or why
   * nothing can be composed.
   */
  private async composed(
    template: string,
    channels: readonly Channel[],
    profile: Profile,
    history: CustomerHistory,
    runId: string,
    subject: string,
    now: Date,
  ): Promise<Map<Channel, string> | string> {
    const ids = new Map(
      channels.map((c) => [c, documentId({ runId, customerId: profile.id, template, channel: templateChannel(c) })]),
    );
    const claimed = await Promise.all(
      channels.map((c) => this.o.archive.delivery(deliveryId({ subject, channel: c }))),
    );
    if (channels.length === 0 || claimed.every((d) => d !== undefined)) return ids;
    const created = now.toISOString();
    const r = await this.o.compose({
      template,
      channels: channels.map(templateChannel),
      runDate: created.slice(0, 10),
      profile,
      history,
      record: { runId, created },
    });
    if (!r.ok) return r.problems.map((p) => `${p.code}: ${p.message}`).join("; ");
    await this.o.archive.recordMany(
      r.documents.map((d) => ({
        customerId: profile.id,
        template,
        templateVersion: r.templateVersion,
        channel: d.channel,
        runId,
        created,
        offerIds: d.offerIds,
        contentType: d.contentType,
        bytes: d.bytes,
        release: this.o.released?.get(template),
      })),
      [],
      [r.decision],
    );
    return ids;
  }

  /** Hands a delivery over now, or leaves it with the queue for when it may go. */
  private async dispatch(d: Delivery): Promise<Delivery> {
    // One left `sending` by a worker that died is settled by deliver() (it becomes uncertain).
    if (d.state === "sending") return (await this.deliver(d.id)) ?? d;
    if (d.state !== "pending" && d.state !== "deferred") return d;
    if (d.channel === "print") return d;
    if (d.notBefore !== undefined && Date.parse(d.notBefore) > this.o.now().getTime()) {
      await this.o.later(d.id, new Date(d.notBefore));
      return d;
    }
    return (await this.deliver(d.id)) ?? d;
  }

  /**
   * Hands one delivery to its gateway, at most once: it moves to `sending` before the hand-over and to what the
   * gateway said after. One found still `sending` was being handed over when a worker stopped; it may have left,
   * so it is marked `uncertain` and never sent again.
   */
  async deliver(id: string): Promise<Delivery | undefined> {
    const d = await this.o.archive.delivery(id);
    if (!d) return undefined;
    const now = this.o.now();
    const at = now.toISOString();
    if (d.state === "sending") {
      await this.o.archive.moveDelivery(id, ["sending"], {
        state: "uncertain",
        at,
        detail: "the worker stopped while handing it over: it may have left, so it is not sent again",
      });
      return this.o.archive.delivery(id);
    }
    if ((d.state !== "pending" && d.state !== "deferred") || d.channel === "print") return d;
    if (d.notBefore !== undefined && Date.parse(d.notBefore) > now.getTime()) {
      await this.o.later(id, new Date(d.notBefore));
      return d;
    }
    const refusal = await this.refusal(d);
    if (refusal) {
      await this.o.archive.moveDelivery(id, [d.state], { state: "failed", at, detail: refusal });
      await this.fallBackIfUndelivered(d.subject, d.customerId);
      return this.o.archive.delivery(id);
    }
    const message = await this.message(d);
    if (!(await this.o.archive.moveDelivery(id, [d.state], { state: "sending", at, attempt: true }))) return d;
    const outcome = await this.send(d.channel, message);
    await this.afterHandOver(d, outcome);
    return this.o.archive.delivery(id);
  }

  /** Why a delivery may not go at all: no gateway for its channel, an address that bounced hard before. */
  private async refusal(d: Delivery): Promise<string | undefined> {
    if (d.channel === "print") return undefined;
    if (!this.o.gateways[d.channel]) return `no ${d.channel === "sms" ? "SMS gateway" : "mail server"} is configured`;
    if (d.address === undefined || d.documentId === undefined) return "nothing to send or nowhere to send it";
    const suppressed = await this.o.archive.suppression(d.channel, d.address);
    return suppressed && `the address takes no more ${d.channel} since ${suppressed.at}: ${suppressed.reason}`;
  }

  private async message(d: Delivery): Promise<OutgoingEmail | OutgoingSms> {
    const stored = await this.o.archive.get(d.documentId as string);
    if (!stored) throw new Error(`delivery ${d.id}: document ${d.documentId} is not in the archive`);
    const to = d.address as string;
    if (d.channel === "email") return { channel: "email", deliveryId: d.id, to, eml: stored.bytes };
    const { text } = JSON.parse(new TextDecoder().decode(stored.bytes)) as { text: string };
    return { channel: "sms", deliveryId: d.id, to, text };
  }

  private send(channel: DeliveryChannel, message: OutgoingEmail | OutgoingSms): Promise<SendOutcome> {
    return channel === "email"
      ? (this.o.gateways.email as Gateway<OutgoingEmail>).send(message as OutgoingEmail)
      : (this.o.gateways.sms as Gateway<OutgoingSms>).send(message as OutgoingSms);
  }

  private async afterHandOver(d: Delivery, outcome: SendOutcome): Promise<void> {
    const at = this.o.now().toISOString();
    if (outcome.ok) {
      const { gateway, gatewayId, response } = outcome.value;
      await this.o.archive.moveDelivery(d.id, ["sending"], { state: "sent", at, gateway, gatewayId, detail: response });
      return;
    }
    const { permanent, maybeSent, problem } = outcome.failure;
    if (maybeSent) {
      await this.o.archive.moveDelivery(d.id, ["sending"], {
        state: "uncertain",
        at,
        detail: `${problem.message}: the gateway may have taken it, so it is not sent again`,
      });
      return;
    }
    if (!permanent && (await this.retryLater(d.id, ["sending"], d.attempts + 1, problem.message))) return;
    await this.o.archive.moveDelivery(d.id, ["sending"], { state: "failed", at, detail: problem.message });
    await this.fallBackIfUndelivered(d.subject, d.customerId);
  }

  /** Defers a delivery with back-off while attempts remain; false when they are spent. */
  private async retryLater(id: string, from: DeliveryState[], attempts: number, detail: string): Promise<boolean> {
    if (attempts >= this.retry.attempts) return false;
    const now = this.o.now();
    const notBefore = new Date(now.getTime() + this.retry.backoffMs * 2 ** (attempts - 1));
    const moved = await this.o.archive.moveDelivery(id, from, {
      state: "deferred",
      at: now.toISOString(),
      notBefore: notBefore.toISOString(),
      detail,
    });
    if (moved) await this.o.later(id, notBefore);
    return true;
  }

  /**
   * What the network said after hand-over: a delivery report or a bounce. Answers the delivery as it now stands,
   * or undefined for a report about nothing this outbox sent.
   */
  async report(r: DeliveryReport): Promise<Delivery | undefined> {
    const d = r.deliveryId
      ? await this.o.archive.delivery(r.deliveryId)
      : r.gatewayId
        ? await this.o.archive.deliveryByGatewayId(r.gateway, r.gatewayId)
        : undefined;
    if (!d) return undefined;
    // A gateway can report on a message before its answer to the hand-over is in (Kannel's DLR may overtake the
    // sendsms reply): the report proves the hand-over, so the delivery is sent first and the report then applies.
    if (d.state === "sending")
      await this.o.archive.moveDelivery(d.id, ["sending"], {
        state: "sent",
        at: r.at,
        gateway: r.gateway,
        gatewayId: r.gatewayId,
        detail: "the gateway reported on it before it answered the hand-over",
      });
    const change = { at: r.at, detail: r.status ? `${r.status} ${r.detail}` : r.detail };
    switch (r.outcome) {
      case "delivered":
        await this.o.archive.moveDelivery(d.id, ["sent", "deferred"], { ...change, state: "delivered" });
        break;
      case "buffered":
        // On its way (the SMSC took it, the remote server still tries): nothing changes.
        break;
      case "soft-bounce":
        if (!(await this.retryLater(d.id, ["sent", "delivered"], d.attempts, change.detail))) {
          await this.o.archive.moveDelivery(d.id, ["sent", "delivered"], { ...change, state: "failed" });
          await this.fallBackIfUndelivered(d.subject, d.customerId);
        }
        break;
      case "hard-bounce":
        if (await this.o.archive.moveDelivery(d.id, ["sent", "delivered", "deferred"], { ...change, state: "bounced" }))
          await this.o.archive.suppress({
            channel: d.channel,
            // The address we sent to: a report may name where a forward led, which is not ours to stop.
            address: d.address ?? (r.recipient as string),
            reason: change.detail,
            at: r.at,
            deliveryId: d.id,
          });
        await this.fallBackIfUndelivered(d.subject, d.customerId);
        break;
      case "failed":
        await this.o.archive.moveDelivery(d.id, ["sent", "deferred"], { ...change, state: "failed" });
        await this.fallBackIfUndelivered(d.subject, d.customerId);
        break;
    }
    return this.o.archive.delivery(d.id);
  }

  /**
   * When every delivery of an event's message has failed, the next channel of the trigger's fallback the
   * customer can receive gets the message (a letter joins the print queue). Claims make it once, however many
   * reports race here.
   */
  private async fallBackIfUndelivered(subject: string, customerId: string): Promise<void> {
    const s = parseEventSubject(subject);
    const trigger = s && this.o.catalogue.triggers.find((t) => t.event === s.type && t.template === s.template);
    if (!s || !trigger) return;
    const all = (await this.o.archive.deliveries(customerId, { limit: 10_000 })).filter((d) => d.subject === subject);
    if (all.length < trigger.channels.length || !all.every((d) => UNDELIVERED.includes(d.state))) return;
    const profile = await this.profileOf(customerId);
    if (typeof profile === "string") return;
    const channel = nextFallback(
      trigger,
      profile,
      all.map((d) => d.channel),
    );
    const at = this.o.now().toISOString();
    const last = all[0];
    if (channel === undefined) return;
    const runId = eventRunId(s.eventId, `fallback-${channel}`);
    const history = (await this.o.archive.histories([customerId], at)).get(customerId) ?? NO_HISTORY;
    const documents = await this.composed(s.template, [channel], profile, history, runId, subject, this.o.now());
    if (typeof documents === "string") {
      this.o.log({ template: s.template, channel }, "fallback not sent: the message cannot be composed");
      return;
    }
    const address =
      channel === "email" ? profile.contact.email : channel === "sms" ? profile.contact.mobile : undefined;
    const { claimed, delivery } = await this.o.archive.claimDelivery({
      subject,
      channel,
      customerId,
      ...(address !== undefined && { address }),
      documentId: documents.get(channel),
      fallbackOf: last.id,
      // A text that stands in for a bounced email still keeps to the customer's quiet hours.
      notBefore: sendTime(trigger, channel, customerZone(profile, this.o.catalogue.timeZone), this.o.now()).notBefore,
      at,
    });
    if (!claimed) return;
    for (const d of all)
      await this.o.archive.moveDelivery(d.id, ["failed", "bounced"], {
        state: "fallen-back",
        at,
        detail: `sent again by ${channel === "print" ? "letter" : channel}`,
      });
    await this.dispatch(delivery);
  }

  /** The customer's profile of record, or why there is none to act on. */
  private async profileOf(customerId: string): Promise<Profile | string> {
    const stored = await this.o.archive.lastProfile(customerId);
    if (stored === undefined) return "the archive has no profile of record for the customer";
    const r = validateProfile(stored);
    return r.ok ? r.value : `the profile of record is not valid: ${r.problems[0].message}`;
  }
}
