/** Slots a table starts with: twice the ~500 colours of the email's chart, so it never grows for it. */
const INITIAL_SLOTS = 1024;

/**
 * Numbers the colours of an image in the order they are met: a colour (an RGBA word) to its number, kept in an
 * open-addressing table of typed arrays. A `Map` of numbers costs ~40 ns a look-up in the chart's ~17,000 runs
 * of one colour; this table is a multiply, a shift and one or two array reads, and it allocates nothing per
 * look-up. It doubles when half full, so any number of colours fits.
 */
export class ColourIds {
  /** The colours in the order they were met: a colour's number is its place here. */
  colours = new Int32Array(256);
  size = 0;
  private keys = new Int32Array(INITIAL_SLOTS);
  /** A slot's colour number plus one; 0 is an empty slot (every colour, 0 too, can be a key). */
  private numbers = new Int32Array(INITIAL_SLOTS);
  private shift = 32 - Math.log2(INITIAL_SLOTS);

  /** The colour's number, given the next one if it is new. */
  idOf(colour: number): number {
    const mask = this.keys.length - 1;
    // Fibonacci hashing: the high bits of the product, so colours that differ in one channel spread out.
    let slot = Math.imul(colour, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const n = this.numbers[slot];
      if (n === 0) return this.added(colour, slot);
      if (this.keys[slot] === colour) return n - 1;
      slot = (slot + 1) & mask;
    }
  }

  private added(colour: number, slot: number): number {
    const id = this.size++;
    if (id === this.colours.length) {
      const colours = new Int32Array(id * 2);
      colours.set(this.colours);
      this.colours = colours;
    }
    this.colours[id] = colour;
    this.keys[slot] = colour;
    this.numbers[slot] = id + 1;
    if (this.size * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    return id;
  }

  private rehash(slots: number): void {
    this.keys = new Int32Array(slots);
    this.numbers = new Int32Array(slots);
    this.shift = 32 - Math.log2(slots);
    const mask = slots - 1;
    for (let id = 0; id < this.size; id++) {
      const colour = this.colours[id];
      let slot = Math.imul(colour, 0x9e3779b1) >>> this.shift;
      while (this.numbers[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = colour;
      this.numbers[slot] = id + 1;
    }
  }
}
