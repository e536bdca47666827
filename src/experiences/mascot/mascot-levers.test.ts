import { AmbientLight, BoxGeometry, DirectionalLight, Group, Mesh, MeshBasicMaterial, MeshLambertMaterial, MeshStandardMaterial, Scene } from 'three'
import { describe, expect, it } from 'vitest'
import type { QualityScaler } from '../../core/frame'
import { createDiagnostics } from '../../core/diagnostics/diagnostics'
import { createManualClock } from '../../core/time/clock'
import { GUIDE_PLACE, MASCOT_PLACE, STAGE_AMBIENT, STAGE_AMBIENT_SUN_OFF, STAGE_SUN, mascotStageLights } from './mascot-levers'
import { createAppFrame, type AppFrame } from '../../runtime/frame/app-frame'
import { registerDetailLevers, type DetailLeverSetup } from '../../scene/render/detail-levers'

/** A stand-in for the mascot stage: floor and pedestal (standard), Xiaoguan's parts (standard, shared), a rim (basic). */
function mascotStage() {
  const scene = new Scene()
  const ambient = new AmbientLight(0xffffff, STAGE_AMBIENT)
  const sun = new DirectionalLight(0xffffff, STAGE_SUN)
  const root = new Group()
  const toon = new MeshStandardMaterial({ color: 0xffffff, roughness: 0.55 })
  const floor = new Mesh(new BoxGeometry(12, 0.01, 12), new MeshStandardMaterial({ color: 0x1b2a40 }))
  const body = new Mesh(new BoxGeometry(0.3, 0.4, 0.3), toon)
  const head = new Mesh(new BoxGeometry(0.3, 0.3, 0.3), toon)
  const rim = new Mesh(new BoxGeometry(0.6, 0.01, 0.6), new MeshBasicMaterial({ color: 0xffc94f }))
  root.add(floor, body, head, rim)
  scene.add(ambient, sun, root)
  return { scene, root, ambient, sun, floor, body, head, rim, toon }
}

function host(frame: AppFrame) {
  const diagnostics = createDiagnostics()
  return {
    diagnostics,
    host: {
      addScaler: (s: QualityScaler) => frame.addScaler(s),
      loop: frame.loop,
      setSection: (name: string, section: () => unknown) => diagnostics.setSection(name, section),
    },
  }
}

function setup(overrides: Partial<DetailLeverSetup> & Pick<DetailLeverSetup, 'prefix' | 'place' | 'root' | 'lights'>): DetailLeverSetup & { compiles: number } {
  const out = {
    materialCostMs: 0.6,
    lightCostMs: 0.8,
    compiles: 0,
    compile() {
      out.compiles++
    },
    viewer: () => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1.6, 0, 1],
    ...overrides,
  }
  return out
}


describe('detail levers (material detail and light count of a place)', () => {
  it('the mascot stage registers a material lever and a light lever, compiled before they can drop', () => {
    const frame = createAppFrame({ governor: true, clock: createManualClock() })
    const stage = mascotStage()
    const { host: h, diagnostics } = host(frame)
    const s = setup({ prefix: 'mascot', place: MASCOT_PLACE, root: stage.root, lights: mascotStageLights(stage.ambient, stage.sun) })
    const levers = registerDetailLevers(h, s)
    expect(frame.levers.map((l) => [l.scaler.id, l.level, l.scaler.maxLevel])).toEqual([
      ['mascot-materials', 2, 2],
      ['mascot-lights', 1, 1],
    ])
    expect(frame.levers.map((l) => l.scaler.label)).toEqual([
      { zh: '小关舞台材质细节', en: 'Xiaoguan stage material detail' },
      { zh: '小关舞台灯光数量', en: 'Xiaoguan stage light count' },
    ])
    // Every variant was compiled: two light levels × (simple, full) materials, less the repeated full set.
    expect(s.compiles).toBe(3)
    // Registration leaves everything at full quality: standard materials, both lights, their intensities.
    expect(stage.body.material).toBe(stage.toon)
    expect(stage.sun.visible).toBe(true)
    expect(stage.ambient.intensity).toBe(STAGE_AMBIENT)
    // The floor, pedestal and every part of Xiaoguan are swappable; the unlit rim is not.
    expect(levers.materials?.entries.map((e) => e.mesh)).toEqual([stage.floor, stage.body, stage.head])
    expect(diagnostics.snapshot()).toMatchObject({ mascotMaterials: { level: 2, meshes: 3 }, mascotLights: { level: 1, on: 2, of: 2 } })
  })

  it('a drop swaps materials and lights; removing the levers restores full quality and changes no other lever', () => {
    const frame = createAppFrame({ governor: true, clock: createManualClock() })
    const stage = mascotStage()
    const other = { id: 'stars', label: { zh: '星星', en: 'Stars' }, maxLevel: 2, costPerLevelMs: 0.1, visualImpact: 0.05, apply: () => undefined }
    frame.addScaler(other)
    const { host: h, diagnostics } = host(frame)
    const levers = registerDetailLevers(h, setup({ prefix: 'mascot', place: MASCOT_PLACE, root: stage.root, lights: mascotStageLights(stage.ambient, stage.sun) }))
    expect(frame.loop.phaseOrder().join('\n')).toContain('mascot-material-detail')
    frame.governor.setLevel('stars', 1)
    frame.governor.setLevel('mascot-materials', 0)
    frame.governor.setLevel('mascot-lights', 0)
    expect(stage.body.material).toBeInstanceOf(MeshLambertMaterial)
    expect(stage.head.material).toBe(stage.body.material) // one twin per shared material
    expect(stage.floor.material).toBeInstanceOf(MeshLambertMaterial)
    expect(stage.rim.material).toBeInstanceOf(MeshBasicMaterial)
    expect(stage.sun.visible).toBe(false)
    expect(stage.ambient.intensity).toBe(STAGE_AMBIENT_SUN_OFF)
    expect(frame.quality()).toBeLessThan(0.5)

    levers.remove()
    expect(frame.levers.map((l) => [l.scaler.id, l.level])).toEqual([['stars', 1]])
    expect(stage.body.material).toBe(stage.toon)
    expect(stage.floor.material).toBeInstanceOf(MeshStandardMaterial)
    expect(stage.sun.visible).toBe(true)
    expect(stage.ambient.intensity).toBe(STAGE_AMBIENT)
    expect(diagnostics.snapshot()).not.toHaveProperty('mascotMaterials')
    expect(diagnostics.snapshot()).not.toHaveProperty('mascotLights')
    // The middle level's re-classification system is gone too.
    expect(frame.loop.phaseOrder().join('\n')).not.toContain('mascot-material-detail')
    levers.remove() // twice is harmless
    expect(frame.levers).toHaveLength(1)
  })

  it('the hub guide registers its own material lever beside the hub\'s, and leaves the hub\'s lights alone', () => {
    const frame = createAppFrame({ governor: true, clock: createManualClock() })
    const hub = mascotStage()
    const guide = mascotStage()
    const { host: h } = host(frame)
    const hubLevers = registerDetailLevers(h, setup({ prefix: 'hub', place: { zh: '基地', en: 'hub' }, root: hub.root, lights: null }))
    const guideLevers = registerDetailLevers(h, setup({ prefix: 'guide', place: GUIDE_PLACE, root: guide.root, lights: null }))
    expect(frame.levers.map((l) => l.scaler.id)).toEqual(['hub-materials', 'guide-materials'])
    frame.governor.setLevel('hub-materials', 0)
    // The guide leaving (the visitor goes through a portal) keeps the hub's level.
    guideLevers.remove()
    expect(frame.levers.map((l) => [l.scaler.id, l.level])).toEqual([['hub-materials', 0]])
    expect(guide.body.material).toBe(guide.toon)
    expect(hub.body.material).toBeInstanceOf(MeshLambertMaterial)
    hubLevers.remove()
    expect(hub.body.material).toBe(hub.toon)
  })

  it('registers nothing that would not act: no standard material, a single light level', () => {
    const frame = createAppFrame({ governor: true, clock: createManualClock() })
    const root = new Group().add(new Mesh(new BoxGeometry(), new MeshBasicMaterial()))
    const { host: h } = host(frame)
    const levers = registerDetailLevers(h, setup({ prefix: 'bare', place: { zh: '空', en: 'bare' }, root, lights: [{ light: new AmbientLight(), keepFrom: 0 }] }))
    expect(frame.levers).toEqual([])
    expect(levers.materials?.entries).toEqual([])
    expect(levers.lights?.maxLevel).toBe(0)
    levers.remove()
  })
})
