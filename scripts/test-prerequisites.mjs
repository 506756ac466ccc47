#!/usr/bin/env node
// Runs before `npm test`: the suite checks omnidoc's output with tools nobody on the project wrote (poppler,
// zbar, Chromium) and talks to a real PostgreSQL and real Redis servers. Where one is missing, install it when we may (root with
// apt-get, as on a fresh CI machine), else stop at once with one line naming the command to run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";

/** Debian packages the tests use, by a command each provides (or a shell probe that succeeds once installed). */
const TOOLS = [
  { command: "pdftoppm", pkg: "poppler-utils" },
  { command: "pdftotext", pkg: "poppler-utils" },
  { command: "pdfinfo", pkg: "poppler-utils" },
  { command: "pdffonts", pkg: "poppler-utils" },
  { command: "zbarimg", pkg: "zbar-tools" },
  { command: "chromium", pkg: "chromium" },
  { command: "qpdf", pkg: "qpdf" },
  { command: "spamassassin", pkg: "spamassassin" },
  // The billing run on a disk that fills up: a small tmpfs, mounted and grown (as root).
  { command: "mount", pkg: "mount" },
  { command: "umount", pkg: "mount" },
  { probe: "/usr/bin/python3 -c 'import pikepdf'", pkg: "python3-pikepdf" },
  // The distributed run's tests start Redis servers of their own, to restart one mid-run.
  { command: "redis-server", pkg: "redis-server" },
  // The SMS gateway's tests start a Kannel of their own (bearerbox, smsbox) with its fake SMSC client as the operator.
  { probe: "test -x /usr/sbin/bearerbox", pkg: "kannel" },
  { probe: "test -x /usr/sbin/smsbox", pkg: "kannel" },
  { probe: "test -x /usr/lib/kannel/test/fakesmsc", pkg: "kannel-extras" },
];
const POSTGRES = { host: "127.0.0.1", port: 5432 };

const succeeds = (script) => spawnSync("sh", ["-c", script], { stdio: "ignore" }).status === 0;
const has = (command) => succeeds(`command -v ${command}`);
const present = (tool) => (tool.probe ? succeeds(tool.probe) : has(tool.command));
const isRoot = process.getuid?.() === 0;

function stop(line) {
  process.stderr.write(`npm test: ${line}\n`);
  process.exit(1);
}

function ensureTools() {
  const missing = [...new Set(TOOLS.filter((t) => !present(t)).map((t) => t.pkg))];
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot || !has("apt-get")) stop(`the tests need ${missing.join(", ")}; run: sudo ${install}`);
  process.stderr.write(`npm test: installing ${missing.join(", ")} (Debian packages the tests use)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const step of ["apt-get update -qq", `${install} -qq`]) {
    const r = spawnSync("sh", ["-c", step], { stdio: ["ignore", "ignore", "inherit"], env });
    if (r.status !== 0) stop(`\`${step}\` failed; run it yourself and try again`);
  }
}

function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

async function ensurePostgres() {
  if (await reachable(POSTGRES)) return;
  const clusters = existsSync("/etc/postgresql") && has("pg_ctlcluster");
  const start = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
  if (isRoot && clusters) {
    spawnSync("sh", ["-c", start], { stdio: "inherit" });
    if (await reachable(POSTGRES)) return;
  }
  stop(
    `the tests need PostgreSQL on ${POSTGRES.host}:${POSTGRES.port} (trust auth, database test); ` +
      (clusters ? `run: sudo ${start}` : "install it with: sudo apt-get install -y postgresql"),
  );
}

ensureTools();
await ensurePostgres();
