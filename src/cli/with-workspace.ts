import { Workspace } from '../storage/workspace.js';

/** Runs a command's work in the configured workspace and closes it afterwards, whatever happens. */
export async function withWorkspace(work: (ws: Workspace) => Promise<void>): Promise<void> {
  const ws = Workspace.open();
  try {
    await work(ws);
  } finally {
    await ws.close();
  }
}
