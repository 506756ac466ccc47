/** The part of autocannon's API the load tests use (the package ships no types). */
declare module "autocannon" {
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  /** Kept per connection across its requests: what a request was, for its response to be checked against. */
  type Context = Record<string, unknown>;
  interface Options {
    url: string;
    connections: number;
    duration: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: {
      setupRequest?: (req: Request, context: Context) => Request;
      onResponse?: (status: number, body: string, context: Context) => void;
    }[];
  }
  interface Stats {
    average: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  }
  interface Result {
    requests: Stats;
    latency: Stats;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
