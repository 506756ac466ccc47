// A pool worker starts here: it registers the TypeScript loader in its own thread, then loads the worker.
import { register } from "tsx/esm/api";

register();
const worker = await import("./worker.ts");
export default worker.default;
export const printBatch = worker.printBatch;
