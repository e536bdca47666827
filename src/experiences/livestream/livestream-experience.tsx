import { STRINGS } from '../../core/i18n/strings'
import { BackToHub } from '../../scene/components/back-to-hub'
import { TextPanel } from '../../scene/components/text-panel'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useLang } from '../../ui/use-lang'

const LIGHTS: [number, number, number][] = [
  [-2.6, 3.2, 1.2],
  [2.6, 3.2, 1.2],
  [0, 3.6, 2.4],
]

/** The XR livestream studio: stage, backdrop, studio lights, on-air sign and the programme monitor. */
export default function LivestreamExperience() {
  const lang = useLang()
  return (
    <>
      <color attach="background" args={['#0a0710']} />
      <Viewpoint position={[0, 0, 0]} lookAt={[0, 1.5, 3]} />
      <ambientLight intensity={0.4} />
      {LIGHTS.map((p, i) => (
        <group key={i} position={p}>
          <spotLight intensity={18} angle={0.6} penumbra={0.6} distance={12} position={[0, 0, 0]} target-position={[0, 1, 0]} color="#fff2dd" />
          <mesh rotation={[Math.PI / 3, 0, 0]}>
            <cylinderGeometry args={[0.12, 0.2, 0.35, 16]} />
            <meshStandardMaterial color="#222" metalness={0.7} roughness={0.35} />
          </mesh>
        </group>
      ))}
      {/* Stage and backdrop behind the host; the host faces the cameras at +z. */}
      <mesh position={[0, 0.1, 0]}>
        <cylinderGeometry args={[2.2, 2.3, 0.2, 64]} />
        <meshStandardMaterial color="#2a2140" roughness={0.5} metalness={0.2} />
      </mesh>
      <mesh position={[0, 0.205, 0]} rotation={[-Math.PI / 2, 0, 0]}>
        <ringGeometry args={[2.05, 2.15, 96]} />
        <meshBasicMaterial color="#ff5fa2" toneMapped={false} />
      </mesh>
      <mesh position={[0, 0, 0]} rotation={[-Math.PI / 2, 0, 0]}>
        <circleGeometry args={[9, 64]} />
        <meshStandardMaterial color="#15121e" roughness={0.9} />
      </mesh>
      <mesh position={[0, 2.2, -2.6]}>
        <cylinderGeometry args={[5, 5, 4.4, 48, 1, true, Math.PI * 0.75, Math.PI * 0.5]} />
        <meshStandardMaterial color="#1d2a55" side={2} roughness={0.8} />
      </mesh>
      <TextPanel
        name="on-air"
        position={[0, 3.3, -2.2]}
        width={1.1}
        height={0.3}
        align="center"
        background="rgba(120,0,20,0.9)"
        border="#ff4d4d"
        lines={[{ text: lang === 'zh' ? '● 直播中 ON AIR' : '● ON AIR 直播中', size: 64, weight: 700, color: '#ffd9d9' }]}
      />
      {/* Programme monitor in front of the host, so they see themself as the audience does. */}
      <group position={[0, 1.6, 3.2]} rotation={[0, Math.PI, 0]}>
        <mesh position={[0, 0, -0.03]}>
          <boxGeometry args={[2.5, 1.5, 0.05]} />
          <meshStandardMaterial color="#111" metalness={0.6} roughness={0.4} />
        </mesh>
        <TextPanel
          name="programme-monitor"
          width={2.4}
          height={1.35}
          align="center"
          background="rgba(10,14,30,1)"
          border="#333"
          lines={[
            { text: STRINGS.livestreamTitle[lang], size: 96, weight: 700, gap: 40 },
            { text: lang === 'zh' ? '节目输出 · Programme' : 'Programme · 节目输出', size: 56, color: '#9cc9ee' },
          ]}
        />
      </group>
      <BackToHub position={[1.4, 1.1, 1.2]} rotationY={-Math.PI * 0.8} />
    </>
  )
}
