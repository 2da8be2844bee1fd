/** Errors from src/serving/batch (`loom predict` over files and datasets) and the prediction log's acknowledged mode. */
export const BATCH_PREDICT_ERRORS = {
  PREDICT_INVALID_OPTION: {
    status: 400,
    message: 'The option "{field}" is invalid: {problem}.',
    meaning: 'A `loom predict` / batchPredict option has a bad value (output format, chunk size, kept columns).',
    fix: 'Correct the named option (see `loom predict --help`).',
  },
  PREDICT_INVALID_ROW: {
    status: 400,
    message: 'Input row {row}, field "{field}" {problem}. Fix the input, or pass --skip-invalid to write bad rows to a rejects file and predict the rest.',
    meaning: "A row of the batch input does not match the model's input signature (a missing column, a value of the wrong type, a missing value the model cannot take).",
    fix: 'Correct the named row and field, or run with --skip-invalid; `loom models show <name>` lists the input signature.',
  },
  PREDICT_RESUME_MISMATCH: {
    status: 409,
    message: 'Cannot resume into "{output}": {what} changed since the interrupted run ({was} then, {now} now). Run again without --resume to start over.',
    meaning: 'A resumed batch prediction would mix rows scored by two models, or from two different inputs or settings.',
    fix: 'Resume with the same model version, input and options, or drop --resume to start the output over.',
  },
  PREDICT_MANIFEST_CORRUPT: {
    status: 409,
    message: 'The resume manifest {path} is unreadable ({problem}). Run again without --resume to start the output over.',
    meaning: 'The side directory of an interrupted batch prediction holds a manifest that does not parse or misses part files.',
    fix: 'Drop --resume (the side directory is then rebuilt).',
  },
  SERVING_LOG_UNAVAILABLE: {
    status: 503,
    message: 'The prediction could not be logged ({problem}), and this server acknowledges predictions only once they are logged. Retry later; the operator should check the event log backend.',
    meaning: 'In `--log-ack logged` mode an append to the prediction log failed, so the prediction was not acknowledged.',
    fix: 'Check the event log backend (disk space, database); retry the request.',
  },
} as const;
