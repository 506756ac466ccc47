// The benches compose with keys of their own (omnidoc has no default signing key), unless the environment
// already holds some. Imported first by every bench that composes, so its worker threads and commands inherit them.
process.env.OMNIDOC_LINK_KEY ??= "bench:link-key-of-the-benchmarks-0123456789";
process.env.OMNIDOC_TRACKING_KEY ??= "bench:tracking-key-of-the-benchmarks-012345";
