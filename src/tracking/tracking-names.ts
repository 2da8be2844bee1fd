import { LoomError } from '../core/errors/index.js';

const KEY = /^[A-Za-z0-9_\-./:@ ]{1,250}$/;
const EXPERIMENT = /^[A-Za-z0-9][A-Za-z0-9_\-.:/]{0,249}$/;

/**
 * Checks an artifact path: 1–1000 printable characters, `/`-separated, not absolute, with no empty, `.` or `..` part.
 * @throws LOOM_ERR_TRACKING_INVALID_NAME
 */
export function checkArtifactPath(path: string): string {
  const parts = typeof path === 'string' ? path.split('/') : [];
  if (typeof path !== 'string' || path.length === 0 || path.length > 1000 || /[\u0000-\u001f\\]/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new LoomError('TRACKING_INVALID_NAME', { what: 'Artifact path', name: String(path), problem: 'use a relative path of printable characters such as model/manifest.json, without empty, "." or ".." parts or backslashes' }, { details: { field: 'path' } });
  }
  return path;
}

/** Checks a param, metric or tag key (1–250 of letters, digits, space and `_-./:@`). @throws LOOM_ERR_TRACKING_INVALID_NAME */
export function checkKey(what: 'Param' | 'Metric' | 'Tag', key: string): string {
  if (typeof key !== 'string' || !KEY.test(key) || key.trim() !== key) {
    throw new LoomError('TRACKING_INVALID_NAME', { what, name: String(key), problem: 'use 1–250 letters, digits, spaces or "_-./:@", without leading or trailing spaces' }, { details: { field: what.toLowerCase() } });
  }
  return key;
}

/** Checks an experiment name (starts with a letter or digit; no spaces). @throws LOOM_ERR_TRACKING_INVALID_NAME */
export function checkExperimentName(name: string): string {
  if (typeof name !== 'string' || !EXPERIMENT.test(name)) {
    throw new LoomError('TRACKING_INVALID_NAME', { what: 'Experiment', name: String(name), problem: 'use 1–250 letters, digits or "_-.:/", starting with a letter or digit' }, { details: { field: 'experiment' } });
  }
  return name;
}

/** Checks a run name (1–250 printable characters). @throws LOOM_ERR_TRACKING_INVALID_NAME */
export function checkRunName(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 250 || /[\u0000-\u001f]/.test(name)) {
    throw new LoomError('TRACKING_INVALID_NAME', { what: 'Run name', name: String(name), problem: 'use 1–250 printable characters' }, { details: { field: 'name' } });
  }
  return name;
}
