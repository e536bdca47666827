import { describe, expect, it } from 'vitest'
import { POSE_LENGTH, quantisePose } from './pose'
import { createPeerFrameCollector, decodePeerFrame, encodePeerFrame, VENUE_PEERS_EVENT, type PeerFrame } from './peer-events'
import { createSyntheticRecording } from '../replay/synthetic-session'
import { validateRecording } from '../replay/validate-recording'
import { RECORDING_VERSION } from '../replay/recording-format'

const pose = (x: number) => {
  const f = new Float32Array(POSE_LENGTH)
  for (let p = 0; p < 3; p++) f[p * 7 + 6] = 1
  f[0] = x
  f[1] = 1.6
  return Array.from(quantisePose(f, new Int16Array(POSE_LENGTH)))
}

describe('peer events in a take', () => {
  it('round-trips a frame through JSON (the recording stores it as event data)', () => {
    const frame: PeerFrame = {
      joins: [{ id: 'bo1', name: 'Bo', avatar: 'panda', colour: '#17bebb', experience: 'venue', role: 'visitor' }],
      poses: [{ id: 'bo1', pose: pose(0.5) }],
      leaves: ['cy2'],
    }
    const data = JSON.parse(JSON.stringify(encodePeerFrame(frame))) as unknown
    expect(decodePeerFrame(data)).toEqual(frame)
    // Empty kinds are left out, and an empty frame decodes to an empty one.
    expect(encodePeerFrame({ joins: [], poses: [], leaves: ['x'] })).toEqual({ l: ['x'] })
    expect(decodePeerFrame({})).toEqual({ joins: [], poses: [], leaves: [] })
  })

  it('refuses data a hostile file could carry', () => {
    const ok = encodePeerFrame({ joins: [], poses: [{ id: 'a', pose: pose(0) }], leaves: [] })
    const badPose = [['a', ...pose(0).slice(0, 20)]]
    const nanPose = [['a', Number.NaN, ...pose(0).slice(1)]]
    const farPose = [['a', 99_999, ...pose(0).slice(1)]]
    expect(decodePeerFrame(ok)).not.toBeNull()
    for (const bad of [
      null,
      'x',
      [1],
      { p: badPose },
      { p: nanPose },
      { p: farPose },
      { j: [['a', 'b', 'c', 'd', 'e']] },
      { j: [['', 'b', 'c', 'd', 'e', 'f']] },
      { j: [['a', 'x'.repeat(65), 'c', 'd', 'e', 'f']] },
      { l: [3] },
      { l: Array.from({ length: 200 }, (_, i) => `v${i}`) },
      { p: 'nope' },
    ])
      expect(decodePeerFrame(bad), JSON.stringify(bad)?.slice(0, 60)).toBeNull()
  })

  it('collects joins, the latest pose per peer and leaves between frames, copying the poses', () => {
    const c = createPeerFrameCollector()
    expect(c.take()).toBeNull()
    const live = pose(1)
    c.join({ id: 'a', name: 'Ada', avatar: 'panda', colour: '#fff', experience: 'venue', role: 'visitor' })
    c.pose('a', live)
    c.pose('b', pose(2))
    c.pose('a', pose(3)) // the newer pose of the same frame wins
    live[0] = 0 // the library reuses its arrays: the collected copy must not change
    c.leave('b') // b's pose of this frame goes with b
    const f = c.take()!
    expect(f.joins.map((j) => j.id)).toEqual(['a'])
    expect(f.poses).toEqual([{ id: 'a', pose: pose(3) }])
    expect(f.leaves).toEqual(['b'])
    expect(c.take()).toBeNull()
  })

  it('is an ordinary event of the current recording format: a take with peers validates, no version bump', () => {
    const recording = createSyntheticRecording({ frames: 60, inputs: 'controllers' })
    for (let f = 0; f < 60; f += 3) {
      const frame: PeerFrame = { joins: f === 0 ? [{ id: 'bo1', name: 'Bo', avatar: 'panda', colour: '#17bebb', experience: 'venue', role: 'visitor' }] : [], poses: [{ id: 'bo1', pose: pose(f / 100) }], leaves: [] }
      recording.events.push({ frame: f, t: recording.frames[f][0] as number, type: VENUE_PEERS_EVENT, data: encodePeerFrame(frame) })
    }
    recording.events.sort((a, b) => a.frame - b.frame)
    const result = validateRecording(JSON.stringify(recording))
    expect(result.ok ? null : result.error.message.en).toBeNull()
    expect(recording.version).toBe(RECORDING_VERSION)
    if (result.ok) expect(result.recording.events.filter((e) => e.type === VENUE_PEERS_EVENT).map((e) => decodePeerFrame(e.data)?.poses[0].pose[0])).toEqual(Array.from({ length: 20 }, (_, i) => Math.round(i * 30)))
  })
})
