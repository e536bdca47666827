import { Mesh, MeshBasicMaterial, Raycaster, Texture, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { TILE_H, TILE_W, TILE_Y, tileX } from './switcher-console-panels'
import { createSwitcherTilesGeometry, createSwitcherTilesMaterial, tileAtFace } from './switcher-tiles'

describe('switcher tiles (one mesh for every camera tile)', () => {
  it('places one quad per camera where the separate tiles stood, each tagged with its camera', () => {
    const n = 5
    const g = createSwitcherTilesGeometry(n)
    expect(g.getAttribute('position').count).toBe(n * 4)
    expect(g.getIndex()!.count).toBe(n * 6)
    const position = g.getAttribute('position')
    const tile = g.getAttribute('tile')
    for (let i = 0; i < n; i++) {
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity
      for (let k = 0; k < 4; k++) {
        const o = i * 4 + k
        expect(tile.getX(o)).toBe(i)
        minX = Math.min(minX, position.getX(o))
        maxX = Math.max(maxX, position.getX(o))
        minY = Math.min(minY, position.getY(o))
        maxY = Math.max(maxY, position.getY(o))
      }
      expect((minX + maxX) / 2).toBeCloseTo(tileX(i, n), 6)
      expect((minY + maxY) / 2).toBeCloseTo(TILE_Y, 6)
      expect(maxX - minX).toBeCloseTo(TILE_W, 6)
      expect(maxY - minY).toBeCloseTo(TILE_H, 6)
    }
  })

  it('maps a click on each tile to its camera, facing +Z like the planes it replaces', () => {
    const n = 5
    const mesh = new Mesh(createSwitcherTilesGeometry(n), new MeshBasicMaterial())
    mesh.updateMatrixWorld()
    const ray = new Raycaster()
    for (let i = 0; i < n; i++) {
      for (const dx of [-0.4, 0, 0.4]) {
        ray.set(new Vector3(tileX(i, n) + dx * TILE_W, TILE_Y + dx * TILE_H, 1), new Vector3(0, 0, -1))
        const [hit] = ray.intersectObject(mesh)
        expect(hit, `tile ${i}`).toBeDefined()
        expect(tileAtFace(hit.faceIndex!)).toBe(i)
        // Front faces towards +Z (a one-sided material would hide them otherwise).
        expect(hit.face!.normal.z).toBeGreaterThan(0)
      }
    }
    // Between two tiles: nothing.
    ray.set(new Vector3((tileX(0, n) + tileX(1, n)) / 2, TILE_Y, 1), new Vector3(0, 0, -1))
    expect(ray.intersectObject(mesh)).toHaveLength(0)
  })

  it('samples each preview and the output, and switches the on-air tile without a new material', () => {
    const output = new Texture()
    const previews = [new Texture(), new Texture(), new Texture()]
    const m = createSwitcherTilesMaterial(output, previews)
    expect(m.uniforms.programmeOutput.value).toBe(output)
    expect(m.uniforms.previews.value).toEqual(previews)
    // One branch per preview (sampler arrays take constant indices only).
    for (let i = 0; i < previews.length; i++) expect(m.fragmentShader).toContain(`texture2D(previews[${i}], uv)`)
    expect(m.fragmentShader).toContain(`uniform sampler2D previews[${previews.length}]`)
    m.setOnAir(2)
    expect(m.uniforms.onAir.value).toBe(2)
  })
})
