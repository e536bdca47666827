import { useMemo } from 'react'
import { BackSide, InstancedMesh, Matrix4, MeshStandardMaterial, CylinderGeometry, Quaternion, Vector3 } from 'three'
import { STRINGS } from '../../core/i18n/strings'
import { BackToHub } from '../../scene/components/back-to-hub'
import { TextPanel } from '../../scene/components/text-panel'
import { Viewpoint } from '../../scene/components/viewpoint'
import { useLang } from '../../ui/use-lang'

/** Rails along the module's length, at four angles around the hull (one instanced draw call). */
function Handrails() {
  const mesh = useMemo(() => {
    const angles = [0.6, -0.6, Math.PI - 0.6, Math.PI + 0.6]
    const segments: { z: number; radius: number }[] = []
    for (let z = -1.5; z > -14; z -= 1.6) segments.push({ z, radius: z > -7 ? 1.25 : 1.9 })
    const instanced = new InstancedMesh(new CylinderGeometry(0.018, 0.018, 1.1, 8), new MeshStandardMaterial({ color: '#e8c547', roughness: 0.4 }), angles.length * segments.length)
    const matrix = new Matrix4()
    const rotation = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2)
    let i = 0
    for (const segment of segments) {
      for (const angle of angles) {
        matrix.compose(new Vector3(Math.sin(angle) * segment.radius, 1.6 + Math.cos(angle) * segment.radius, segment.z), rotation, new Vector3(1, 1, 1))
        instanced.setMatrixAt(i++, matrix)
      }
    }
    return instanced
  }, [])
  return <primitive object={mesh} />
}

/** The Tianhe core module interior (simple first pass): node, small column and large column. */
export default function TianheExperience() {
  const lang = useLang()
  return (
    <>
      <color attach="background" args={['#000']} />
      <Viewpoint position={[0, 0, 0]} lookAt={[0, 1.6, -5]} />
      <ambientLight intensity={0.6} color="#dfe8ff" />
      <pointLight position={[0, 2.6, -3]} intensity={6} distance={9} color="#fff5e6" />
      <pointLight position={[0, 2.6, -10]} intensity={8} distance={10} color="#fff5e6" />
      {/* Hull sections along −z: small column (2.8 m) then large column (4.2 m). */}
      <mesh position={[0, 1.6, -3.5]} rotation={[Math.PI / 2, 0, 0]}>
        <cylinderGeometry args={[1.4, 1.4, 7, 32, 1, true]} />
        <meshStandardMaterial color="#dfe3e8" side={BackSide} roughness={0.7} />
      </mesh>
      <mesh position={[0, 1.6, -7.5]} rotation={[Math.PI / 2, 0, 0]}>
        <cylinderGeometry args={[2.1, 1.4, 1, 32, 1, true]} />
        <meshStandardMaterial color="#cfd5dc" side={BackSide} roughness={0.7} />
      </mesh>
      <mesh position={[0, 1.6, -11]} rotation={[Math.PI / 2, 0, 0]}>
        <cylinderGeometry args={[2.1, 2.1, 6, 32, 1, true]} />
        <meshStandardMaterial color="#e6e9ee" side={BackSide} roughness={0.7} />
      </mesh>
      <mesh position={[0, 1.6, -14]}>
        <circleGeometry args={[2.1, 32]} />
        <meshStandardMaterial color="#9aa4ae" />
      </mesh>
      <mesh position={[0, 1.6, 0.2]} rotation={[0, Math.PI, 0]}>
        <circleGeometry args={[1.4, 32]} />
        <meshStandardMaterial color="#9aa4ae" />
      </mesh>
      <Handrails />
      <TextPanel
        name="zone-label"
        position={[0, 2.6, -6.5]}
        width={1.6}
        height={0.4}
        align="center"
        lines={[
          { text: STRINGS.tianheTitle[lang], size: 72, weight: 700 },
          { text: lang === 'zh' ? '小柱段 → 大柱段' : 'Small column → large column', size: 40, color: '#9cc9ee' },
        ]}
      />
      <BackToHub position={[0.7, 1.3, -1.2]} rotationY={-0.5} />
    </>
  )
}
