import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The signing keys every test composes with, set explicitly (omnidoc has no default key).
    setupFiles: ["test/support/setup-signing-keys.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A process per worker: the files start worker threads, child processes and servers, and read their own
    // process's threads (/proc/self/task). Two at once fill two cores, since much of a file's time is waiting
    // on those children; vitest's default on two cores is one.
    pool: "forks",
    maxWorkers: 2,
    // Files share their worker's loaded modules instead of importing the engine's ~250 modules each time (a
    // third of the suite's time). That is sound because modules keep no state of their own: every Engine
    // holds its own render caches, and a file that changes the process (cwd, env) puts it back.
    isolate: false,
  },
});
