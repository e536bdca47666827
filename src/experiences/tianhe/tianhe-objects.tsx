import type { ThreeEvent } from '@react-three/fiber'
import { useEffect, useMemo, type ReactNode } from 'react'
import {
  BoxGeometry,
  BufferGeometry,
  Color,
  ConeGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Object3D,
  Quaternion,
  RingGeometry,
  SphereGeometry,
  TorusGeometry,
  Vector3,
} from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import type { Language } from '../../core/app/options'
import { ARM_DOF, anyZoneDrawn, findLooseItem, getFixture, locateItem, vignetteStrength, wobbleScale, zoneIndexAt } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { CanvasPanel, font, roundRect } from './canvas-panel'
import { filterDoorPose, fixtureTheta, hatchDoorPose, hitBoxMatrix, interactiveFixtureIds } from './fixture-poses'
import { LABEL_ATLAS, createLabels, labelQuads, paintLabels } from './labels'
import { faceAngle, wallFrame } from './outfitting'
import { buildQuads } from './quads'
import { SCREEN_ATLAS, paintScreens, screenQuads, screensKey } from './screens'
import { TABLET_M, TABLET_PX, currentTarget, onTabletClick, paintTablet } from './tablet'
import { desktopSqueeze, triggerFixture, type PickTargets } from './tianhe-controls'
import { itemInfo, type TianheSession } from './tianhe-session'

/**
 * The experience's moving and drawn-on parts, each one or two draw calls: screens, signs, loose
 * items, the doors that open, the fixture hit boxes, the target highlight, the comfort vignette,
 * the crew tablet and the robotic arm outside. Each updates in a registered frame system (no
 * per-entity useFrame) and redraws canvases only on change, through the frame loop's job queue.
 */

type PointerLike = ThreeEvent<MouseEvent> & { pointerType?: string; instanceId?: number; uv?: { x: number; y: number } }

/** Schedules a canvas redraw on the job queue (once; re-armed after it runs). */
function useRedrawJob(name: string, estimateMs: number) {
  const { frame } = useLingjing()
  return useMemo(() => {
    const state = { pending: false, paint: (() => undefined) as () => void }
    return {
      request(paint: () => void) {
        state.paint = paint
        if (state.pending) return
        state.pending = true
        frame.jobs.enqueue({
          name,
          priority: 5,
          estimateMs,
          deadlineMs: frame.clock.now() + 150,
          step: () => {
            state.pending = false
            state.paint()
            return true
          },
        })
      },
    }
  }, [estimateMs, frame, name])
}

/**
 * Hides `object` while none of `zones` (indices in `session.drawDistance.zones`) is drawn, or, with
 * `zones` null, while the outside is hidden: the 'tianhe-draw-distance' lever's flags, applied only
 * when they change (an integer compare per frame otherwise).
 */
function useZoneCulling(session: TianheSession, name: string, object: Object3D, zones: readonly number[] | null): void {
  const applied = useMemo(() => ({ version: -1, object }), [object])
  useFrameSystem(
    name,
    'animation',
    () => {
      const dd = session.drawDistance
      if (dd.version === applied.version) return
      applied.version = dd.version
      applied.object.visible = zones ? anyZoneDrawn(dd, zones) : dd.outside
    },
    26,
  )
}

/**
 * What is seen only through the window or from outside (Earth, the stars): hidden with the outside
 * by the 'tianhe-draw-distance' lever (the cabin's walls cover them everywhere else).
 */
export function OutsideOnly({ session, children }: { session: TianheSession; children: ReactNode }) {
  const group = useMemo(() => {
    const g = new Group()
    g.name = 'tianhe-outside-only'
    return g
  }, [])
  useZoneCulling(session, 'tianhe-outside-only', group, null)
  return <primitive object={group}>{children}</primitive>
}

/** Indices of the zones the points lie in (build time only). */
function zonesOf(session: TianheSession, zs: readonly number[]): number[] {
  return [...new Set(zs.map((z) => zoneIndexAt(session.layout, session.drawDistance, z)))]
}

/** Console screens and gauges: one atlas, one mesh. */
export function Screens({ session, lang }: { session: TianheSession; lang: Language }) {
  const parts = useMemo(() => {
    const panel = new CanvasPanel(SCREEN_ATLAS.w, SCREEN_ATLAS.h)
    const quads = screenQuads(session.layout)
    const geometry = buildQuads(quads)
    const material = new MeshBasicMaterial({ map: panel.texture, toneMapped: false })
    const mesh = new Mesh(geometry, material)
    mesh.name = 'tianhe-screens'
    return { panel, geometry, material, mesh, zones: zonesOf(session, quads.map((q) => q.center.z)) }
  }, [session])
  useZoneCulling(session, 'tianhe-screens-zones', parts.mesh, parts.zones)
  useEffect(
    () => () => {
      parts.panel.dispose()
      parts.geometry.dispose()
      parts.material.dispose()
    },
    [parts],
  )
  const job = useRedrawJob('tianhe-screens', 6)
  const state = useMemo(() => ({ key: '', nextCheckMs: 0, lang }), [lang])
  useFrameSystem('tianhe-screens', 'post', (ctx) => {
    // A few checks a second; the key is only built then (and the canvas redrawn only if it changed).
    if (ctx.timeMs < state.nextCheckMs) return
    state.nextCheckMs = ctx.timeMs + 250
    const blink = Math.floor(session.simTimeMs / 500) % 2 === 0
    const key = screensKey(session.world, state.lang, blink)
    if (key === state.key) return
    state.key = key
    job.request(() => paintScreens(parts.panel, session.world, state.lang, blink))
  })
  const level = useMemo(() => ({ applied: '' }), [])
  useFrameSystem('tianhe-screens-level', 'animation', () => {
    if (level.applied === session.lighting) return
    level.applied = session.lighting
    parts.material.color.setScalar(session.lighting === 'sleep' ? 0.55 : 1)
  }, 21)
  return <primitive object={parts.mesh} />
}

/** Every sign: one atlas, one mesh; repainted when the language changes. */
export function Labels({ session, lang }: { session: TianheSession; lang: Language }) {
  const parts = useMemo(() => {
    const labels = createLabels(session.layout)
    const panel = new CanvasPanel(LABEL_ATLAS.w, LABEL_ATLAS.h)
    const geometry = buildQuads(labelQuads(labels))
    // Single-sided: two-faced signs are two quads back to back (a double-sided quad would show mirror text).
    const material = new MeshBasicMaterial({ map: panel.texture, transparent: true, depthWrite: false, toneMapped: false })
    return { labels, panel, geometry, material }
  }, [session])
  useEffect(() => paintLabels(parts.panel, parts.labels, lang), [parts, lang])
  useEffect(
    () => () => {
      parts.panel.dispose()
      parts.geometry.dispose()
      parts.material.dispose()
    },
    [parts],
  )
  return <mesh name="tianhe-labels" geometry={parts.geometry} material={parts.material} renderOrder={2} />
}

const ITEM_ATLAS = { w: 1024, h: 384, cellW: 256, cellH: 128, cols: 4 }

/** Loose items (bags, cartridges, tools) as one instanced box mesh with a label atlas, plus the ball and the water ball. */
export function Items({ session, lang, targets }: { session: TianheSession; lang: Language; targets: PickTargets }) {
  const parts = useMemo(() => {
    const boxes = session.itemInfo.filter((i) => i.kind !== 'ball')
    const geometry = new BoxGeometry(1, 1, 1)
    const rects = new Float32Array(boxes.length * 4)
    boxes.forEach((_, i) => {
      const { w, h, cellW, cellH, cols } = ITEM_ATLAS
      rects.set([((i % cols) * cellW) / w, 1 - (Math.floor(i / cols) + 1) * (cellH / h), cellW / w, cellH / h], i * 4)
    })
    geometry.setAttribute('atlasRect', new InstancedBufferAttribute(rects, 4))
    const panel = new CanvasPanel(ITEM_ATLAS.w, ITEM_ATLAS.h)
    const material = new MeshLambertMaterial({ map: panel.texture })
    // Each instance shows its own cell of the label atlas (ids printed on the bags).
    material.onBeforeCompile = (shader) => {
      shader.vertexShader = `attribute vec4 atlasRect;\n${shader.vertexShader}`.replace(
        '#include <uv_vertex>',
        '#include <uv_vertex>\n#ifdef USE_MAP\n  vMapUv = atlasRect.xy + vMapUv * atlasRect.zw;\n#endif',
      )
    }
    material.customProgramCacheKey = () => 'tianhe-item-atlas'
    const mesh = new InstancedMesh(geometry, material, boxes.length)
    mesh.name = 'tianhe-items'
    mesh.frustumCulled = false
    mesh.userData.itemIds = boxes.map((b) => b.id)
    const ball = new Mesh(new SphereGeometry(0.02, 16, 12), new MeshLambertMaterial({ color: '#ffffff' }))
    ball.name = 'ping-pong-ball'
    ball.userData.itemId = 'ping-pong-ball'
    const water = new Mesh(new SphereGeometry(1, 24, 16), new MeshBasicMaterial({ color: '#7cc7ff', transparent: true, opacity: 0.45, depthWrite: false }))
    water.name = 'water-ball'
    // Per-frame lookups resolved once: item info, its loose body, its cargo position.
    const all = [...boxes, itemInfo(session, 'ping-pong-ball')!]
    const loose = all.map((info) => findLooseItem(session.items, info.id)!)
    const bags = Object.keys(session.world.stowageList)
    const bagIndex = all.map((info) => bags.indexOf(info.id))
    return { boxes, mesh, panel, ball, water, all, loose, bagIndex }
  }, [session])
  useEffect(() => {
    targets.items = [parts.mesh, parts.ball]
    return () => {
      targets.items = []
    }
  }, [parts, targets])
  useEffect(() => {
    const other: Language = lang === 'zh' ? 'en' : 'zh'
    parts.panel.redraw((ctx) => {
      const { cellW, cellH, cols } = ITEM_ATLAS
      parts.boxes.forEach((info, i) => {
        const x = (i % cols) * cellW
        const y = Math.floor(i / cols) * cellH
        roundRect(ctx, x, y, cellW, cellH, 4, info.color)
        if (info.kind === 'tool') return
        roundRect(ctx, x + 22, y + 18, cellW - 44, cellH - 36, 8, 'rgba(255,255,255,0.92)', '#223344', 3)
        ctx.textAlign = 'center'
        ctx.textBaseline = 'middle'
        ctx.fillStyle = '#112233'
        ctx.font = font(34, 700)
        ctx.fillText(info.label[lang], x + cellW / 2, y + cellH / 2 - 12)
        ctx.font = font(20, 600)
        ctx.fillText(info.label[other], x + cellW / 2, y + cellH / 2 + 22)
      })
    })
  }, [lang, parts])
  useEffect(
    () => () => {
      parts.mesh.geometry.dispose()
      ;(parts.mesh.material as MeshLambertMaterial).dispose()
      parts.mesh.dispose()
      parts.panel.dispose()
      parts.ball.geometry.dispose()
      parts.water.geometry.dispose()
    },
    [parts],
  )

  const s = useMemo(() => ({ m: new Matrix4(), p: new Vector3(), q: new Quaternion(), scale: new Vector3(), n: new Vector3(), wob: new Vector3() }), [])
  const cargoSpots = useMemo(
    () => [
      [-0.2, 0.16],
      [0.2, 0.16],
      [-0.2, -0.16],
      [0.2, -0.16],
    ],
    [],
  )
  useFrameSystem('tianhe-items', 'animation', () => {
    const { world } = session
    for (let i = 0; i < parts.all.length; i++) {
      const info = parts.all[i]
      const loose = parts.loose[i]
      const loc = locateItem(world, info.id, session.location)
      if (session.crew && session.crew.heldPose(info.id, s.p, s.q)) {
        // Another crew member holds it: it goes where their hand goes.
        loose.position.copy(s.p)
        loose.orientation.copy(s.q)
      } else if (loose.free && loc.kind === 'free') {
        s.p.copy(loose.position)
        s.q.copy(loose.orientation)
      } else if (loc.kind === 'held' || (info.kind === 'tool' && !loose.free)) {
        const hand = session.hands.left.item === info.id ? 'left' : 'right'
        const inp = session.input[hand]
        s.p.copy(session.hands[hand].world)
        s.q.copy(session.body.orientation).multiply(inp.gripQuat)
        loose.position.copy(s.p)
        loose.orientation.copy(s.q)
      } else {
        placeAt(loc.kind, loc.slot, parts.bagIndex[i])
        loose.position.copy(s.p)
        loose.orientation.copy(s.q)
      }
      if (i < parts.boxes.length) {
        s.scale.set(...info.size)
        s.m.compose(s.p, s.q, s.scale)
        parts.mesh.setMatrixAt(i, s.m)
      } else {
        parts.ball.position.copy(s.p)
      }
    }
    parts.mesh.instanceMatrix.needsUpdate = true
    const wb = world.waterBall
    parts.water.visible = wb.active
    if (wb.active) {
      const f = getFixture('water-ball', session.layout)
      parts.water.position.set(...f.position)
      wobbleScale(wb, s.wob).multiplyScalar(wb.config.radius)
      parts.water.scale.copy(s.wob)
    }
  }, 5)

  // Where a pinned item sits: in its slot, in the cargo ship, in the filter, on the clip, in the water.
  function placeAt(kind: string, slot: string, bagIndex: number): void {
    const layout = session.layout
    if (kind === 'stowed' || kind === 'filter-slot' || kind === 'station') {
      const f = getFixture(kind === 'stowed' ? slot : kind === 'filter-slot' ? 'filter-slot' : 'water-ball-station', layout)
      s.n.set(...f.normal)
      s.p.set(...f.position).addScaledVector(s.n, kind === 'stowed' ? 0.14 : kind === 'station' ? 0.16 : 0.0)
      wallFrame(faceAngle(fixtureTheta(f)), s.q)
      return
    }
    if (kind === 'water-ball') {
      const f = getFixture('water-ball', layout)
      s.p.set(...f.position).add(session.world.waterBall.ballPosition)
      s.q.identity()
      return
    }
    // Cargo: packed in the Tianzhou bay behind the aft hatch.
    const spot = cargoSpots[Math.max(0, bagIndex) % cargoSpots.length]
    s.p.set(spot[0], spot[1], -16.95)
    s.q.identity()
  }

  const onContext = (e: PointerLike) => {
    if (session.input.presenting) return
    e.stopPropagation()
    const id = e.object === parts.ball ? 'ping-pong-ball' : e.instanceId !== undefined ? parts.boxes[e.instanceId]?.id : undefined
    if (id) desktopSqueeze(session, 'item', id, targets)
  }
  return (
    <>
      <primitive object={parts.mesh} onContextMenu={onContext} />
      <primitive object={parts.ball} onContextMenu={onContext} />
      <primitive object={parts.water} />
    </>
  )
}

/** The filter access door and the Tianzhou hatch door (they swing open), and the fixture hit boxes. */
export function Fixtures({ session, targets }: { session: TianheSession; targets: PickTargets }) {
  const parts = useMemo(() => {
    const door = new Mesh(new BoxGeometry(0.36, 0.025, 0.36), new MeshLambertMaterial({ color: '#c9d2dc' }))
    door.name = 'filter-door'
    const hatchGeometry = new CylinderGeometry(0.42, 0.42, 0.06, 24)
    hatchGeometry.rotateX(Math.PI / 2)
    const handle = new BoxGeometry(0.3, 0.05, 0.06)
    handle.translate(0, 0, 0.05)
    hatchGeometry.deleteAttribute('uv')
    handle.deleteAttribute('uv')
    const hatch = new Mesh(mergeGeometries([hatchGeometry.toNonIndexed(), handle.toNonIndexed()]) ?? hatchGeometry, new MeshLambertMaterial({ color: '#8896a6' }))
    hatch.name = 'tianzhou-hatch'
    const ids = interactiveFixtureIds(session.layout)
    const proxies = new InstancedMesh(new BoxGeometry(1, 1, 1), new MeshBasicMaterial({ visible: false }), ids.length)
    proxies.name = 'tianhe-fixture-hitboxes'
    const m = new Matrix4()
    ids.forEach((id, i) => proxies.setMatrixAt(i, hitBoxMatrix(session.layout, session.world, id, m)))
    proxies.computeBoundingSphere()
    const doorZones = zonesOf(session, [getFixture('filter-panel', session.layout).position[2]])
    const hatchZones = zonesOf(session, [getFixture('hatch-tianzhou', session.layout).position[2]])
    return { door, hatch, proxies, ids, m, doorZones, hatchZones }
  }, [session])
  useZoneCulling(session, 'tianhe-filter-door-zones', parts.door, parts.doorZones)
  useZoneCulling(session, 'tianhe-hatch-zones', parts.hatch, parts.hatchZones)
  useEffect(() => {
    targets.proxies = parts.proxies
    targets.proxyIds = parts.ids
    return () => {
      targets.proxies = null
    }
  }, [parts, targets])
  useEffect(
    () => () => {
      for (const o of [parts.door, parts.hatch]) {
        o.geometry.dispose()
        ;(o.material as MeshLambertMaterial).dispose()
      }
      parts.proxies.geometry.dispose()
      parts.proxies.dispose()
    },
    [parts],
  )
  const state = useMemo(() => ({ panel: null as boolean | null, hatch: null as boolean | null }), [])
  useFrameSystem('tianhe-fixtures', 'animation', () => {
    const { world, layout } = session
    const panelOpen = world.lifeSupport.panelOpen
    const hatchOpen = world.tianzhouHatchOpen
    if (panelOpen === state.panel && hatchOpen === state.hatch) return
    state.panel = panelOpen
    state.hatch = hatchOpen
    filterDoorPose(layout, panelOpen, parts.door.position, parts.door.quaternion)
    hatchDoorPose(layout, hatchOpen, parts.hatch.position, parts.hatch.quaternion)
    for (const id of ['filter-panel', 'hatch-tianzhou']) {
      const i = parts.ids.indexOf(id)
      parts.proxies.setMatrixAt(i, hitBoxMatrix(layout, world, id, parts.m))
    }
    parts.proxies.instanceMatrix.needsUpdate = true
    parts.proxies.computeBoundingSphere()
  }, 6)

  // Mouse clicks on the desktop; in XR the trigger is read from the gamepad (tianhe-controls).
  const onClick = (e: PointerLike) => {
    if (session.input.presenting || e.instanceId === undefined) return
    e.stopPropagation()
    triggerFixture(session, parts.ids[e.instanceId])
  }
  const onContext = (e: PointerLike) => {
    if (session.input.presenting || e.instanceId === undefined) return
    e.stopPropagation()
    desktopSqueeze(session, 'fixture', parts.ids[e.instanceId], targets)
  }
  return (
    <>
      <primitive object={parts.door} />
      <primitive object={parts.hatch} />
      <primitive object={parts.proxies} onClick={onClick} onContextMenu={onContext} />
    </>
  )
}

/** Ring and arrow on the object the current step acts on. */
export function Highlight({ session }: { session: TianheSession }) {
  const mesh = useMemo(() => {
    const ring = new TorusGeometry(0.22, 0.012, 6, 40)
    const arrow = new ConeGeometry(0.05, 0.14, 12)
    arrow.rotateX(-Math.PI / 2)
    arrow.translate(0, 0, 0.36)
    ring.deleteAttribute('uv')
    arrow.deleteAttribute('uv')
    const g = mergeGeometries([ring.toNonIndexed(), arrow.toNonIndexed()]) as BufferGeometry
    const m = new Mesh(g, new MeshBasicMaterial({ color: '#ffd34d', transparent: true, opacity: 0.9, depthTest: false, toneMapped: false }))
    m.name = 'tianhe-highlight'
    m.renderOrder = 5
    return m
  }, [])
  const s = useMemo(() => ({ n: new Vector3(), z: new Vector3(0, 0, 1), target: '' }), [])
  useFrameSystem('tianhe-highlight', 'animation', () => {
    const id = session.view === 'inside' ? currentTarget(session) : ''
    mesh.visible = id !== ''
    if (!id) return
    if (id !== s.target) {
      s.target = id
      const f = getFixture(id, session.layout)
      s.n.set(...f.normal)
      // The ring lies on the fixture, facing out; the arrow points at it from the cabin.
      mesh.position.set(...f.position).addScaledVector(s.n, 0.06)
      mesh.quaternion.setFromUnitVectors(s.z, s.n)
    }
    const pulse = 1 + 0.12 * Math.sin(session.simTimeMs / 180)
    mesh.scale.setScalar(pulse)
  }, 8)
  useEffect(() => () => mesh.geometry.dispose(), [mesh])
  // Outside the hull: drawn with the outside (seen from outside and through the window).
  useZoneCulling(session, 'tianhe-arm-zones', mesh, null)
  return <primitive object={mesh} />
}

/** Comfort vignette: a dark ring just in front of the eyes, its opacity following the speed. */
export function Vignette({ session }: { session: TianheSession }) {
  const mesh = useMemo(() => {
    // Three rings of vertices: clear centre (α 0) → dark from ~60° off-axis out to the edge.
    const g = new RingGeometry(0.08, 0.9, 48, 2)
    const pos = g.getAttribute('position')
    const colors = new Float32Array(pos.count * 4)
    for (let i = 0; i < pos.count; i++) {
      const r = Math.hypot(pos.getX(i), pos.getY(i))
      const a = r < 0.1 ? 0 : 1
      colors.set([0, 0, 0, a], i * 4)
    }
    g.setAttribute('color', new Float32BufferAttribute(colors, 4))
    const m = new Mesh(g, new MeshBasicMaterial({ vertexColors: true, transparent: true, opacity: 0, depthTest: false, depthWrite: false }))
    m.name = 'tianhe-vignette'
    m.renderOrder = 10
    m.frustumCulled = false
    return m
  }, [])
  const s = useMemo(() => ({ v: new Vector3() }), [])
  useFrameSystem('tianhe-vignette', 'animation', () => {
    const body = session.body
    const strength = session.comfort.vignette ? vignetteStrength(body.velocity.length(), body.angularVelocity) : 0
    const material = mesh.material as MeshBasicMaterial
    material.opacity = strength * 0.92
    mesh.visible = strength > 0.01
    session.vignette = strength
    if (!mesh.visible) return
    // In tracking space (child of the origin): 0.1 m in front of the head, facing it.
    mesh.position.copy(s.v.set(0, 0, -0.1).applyQuaternion(session.input.headQuat)).add(session.input.head)
    mesh.quaternion.copy(session.input.headQuat)
  }, 9)
  useEffect(() => () => mesh.geometry.dispose(), [mesh])
  // Outside the hull: drawn with the outside (seen from outside and through the window).
  useZoneCulling(session, 'tianhe-arm-zones', mesh, null)
  return <primitive object={mesh} />
}

/** The crew tablet: floats with the visitor (child of the XR origin); clicks by ray or mouse. */
export function Tablet({ session, lang, zoneLabel, onHome, targets }: { session: TianheSession; lang: Language; zoneLabel: (id: string) => string; onHome: () => void; targets: PickTargets }) {
  const parts = useMemo(() => {
    const panel = new CanvasPanel(TABLET_PX.w, TABLET_PX.h)
    const mesh = new Mesh(planeGeometry(TABLET_M.w, TABLET_M.h), new MeshBasicMaterial({ map: panel.texture, transparent: true, toneMapped: false }))
    mesh.name = 'tianhe-tablet'
    return { panel, mesh }
  }, [])
  useEffect(
    () => () => {
      parts.panel.dispose()
      parts.mesh.geometry.dispose()
      ;(parts.mesh.material as MeshBasicMaterial).dispose()
    },
    [parts],
  )
  const job = useRedrawJob('tianhe-tablet', 8)
  const state = useMemo(() => ({ version: -1, lang, zone: '', painted: { version: -2, zone: '' }, nextLiveMs: 0, yaw: new Quaternion(), tilt: new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -0.75), v: new Vector3(), e: new Vector3() }), [lang])
  // Paints now, and notes what the panel shows (its click regions are laid out by the paint).
  const paint = (zone: string) => {
    paintTablet(parts.panel, session, state.lang, zone)
    state.painted.version = session.version
    state.painted.zone = zone
  }
  useEffect(() => {
    session.tabletButtons = () => {
      const out: Record<string, [number, number, number]> = {}
      const p = new Vector3()
      parts.mesh.updateMatrix()
      for (const r of parts.panel.regions) {
        const uv = parts.panel.regionUv(r.id)
        if (!uv) continue
        p.set((uv[0] - 0.5) * TABLET_M.w, (uv[1] - 0.5) * TABLET_M.h, 0).applyMatrix4(parts.mesh.matrix)
        out[r.id] = [Math.round(p.x * 1000) / 1000, Math.round(p.y * 1000) / 1000, Math.round(p.z * 1000) / 1000]
      }
      return out
    }
    return () => {
      session.tabletButtons = null
    }
  }, [parts, session])
  useFrameSystem('tianhe-tablet', 'animation', (ctx) => {
    const mesh = parts.mesh
    mesh.visible = session.tabletOpen
    const input = session.input
    const pose = session.tabletPose
    // Place it in front-left of the head whenever it is (re)opened or the session starts.
    if (session.tabletOpen && (!pose.placed || input.presenting !== pose.wasPresenting)) {
      pose.placed = true
      pose.wasPresenting = input.presenting
      const yaw = headYaw(input.headQuat)
      state.yaw.setFromAxisAngle(state.e.set(0, 1, 0), yaw)
      // Low and to the left, tilted up toward the eyes like a tablet held at the waist: below the
      // line of sight, so it never stands between the eyes (or the pointing hand) and the work.
      pose.position.copy(state.v.set(-0.2, -0.47, -0.42).applyQuaternion(state.yaw)).add(input.head)
      pose.quaternion.copy(state.yaw).multiply(state.tilt)
    }
    if (!session.tabletOpen) pose.placed = false
    // From the session every frame: a restored state (replay) moves it too.
    if (!mesh.position.equals(pose.position) || !mesh.quaternion.equals(pose.quaternion)) {
      mesh.position.copy(pose.position)
      mesh.quaternion.copy(pose.quaternion)
      mesh.updateMatrixWorld()
    }
    const zone = zoneLabel(session.zone)
    const live = session.tabletPage === 'procedure' && ctx.timeMs > state.nextLiveMs
    if (session.version === state.version && zone === state.zone && !live) return
    if (live) state.nextLiveMs = ctx.timeMs + 1000
    state.version = session.version
    state.zone = zone
    job.request(() => paint(zone))
  }, 7)
  const press = (u: number, v: number) => {
    // The click regions must be those of the state now, not of whenever the deferred redraw ran
    // (that depends on the machine's spare time): a stale panel is painted before the hit test.
    const zone = zoneLabel(session.zone)
    if (state.painted.version !== session.version || state.painted.zone !== zone) paint(zone)
    const id = parts.panel.hit(u, v)
    if (id) onTabletClick(session, id, { navigateHome: onHome, toggleView: () => session.toggleView?.() })
  }
  useEffect(() => {
    targets.tablet = parts.mesh
    targets.onTablet = press
    return () => {
      targets.tablet = null
      targets.onTablet = null
    }
  })
  // Mouse clicks on the desktop; in XR the trigger is read from the gamepad (tianhe-controls).
  const onClick = (e: PointerLike) => {
    if (session.input.presenting || !e.uv) return
    e.stopPropagation()
    press(e.uv.x, e.uv.y)
  }
  return <primitive object={parts.mesh} onClick={onClick} />
}

function planeGeometry(w: number, h: number): BufferGeometry {
  const g = new BufferGeometry()
  g.setAttribute('position', new Float32BufferAttribute([-w / 2, -h / 2, 0, w / 2, -h / 2, 0, w / 2, h / 2, 0, -w / 2, h / 2, 0], 3))
  g.setAttribute('normal', new Float32BufferAttribute([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], 3))
  g.setAttribute('uv', new Float32BufferAttribute([0, 0, 1, 0, 1, 1, 0, 1], 2))
  g.setIndex([0, 1, 2, 0, 2, 3])
  g.computeBoundingSphere()
  return g
}

const fwd = new Vector3()
/** Heading (rad about +Y) of a head orientation, ignoring pitch and roll. */
function headYaw(q: Quaternion): number {
  fwd.set(0, 0, -1).applyQuaternion(q)
  return Math.atan2(-fwd.x, -fwd.z)
}

// Joints followed by a boom: shoulder pitch (2), elbow (3) and wrist roll (6, the end effector).
const BOOMS = [2, 3, 6] as const

/** The large robotic arm outside (booms, joints, the task target), updated when it moves. */
export function RobotArm({ session }: { session: TianheSession }) {
  const mesh = useMemo(() => {
    const g = new CylinderGeometry(1, 1, 1, 12)
    // 3 booms, 8 joint housings (7 joints + the end effector), the base and the task target.
    const m = new InstancedMesh(g, new MeshLambertMaterial({ color: '#ffffff' }), 3 + ARM_DOF + 1 + 2)
    m.name = 'tianhe-robot-arm'
    m.frustumCulled = false
    const c = new Color()
    for (let i = 0; i < m.count; i++) m.setColorAt(i, c.set(i < 3 ? '#e9ecef' : i < m.count - 1 ? '#5b6b7c' : '#ffd34d'))
    return m
  }, [])
  const s = useMemo(() => ({ sum: Number.NaN, m: new Matrix4(), p: new Vector3(), q: new Quaternion(), sc: new Vector3(), d: new Vector3(), up: new Vector3(0, 1, 0) }), [])
  useFrameSystem('tianhe-arm', 'animation', () => {
    const arm = session.world.arm
    let sum = 0
    for (let i = 0; i < ARM_DOF; i++) sum += arm.q[i] * (i + 1)
    if (sum === s.sum) return
    s.sum = sum
    const jp = arm.jointPositions
    // Booms: after the shoulder pitch (joint 2), the elbow (3) and the wrist roll (6).
    for (let k = 0; k < BOOMS.length; k++) {
      const j = BOOMS[k]
      s.d.subVectors(jp[j + 1], jp[j])
      const len = s.d.length()
      s.p.addVectors(jp[j + 1], jp[j]).multiplyScalar(0.5)
      s.q.setFromUnitVectors(s.up, s.d.normalize())
      s.m.compose(s.p, s.q, s.sc.set(k === 2 ? 0.12 : 0.16, len, k === 2 ? 0.12 : 0.16))
      mesh.setMatrixAt(k, s.m)
    }
    for (let j = 0; j <= ARM_DOF; j++) {
      s.m.compose(jp[j], arm.jointOrientations[Math.min(j, ARM_DOF - 1)], s.sc.set(0.24, 0.3, 0.24))
      mesh.setMatrixAt(3 + j, s.m)
    }
    s.q.identity()
    s.m.compose(arm.base, s.q, s.sc.set(0.5, 0.2, 0.5))
    mesh.setMatrixAt(3 + ARM_DOF + 1, s.m)
    s.m.compose(session.world.armTarget, s.q, s.sc.set(0.15, 0.15, 0.15))
    mesh.setMatrixAt(3 + ARM_DOF + 2, s.m)
    mesh.instanceMatrix.needsUpdate = true
  }, 11)
  useEffect(() => () => mesh.geometry.dispose(), [mesh])
  // Outside the hull: drawn with the outside (seen from outside and through the window).
  useZoneCulling(session, 'tianhe-arm-zones', mesh, null)
  return <primitive object={mesh} />
}
