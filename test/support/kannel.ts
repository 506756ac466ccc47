import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis-server.ts";

/** Where Debian's kannel and kannel-extras put the boxes and the fake operator. */
const BEARERBOX = "/usr/sbin/bearerbox";
const SMSBOX = "/usr/sbin/smsbox";
const FAKESMSC = "/usr/lib/kannel/test/fakesmsc";

/** A text as the fake operator received it from Kannel: one line of fakesmsc's per segment. */
export interface OperatorMessage {
  from: string;
  to: string;
  /** `text` (UTF-8 as Kannel holds 7-bit text), `data` (8-bit, or a segment of a concatenated text), `ucs-2`. */
  type: "text" | "data" | "ucs-2";
  /** The user data header of a segment of a concatenated text. */
  udh?: Buffer;
  /** The payload's bytes. */
  body: Buffer;
}

/** The payload as the phone shows it: UCS-2 big-endian, or UTF-8 for 7-bit text. */
export function shownText(m: OperatorMessage): string {
  return m.type === "ucs-2" ? Buffer.from(m.body).swap16().toString("utf16le") : m.body.toString("utf8");
}

/**
 * `from to [udh UDH] (text RAW | data URLENCODED | ucs-2 URLENCODED)`, as smsc_fake writes it to its client;
 * `line` holds its bytes one character each (latin1), so a raw payload is read back byte for byte.
 */
function operatorMessage(line: string): OperatorMessage {
  const words = line.split(" ");
  const [from, to] = words;
  let rest = words.slice(2);
  let udh: Buffer | undefined;
  if (rest[0] === "udh") {
    udh = Buffer.from(decodeURIComponentBytes(rest[1]));
    rest = rest.slice(2);
  }
  const type = rest[0] as OperatorMessage["type"];
  const payload = rest.slice(1).join(" ");
  const body = type === "text" ? Buffer.from(payload, "latin1") : Buffer.from(decodeURIComponentBytes(payload));
  return { from, to, type, udh, body };
}

/** Kannel's URL encoding carries raw bytes (`%F3`), not always UTF-8: decode it byte by byte. */
function decodeURIComponentBytes(s: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%") {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s[i] === "+" ? 0x20 : s.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
}

/**
 * A Kannel of a test's own: bearerbox with a fake SMSC, smsbox with the HTTP sendsms interface, and fakesmsc
 * connected as the operator, on free ports with a kannel.conf in a folder of its own. smsc_fake reports every
 * text delivered (DLR 1) once fakesmsc has it, and bearerbox reports it accepted by the SMSC (DLR 8).
 */
export class Kannel {
  readonly username = "omnidoc";
  readonly password = "sendsms-password-of-the-tests";
  /** What the operator received, in order. */
  readonly received: OperatorMessage[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly dir: string,
    private readonly ports: { admin: number; smsbox: number; smsc: number; sendsms: number },
  ) {}

  static async start(): Promise<Kannel> {
    const ports = {
      admin: await freePort(),
      smsbox: await freePort(),
      smsc: await freePort(),
      sendsms: await freePort(),
    };
    const kannel = new Kannel(mkdtempSync(join(tmpdir(), "omnidoc-kannel-")), ports);
    try {
      await kannel.up();
    } catch (err) {
      await kannel.stop();
      throw err;
    }
    return kannel;
  }

  /** smsbox's sendsms base, for the gateway's `url`. */
  get url(): string {
    return `http://127.0.0.1:${this.ports.sendsms}`;
  }

  /** Resolves once the operator holds `count` messages. */
  async receivedCount(count: number): Promise<OperatorMessage[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.received.slice(0, count);
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.reverse().map(ended));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async up(): Promise<void> {
    const conf = join(this.dir, "kannel.conf");
    writeFileSync(conf, this.config());
    this.children.push(spawn(BEARERBOX, [conf], { stdio: "ignore" }));
    await this.untilStatus((s) => s.includes("Status: running"));
    this.children.push(spawn(SMSBOX, [conf], { stdio: "ignore" }));
    // With no message of its own to send, fakesmsc reads them from stdin: a pipe kept open keeps it connected.
    const operator = spawn(FAKESMSC, ["-H", "127.0.0.1", "-r", String(this.ports.smsc), "-m", "0"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    this.children.push(operator);
    let pending = "";
    operator.stderr?.setEncoding("latin1").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const got = /Got message \d+: <(.*)>$/.exec(line);
        if (!got) continue;
        this.received.push(operatorMessage(got[1]));
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
    await this.untilStatus((s) => /FAKE:\d+ \(online/.test(s) && !s.includes("No boxes connected"));
    await this.untilAnswered(`${this.url}/cgi-bin/sendsms`);
  }

  private config(): string {
    const { admin, smsbox, smsc, sendsms } = this.ports;
    const log = (box: string) => `log-file = "${join(this.dir, `${box}.log`)}"\nlog-level = 1`;
    return `group = core
admin-port = ${admin}
admin-password = admin-password-of-the-tests
admin-interface = 127.0.0.1
smsbox-port = ${smsbox}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
dlr-storage = internal
${log("bearerbox")}

group = smsc
smsc = fake
smsc-id = fake
port = ${smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${smsbox}
sendsms-port = ${sendsms}
sendsms-interface = 127.0.0.1
${log("smsbox")}

group = sendsms-user
username = ${this.username}
password = ${this.password}
concatenation = true
max-messages = 10
`;
  }

  /** Polls bearerbox's status page until `ready` holds of it. */
  private async untilStatus(ready: (status: string) => boolean): Promise<void> {
    const url = `http://127.0.0.1:${this.ports.admin}/status.txt?password=admin-password-of-the-tests`;
    await poll(async () => ready(await (await fetch(url)).text()), `bearerbox at ${url}`);
  }

  private async untilAnswered(url: string): Promise<void> {
    await poll(async () => (await fetch(url)).status > 0, `smsbox at ${url}`);
  }
}

async function poll(ready: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 150; tries++) {
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not come up`);
}

/** SIGTERM (the boxes shut down cleanly), SIGKILL if one still runs after five seconds. */
function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
