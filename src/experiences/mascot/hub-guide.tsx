import { useEffect, useMemo, useRef, useState } from 'react'
import { Vector3, type Group, type Object3D } from 'three'
import type { Bilingual } from '../../core/i18n/strings'
import { useLingjing } from '../../scene/lingjing-context'
import { TextPanelAtlas, type AtlasPanel } from '../../scene/components/text-panel-atlas'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useDetailLevers } from '../../scene/render/use-detail-levers'
import { useLang } from '../../scene/use-lang'
import { GUIDE_PLACE } from './mascot-levers'
import { pickVoice } from './mascot-logic'
import { speakLine, SpeechBubble, useXiaoguanRig, Xiaoguan } from './xiaoguan'
import { useGroupPhoto } from './use-group-photo'
import { useVenue } from '../../scene/venue/venue-context'
import { avatarIndex, createAvatarFeatures } from '../../scene/venue/avatar-features'

/** `snapshot().hubGuide`. */
export interface HubGuideSnapshot {
  step: number
  /** The portal's path Xiaoguan is leading to, or null. */
  target: string | null
  arrived: boolean
  animation: string | null
  position: [number, number, number]
  /** Metres to the front of the target portal, or null without one. */
  distanceToTarget: number | null
  /** Each in-world button's centre. */
  buttons: Record<string, [number, number, number]>
}

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Xiaoguan guiding in the hub: step, target portal, where it is and where its buttons are (world space). */
    hubGuide?: HubGuideSnapshot
  }
}

/** The hub's portals as hub-experience.tsx lays them out (angle from straight ahead, 4.2 m out). */
const PORTAL_DISTANCE = 4.2
const DESTINATIONS = [
  { path: '/livestream', angle: 0.62, title: { zh: '虚拟直播间', en: 'Livestream studio' } },
  { path: '/tianhe', angle: 0, title: { zh: '天和核心舱', en: 'Tianhe core module' } },
  { path: '/mascot', angle: -0.62, title: { zh: '小关 AR', en: 'Xiaoguan AR' } },
] as const

const HOME = new Vector3(0.85, 0.8, 0.2)
const SCALE = 1.5
/** The visitor's place in the hub (the Viewpoint), which Xiaoguan turns to. */
const VISITOR = new Vector3(0, 0, 1.5)

const LINES: Bilingual[] = [
  {
    zh: '欢迎来到灵境太空基地！我是小关，你的向导。点我听介绍，或在旁边选一个目的地。',
    en: "Welcome to the Lingjing space base! I'm Xiaoguan, your guide. Click me for a tour, or pick a destination beside me.",
  },
  { zh: '粉色的门：虚拟直播间。换上虚拟形象，对着多机位直播！', en: 'The pink gate: the livestream studio. Wear an avatar and stream with virtual cameras!' },
  { zh: '蓝色的门：天和核心舱。在失重的空间站里飘一飘、搬搬货。', en: 'The blue gate: the Tianhe core module. Float in zero-g and move cargo around.' },
  { zh: '金色的门：小关 AR。用手机把我放到你家桌上，一起合影！', en: 'The gold gate: Xiaoguan AR. Put me on your real table with a phone and take a photo together!' },
]

function portalFront(angle: number, out: Vector3): Vector3 {
  // 1.1 m in front of the gate (toward the deck's centre), at chest height, a little to the side.
  const d = PORTAL_DISTANCE - 1.1
  return out.set(-Math.sin(angle) * d + Math.cos(angle) * 0.75, 1.0, -Math.cos(angle) * d - Math.sin(angle) * 0.75)
}

/**
 * Xiaoguan as the hub's guide: greets the visitor, explains the three experiences (click it to go
 * through them), and on request points and flies to the chosen portal, showing the way in.
 */
export function HubGuide() {
  const lj = useLingjing()
  const lang = useLang()
  const rig = useXiaoguanRig('astronaut')
  const [step, setStep] = useState(0)
  const [target, setTarget] = useState<(typeof DESTINATIONS)[number] | null>(null)
  const [bubbleAt, setBubbleAt] = useState<[number, number, number]>([HOME.x + 0.05, HOME.y + 1.05, HOME.z])
  const buttons = useRef(new Map<string, Object3D>())
  const [line, setLine] = useState<Bilingual>(LINES[0])
  // Xiaoguan's own GPU lever in the hub (standard → Lambert), beside the hub's: the hub's lights are the hub's.
  const guideRoot = useMemo(() => ({ current: rig.root as Object3D }), [rig])
  useDetailLevers({ prefix: 'guide', place: GUIDE_PLACE, materials: guideRoot })
  const panelsGroup = useRef<Group>(null)
  const bubbleGroup = useRef<Group>(null)
  const hideInPhoto = useMemo(() => [panelsGroup, bubbleGroup], [])
  const groupPhoto = useGroupPhoto({
    rig,
    hideInPhoto,
    home: HOME,
    say: (l, at) => {
      setTarget(null)
      setBubbleAt([at[0] + 0.5, at[1] + 0.9, at[2]])
      setLine(l)
    },
  })
  const selfProfile = useVenue()?.connection.profile()
  const selfColour = selfProfile?.colour ?? '#4fc3ff'
  // The visitor's chosen body (antennae, visor, ears or crown) on the stand-in, as others see them.
  const selfFeature = useMemo(() => {
    const all = createAvatarFeatures()
    const mine = all[avatarIndex(selfProfile?.avatar ?? '')]
    for (const f of all) {
      if (f === mine) continue
      f.geometry.dispose()
      f.material.dispose()
    }
    return mine
  }, [selfProfile?.avatar])
  useEffect(
    () => () => {
      selfFeature.geometry.dispose()
      selfFeature.material.dispose()
    },
    [selfFeature],
  )

  useEffect(() => {
    rig.root.position.copy(HOME)
    rig.pivot.rotation.y = Math.atan2(VISITOR.x - HOME.x, VISITOR.z - HOME.z)
    rig.flyTo(new Vector3(HOME.x + 1.5, HOME.y + 1.2, HOME.z - 1.5), HOME, { durationS: 1.8, onArrive: 'wave' })
  }, [rig])

  useEffect(() => {
    speakLine(line, lang, (voices) => pickVoice(voices, lang))
  }, [line, lang])

  useFrameSystem('hub-guide-animation', 'animation', (ctx) => {
    rig.update(ctx.deltaMs / 1000)
  })

  useEffect(
    () =>
      lj.diagnostics.setSection('hubGuide', (): HubGuideSnapshot => {
        const world = new Vector3()
        const positions: HubGuideSnapshot['buttons'] = {}
        for (const [name, mesh] of buttons.current) {
          mesh.getWorldPosition(world)
          positions[name] = [world.x, world.y, world.z]
        }
        rig.root.getWorldPosition(world)
        const portal = target ? portalFront(target.angle, new Vector3()) : null
        return {
          step,
          target: target?.path ?? null,
          arrived: target !== null && !rig.flying,
          animation: rig.clip,
          position: [world.x, world.y, world.z],
          distanceToTarget: portal ? world.distanceTo(portal) : null,
          buttons: positions,
        }
      }),
    [lj.diagnostics, rig, step, target],
  )

  const explain = () => {
    const next = (step + 1) % LINES.length
    setStep(next)
    setLine(LINES[next])
    rig.play(next === 0 ? 'wave' : 'nod')
  }

  const lead = (destination: (typeof DESTINATIONS)[number]) => {
    const to = portalFront(destination.angle, new Vector3())
    setTarget(destination)
    rig.flyTo(rig.root.position.clone(), to, { durationS: 2.2, arc: 0.35, onArrive: 'point' })
    // Face the way it flies, then the gate is right beside it.
    rig.pivot.rotation.y = Math.atan2(VISITOR.x - to.x, VISITOR.z - to.z)
    setBubbleAt([to.x, to.y + 1.05, to.z + 0.1])
    setLine({
      zh: `跟我来！这里就是「${destination.title.zh}」。点击传送门进入吧！`,
      en: `Follow me! This is the ${destination.title.en}. Click the gate to go in!`,
    })
  }

  const comeBack = () => {
    setTarget(null)
    rig.flyTo(rig.root.position.clone(), HOME, { durationS: 2, onArrive: 'wave' })
    rig.pivot.rotation.y = Math.atan2(VISITOR.x - HOME.x, VISITOR.z - HOME.z)
    setBubbleAt([HOME.x + 0.05, HOME.y + 1.05, HOME.z])
    setLine(LINES[0])
    setStep(0)
  }

  const register = (name: string) => (mesh: Object3D | null) => {
    if (mesh) buttons.current.set(name, mesh)
    else buttons.current.delete(name)
  }

  const heading = Math.atan2(VISITOR.x - HOME.x - 0.55, VISITOR.z - HOME.z)
  // The title and the buttons are one plane: one atlas, one texture, one draw call for all of them.
  const panels: AtlasPanel[] = [
    { name: 'hub-guide-title', position: [0, 0.42, 0], width: 0.56, height: 0.1, align: 'center', lines: [{ text: lang === 'zh' ? '小关带路 · Guide me' : 'Guide me · 小关带路', size: 30, weight: 700, color: '#ffc94f' }] },
    ...DESTINATIONS.map(
      (destination, i): AtlasPanel => ({
        name: `hub-guide${destination.path.replace('/', '-')}`,
        position: [0, 0.28 - i * 0.13, 0],
        width: 0.56,
        height: 0.11,
        align: 'center',
        background: 'rgba(20, 32, 56, 0.92)',
        border: '#ffc94f',
        onClick: () => lead(destination),
        lines: [{ text: `→ ${destination.title[lang]}`, size: 34, weight: 600 }],
      }),
    ),
    {
      name: 'hub-guide-photo',
      position: [0, 0.28 - DESTINATIONS.length * 0.13, 0],
      width: 0.56,
      height: 0.11,
      align: 'center',
      background: 'rgba(56, 32, 20, 0.92)',
      border: '#ffc94f',
      onClick: () => groupPhoto.request(),
      lines: [{ text: lang === 'zh' ? '和小关合影' : 'Group photo', size: 34, weight: 600 }],
    },
    ...(target
      ? [{ name: 'hub-guide-back', position: [0, 0.28 - (DESTINATIONS.length + 1) * 0.13, 0], width: 0.56, height: 0.1, align: 'center', onClick: comeBack, lines: [{ text: lang === 'zh' ? '回来吧，小关' : 'Come back, Xiaoguan', size: 30 }] } satisfies AtlasPanel]
      : []),
  ]
  return (
    <group name="hub-guide">
      <Xiaoguan rig={rig} scale={SCALE} onClick={explain} />
      <group ref={bubbleGroup}>
        <SpeechBubble line={line} lang={lang} position={bubbleAt} width={0.95} rotationY={Math.atan2(VISITOR.x - bubbleAt[0], VISITOR.z - bubbleAt[2])} />
      </group>
      <group position={[HOME.x + 0.6, 1.0, HOME.z + 0.1]} rotation={[0, heading, 0]}>
        {/* Where each button is, for the diagnostics (the atlas draws them). */}
        {DESTINATIONS.map((destination, i) => (
          <group key={destination.path} ref={register(`guide${destination.path.replace('/', '-')}`)} position={[0, 0.28 - i * 0.13, 0]} />
        ))}
        <group ref={register('guide-photo')} position={[0, 0.28 - DESTINATIONS.length * 0.13, 0]} />
        <group ref={panelsGroup} visible={!groupPhoto.running}>
          <TextPanelAtlas name="hub-guide-panels" panels={panels} />
        </group>
      </group>
      {/* This visitor in the group photo (first person has no body): shown only while it renders. */}
      <group ref={groupPhoto.selfBody} name="group-photo-self" visible={false}>
        <mesh>
          <sphereGeometry args={[0.12, 16, 12]} />
          <meshStandardMaterial color={selfColour} roughness={0.6} />
        </mesh>
        <mesh geometry={selfFeature.geometry} material={selfFeature.material} />
        <mesh position={[0, -0.45, 0]}>
          <capsuleGeometry args={[0.16, 0.5, 4, 12]} />
          <meshStandardMaterial color={selfColour} roughness={0.8} />
        </mesh>
      </group>
    </group>
  )
}
