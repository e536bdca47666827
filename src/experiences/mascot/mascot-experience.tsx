import { useXR } from '@react-three/xr'
import { BackToHub } from '../../scene/components/back-to-hub'
import { TextPanel } from '../../scene/components/text-panel'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useLang } from '../../ui/use-lang'
import { Xiaoguan } from './xiaoguan'

/** The Xiaoguan mascot: in AR it stands in the real room; in VR and on desktop, on a small stage. */
export default function MascotExperience() {
  const lang = useLang()
  const mode = useXR((s) => s.mode)
  const ar = mode === 'immersive-ar'
  return (
    <>
      {!ar && <color attach="background" args={['#0c1424']} />}
      <Viewpoint position={[0, 0, 0]} lookAt={[0, 1.1, -1.5]} />
      <ambientLight intensity={0.7} />
      <directionalLight position={[1, 3, 2]} intensity={2} />
      {!ar && (
        <mesh rotation={[-Math.PI / 2, 0, 0]}>
          <circleGeometry args={[6, 48]} />
          <meshStandardMaterial color="#1b2a40" />
        </mesh>
      )}
      <Xiaoguan position={[0, ar ? 0.9 : 1.0, -1.4]} />
      <TextPanel
        name="mascot-hello"
        position={[0.55, 1.55, -1.4]}
        width={0.7}
        height={0.22}
        align="center"
        lines={[{ text: lang === 'zh' ? '你好！我是小关。' : "Hi! I'm Xiaoguan.", size: 48, weight: 600 }]}
      />
      {!ar && <BackToHub position={[-0.8, 1.0, -1.0]} rotationY={0.5} />}
    </>
  )
}
