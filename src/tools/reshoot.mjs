// `npm run reshoot -- --session FILE --program cams.json --out take.webm [--preset 720p] [--reuse-build]
//                     [--hashes hashes.json]`
//
// Renders a recorded xr-session again with another camera programme, headless and deterministic
// frame by frame: validates both files (exit code 2 with the validator's message and the path of
// the problem), builds the app (unless --reuse-build), serves dist on a free loopback port, opens
// headless Chromium in re-shoot mode (src/scene/broadcast/reshoot-recorder.tsx) and writes the WebM.
// The validators are the app's own TypeScript core, loaded through Vite's module runner (Node 20
// cannot run TypeScript by itself).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { build, preview, runnerImport } from 'vite'
import { CHROMIUM_ARGS, resolveChromium } from './browser.mjs'
import { BROADCAST_EXPERIENCES, reshootInPage } from './reshoot-runner.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const log = (...parts) => console.log('[reshoot]', ...parts)

const USAGE = 'usage: npm run reshoot -- --session FILE.json --program PROGRAMME.json --out TAKE.webm [--preset 720p|540p|360p] [--reuse-build] [--hashes FILE.json]'

/** Exit code 2: the input is wrong (nothing was rendered). */
class InputError extends Error {}

function parseArgs(argv) {
  const out = { session: null, program: null, out: null, preset: null, hashes: null, reuseBuild: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new InputError(`${a} needs a value\n${USAGE}`)
      return v
    }
    if (a === '--session') out.session = value()
    else if (a === '--program' || a === '--programme') out.program = value()
    else if (a === '--out') out.out = value()
    else if (a === '--preset') out.preset = value()
    else if (a === '--hashes') out.hashes = value()
    else if (a === '--reuse-build') out.reuseBuild = true
    else if (a === '--help' || a === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else throw new InputError(`unknown argument ${a}\n${USAGE}`)
  }
  for (const k of ['session', 'program', 'out']) if (!out[k]) throw new InputError(`--${k} is required\n${USAGE}`)
  return out
}

function readInput(path, what) {
  const abs = resolve(process.cwd(), path)
  if (!existsSync(abs)) throw new InputError(`${what} ${path}: no such file`)
  return readFileSync(abs, 'utf8')
}

const where = (path) => (path ? ` (at ${path})` : '')

/** Validates both files with the app's own validators; returns what the run needs. */
async function validateInputs(args) {
  const quiet = { configFile: false, logLevel: 'silent' }
  const [{ module: programmes }, { module: recordings }, { module: players }, { module: cameras }] = await Promise.all([
    runnerImport(resolve(root, 'src/core/broadcast/camera-programme.ts'), quiet),
    runnerImport(resolve(root, 'src/core/replay/validate-recording.ts'), quiet),
    runnerImport(resolve(root, 'src/core/replay/replay-player.ts'), quiet),
    runnerImport(resolve(root, 'src/core/broadcast/studio-cameras.ts'), quiet),
  ])
  const sessionText = readInput(args.session, 'session')
  const session = recordings.validateRecording(sessionText)
  if (!session.ok) throw new InputError(`session ${args.session}: ${session.error.message.en}${where(session.error.path)}\n  ${session.error.message.zh}`)
  const experience = session.recording.meta.experience
  if (!BROADCAST_EXPERIENCES.includes(experience)) {
    throw new InputError(`session ${args.session}: recorded in "${experience}", which has no broadcast cameras; re-shoots work on ${BROADCAST_EXPERIENCES.join(', ')} takes`)
  }
  let programmeValue
  const programmeRaw = readInput(args.program, 'programme')
  try {
    programmeValue = JSON.parse(programmeRaw)
  } catch {
    programmeValue = programmeRaw // the validator reports it with its own words
  }
  if (args.preset && typeof programmeValue === 'object' && programmeValue !== null) programmeValue = { ...programmeValue, preset: args.preset }
  const ids = cameras.STUDIO_CAMERAS.map((c) => c.id)
  const checked = programmes.validateCameraProgramme(programmeValue, ids)
  if (!checked.ok) throw new InputError(`programme ${args.program}: ${checked.error.message.en}${where(checked.error.path)}\n  ${checked.error.message.zh}`)
  const player = players.createReplayPlayer(session.recording, { mode: 'deterministic' })
  const times = Array.from({ length: player.frameCount }, (_, i) => player.frameTimeMs(i))
  const timeline = programmes.createReshootTimeline(times, checked.programme.fps)
  const late = programmes.checkProgrammeFitsSession(checked.programme, timeline.durationMs)
  if (late) throw new InputError(`programme ${args.program}: ${late.message.en}${where(late.path)}\n  ${late.message.zh}`)
  return {
    sessionText,
    programmeText: typeof programmeValue === 'string' ? programmeValue : JSON.stringify(programmeValue),
    programme: checked.programme,
    size: programmes.RESHOOT_PRESETS[checked.programme.preset],
    frames: player.frameCount,
    durationMs: timeline.durationMs,
    outputFrames: timeline.outputFrames,
    experience,
    hashFrameBytes: programmes.hashFrameBytes,
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const input = await validateInputs(args)
  const p = input.programme
  log(`session   ${args.session}: ${input.frames} recorded frames, ${(input.durationMs / 1000).toFixed(3)} s, ${input.experience}`)
  log(`programme ${args.program}: ${p.preset} (${input.size.width}×${input.size.height}) at ${p.fps} fps, ${p.cuts.length} cuts → ${input.outputFrames} output frames`)
  const dist = resolve(root, 'dist')
  if (args.reuseBuild) {
    if (!existsSync(resolve(dist, 'index.html'))) throw new InputError('--reuse-build: there is no build in dist/ (run npm run build, or leave --reuse-build out)')
  } else {
    log('building…')
    await build({ root: resolve(root, 'src'), configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' })
  }
  const server = await preview({ root: resolve(root, 'src'), configFile: resolve(root, 'vite.config.ts'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' })
  const baseUrl = server.resolvedUrls?.local[0] ?? null
  if (!baseUrl) throw new Error('the preview server did not report its address')
  const browser = await chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS })
  try {
    // The page's own XR view is not the output: keep it small, the programme renders at the preset.
    const context = await browser.newContext({ viewport: { width: 640, height: 360 } })
    const page = await context.newPage()
    const pageErrors = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    log(`rendering in headless Chromium (${baseUrl})…`)
    const result = await reshootInPage(page, {
      baseUrl,
      sessionText: input.sessionText,
      programmeText: input.programmeText,
      onProgress: (s) => log(`  ${s.state}: ${s.framesRendered} / ${s.outputFrames || input.outputFrames} frames`),
    })
    const out = resolve(process.cwd(), args.out)
    writeFileSync(out, result.bytes)
    const s = result.status
    if (args.hashes) {
      writeFileSync(resolve(process.cwd(), args.hashes), JSON.stringify({ frameHashes: s.frameHashes, sourceFrames: s.sourceFrames, frameCameras: s.frameCameras, stateHash: result.stateHash }, null, 1))
    }
    // One digest over all frame hashes: two runs that print the same one rendered the same pictures.
    const digest = input.hashFrameBytes(new TextEncoder().encode(s.frameHashes.join('')))
    const st = s.stats
    log(`wrote     ${args.out}: ${s.framesRendered} frames, ${(s.framesRendered / s.fps).toFixed(3)} s, ${s.width}×${s.height} ${s.codec}, ${(result.bytes.length / 1024 / 1024).toFixed(2)} MB`)
    log(`wall time ${(result.wallMs / 1000).toFixed(1)} s (page load to file); in the page ${(st.wallMs / 1000).toFixed(1)} s from the first recorded frame: render ${(st.renderMs / 1000).toFixed(1)} s, readback ${(st.readbackMs / 1000).toFixed(1)} s, hash ${(st.hashMs / 1000).toFixed(1)} s, encode calls ${(st.encodeMs / 1000).toFixed(1)} s, longest encoder queue ${st.maxEncodeQueue}`)
    log(`replay    state hash ${result.stateHash}, ${result.replay?.frame + 1} of ${input.frames} recorded frames, frame-hash digest ${digest}`)
    if (s.framesRendered !== input.outputFrames) throw new Error(`rendered ${s.framesRendered} frames, expected ${input.outputFrames}`)
    if (pageErrors.length > 0) log(`page errors: ${pageErrors.join(' | ')}`)
    await context.close()
  } finally {
    await browser.close()
    await new Promise((done) => server.httpServer.close(done))
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof InputError) {
      console.error(`[reshoot] ${error.message}`)
      process.exit(2)
    }
    console.error(`[reshoot] failed: ${error instanceof Error ? error.message : String(error)}`)
    if (error?.zh) console.error(`  ${error.zh}`)
    process.exit(1)
  },
)
