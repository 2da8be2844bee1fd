import { Socket } from 'node:net';

/** Local services that the scale-out backends test against. */
export const SERVICES = {
  postgres: { host: '127.0.0.1', port: 5432, uri: process.env.LOOM_TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/test' },
  redis: { host: '127.0.0.1', port: 6379, uri: process.env.LOOM_TEST_REDIS_URI ?? 'redis://127.0.0.1:6379/15' },
  nats: { host: '127.0.0.1', port: 4222, uri: process.env.LOOM_TEST_NATS_URI ?? 'nats://127.0.0.1:4222' },
} as const;

export type ServiceName = keyof typeof SERVICES;

/**
 * Decides whether a service-backed test runs. Returns `false` (run it) when the port answers. When it does not:
 * under CI=true the test is required, so this throws and the test fails; elsewhere it returns a skip reason that
 * node:test prints.
 */
export async function serviceSkip(name: ServiceName): Promise<string | false> {
  const { host, port } = SERVICES[name];
  if (await reachable(host, port)) return false;
  const reason = `${name} is not reachable on ${host}:${port}; start it (see ../shared/notes/services.md)`;
  if (process.env.CI === 'true') throw new Error(`required service missing under CI=true: ${reason}`);
  return reason;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}
