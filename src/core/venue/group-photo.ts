/**
 * Xiaoguan's group photo in the hub (issue 18): where everyone stands and where the photo camera
 * goes. Pure: every client computes the same arrangement from the same ids, so peers gather into
 * one picture without the server sending positions. The server only relays the countdown.
 */

/** Seconds Xiaoguan counts down before the shutter (the server holds each second for a patch or more). */
export const GROUP_PHOTO_COUNTDOWN_S = 3

/** Height of Xiaoguan's centre in the photo: low enough that its head stays below the visitors' faces. */
export const XIAOGUAN_PHOTO_HEIGHT_M = 0.5

/** The id Xiaoguan has in an arrangement and in the list of who was in frame. */
export const XIAOGUAN_ID = 'xiaoguan'

/** Centre of the group on the hub's deck (between the visitor's spot at z = 1.5 and the portals). */
export const GROUP_CENTRE = { x: 0, z: 0.2 } as const
/** Room each visitor gets along a row, metres. */
export const GROUP_PITCH_M = 0.75
/** Distance between rows, metres (the back row a step behind the front one). */
export const GROUP_ROW_SPACING_M = 0.8
/** Visitors in one row. */
export const GROUP_ROW_SIZE = 6
/** Tallest point of a visitor the camera must keep in frame (head top), metres. */
export const GROUP_HEAD_TOP_M = 1.9
/** Photo camera: vertical field of view (degrees) and its height, metres. */
export const PHOTO_FOV_DEG = 50
export const PHOTO_CAMERA_HEIGHT_M = 1.5

/** A visitor's place in the photo: floor position and yaw that turns -Z (forward) to the camera. */
export interface GroupSlot {
  id: string
  x: number
  z: number
  yaw: number
  row: number
}

/** Where the photo camera stands and what it looks at. */
export interface PhotoCameraPlacement {
  position: [number, number, number]
  target: [number, number, number]
  fovDeg: number
}

/** The whole arrangement: one slot per visitor, Xiaoguan's spot (front centre, floating) and the camera. */
export interface GroupArrangement {
  slots: GroupSlot[]
  xiaoguan: [number, number, number]
  camera: PhotoCameraPlacement
}

/**
 * Lays out `ids` (the visitors present; order does not matter: they are sorted, so every client
 * agrees) in rows of {@link GROUP_ROW_SIZE} on a shallow arc around {@link GROUP_CENTRE}, all
 * facing +Z where the camera stands, and fits the camera so every head and Xiaoguan is in frame
 * at `aspect` (width / height).
 */
export function layoutGroupPhoto(ids: readonly string[], aspect: number): GroupArrangement {
  if (!(aspect > 0) || !Number.isFinite(aspect)) throw new Error(`aspect must be a positive number, got ${aspect}`)
  const sorted = [...new Set(ids)].sort()
  const slots: GroupSlot[] = []
  const rows = Math.max(1, Math.ceil(sorted.length / GROUP_ROW_SIZE))
  for (let i = 0; i < sorted.length; i++) {
    const row = Math.floor(i / GROUP_ROW_SIZE)
    const inRow = Math.min(GROUP_ROW_SIZE, sorted.length - row * GROUP_ROW_SIZE)
    const k = i - row * GROUP_ROW_SIZE
    // Centred; the back row is offset half a pitch so faces show between the front row's heads.
    const x = GROUP_CENTRE.x + (k - (inRow - 1) / 2) * GROUP_PITCH_M + (row % 2) * GROUP_PITCH_M * 0.5
    const z = GROUP_CENTRE.z - row * GROUP_ROW_SPACING_M - 0.04 * x * x // a shallow arc toward the camera
    // Facing +Z (toward the camera): yaw π turns three's -Z forward around.
    slots.push({ id: sorted[i], x, z, yaw: Math.PI, row })
  }
  // Low in front (about a metre tall, floating at knee height): the faces behind stay in the picture.
  const xiaoguan: [number, number, number] = [GROUP_CENTRE.x, XIAOGUAN_PHOTO_HEIGHT_M, GROUP_CENTRE.z + 0.6]
  // Fit: the widest row and the head tops must be inside the frustum, with a margin.
  let halfWidth = 0.6
  for (const s of slots) halfWidth = Math.max(halfWidth, Math.abs(s.x - GROUP_CENTRE.x) + 0.45)
  const depthSpan = (rows - 1) * GROUP_ROW_SPACING_M
  const tanV = Math.tan(((PHOTO_FOV_DEG / 2) * Math.PI) / 180)
  const tanH = tanV * aspect
  const halfHeight = GROUP_HEAD_TOP_M / 2 + 0.25
  const distance = Math.max(halfWidth / tanH, halfHeight / tanV, 1.6) + 0.3
  const front = GROUP_CENTRE.z + 0.6
  const camera: PhotoCameraPlacement = {
    position: [GROUP_CENTRE.x, PHOTO_CAMERA_HEIGHT_M, front + distance],
    target: [GROUP_CENTRE.x, GROUP_HEAD_TOP_M / 2 + 0.1, GROUP_CENTRE.z - depthSpan / 2],
    fovDeg: PHOTO_FOV_DEG,
  }
  return { slots, xiaoguan, camera }
}

/** The slot of `id` in `arrangement`, or null when they are not in it. */
export function slotOf(arrangement: GroupArrangement, id: string): GroupSlot | null {
  return arrangement.slots.find((s) => s.id === id) ?? null
}

/** The group photo as the room's state carries it (server-written; see venue-room.ts). */
export interface GroupPhotoState {
  /** Photos asked for in this room so far (wraps at 65536); 0 before the first. */
  seq: number
  /** Session id of the visitor who asked ('' when none is running). */
  by: string
  /** Their name, for Xiaoguan's line. */
  byName: string
  /** Seconds left: {@link GROUP_PHOTO_COUNTDOWN_S} … 1 counting, 0 the shutter. */
  left: number
}

/** Bilingual line Xiaoguan says for a countdown value (`left` seconds; 0 is the shutter). */
export function countdownLine(left: number, byName: string): { zh: string; en: string } {
  if (left >= GROUP_PHOTO_COUNTDOWN_S) return { zh: `${byName} 想和大家合影！大家靠过来——${left}…`, en: `${byName} wants a group photo! Everyone gather round — ${left}…` }
  if (left > 0) return { zh: `${left}…`, en: `${left}…` }
  // No emoji: in-world text uses the system's fonts, and many lack one (it would draw as a box).
  return { zh: '茄子！', en: 'Say cheese!' }
}
