// Worker threads run plain Node: register tsx first so the TypeScript worker (and the engine) can load.
import { register } from "tsx/esm/api";

register();
const { default: run } = await import("./worker.ts");
export default run;
