import { AnimationMixer, LoopOnce, LoopRepeat, Object3D, Vector3, type AnimationAction, type AnimationClip, type Group } from 'three'
import { clipAfter, LOOPING_CLIPS, XIAOGUAN_CLIPS, type XiaoguanClip, type XiaoguanOutfit } from './mascot-logic'

/** A flight of the whole character from one point to another (world space of the holder's parent). */
interface Flight {
  from: Vector3
  to: Vector3
  elapsedS: number
  durationS: number
  /** Height of the arc above the straight line, metres. */
  arc: number
  /** Clip to play on arrival. */
  onArrive: XiaoguanClip
}

/**
 * One Xiaoguan: its own copy of the model, an AnimationMixer with every clip, outfit switching and
 * flights. `update` is called by the experience's single animation frame system; nothing here
 * allocates per frame or reads a clock.
 */
export interface XiaoguanRig {
  /** Holder to add to the scene; flights move it, the model inside it is animated. */
  readonly root: Group
  /** Inside the holder: size and heading (pinch and twist change these, flights do not). */
  readonly pivot: Group
  /** The clip playing now, or null once flown away. */
  readonly clip: XiaoguanClip | null
  readonly outfit: XiaoguanOutfit
  /** True while a flight is under way. */
  readonly flying: boolean
  /** Plays a clip (cross-fading); one-shot clips settle into the clip after them. */
  play(clip: XiaoguanClip): void
  setOutfit(outfit: XiaoguanOutfit): void
  /** Flies the holder from `from` to `to` (copied), playing `fly-in` on the way, then `onArrive`. */
  flyTo(from: Vector3, to: Vector3, options?: { durationS?: number; arc?: number; onArrive?: XiaoguanClip }): void
  /** Advances animation and flight by `deltaS` seconds. */
  update(deltaS: number): void
  dispose(): void
}

const FADE_S = 0.2

/** Builds a rig from the loaded glTF (scene and animations), cloning the scene so rigs are independent. */
export function createXiaoguanRig(gltf: { scene: Group; animations: AnimationClip[] }, outfit: XiaoguanOutfit): XiaoguanRig {
  const root = new Object3D() as Group
  root.name = 'xiaoguan-holder'
  const pivot = new Object3D() as Group
  pivot.name = 'xiaoguan-pivot'
  root.add(pivot)
  const model = gltf.scene.clone(true)
  pivot.add(model)
  const mixer = new AnimationMixer(model)
  const actions = new Map<XiaoguanClip, AnimationAction>()
  for (const name of XIAOGUAN_CLIPS) {
    const clip = gltf.animations.find((c) => c.name === name)
    if (!clip) throw new Error(`xiaoguan.glb has no clip "${name}" (could not load the mascot)`)
    const action = mixer.clipAction(clip)
    const loops = LOOPING_CLIPS.has(name)
    action.setLoop(loops ? LoopRepeat : LoopOnce, loops ? Infinity : 1)
    action.clampWhenFinished = true
    actions.set(name, action)
  }
  const outfitNodes: Object3D[] = []
  model.traverse((node) => {
    if (typeof node.userData.outfit === 'string') outfitNodes.push(node)
    // The model is tiny and always near the visitor: frustum culling per part buys nothing.
    node.frustumCulled = false
  })

  let clip: XiaoguanClip | null = null
  let current: AnimationAction | null = null
  let currentOutfit = outfit
  let flight: Flight | null = null
  const flightFrom = new Vector3()
  const flightTo = new Vector3()

  const play = (next: XiaoguanClip) => {
    const action = actions.get(next)!
    action.reset()
    action.enabled = true
    action.setEffectiveWeight(1)
    action.play()
    if (current && current !== action) current.crossFadeTo(action, FADE_S, false)
    current = action
    clip = next
    model.visible = true
  }

  mixer.addEventListener('finished', (event) => {
    if (event.action !== current || clip === null) return
    // While flying, fly-in keeps its last pose until landing.
    if (flight) return
    const after = clipAfter(clip)
    if (after) play(after)
    else {
      clip = null
      model.visible = false
    }
  })

  const setOutfit = (next: XiaoguanOutfit) => {
    currentOutfit = next
    for (const node of outfitNodes) node.visible = node.userData.outfit === next
  }
  setOutfit(outfit)

  return {
    root,
    pivot,
    get clip() {
      return clip
    },
    get outfit() {
      return currentOutfit
    },
    get flying() {
      return flight !== null
    },
    play,
    setOutfit,
    flyTo(from, to, options = {}) {
      flightFrom.copy(from)
      flightTo.copy(to)
      flight = { from: flightFrom, to: flightTo, elapsedS: 0, durationS: options.durationS ?? 1.8, arc: options.arc ?? 0.25, onArrive: options.onArrive ?? 'hover-idle' }
      root.position.copy(from)
      play('fly-in')
    },
    update(deltaS) {
      if (flight) {
        flight.elapsedS += deltaS
        const k = Math.min(1, flight.elapsedS / flight.durationS)
        // Ease out: fast launch, gentle landing.
        const e = 1 - (1 - k) * (1 - k)
        root.position.lerpVectors(flight.from, flight.to, e)
        root.position.y += Math.sin(Math.PI * e) * flight.arc
        if (k >= 1) {
          const arrive = flight.onArrive
          flight = null
          play(arrive)
        }
      }
      mixer.update(deltaS)
    },
    dispose() {
      mixer.stopAllAction()
      mixer.uncacheRoot(model)
    },
  }
}
