/**
 * Shelf packing for a text-panel atlas: panels of known pixel size placed left to right in rows
 * ("shelves") of a fixed-width canvas, a gap between cells so linear filtering never bleeds a
 * neighbour in. Pure arithmetic, unit-tested in Node.
 */

/** A cell to place, in canvas pixels. */
export interface AtlasSize {
  w: number
  h: number
}

/** Where each cell went (same order as the input), and the canvas height the shelves need. */
export interface AtlasLayout {
  cells: { x: number; y: number; w: number; h: number }[]
  width: number
  height: number
}

/** Packs `sizes` into shelves of `width` px, `gap` px apart. Throws when one cell is wider than the atlas. */
export function packShelves(sizes: readonly AtlasSize[], width: number, gap = 4): AtlasLayout {
  const cells: AtlasLayout['cells'] = []
  let x = 0
  let y = 0
  let shelf = 0
  for (const { w, h } of sizes) {
    if (w > width) throw new RangeError(`atlas cell ${w} px wide does not fit an atlas ${width} px wide`)
    if (x > 0 && x + w > width) {
      y += shelf + gap
      x = 0
      shelf = 0
    }
    cells.push({ x, y, w, h })
    x += w + gap
    if (h > shelf) shelf = h
  }
  return { cells, width, height: y + shelf }
}

/** UV rectangle [u0, v0, u1, v1] of a cell (v up, as three's textures with flipY). */
export function cellUv(cell: { x: number; y: number; w: number; h: number }, width: number, height: number): [number, number, number, number] {
  return [cell.x / width, 1 - (cell.y + cell.h) / height, (cell.x + cell.w) / width, 1 - cell.y / height]
}

/** Side of the atlas cell of a plain (solid colour) panel, px: it is sampled only at its centre. */
export const PLAIN_CELL_PX = 4

/**
 * UV rectangle of a plain cell: all four corners at the cell's centre, so the whole quad takes
 * that one colour and linear filtering never reaches the transparent gap around the cell (a quad
 * mapped to the cell's edges would fade out over its outer texels).
 */
export function plainCellUv(cell: { x: number; y: number; w: number; h: number }, width: number, height: number): [number, number, number, number] {
  const u = (cell.x + cell.w / 2) / width
  const v = 1 - (cell.y + cell.h / 2) / height
  return [u, v, u, v]
}
