import type { Tree } from '../tree/tree.js';
import { modelFormatError } from './model-format-error.js';

/**
 * Checks that a tree read from text is a tree — every node and leaf reached exactly once from the root (node 0), so
 * prediction cannot loop or index out of range — and fills `leafParent` and `leafDepth` from the structure.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` (the tree's `Tree=` line) and `left_child`/`right_child`.
 *
 * @internal
 */
export function linkTreeNodes(tree: Tree, line: number): void {
  const leaves = tree.numLeaves;
  const nodes = leaves - 1;
  if (nodes === 0) {
    tree.leafParent[0] = -1;
    tree.leafDepth[0] = 0;
    return;
  }
  const nodeDepth = new Int32Array(nodes).fill(-1);
  const leafSeen = new Uint8Array(leaves);
  const stack = new Int32Array(nodes);
  let top = 0;
  let reached = 1;
  nodeDepth[0] = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top];
    for (let side = 0; side < 2; side++) {
      const field = side === 0 ? 'left_child' : 'right_child';
      const child = side === 0 ? tree.leftChild[node] : tree.rightChild[node];
      if (child >= 0) {
        if (child >= nodes) throw modelFormatError(line, field, `node ${node} points to node ${child}; the tree has ${nodes} nodes`);
        if (nodeDepth[child] >= 0 || child === 0) throw modelFormatError(line, field, `node ${child} is reached twice; the nodes do not form a tree`);
        nodeDepth[child] = nodeDepth[node] + 1;
        stack[top++] = child;
        reached++;
      } else {
        const leaf = ~child;
        if (leaf >= leaves) throw modelFormatError(line, field, `node ${node} points to leaf ${leaf}; the tree has ${leaves} leaves`);
        if (leafSeen[leaf] === 1) throw modelFormatError(line, field, `leaf ${leaf} is reached twice; the nodes do not form a tree`);
        leafSeen[leaf] = 1;
        tree.leafParent[leaf] = node;
        tree.leafDepth[leaf] = nodeDepth[node] + 1;
      }
    }
  }
  // With every node reached once, the 2(n-1) distinct child slots cover the n-2 non-root nodes and all n leaves.
  if (reached !== nodes) throw modelFormatError(line, 'left_child', `only ${reached} of ${nodes} nodes are reachable from the root`);
}
