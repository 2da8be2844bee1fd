import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAnswer } from '../serving-context.js';
import type { PredictionLog } from './prediction-log.js';

/**
 * Runs a route's handler under the `logged` acknowledgement of PredictionLog: the log's sequence mark is taken
 * before the handler runs, and a 200 is returned only once the events recorded since (its own among them) are
 * durable. When an append failed (or the log's queue was full) this throws LOOM_ERR_SERVING_LOG_UNAVAILABLE (503)
 * instead, so a client never holds a 200 for a prediction that is not in the log. With group commit, waiting for
 * other requests' events costs at most one extra append. Without a log, or with an `async` one, it only runs `run`.
 * The serving app's routes run through it, on both the direct and the Fastify path.
 */
export function answerLogged(log: PredictionLog | null, run: () => RouteAnswer | Promise<RouteAnswer>): RouteAnswer | Promise<RouteAnswer> {
  // Without a `logged` acknowledgement the answer is run's, synchronous when run's is.
  if (log === null || log.ack !== 'logged') return run();
  return answerWhenDurable(log, log.mark(), run);
}

async function answerWhenDurable(log: PredictionLog, mark: number, run: () => RouteAnswer | Promise<RouteAnswer>): Promise<RouteAnswer> {
  const answer = await run();
  if (answer.statusCode === 200) await log.durable(mark);
  return answer;
}

/**
 * The `logged` acknowledgement for another Fastify app that records predictions in a PredictionLog (ServingApp uses
 * answerLogged instead): the mark is taken when a request arrives, and an onSend hook holds every 200 answer to a
 * POST, whatever its payload (object, string or Buffer), until `log.durable(mark)`; a failed append makes it a 503
 * LOOM_ERR_SERVING_LOG_UNAVAILABLE through the app's error handler. Does nothing for an `async` log. Call it
 * before the app listens.
 *
 * @example
 * const predictionLog = new PredictionLog(await ws.events(), { ack: 'logged' });
 * acknowledgeLogged(fastify, predictionLog); // 200s to POSTs now wait for their log appends
 */
export function acknowledgeLogged(fastify: FastifyInstance, log: PredictionLog): void {
  if (log.ack !== 'logged') return;
  const marks = new WeakMap<FastifyRequest, number>();
  fastify.addHook('onRequest', async (request) => {
    marks.set(request, log.mark());
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const mark = marks.get(request);
    // Only POSTs predict; a health check or metadata read never waits for other requests' appends. The mark is
    // dropped first, so the error answer that a failure turns into is not held again.
    marks.delete(request);
    if (mark !== undefined && reply.statusCode === 200 && request.method === 'POST') await log.durable(mark);
    return payload;
  });
}
