import { useRef } from 'react'
import type { Group } from 'three'
import { STRINGS } from '../../core/i18n/strings'
import { useLingjing } from '../../scene/lingjing-context'
import { Earth } from '../../scene/components/earth'
import { Portal } from '../../scene/components/portal'
import { OrbitalTraffic } from '../../scene/components/orbital-traffic'
import { SpaceDust } from '../../scene/components/space-dust'
import { StarField } from '../../scene/components/star-field'
import { TextPanel } from '../../scene/components/text-panel'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useDetailLevers } from '../../scene/render/use-detail-levers'
import { useStaticMerge } from '../../scene/render/use-static-merge'
import { useLang } from '../../scene/use-lang'
import { useControllerModels } from '../../scene/xr/use-controller-models'
import { HubGuide } from '../mascot/hub-guide'

const PORTALS = [
  { path: '/livestream', color: '#ff5fa2', title: STRINGS.livestreamTitle, blurb: STRINGS.livestreamBlurb, angle: 0.62 },
  { path: '/tianhe', color: '#4fc3ff', title: STRINGS.tianheTitle, blurb: STRINGS.tianheBlurb, angle: 0 },
  { path: '/mascot', color: '#ffc94f', title: STRINGS.mascotTitle, blurb: STRINGS.mascotBlurb, angle: -0.62 },
] as const

const PORTAL_DISTANCE = 4.2

const HUB_PLACE = { zh: '大厅', en: 'Hub' }

/**
 * The outer-space base: a lobby deck in orbit with a portal to each experience. GPU levers: the
 * deck's standard materials ('hub-materials'), Earth, stars, dust, orbital traffic and the
 * controller models' detail.
 */
export default function HubExperience() {
  const { navigate } = useLingjing()
  const lang = useLang()
  const deck = useRef<Group>(null)
  const deckStatic = useRef<Group>(null)
  useStaticMerge('hub', deckStatic)
  useDetailLevers({ prefix: 'hub', place: HUB_PLACE, materials: deck })
  // The controllers are the visitor's hands here: at the lowest level each is one merged draw.
  useControllerModels('merge')
  return (
    <>
      <color attach="background" args={['#02040b']} />
      <Viewpoint position={[0, 0, 1.5]} lookAt={[0, 1.4, -4]} />
      <ambientLight intensity={0.35} color="#9fb8ff" />
      <directionalLight position={[30, 20, 10]} intensity={2.2} color="#fff4e0" />
      <StarField />
      <Earth />
      <OrbitalTraffic />
      <SpaceDust />
      <group ref={deck} name="hub-deck">
        {/* Deck: a disc floor with a glowing rim and a low railing; nothing in it moves or is
            picked, so its meshes are merged per material (the three rings are one draw). */}
        <group ref={deckStatic} name="hub-deck-static">
          <mesh rotation={[-Math.PI / 2, 0, 0]} receiveShadow>
            <circleGeometry args={[7, 64]} />
            <meshStandardMaterial color="#1b2636" roughness={0.6} metalness={0.4} />
          </mesh>
          <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.005, 0]}>
            <ringGeometry args={[6.8, 7, 96]} />
            <meshBasicMaterial color="#4fc3ff" toneMapped={false} />
          </mesh>
          {[1.6, 3.2, 4.8].map((r) => (
            <mesh key={r} rotation={[-Math.PI / 2, 0, 0]} position={[0, 0.004, 0]}>
              <ringGeometry args={[r, r + 0.02, 96]} />
              <meshBasicMaterial color="#2c4b6e" />
            </mesh>
          ))}
          <mesh position={[0, 1.0, 0]}>
            <torusGeometry args={[7, 0.035, 8, 128]} />
            <meshStandardMaterial color="#9fb3c8" metalness={0.8} roughness={0.3} />
          </mesh>
        </group>
        <TextPanel
          name="hub-title"
          position={[0, 3.05, -4.6]}
          width={3.2}
          height={0.8}
          align="center"
          lines={[
            { text: `${STRINGS.appName[lang]} · ${STRINGS.hubTitle[lang]}`, size: 84, weight: 700 },
            { text: STRINGS.hubIntro[lang], size: 52, color: '#cfe9ff' },
          ]}
        />
        <HubGuide />
        {PORTALS.map((portal) => (
          <Portal
            key={portal.path}
            name={`portal${portal.path.replace('/', '-')}`}
            position={[-Math.sin(portal.angle) * PORTAL_DISTANCE, 0, -Math.cos(portal.angle) * PORTAL_DISTANCE]}
            rotationY={portal.angle}
            color={portal.color}
            title={portal.title}
            blurb={portal.blurb}
            lang={lang}
            onEnter={() => navigate(portal.path)}
          />
        ))}
      </group>
    </>
  )
}
