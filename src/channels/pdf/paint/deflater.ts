import zlib from "node:zlib";

/**
 * zlib's level for a statement's streams and font programs. Level 3 compresses them in about half the time
 * of zlib's default (6), for files ~4% larger.
 */
export const DEFLATE_LEVEL = 3;

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

/**
 * zlib's deflate at one level, for the streams of the statements a thread renders: one zlib stream reused
 * from one PDF stream to the next. `zlib.deflateSync` makes a zlib stream for every call (a Node stream
 * object, zlib's state of ~270 kB set up and zeroed, a 16 kB output buffer) and closes it after; a statement
 * compresses ~8 streams. Here the native stream is reset between PDF streams (zlib's deflateReset: the same
 * bytes as a fresh stream) and writes into one output buffer, grown to the largest stream's need.
 */
export class Deflater {
  private readonly stream: NodeDeflateStream;
  private out = Buffer.allocUnsafe(64 * 1024);

  constructor(readonly level: number) {
    this.stream = zlib.createDeflate({ level }) as unknown as NodeDeflateStream;
    if (typeof this.stream._handle?.writeSync !== "function" || !(this.stream._writeState instanceof Uint32Array))
      throw new Error("Deflater: Node's zlib stream no longer has the native handle it is driven through");
  }

  /** `data` as one zlib stream (a FlateDecode stream's bytes), the same bytes `zlib.deflateSync` gives. */
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
