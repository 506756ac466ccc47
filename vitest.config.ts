import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A process per file: the files start worker threads, child processes and servers, and read their own
    // process's threads (/proc/self/task). Two at once fill two cores, since much of a file's time is waiting
    // on those children; vitest's default on two cores is one.
    pool: "forks",
    maxWorkers: 2,
  },
});
