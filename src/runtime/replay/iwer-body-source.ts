/**
 * An emulated body-tracking source for IWER, which has none: while a replay with a recorded body
 * runs in the emulator, `XRFrame.body` exists and maps each of the 23 recorded joints
 * (XR_BODY_JOINTS) to an IWER space placed at the recorded pose, so code that reads the live
 * WebXR body (fillInputSnapshotFromXRFrame, i.e. the recorder) sees what a Quest would give it.
 *
 * The joint spaces hang off IWER's global space, the space the replay also writes the head into
 * (the device pose), so `getPose(joint, refSpace)` gives the recorded pose in the reference space
 * the recording was made in. A frame without a body gives `XRFrame.body === null`. Unlike IWER's
 * own poses (applied at the next frame start), the joints move at once; the recorder and the
 * replay both read the same snapshot, so nothing in the app depends on that lag.
 */
import type { XRDevice } from 'iwer'
import { GlobalSpace, XRFrame as IwerXRFrame, XRSpace } from 'iwer'
import { P_DEVICE, P_SPACE } from 'iwer/lib/private.js'
import { BODY_JOINT_STRIDE, XR_BODY_JOINTS, type XRInputSnapshot } from '../../core/input/input-snapshot'

/** What the emulated `XRFrame.body` returns: the XRBody map (joint name → space). */
export interface EmulatedXRBody {
  get(joint: string): XRSpace | undefined
  has(joint: string): boolean
  readonly size: number
  keys(): IterableIterator<string>
  forEach(callback: (space: XRSpace, joint: string) => void): void
}

/** The emulated body source; see the module comment. */
export interface IwerBodySource {
  /** The body this frame (null when the replayed frame has none). */
  readonly body: EmulatedXRBody | null
  /** Places the joints from one replayed snapshot (call once per app frame, with the head). */
  apply(snapshot: XRInputSnapshot): void
  /** Removes `XRFrame.body` again (the prototype is as it was before). */
  release(): void
}

type SpaceInternals = { [P_SPACE]: { offsetMatrix: Float32Array } }

/**
 * Installs the source on `frameProto` (IWER's `XRFrame.prototype` by default) for `device`.
 * `globalSpace` defaults to the device's own global space.
 */
export function createIwerBodySource(device: XRDevice | null, frameProto: object = IwerXRFrame.prototype, globalSpace?: XRSpace): IwerBodySource {
  const root = globalSpace ?? ((device as unknown as { [P_DEVICE]: { globalSpace: GlobalSpace } })[P_DEVICE].globalSpace as XRSpace)
  const spaces = new Map<string, XRSpace>(XR_BODY_JOINTS.map((name) => [name, new XRSpace(root)]))
  const body: EmulatedXRBody = {
    get: (joint) => spaces.get(joint),
    has: (joint) => spaces.has(joint),
    size: spaces.size,
    keys: () => spaces.keys(),
    forEach: (callback) => spaces.forEach(callback),
  }
  let active = false
  const previous = Object.getOwnPropertyDescriptor(frameProto, 'body')
  Object.defineProperty(frameProto, 'body', { configurable: true, get: () => (active ? body : null) })

  return {
    get body() {
      return active ? body : null
    },
    apply(snapshot) {
      active = snapshot.bodyValid
      if (!active) return
      const joints = snapshot.body
      for (let j = 0; j < XR_BODY_JOINTS.length; j++) {
        const o = j * BODY_JOINT_STRIDE
        const m = (spaces.get(XR_BODY_JOINTS[j]) as unknown as SpaceInternals)[P_SPACE].offsetMatrix
        // Column-major rigid matrix from the unit quaternion and the position.
        const x = joints[o + 3], y = joints[o + 4], z = joints[o + 5], w = joints[o + 6]
        m[0] = 1 - 2 * (y * y + z * z)
        m[1] = 2 * (x * y + z * w)
        m[2] = 2 * (x * z - y * w)
        m[3] = 0
        m[4] = 2 * (x * y - z * w)
        m[5] = 1 - 2 * (x * x + z * z)
        m[6] = 2 * (y * z + x * w)
        m[7] = 0
        m[8] = 2 * (x * z + y * w)
        m[9] = 2 * (y * z - x * w)
        m[10] = 1 - 2 * (x * x + y * y)
        m[11] = 0
        m[12] = joints[o]
        m[13] = joints[o + 1]
        m[14] = joints[o + 2]
        m[15] = 1
      }
    },
    release() {
      active = false
      if (previous) Object.defineProperty(frameProto, 'body', previous)
      else delete (frameProto as { body?: unknown }).body
    },
  }
}
