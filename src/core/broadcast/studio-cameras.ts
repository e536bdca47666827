/**
 * The livestream room's five cameras (metres, room coordinates: the stage at the origin, the host
 * facing +Z toward the cameras, stage top 0.2 m). Keys 7–0 and F1–F5 cut to them in this order
 * (1–6 are the host's expression keys).
 */
import type { CameraSpec } from './camera-rigs'

/** Wide, medium, close-up, first-person and orbit, in switcher order. */
export const STUDIO_CAMERAS: readonly CameraSpec[] = [
  { id: 'wide', label: { zh: '全景', en: 'Wide' }, rig: { kind: 'fixed', position: [0, 2.1, 5.2], target: [0, 1.25, 0], fov: 48 } },
  // The original programme camera: in front of the stage at chest height.
  { id: 'medium', label: { zh: '中景', en: 'Medium' }, rig: { kind: 'fixed', position: [0, 1.55, 2.45], target: [0, 1.42, 0], fov: 30 } },
  {
    id: 'close-up',
    label: { zh: '特写', en: 'Close-up' },
    rig: { kind: 'tracking', position: [0.45, 1.75, 1.9], aimOffset: [0, -0.08, 0], fov: 16, smoothTime: 0.35 },
  },
  {
    id: 'first-person',
    label: { zh: '主播视角', en: 'First person' },
    rig: { kind: 'first-person', fov: 70, smoothTime: 0.12, lookSmoothTime: 0.3, lookDistance: 2.5, eyeForward: 0.12 },
  },
  {
    id: 'orbit',
    label: { zh: '环绕', en: 'Orbit' },
    rig: {
      kind: 'orbit',
      centre: [0, 0, 0],
      radius: 3.1,
      height: 1.9,
      midAngle: 0,
      sweep: 0.75,
      period: 24,
      target: [0, -0.35, 0],
      followSubject: true,
      fov: 34,
      smoothTime: 0.5,
    },
  },
]
