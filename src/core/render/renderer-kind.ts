/**
 * Which WebGL renderers rasterise on the CPU. On those, multisampling multiplies the cost of every
 * pixel (measured here: a Tianhe replay frame took 0.6–0.7× as long without it under SwiftShader),
 * while on a GPU, and on a Quest's tiled GPU above all, 4× MSAA is close to free.
 */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software rasterizer|microsoft basic render|lavapipe/i

/** True when the WebGL renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERERS.test(renderer)
}

/** What the canvas asks for: multisampling only where a GPU does the work. */
export function chooseAntialias(renderer: string | null): { antialias: boolean; software: boolean } {
  const software = isSoftwareRenderer(renderer)
  return { antialias: !software, software }
}
