// Worker threads run plain Node: register tsx in the thread, then load the TypeScript module the pool names
// in `workerData.module`, so each kind of thread loads only what its own tasks need.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { default: run } = await import(workerData.module);
export default run;
