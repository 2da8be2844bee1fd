import { cpus, hostname, totalmem } from 'node:os';
import { loomVersion } from '../models/artifact/index.js';
import type { SystemInfo } from './run-record.js';

/** The machine and process this code runs in, as a run records it. */
export function systemInfo(): SystemInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    hostname: hostname(),
    pid: process.pid,
    loomVersion: loomVersion(),
  };
}
