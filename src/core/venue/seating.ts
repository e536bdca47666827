/**
 * The livestream room's audience area: rows of seats on arcs around the stage (at the origin,
 * facing +Z toward the cameras), every seat turned to face the stage centre. The server hands out
 * seat indices (lowest free first); every client computes the same placement from the index.
 */

/** Radius of the front row, metres from the stage centre (behind the programme camera at 2.7 m). */
export const FIRST_ROW_RADIUS_M = 4.2
/** Distance between rows. */
export const ROW_SPACING_M = 0.9
/** Rows in the audience area. */
export const ROW_COUNT = 5
/** Seats span ±this angle (radians) either side of the +Z axis. */
export const ARC_HALF_ANGLE = (50 * Math.PI) / 180
/** Room along the arc per seat. */
export const SEAT_PITCH_M = 0.75

/** Seats in row `row`: as many as fit on its arc at {@link SEAT_PITCH_M}. */
export function seatsInRow(row: number): number {
  const radius = FIRST_ROW_RADIUS_M + row * ROW_SPACING_M
  return Math.floor((2 * ARC_HALF_ANGLE * radius) / SEAT_PITCH_M) + 1
}

/** Total seats of the audience area. */
export const SEAT_COUNT = (() => {
  let n = 0
  for (let r = 0; r < ROW_COUNT; r++) n += seatsInRow(r)
  return n
})()

/** Where a seat is: floor position and yaw (radians about +Y) that turns -Z (forward) to the stage. */
export interface SeatPlacement {
  x: number
  z: number
  yaw: number
  row: number
}

/**
 * Writes the placement of seat `index` (0 = front row, centre-most first) into `out`. Seats fill
 * from the middle of the front row outward, alternating sides, so a small audience sits together
 * in front of the host. Out-of-range indices clamp to the last seat. Allocates nothing.
 */
export function seatPlacement(index: number, out: SeatPlacement): SeatPlacement {
  let i = Math.max(0, Math.min(SEAT_COUNT - 1, Math.floor(index)))
  let row = 0
  while (i >= seatsInRow(row)) i -= seatsInRow(row++)
  const n = seatsInRow(row)
  // Centre-out order: 0 → middle, 1 → right of it, 2 → left of it, ...
  const k = Math.floor((n - 1) / 2) + Math.ceil(i / 2) * (i % 2 === 1 ? 1 : -1)
  const theta = n > 1 ? -ARC_HALF_ANGLE + (2 * ARC_HALF_ANGLE * k) / (n - 1) : 0
  const radius = FIRST_ROW_RADIUS_M + row * ROW_SPACING_M
  out.x = radius * Math.sin(theta)
  out.z = radius * Math.cos(theta)
  // Rotating -Z by theta about +Y gives (-sin θ, 0, -cos θ): toward the stage centre.
  out.yaw = theta
  out.row = row
  return out
}

/** The lowest seat index not in `taken` (-1 when all {@link SEAT_COUNT} are taken). */
export function freeSeat(taken: Iterable<number>): number {
  const used = new Set<number>()
  for (const t of taken) if (t >= 0) used.add(t)
  for (let i = 0; i < SEAT_COUNT; i++) if (!used.has(i)) return i
  return -1
}
