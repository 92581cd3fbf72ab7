/**
 * 6-connected components of a 3D mask in NIfTI order (i fastest): a component id per voxel
 * (0 = outside the mask, ids from 1 in order of each component's first voxel) and the size
 * of each component (`sizes[id]`, `sizes[0]` = 0). Breadth-first search with one queue
 * shared by all components: O(voxels), no recursion (tumour components reach 10⁵ voxels).
 */
export function connectedComponents(
  mask: ArrayLike<number>,
  dims: readonly [number, number, number],
): { ids: Int32Array; sizes: number[] } {
  const [X, Y, Z] = dims;
  const n = X * Y * Z;
  if (mask.length !== n) throw new Error(`connectedComponents: mask has ${mask.length} voxels, dims ${dims.join('×')} need ${n}`);
  const ids = new Int32Array(n);
  const sizes = [0];
  const queue = new Int32Array(n);
  const XY = X * Y;
  for (let seed = 0; seed < n; seed++) {
    if (!mask[seed] || ids[seed]) continue;
    const id = sizes.length;
    ids[seed] = id;
    let head = 0, tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const v = queue[head++];
      const i = v % X, j = Math.floor(v / X) % Y, k = Math.floor(v / XY);
      // neighbours inside the grid only: the grid's edge is not wrapped around
      if (i > 0 && mask[v - 1] && !ids[v - 1]) { ids[v - 1] = id; queue[tail++] = v - 1; }
      if (i < X - 1 && mask[v + 1] && !ids[v + 1]) { ids[v + 1] = id; queue[tail++] = v + 1; }
      if (j > 0 && mask[v - X] && !ids[v - X]) { ids[v - X] = id; queue[tail++] = v - X; }
      if (j < Y - 1 && mask[v + X] && !ids[v + X]) { ids[v + X] = id; queue[tail++] = v + X; }
      if (k > 0 && mask[v - XY] && !ids[v - XY]) { ids[v - XY] = id; queue[tail++] = v - XY; }
      if (k < Z - 1 && mask[v + XY] && !ids[v + XY]) { ids[v + XY] = id; queue[tail++] = v + XY; }
    }
    sizes.push(tail);
  }
  return { ids, sizes };
}
