/**
 * Layout of the in-world expression palette (studio-controls.tsx), in the studio controls' panel
 * space: plain numbers, shared with the e2e test that aims a controller at a cell.
 */

/** Where the palette sits beside the controls: to their side toward the stage front, in the wearer's view. */
export const PALETTE_OFFSET: [number, number, number] = [-0.56, 0, 0]

/** Most expressions the palette shows (six rows of three; the page panel shows all). */
export const PALETTE_MAX = 18

/** Most emotes the palette shows below the expressions (two rows of three). */
export const PALETTE_EMOTES_MAX = 6

/**
 * Palette index of emote `i`: after the expressions' rows (up to `expressionCount`, at most
 * {@link PALETTE_MAX}) and one row for the emotes' heading.
 */
export function emoteCellIndex(expressionCount: number, i: number): number {
  return Math.ceil(Math.min(expressionCount, PALETTE_MAX) / 3) * 3 + 3 + i
}

/** Size of a palette cell, metres. */
export const PALETTE_CELL = { width: 0.16, height: 0.075 } as const

const PITCH_X = 0.17
const PITCH_Y = 0.085

/** Centre of palette cell `i` in palette space (three columns from the top, under the title). */
export function paletteCellCentre(i: number): [number, number, number] {
  return [((i % 3) - 1) * PITCH_X, 0.27 - Math.floor(i / 3) * PITCH_Y, 0]
}
