import { type Server, type Socket, createConnection, createServer } from "node:net";

/** A TCP relay to a real server that a test can take down and bring back on the same port. */
export interface TcpProxy {
  readonly port: number;
  /** Refuses new connections and cuts the open ones, as a database that went away. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((ready, failed) => {
      const s = createServer((client) => {
        const upstream = createConnection(target);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once("error", failed);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as { port: number }).port;
        server = s;
        ready();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    stop: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server?.close(() => done());
        server = undefined;
      }),
    start: listen,
  };
}
