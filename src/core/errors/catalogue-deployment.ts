import type { ErrorArea } from './error-definition.js';

/** Errors from src/deployment (deployment strategies, the traffic router, feedback, experiment reports, `loom deploy`). */
export const DEPLOYMENT_ERRORS = {
  DEPLOY_INVALID_SPEC: {
    status: 400,
    message: 'The deployment strategy is invalid at "{field}": {problem}. See docs/deployment.md for the fields of each strategy kind.',
    meaning: 'A deployment strategy spec (canary steps, A/B weights, guardrails, bandit or interleaving settings) failed validation.',
    fix: 'Correct the named field; `loom deploy --help` lists the strategy options.',
  },
  DEPLOY_NOT_FOUND: {
    status: 404,
    message: 'There is no deployment "{name}". `loom deploy status <model>` shows a model\'s current deployment; `loom deploy <model> --strategy …` creates one.',
    meaning: 'No deployment has that id, and no model with that name has a deployment.',
    fix: 'Check the deployment id or model name, or create a deployment first.',
  },
  DEPLOY_NOT_ACTIVE: {
    status: 409,
    message: 'Deployment "{id}" of model "{name}" is {state}, so it cannot be {action}. Start a new one with `loom deploy {name} --strategy …`.',
    meaning: 'A step, promotion or rollback was asked of a deployment that already ended (promoted, rolled back or replaced).',
    fix: 'Look at `loom deploy status <model>` and create a new deployment if needed.',
  },
  DEPLOY_INVALID_OPTION: {
    status: 400,
    message: 'The option "{field}" is invalid: {problem}.',
    meaning: 'A deploy command or deployment API option has a bad value.',
    fix: 'Correct the named option (see `loom deploy --help`).',
  },
  DEPLOY_INVALID_FEEDBACK: {
    status: 400,
    message: 'The feedback is invalid at "{field}": {problem}. Send {request_id, outcome, value?, timestamp?} (or {outcomes: [...]}) to POST /v1/feedback.',
    meaning: 'A POST /v1/feedback body is not a well-formed outcome (or list of outcomes).',
    fix: 'Send request_id (the id a predict response returned), an outcome name, an optional numeric value or list of clicked positions, and the timestamp of the outcome (ISO-8601 or epoch ms).',
  },
  DEPLOY_FEEDBACK_UNAVAILABLE: {
    status: 404,
    message: 'This server records no feedback: it was started without a deployment store. Start it with `loom serve` in a workspace (which records feedback in the metadata store).',
    meaning: 'POST /v1/feedback reached a server that has no deployment store to write outcomes to.',
    fix: 'Serve from a workspace (`loom serve`), or pass `deployments` to createServingApp.',
  },
} as const satisfies ErrorArea;
