import { BufferAttribute, BufferGeometry, ShaderMaterial, type Texture } from 'three'
import { TILE_H, TILE_W, TILE_Y, tileX } from './switcher-console-panels'

/**
 * The switcher console's camera tiles as one mesh: one quad per camera, each with its camera's
 * index in a `tile` attribute, drawn in one call by a material that samples the camera's preview,
 * or the programme output for the tile on air. Five tiles were five draw calls per eye (and five
 * material switches), drawn every headset frame even when the previews are off.
 */
export function createSwitcherTilesGeometry(count: number): BufferGeometry {
  const position = new Float32Array(count * 4 * 3)
  const uv = new Float32Array(count * 4 * 2)
  const tile = new Float32Array(count * 4)
  const index: number[] = []
  const hw = TILE_W / 2
  const hh = TILE_H / 2
  for (let i = 0; i < count; i++) {
    const x = tileX(i, count)
    // Corners in PlaneGeometry's order (top left, top right, bottom left, bottom right) and winding.
    const corners = [
      [x - hw, TILE_Y + hh, 0, 1],
      [x + hw, TILE_Y + hh, 1, 1],
      [x - hw, TILE_Y - hh, 0, 0],
      [x + hw, TILE_Y - hh, 1, 0],
    ]
    corners.forEach(([cx, cy, u, v], k) => {
      const o = i * 4 + k
      position.set([cx, cy, 0], o * 3)
      uv.set([u, v], o * 2)
      tile[o] = i
    })
    const a = i * 4
    index.push(a, a + 2, a + 1, a + 2, a + 3, a + 1)
  }
  const geometry = new BufferGeometry()
  geometry.setAttribute('position', new BufferAttribute(position, 3))
  geometry.setAttribute('uv', new BufferAttribute(uv, 2))
  geometry.setAttribute('tile', new BufferAttribute(tile, 1))
  geometry.setIndex(index)
  geometry.computeBoundingSphere()
  return geometry
}

/** The camera whose tile was hit, from the hit triangle (two per tile, in tile order). */
export function tileAtFace(faceIndex: number): number {
  return Math.floor(faceIndex / 2)
}

/** The tiles' material: see {@link createSwitcherTilesGeometry}. `setOnAir` picks the tile that shows the output. */
export interface SwitcherTilesMaterial extends ShaderMaterial {
  setOnAir(index: number): void
}

/**
 * The material of the merged tiles. A preview tile looks as a `MeshBasicMaterial` with the preview
 * as its map did (the renderer's tone mapping and output colour space applied to the linear
 * preview); the tile on air looks as the output display material did (the output target's
 * pixels as they are, rows flipped). Sampler arrays take constant indices only in GLSL ES, so the
 * preview is picked by an unrolled chain.
 */
export function createSwitcherTilesMaterial(output: Texture, previews: readonly Texture[]): SwitcherTilesMaterial {
  const pick = previews.map((_, i) => `if (t == ${i}) return texture2D(previews[${i}], uv);`).join('\n    ')
  const material = new ShaderMaterial({
    uniforms: { programmeOutput: { value: output }, previews: { value: [...previews] }, onAir: { value: -1 } },
    vertexShader: /* glsl */ `
      attribute float tile;
      varying vec2 vUv;
      varying float vTile;
      void main() {
        vUv = uv;
        vTile = tile;
        gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
      }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D programmeOutput;
      uniform sampler2D previews[${previews.length}];
      uniform float onAir;
      varying vec2 vUv;
      varying float vTile;
      vec4 preview(int t, vec2 uv) {
        ${pick}
        return vec4(0.0, 0.0, 0.0, 1.0);
      }
      void main() {
        if (abs(vTile - onAir) < 0.5) {
          gl_FragColor = vec4(texture2D(programmeOutput, vec2(vUv.x, 1.0 - vUv.y)).rgb, 1.0);
          return;
        }
        gl_FragColor = vec4(preview(int(vTile + 0.5), vUv).rgb, 1.0);
        #include <tonemapping_fragment>
        #include <colorspace_fragment>
      }`,
  }) as SwitcherTilesMaterial
  material.setOnAir = (index) => {
    material.uniforms.onAir.value = index
  }
  return material
}
