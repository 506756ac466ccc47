// Worker threads run plain Node: each loads the module the pool names in `workerData.module` (TypeScript, under
// src/) from its compiled bundle, so each kind of thread loads only what its own tasks need.
import { workerData } from "node:worker_threads";
import { importCompiled } from "./compiled.mjs";

const { default: run } = await importCompiled(new URL(workerData.module));
export default run;
