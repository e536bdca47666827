/** Xiaoguan (小关), first pass: a round astronaut-helmeted mascot built from primitives. */
export function Xiaoguan({ position, scale = 1 }: { position: [number, number, number]; scale?: number }) {
  return (
    <group position={position} scale={scale} name="xiaoguan">
      <mesh>
        <sphereGeometry args={[0.16, 32, 16]} />
        <meshStandardMaterial color="#f5f7fb" roughness={0.4} />
      </mesh>
      <mesh position={[0, 0.22, 0]}>
        <sphereGeometry args={[0.14, 32, 16]} />
        <meshStandardMaterial color="#ffffff" roughness={0.3} />
      </mesh>
      <mesh position={[0, 0.225, 0.08]}>
        <sphereGeometry args={[0.1, 32, 16, 0, Math.PI * 2, 0, Math.PI / 2.2]} />
        <meshStandardMaterial color="#1f6fd1" metalness={0.5} roughness={0.15} />
      </mesh>
      {[-0.035, 0.035].map((x) => (
        <mesh key={x} position={[x, 0.235, 0.175]}>
          <sphereGeometry args={[0.015, 12, 8]} />
          <meshBasicMaterial color="#bdf3ff" />
        </mesh>
      ))}
      <mesh position={[0, 0.4, 0]}>
        <cylinderGeometry args={[0.006, 0.006, 0.08, 6]} />
        <meshStandardMaterial color="#c33" />
      </mesh>
      <mesh position={[0, 0.45, 0]}>
        <sphereGeometry args={[0.022, 12, 8]} />
        <meshStandardMaterial color="#ff4d4d" emissive="#ff2020" emissiveIntensity={0.8} />
      </mesh>
      <mesh position={[0, 0.02, -0.16]}>
        <boxGeometry args={[0.16, 0.2, 0.08]} />
        <meshStandardMaterial color="#c9ced6" metalness={0.6} roughness={0.3} />
      </mesh>
    </group>
  )
}
