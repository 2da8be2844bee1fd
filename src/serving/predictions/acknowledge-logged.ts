import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PredictionLog } from './prediction-log.js';

/**
 * Makes a serving app's successful responses wait for their prediction log events (the `logged` acknowledgement of
 * PredictionLog): at the start of each request the log's sequence mark is taken, and before a 200 is serialized the
 * hook awaits `log.durable(mark)`. When the append failed (or the log's queue was full) the response becomes a 503
 * LOOM_ERR_SERVING_LOG_UNAVAILABLE instead, so a client never holds a 200 for a prediction that is not in the log.
 *
 * The wait covers the events recorded by every request between this request's start and its response; with group
 * commit these share appends, so waiting for them costs at most one extra append. Does nothing for an `async` log.
 * ServingApp installs it for its prediction log; call it yourself only for another Fastify app, before it listens.
 *
 * @example
 * const predictionLog = new PredictionLog(await ws.events(), { ack: 'logged' });
 * const app = createServingApp({ repository, predictionLog }); // 200s now wait for their log appends
 * await app.listen({ port: 8080 });
 */
export function acknowledgeLogged(fastify: FastifyInstance, log: PredictionLog): void {
  if (log.ack !== 'logged') return;
  const marks = new WeakMap<FastifyRequest, number>();
  fastify.addHook('onRequest', async (request) => {
    marks.set(request, log.mark());
  });
  // preSerialization runs before onSend (where the app counts the response), so a failure is counted as the 503 it becomes.
  fastify.addHook('preSerialization', async (request, reply, payload) => {
    const mark = marks.get(request);
    // Only POSTs predict; a health check or metadata read never waits for other requests' appends.
    if (mark !== undefined && reply.statusCode === 200 && request.method === 'POST') await log.durable(mark);
    return payload;
  });
}
