/**
 * How tests and benchmarks start Debian's Chromium: headless, as root, with nothing that talks to the network
 * by itself (the machine's closed network would refuse it at every start).
 */
export const CHROMIUM_LAUNCH = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
