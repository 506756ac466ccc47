import type { Problem, World } from "../core/index.ts";
import { type Engine, type EngineOptions, ENGINE_DEFAULTS, buildEngine } from "../engine.ts";
import { watchSources } from "./watch.ts";

/** What the studio renders with right now: the last engine that built, and what broke the build after it. */
export interface EngineState {
  /** Goes up by one with every build attempt, good or bad. */
  version: number;
  /** The last engine that built without problems; kept when a later build fails, so the preview stays. */
  engine?: Engine;
  /** The build (`version`) that made `engine`: studio workers build the same templates when it changes. */
  engineVersion: number;
  /** Problems of the latest build ([] when it succeeded). */
  problems: Problem[];
  /** Files whose change triggered the latest build. */
  changed: string[];
  buildMs: number;
}

/**
 * The studio's engine over a folder that people edit: every change on disk builds a NEW Engine (an Engine is
 * never mutated), and listeners hear about each build. Builds never overlap; a change during a build queues one more.
 */
export class LiveEngine {
  private state: EngineState = { version: 0, engineVersion: 0, problems: [], changed: [], buildMs: 0 };
  private readonly listeners = new Set<(s: EngineState) => void>();
  private building?: Promise<EngineState>;
  private queued: string[] | undefined;
  private stopWatching?: () => void;
  readonly options: Required<EngineOptions>;

  constructor(
    private readonly world: World,
    options: EngineOptions = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.options = { ...ENGINE_DEFAULTS, ...options };
  }

  current(): EngineState {
    return this.state;
  }

  /** Builds a new engine now (or after the one in progress). */
  rebuild(changed: string[] = []): Promise<EngineState> {
    if (this.building) {
      this.queued = [...(this.queued ?? []), ...changed];
      return this.building;
    }
    this.building = this.build(changed).finally(() => {
      this.building = undefined;
      const again = this.queued;
      this.queued = undefined;
      if (again) void this.rebuild(again);
    });
    return this.building;
  }

  /** Rebuilds on every change to the templates, the catalogue or the theme. */
  watch(): void {
    if (this.stopWatching) return;
    const o = this.options;
    this.stopWatching = watchSources(
      {
        folders: [this.world.resolve(o.templatesDir)],
        files: [this.world.resolve(o.catalogue), this.world.resolve(o.theme)],
      },
      (changed) => void this.rebuild(changed),
    );
  }

  subscribe(listener: (s: EngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.listeners.clear();
  }

  private async build(changed: string[]): Promise<EngineState> {
    const started = this.clock();
    const r = await buildEngine(this.world, this.options);
    const version = this.state.version + 1;
    this.state = {
      version,
      engine: r.ok ? r.value : this.state.engine,
      engineVersion: r.ok ? version : this.state.engineVersion,
      problems: r.ok ? [] : r.problems,
      changed,
      buildMs: Math.round(this.clock() - started),
    };
    for (const l of this.listeners) l(this.state);
    return this.state;
  }
}
