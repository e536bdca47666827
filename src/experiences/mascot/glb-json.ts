/** The parts of a glTF JSON document the mascot checks read. */
export interface GltfJson {
  asset: { version: string }
  nodes: { name?: string; mesh?: number; children?: number[]; extras?: Record<string, unknown> }[]
  meshes: { name?: string; primitives: unknown[] }[]
  animations?: { name?: string; channels: unknown[]; extras?: Record<string, unknown> }[]
  [key: string]: unknown
}

const MAGIC = 0x46546c67 // 'glTF'
const JSON_CHUNK = 0x4e4f534a // 'JSON'

/**
 * Reads the JSON chunk of a binary glTF (GLB 2.0). Throws a specific message for a file that is
 * not one, so a broken asset is named rather than failing somewhere inside a loader.
 */
export function readGlbJson(bytes: Uint8Array): GltfJson {
  if (bytes.byteLength < 20) throw new Error(`not a GLB: ${bytes.byteLength} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a GLB: bad magic')
  if (view.getUint32(4, true) !== 2) throw new Error(`unsupported GLB version ${view.getUint32(4, true)}`)
  if (view.getUint32(8, true) !== bytes.byteLength) throw new Error('GLB length field does not match the file')
  const length = view.getUint32(12, true)
  if (view.getUint32(16, true) !== JSON_CHUNK) throw new Error('GLB first chunk is not JSON')
  const text = new TextDecoder().decode(bytes.subarray(20, 20 + length))
  return JSON.parse(text) as GltfJson
}

/** Outfit names declared by nodes' `extras.outfit`, sorted. */
export function outfitsOf(json: GltfJson): string[] {
  const names = new Set<string>()
  for (const node of json.nodes) {
    const outfit = node.extras?.outfit
    if (typeof outfit === 'string') names.add(outfit)
  }
  return [...names].sort()
}
