/**
 * Peers in a recorded take (issue 18): what this client received from the venue — visitors
 * joining and leaving, their quantised poses — as one app event per frame, so a replay shows the
 * same peers moving the same way at the same frames, with no server. Encoding is compact JSON
 * (the recording format's event data); decoding treats the data as untrusted (a shared file).
 */
import { POSE_LENGTH, validatePose } from './pose.ts'

/** Event type of a frame's received peer changes. */
export const VENUE_PEERS_EVENT = 'venue-peers'

/** A visitor who joined (or was already there when the take started). */
export interface PeerJoin {
  id: string
  name: string
  avatar: string
  colour: string
  /** The room's experience as the server names it (`venue`, `livestream`, `tianhe`). */
  experience: string
  role: string
}

/** A pose received from a peer: {@link POSE_LENGTH} int16 values, as on the wire. */
export interface PeerPose {
  id: string
  pose: number[]
}

/** What one frame received: joins first, then poses, then leaves. */
export interface PeerFrame {
  joins: PeerJoin[]
  poses: PeerPose[]
  leaves: string[]
}

/** Most entries of each kind in one frame (a room holds at most 100 visitors). */
const MAX_ENTRIES = 128
/** Longest id, name, avatar, colour or role string accepted from a file. */
const MAX_TEXT = 64

/** Encodes a frame as event data: `{ j: [[id, name, avatar, colour, experience, role]], p: [[id, ...pose]], l: [id] }`, empty kinds left out. */
export function encodePeerFrame(frame: PeerFrame): { j?: string[][]; p?: (string | number)[][]; l?: string[] } {
  const out: { j?: string[][]; p?: (string | number)[][]; l?: string[] } = {}
  if (frame.joins.length) out.j = frame.joins.map((v) => [v.id, v.name, v.avatar, v.colour, v.experience, v.role])
  if (frame.poses.length) out.p = frame.poses.map((p) => [p.id, ...p.pose])
  if (frame.leaves.length) out.l = [...frame.leaves]
  return out
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT

/**
 * Decodes event data written by {@link encodePeerFrame}; null when it is not one (wrong shapes,
 * over-long strings, too many entries, a pose the server would have refused). Never throws.
 */
export function decodePeerFrame(data: unknown): PeerFrame | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  const d = data as { j?: unknown; p?: unknown; l?: unknown }
  const list = (v: unknown): unknown[] | null => (v === undefined ? [] : Array.isArray(v) && v.length <= MAX_ENTRIES ? v : null)
  const j = list(d.j)
  const p = list(d.p)
  const l = list(d.l)
  if (!j || !p || !l) return null
  const frame: PeerFrame = { joins: [], poses: [], leaves: [] }
  for (const e of j) {
    if (!Array.isArray(e) || e.length !== 6 || !e.every(isText) || !e[0]) return null
    frame.joins.push({ id: e[0], name: e[1], avatar: e[2], colour: e[3], experience: e[4], role: e[5] })
  }
  for (const e of p) {
    if (!Array.isArray(e) || e.length !== POSE_LENGTH + 1 || !isText(e[0]) || !e[0]) return null
    const pose = e.slice(1)
    if (validatePose(pose) !== null) return null
    frame.poses.push({ id: e[0], pose: pose as number[] })
  }
  for (const e of l) {
    if (!isText(e) || !e) return null
    frame.leaves.push(e)
  }
  return frame
}

/** Gathers what the connection received between two frames, while a take records. */
export interface PeerFrameCollector {
  join(peer: PeerJoin): void
  /** Copies `pose` (the decoded state's array is reused by the network library). */
  pose(id: string, pose: ArrayLike<number>): void
  leave(id: string): void
  /** The frame gathered since the last call, or null when nothing came; starts the next. */
  take(): PeerFrame | null
}

/** Creates an empty collector. A later pose of the same peer in one frame replaces the earlier one. */
export function createPeerFrameCollector(): PeerFrameCollector {
  let frame: PeerFrame = { joins: [], poses: [], leaves: [] }
  return {
    join(peer) {
      frame.joins.push({ ...peer })
    },
    pose(id, pose) {
      const values = Array.from({ length: POSE_LENGTH }, (_, i) => pose[i])
      const existing = frame.poses.find((p) => p.id === id)
      if (existing) existing.pose = values
      else frame.poses.push({ id, pose: values })
    },
    leave(id) {
      frame.poses = frame.poses.filter((p) => p.id !== id)
      frame.leaves.push(id)
    },
    take() {
      if (!frame.joins.length && !frame.poses.length && !frame.leaves.length) return null
      const out = frame
      frame = { joins: [], poses: [], leaves: [] }
      return out
    },
  }
}
