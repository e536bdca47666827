import { type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { allowPageErrors, expect, test } from './fixtures'
import { enterXR, openExperience, waitFrames } from './lingjing-page'
import { recorderSection } from './session-takes'

// The recorder bar needs a wide page (see xr-sessions.spec.ts).
test.use({ viewport: { width: 1280, height: 720 } })

/** Stored xr-sessions take records of this origin, read straight from IndexedDB. */
async function storedTakes(page: Page): Promise<{ id: string; state: string; frames: number }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; state: string; frames: number }[]>((resolve, reject) => {
        const open = indexedDB.open('lingjing-xr-sessions')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const get = db.transaction('takes', 'readonly').objectStore('takes').getAll()
          get.onerror = () => reject(get.error)
          get.onsuccess = () => {
            db.close()
            resolve((get.result as { id: string; state: string; frames: number }[]).map(({ id, state, frames }) => ({ id, state, frames })))
          }
        }
      }),
  )
}

test('a take being recorded in tab A is never offered or deleted by tab B; once A is gone, B offers it beside a damaged one (#16)', async ({ page, context }) => {
  allowPageErrors('tab A is closed mid-take on purpose')
  test.setTimeout(240_000)
  // Tab A records.
  await openExperience(page, '/?lang=en')
  await enterXR(page, 'VR')
  await waitFrames(page, 5)
  await page.keyboard.press('r')
  await expect.poll(async () => (await recorderSection(page)).persistedFrames, { timeout: 30_000 }).toBeGreaterThan(20)
  const liveId = (await recorderSection(page)).takeId
  expect(liveId).toBeTruthy()

  // Tab B opens the same origin (same IndexedDB) while A keeps recording.
  const tabB = await context.newPage()
  await openExperience(tabB, '/?lang=en')
  await waitFrames(tabB, 30)
  const b = await recorderSection(tabB)
  expect(b.liveGuard).toBe('web-locks')
  // B's recovery ran (the store is open) and did not offer A's live take.
  await expect(tabB.locator('.take')).toHaveCount(0)
  // The lock B checked is A's, and A's take is still stored and still growing.
  const held = await tabB.evaluate(async () => ((await navigator.locks.query()).held ?? []).map((l) => l.name))
  expect(held).toContain(`lingjing-take:xr-sessions:${liveId}`)
  const before = (await storedTakes(tabB)).find((t) => t.id === liveId)
  expect(before?.state).toBe('recording')
  await expect.poll(async () => (await storedTakes(tabB)).find((t) => t.id === liveId)?.frames ?? 0, { timeout: 30_000 }).toBeGreaterThan(before!.frames)

  // A broken record beside it (no meta, a null event) must not hide it.
  await tabB.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('lingjing-xr-sessions')
        open.onsuccess = () => {
          const tx = open.result.transaction(['takes', 'chunks'], 'readwrite')
          tx.objectStore('takes').put({ id: 'broken', meta: null, state: 'recording' })
          tx.objectStore('chunks').put({ index: 0, meta: null, frames: [[1]], events: [null] }, ['broken', 0])
          tx.oncomplete = () => (open.result.close(), resolve())
          tx.onerror = () => reject(tx.error)
        }
        open.onerror = () => reject(open.error)
      }),
  )

  // A's tab closes mid-take: its lock goes with it, and B's next visit offers the interrupted take.
  await page.close()
  await tabB.reload()
  await openExperience(tabB, '/?lang=en')
  const card = tabB.locator(`.take[data-take="${liveId}"]`)
  await expect(card).toHaveCount(1)
  await expect(card).toContainText('A recording from an earlier visit was recovered')
  await expect(card.getByRole('button', { name: 'Save (download)' })).toBeVisible()

  // The broken one is listed as damaged: Download raw gives its stored data, Delete removes it.
  const broken = tabB.locator('.take[data-take="broken"]')
  await expect(broken).toHaveAttribute('data-damaged', 'true')
  await expect(broken).toContainText('Damaged recording')
  const download = tabB.waitForEvent('download')
  await broken.getByRole('button', { name: 'Download raw' }).click()
  const raw = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { format: string; chunks: unknown[] }
  expect(raw.format).toBe('lingjing-xr-session-raw')
  expect(raw.chunks).toHaveLength(1)
  await broken.getByRole('button', { name: 'Delete' }).click()
  await expect(broken).toHaveCount(0)
  expect((await storedTakes(tabB)).map((t) => t.id)).not.toContain('broken')
})
