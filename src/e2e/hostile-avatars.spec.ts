import type { Page } from '@playwright/test'
import { allowPageErrors, expect, test } from './fixtures'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateVrmFile } from '../core/avatar/vrm-validation'
import { createHostileCorpus, type HostileEntry } from '../tools/make-hostile-corpus'
import { acceptLinkRequests, openExperience, snapshot } from './lingjing-page'

// Issue 16 item 10 in the browser: hostile avatars from the generated corpus, through the file
// picker and `?avatar=`, are refused with the validator's bilingual reason; the default host stays,
// frames keep coming, and a local file never makes the page reach the network.

type AvatarEntry = Extract<HostileEntry, { kind: 'avatar' }>
const corpus = createHostileCorpus(
  new Uint8Array(readFileSync(join(process.cwd(), 'assets/avatars/lingjing-host.vrm'))),
  readFileSync(join(process.cwd(), 'xr-sessions/livestream/host-wave-expressions.json'), 'utf8'),
)
const entry = (suffix: string): AvatarEntry => {
  const found = corpus.find((e): e is AvatarEntry => e.kind === 'avatar' && e.name.endsWith(`-${suffix}.vrm`))
  if (!found) throw new Error(`no corpus entry ${suffix}`)
  return found
}
/** The English refusal the validator gives for an entry (what the alert must show). */
const reason = (e: AvatarEntry) => {
  const result = validateVrmFile(e.bytes.buffer.slice(e.bytes.byteOffset, e.bytes.byteOffset + e.bytes.byteLength) as ArrayBuffer)
  if (result.ok || !result.error) throw new Error(`${e.name} passed the validator`)
  return result.error.message.en
}

const avatar = async (page: Page) => (await snapshot(page)).avatar!
const frames = async (page: Page) => (await snapshot(page)).frame.frames

/** Records every request to a host a hostile file names, and answers none of them. */
async function watchExternal(page: Page): Promise<string[]> {
  const seen: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') seen.push(request.url())
  })
  await page.route((url) => url.hostname.endsWith('.invalid'), (route) => route.abort())
  return seen
}

/** Refused with the validator's reason, the default host still on stage, frames still coming. */
async function expectRefused(page: Page, e: AvatarEntry): Promise<void> {
  const alert = page.locator('[role="alert"][data-kind="avatar-invalid"]')
  await expect(alert, e.name).toContainText('This avatar cannot be used', { timeout: 30_000 })
  await expect(alert, e.name).toContainText(reason(e).slice(0, 60), { timeout: 30_000 })
  expect(await avatar(page), e.name).toMatchObject({ loaded: true, source: 'default' })
  const before = await frames(page)
  await expect.poll(() => frames(page), { timeout: 30_000, message: `frames after ${e.name}` }).toBeGreaterThan(before + 3)
}

const PICKED = [
  'image-external-url',
  'buffer-external-url',
  'node-chain-10000',
  'node-own-child',
  'node-two-parents',
  'png-60000',
  'textures-total',
  'accessor-count-lies',
  'index-past-vertices',
  'image-data-uri-bomb',
  'lying-bin-length',
  'random-0',
]

test('hostile avatars through the file picker are refused; the host stays and no request leaves the page', async ({ page, pageErrors }) => {
  test.setTimeout(240_000)
  // Each refused file is reported (console and error list); what must never appear is a crash inside the loader.
  allowPageErrors('hostile avatar files are refused with reported errors')
  const external = await watchExternal(page)
  await openExperience(page, '/livestream?lang=en')
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('default')
  const picker = page.getByTestId('livestream-controls').getByLabel('Load a VRM file (or drop it here)')
  for (const suffix of PICKED) {
    const e = entry(suffix)
    await picker.setInputFiles({ name: e.name, mimeType: 'model/gltf-binary', buffer: Buffer.from(e.bytes) })
    await expectRefused(page, e)
  }
  // A file that is only badly named loads, with the name cleaned (no bidi override on screen).
  const named = entry('name-bidi')
  await picker.setInputFiles({ name: named.name, mimeType: 'model/gltf-binary', buffer: Buffer.from(named.bytes) })
  await expect.poll(async () => (await avatar(page)).source, { timeout: 30_000 }).toBe('file')
  expect((await avatar(page)).name).toBe(named.expectName)
  expect(external).toEqual([])
  expect(pageErrors.list.filter((m) => /Maximum call stack|RangeError/.test(m))).toEqual([])
})

test('hostile ?avatar= downloads are refused the same way', async ({ page, pageErrors }) => {
  test.setTimeout(240_000)
  allowPageErrors('hostile avatar files are refused with reported errors')
  const external = await watchExternal(page)
  for (const suffix of ['node-chain-10000', 'png-60000', 'image-external-url']) {
    const e = entry(suffix)
    await page.route((url) => url.pathname === `/test-avatars/${e.name}`, (route) => route.fulfill({ status: 200, contentType: 'model/gltf-binary', body: Buffer.from(e.bytes) }))
    await openExperience(page, `/livestream?lang=en&avatar=/test-avatars/${e.name}`)
    await acceptLinkRequests(page, 'avatar')
    await expectRefused(page, e)
  }
  expect(external).toEqual([])
  expect(pageErrors.list.filter((m) => /Maximum call stack|RangeError/.test(m))).toEqual([])
})
