import { TEST_SIGNING_ENV } from "./signing-keys.ts";

// Every test file composes with the suite's own signing keys (see signing-keys.ts): set before it loads.
Object.assign(process.env, TEST_SIGNING_ENV);
