/**
 * The operators pdfkit's `fillColor` and `strokeColor` write for a `#rgb` or `#rrggbb` colour (its colour
 * space, then its components as fractions of 255 written in full, as JavaScript writes them), made once a
 * document and colour instead of once a call: a statement sets ~90 fills and strokes from a handful of
 * colours, and writing each component again was ~1% of its CPU. Undefined for any other colour: pdfkit sets
 * those itself. pdfkit's colour without an opacity writes nothing more.
 */
export class ColourOperators {
  private readonly made = new Map<string, string | undefined>();

  get(colour: string, stroke: boolean): string | undefined {
    const key = stroke ? `S${colour}` : colour;
    if (this.made.has(key)) return this.made.get(key);
    const ops = operators(colour, stroke);
    this.made.set(key, ops);
    return ops;
  }
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function operators(colour: string, stroke: boolean): string | undefined {
  if (!HEX.test(colour)) return undefined;
  const full =
    colour.length === 4 ? `#${colour[1]}${colour[1]}${colour[2]}${colour[2]}${colour[3]}${colour[3]}` : colour;
  const rgb = Number.parseInt(full.slice(1), 16);
  const components = [rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff].map((c) => c / 255).join(" ");
  return stroke ? `/DeviceRGB CS\n${components} SCN` : `/DeviceRGB cs\n${components} scn`;
}
