import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateRecording } from '../core/replay/validate-recording'
import { LIVESTREAM_HOST_BODY, makeHostBodySession, writeShippedSession } from './make-synthetic-sessions'

// The body session is generated in Node (IWER cannot emulate a body), so regenerating is a unit
// test: LINGJING_WRITE_SESSIONS=1 npx vitest run src/tools/make-body-session.test.ts writes it;
// without the variable the test checks the shipped files are exactly what the generator makes.
const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..')
const GENERATOR = 'LINGJING_WRITE_SESSIONS=1 npx vitest run src/tools/make-body-session.test.ts'

describe(`shipped session ${LIVESTREAM_HOST_BODY.name}`, () => {
  it('is what the generator makes: a valid version 2 take with a body on every frame', () => {
    const recording = makeHostBodySession()
    const checked = validateRecording(JSON.stringify(recording))
    if (!checked.ok) throw new Error(checked.error.message.en)
    expect(recording.version).toBe(2)
    expect(recording.frames.length).toBe(LIVESTREAM_HOST_BODY.frames)
    expect(recording.frames.every((f) => f.length === 13)).toBe(true)
    if (process.env.LINGJING_WRITE_SESSIONS === '1') writeShippedSession(ROOT, LIVESTREAM_HOST_BODY.name, recording, LIVESTREAM_HOST_BODY.expected, GENERATOR)
    const shipped = readFileSync(join(ROOT, 'xr-sessions', `${LIVESTREAM_HOST_BODY.name}.json`), 'utf8')
    expect(shipped).toBe(JSON.stringify(recording) + '\n')
    const meta = JSON.parse(readFileSync(join(ROOT, 'xr-sessions', `${LIVESTREAM_HOST_BODY.name}.meta.json`), 'utf8'))
    expect(meta).toMatchObject({ device: 'IWER Meta Quest 3', experience: 'livestream', synthetic: true, generator: GENERATOR, expected: LIVESTREAM_HOST_BODY.expected })
  })
})
