import zlib from "node:zlib";

/** The members of Node's zlib stream (Node 20) a reused stream is driven through: its native handle and results. */
interface NodeDeflateStream {
  _handle?: {
    writeSync(
      flush: number,
      input: Uint8Array,
      inputOffset: number,
      inputLength: number,
      output: Uint8Array,
      outputOffset: number,
      outputLength: number,
    ): void;
    reset(): void;
  };
  /** What the last write left: the output's room, then the input's bytes not read. */
  _writeState?: Uint32Array;
  destroyed: boolean;
}

/** zlib's settings a deflater compresses with, as `zlib.deflateSync` takes them. */
export interface DeflateSettings {
  level: number;
  /** zlib's `Z_DEFAULT_STRATEGY` unless given. */
  strategy?: number;
}

/**
 * zlib's deflate with one set of settings, for the streams a thread writes one after another (a statement's
 * PDF streams, an email chart's PNG rows): one zlib stream reused from one to the next. `zlib.deflateSync`
 * makes a zlib stream for every call (a Node stream object, zlib's state of ~270 kB set up and zeroed, a
 * 16 kB output buffer, a handle the collector must finalize) and closes it after. Here the native stream is
 * reset between streams (zlib's deflateReset: the same bytes as a fresh stream) and writes into one output
 * buffer, grown to the largest stream's need.
 */
export class Deflater {
  private readonly stream: NodeDeflateStream;
  private out = Buffer.allocUnsafe(64 * 1024);

  constructor(settings: DeflateSettings) {
    this.stream = zlib.createDeflate(settings) as unknown as NodeDeflateStream;
    if (typeof this.stream._handle?.writeSync !== "function" || !(this.stream._writeState instanceof Uint32Array))
      throw new Error("Deflater: Node's zlib stream no longer has the native handle it is driven through");
  }

  /** `data` as one zlib stream, the same bytes `zlib.deflateSync` gives with the same settings. */
  deflate(data: Uint8Array): Buffer {
    const handle = this.stream._handle!;
    const state = this.stream._writeState!;
    let out = this.out;
    let written = 0;
    let read = 0;
    for (;;) {
      handle.writeSync(zlib.constants.Z_FINISH, data, read, data.length - read, out, written, out.length - written);
      if (this.stream.destroyed) throw new Error("Deflater: zlib failed");
      read = data.length - state[1];
      written = out.length - state[0];
      // With Z_FINISH, room left over means the stream is complete.
      if (state[0] > 0) break;
      const larger = Buffer.allocUnsafe(out.length * 2);
      out.copy(larger, 0, 0, written);
      this.out = out = larger;
    }
    handle.reset();
    return Buffer.copyBytesFrom(out, 0, written);
  }
}
