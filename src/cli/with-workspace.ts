import type { Workspace } from '../storage/workspace.js';

/**
 * Runs a command's work in the configured workspace and closes it afterwards, whatever happens. The storage layer is
 * loaded here, when a command runs, not when `loom` starts.
 */
export async function withWorkspace(work: (ws: Workspace) => Promise<void>): Promise<void> {
  const { Workspace } = await import('../storage/workspace.js');
  const ws = Workspace.open();
  try {
    await work(ws);
  } finally {
    await ws.close();
  }
}
