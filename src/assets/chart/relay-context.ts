/**
 * A 2D context that passes every call and property to the context it is lent for one draw, so one kept chart
 * can draw into contexts made afresh each time (the PDF painter makes one for each chart it places): Chart.js
 * holds on to the context a chart is made with, in the chart and in each of its scales and controllers. Its
 * canvas is its own, `width`×`height` as the chart was made, so the chart never sees the lent one's.
 */
export class RelayContext {
  readonly context: CanvasRenderingContext2D;
  private target: CanvasRenderingContext2D | undefined;
  /** The lent context's methods bound to it, made once per method per draw, not once per call. */
  private bound = new Map<PropertyKey, unknown>();

  constructor(width: number, height: number) {
    const canvas = { width, height, style: {}, getContext: () => this.context };
    const lent = () => {
      if (!this.target) throw new Error("the chart drew with no context lent to it");
      return this.target as unknown as Record<PropertyKey, unknown>;
    };
    this.context = new Proxy({} as CanvasRenderingContext2D, {
      get: (_, key) => {
        if (key === "canvas") return canvas;
        const target = lent();
        const value = target[key];
        if (typeof value !== "function") return value;
        let fn = this.bound.get(key);
        if (!fn) {
          fn = value.bind(target);
          this.bound.set(key, fn);
        }
        return fn;
      },
      set: (_, key, value) => {
        lent()[key] = value;
        return true;
      },
    });
  }

  /** Runs `draw` with every use of `context` going to `target`. */
  lend(target: CanvasRenderingContext2D, draw: () => void): void {
    this.target = target;
    this.bound = new Map();
    try {
      draw();
    } finally {
      this.target = undefined;
    }
  }
}
