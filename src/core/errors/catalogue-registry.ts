import type { ErrorArea } from './error-definition.js';

/** Errors from src/registry (registered models, versions, aliases, promotion) and src/evaluation/gates. */
export const REGISTRY_ERRORS = {
  REGISTRY_MODEL_NOT_FOUND: {
    status: 404,
    message: 'Registered model "{name}" does not exist.{suggestion} `loom models list` shows the registered models; `loom models register <model-dir> --name {name}` creates it.',
    meaning: 'A registered model name was not found in the registry.',
    fix: 'Check the name with `loom models list`, or register the model first.',
  },
  REGISTRY_VERSION_NOT_FOUND: {
    status: 404,
    message: 'Model "{name}" has no version {version}.{suggestion} `loom models versions {name}` lists its versions.',
    meaning: 'A version number was not found for the model (or, for a bare name, every version is archived).',
    fix: 'Use a version listed by `loom models versions <name>`.',
  },
  REGISTRY_ALIAS_NOT_FOUND: {
    status: 404,
    message: 'Model "{name}" has no alias "{alias}".{suggestion} Its aliases: {known}. Set one with `loom models alias {name} {alias} <version>`.',
    meaning: 'An alias (champion, challenger, …) is not set on the model.',
    fix: 'Use an alias shown by `loom models show <name>`, or set it with `loom models alias`.',
  },
  REGISTRY_NAME_INVALID: {
    status: 400,
    message: 'The {what} "{value}" is not valid: {problem}.',
    meaning: 'A model name, alias name, stage or tag key breaks the naming rules.',
    fix: 'Model names: letters, digits, ".", "_" and "-" (up to 128, no "@"). Aliases: lowercase letter first, then lowercase letters, digits, "_" and "-" (up to 64), not all digits and not "latest".',
  },
  REGISTRY_REF_INVALID: {
    status: 400,
    message: 'Model reference "{ref}" is invalid: {problem}. Write <name>, <name>@<version> or <name>@<alias>.',
    meaning: 'A model reference does not have the form name, name@version or name@alias.',
    fix: 'Write the reference as name (latest version), name@3 (a version) or name@champion (an alias).',
  },
  REGISTRY_ALIAS_CONFLICT: {
    status: 409,
    message: 'Alias "{alias}" of model "{name}" changed while this {action} was being made (expected {expected}, found {found}); nothing was changed. Check `loom models show {name}` and run the command again.',
    meaning: 'Another process moved the alias between reading it and writing it. The compare-and-set refused the write, so only one of two concurrent moves wins.',
    fix: 'Look at the new state and retry if the move still makes sense.',
  },
  REGISTRY_VERSION_CONFLICT: {
    status: 409,
    message: 'Model "{name}" already has version {version} with this artifact ({hash}), but {problem}. Versions are immutable.',
    meaning: 'A model artifact already registered under the name was registered again with different immutable links (such as another run id).',
    fix: 'Register without --run (to reuse the version), or re-train to get a new artifact.',
  },
  REGISTRY_ROLLBACK_UNAVAILABLE: {
    status: 409,
    message: 'Alias "{alias}" of model "{name}" has no previous holder to roll back to: {problem}.',
    meaning: 'Rollback moves an alias back to the version it pointed at before its last move; this alias has no earlier holder left.',
    fix: 'Check `loom models history <name>`, and point the alias explicitly with `loom models alias`.',
  },
  REGISTRY_EVALUATION_INVALID: {
    status: 400,
    message: 'The evaluation report {source} is invalid at "{field}": {problem}. Pass the evaluation.json that `loom eval` wrote.',
    meaning: 'A file given as an evaluation report is not JSON or does not have the EvaluationReport shape (format loom.evaluation/1).',
    fix: 'Pass the unedited evaluation.json written by `loom eval`.',
  },
  REGISTRY_EVALUATION_MISMATCH: {
    status: 409,
    message: 'The evaluation report {source} is for model {reportHash}, not for {name}@{version} (model {modelHash}). Evaluate that version and attach its own report.',
    meaning: 'An evaluation report names a different model artifact (manifest hash) than the version it is attached to or used for.',
    fix: 'Attach each version\'s own evaluation report.',
  },
  REGISTRY_EVALUATION_MISSING: {
    status: 409,
    message: 'The gate needs an evaluation report of {name}@{version} ({role}){onData}, and none is attached. Evaluate it (`loom eval`), then attach the report with `loom models attach-eval {name}@{version} <evaluation.json>`, or pass --{role}-eval <file>.',
    meaning: 'A promotion gate compares evaluation reports, and one side has none (on the data the other side was evaluated on).',
    fix: 'Evaluate both versions on the same dataset and attach the reports.',
  },
  REGISTRY_FORCE_REASON_REQUIRED: {
    status: 400,
    message: '--force needs --reason "<why>": a forced promotion skips the gate and is audited with its reason.',
    meaning: 'A promotion was forced without saying why.',
    fix: 'Add --reason with a short explanation.',
  },
  REGISTRY_FORBIDDEN: {
    status: 403,
    message: '{actor} (role {role}) may not {action} on model "{name}"; that needs role {needed} or higher. Ask an admin to grant it.',
    meaning: 'The acting principal\'s role does not allow the registry action (see the permission table in docs/registry.md).',
    fix: 'Act as a principal with a sufficient role.',
  },
  REGISTRY_INVALID_OPTION: {
    status: 400,
    message: 'Option "{field}" is invalid: {problem}.',
    meaning: 'A registry command option has a value of the wrong form.',
    fix: 'Correct the named option; `loom models <command> --help` shows the forms.',
  },
  REGISTRY_FILE_NOT_FOUND: {
    status: 404,
    message: 'The {what} file "{path}" does not exist. Check the path (it is resolved from {cwd}).',
    meaning: 'A gate file, evaluation report, model card or model directory passed to a registry command is missing.',
    fix: 'Check the path and the working directory.',
  },
  GATE_PARSE_ERROR: {
    status: 400,
    message: 'The gate {source} does not parse at line {line}, column {column}: {problem}. docs/registry.md (Gate language) describes the rules.',
    meaning: 'A promotion gate file is not valid gate language; details.line and details.column point at the problem.',
    fix: 'Fix the rule at the given line and column.',
  },
  GATE_FAILED: {
    status: 409,
    message: 'The gate refused moving "{to}" of {name} to version {version}: {failed} of {total} rules failed; first: line {line} `{rule}`: {reason}. Improve the challenger, or pass --force --reason "<why>" (audited).',
    meaning: 'A promotion gate rule did not hold for the challenger\'s evaluation report (against the champion\'s), so the promotion was refused.',
    fix: 'Fix the model, or force the promotion with a reason; the forced move is recorded in the history.',
  },
  GATE_DATA_MISMATCH: {
    status: 409,
    message: 'The gate compares {challenger} and {champion}, but they were evaluated on different data ({challengerData} vs {championData}). Evaluate both on the same dataset version.',
    meaning: 'Champion and challenger evaluation reports are on different datasets or row counts, so their metrics are not comparable.',
    fix: 'Evaluate both versions on one dataset version and attach those reports.',
  },
} as const satisfies ErrorArea;
