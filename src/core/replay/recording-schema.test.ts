import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { XR_BODY_JOINTS } from '../input/input-snapshot'
import { BODY_SEGMENT_LENGTH, EXPERIENCES, FRAME_LENGTH, FRAME_LENGTH_WITH_BODY, QUANTIZATION, RECORDING_FORMAT, RECORDING_MODES, RECORDING_VERSION, RECORDING_VERSION_1, sourceSegmentLength } from './recording-format'
import { createSyntheticRecording } from './synthetic-session'

// The documented schema and the code must not drift apart; no schema-validator dependency, just
// the parts that matter read straight from the JSON Schema file.
const schema = JSON.parse(readFileSync(new URL('../../../xr-sessions/schema/recording.schema.json', import.meta.url), 'utf8'))

describe('xr-sessions/schema/recording.schema.json', () => {
  it('is draft 2020-12 and pins the format and version constants', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.properties.format.const).toBe(RECORDING_FORMAT)
    expect(schema.properties.version.enum).toEqual([RECORDING_VERSION_1, RECORDING_VERSION])
  })

  it('matches the code on the version 2 body segment and joint names', () => {
    expect(schema.$defs.meta.properties.bodyJoints.const).toEqual([...XR_BODY_JOINTS])
    expect(schema.$defs.body.minItems).toBe(BODY_SEGMENT_LENGTH)
    expect(schema.$defs.body.maxItems).toBe(BODY_SEGMENT_LENGTH)
    expect(schema.$defs.frame.minItems).toBe(FRAME_LENGTH)
    expect(schema.$defs.frame.maxItems).toBe(FRAME_LENGTH_WITH_BODY)
    expect(schema.then.properties.meta.required).toEqual(['bodyJoints'])
  })

  it("a built recording has every field the schema's required arrays list", () => {
    const rec = createSyntheticRecording({ frames: 5, inputs: 'mixed', eventEvery: 2 }) as unknown as Record<string, unknown>
    for (const key of schema.required as string[]) expect(rec, key).toHaveProperty(key)
    const meta = rec.meta as Record<string, unknown>
    for (const key of schema.$defs.meta.required as string[]) expect(meta, `meta.${key}`).toHaveProperty(key)
    for (const key of schema.$defs.meta.properties.quantization.required as string[]) expect(meta.quantization, `quantization.${key}`).toHaveProperty(key)
    for (const event of rec.events as Record<string, unknown>[]) {
      for (const key of schema.$defs.event.required as string[]) expect(event).toHaveProperty(key)
    }
    // And nothing the builder writes is undocumented.
    // (`timing` is optional: only takes recorded by the app carry it; see frame-timing-trace.test.ts.)
    expect(Object.keys(rec).sort()).toEqual(Object.keys(schema.properties).filter((k) => k !== 'timing').sort())
    expect(Object.keys(meta).sort()).toEqual(Object.keys(schema.$defs.meta.properties).sort())
  })

  it('matches the code on enums, quantisation and source headers', () => {
    const meta = schema.$defs.meta.properties
    expect(meta.experience.enum).toEqual([...EXPERIENCES])
    expect(meta.mode.enum).toEqual([...RECORDING_MODES])
    for (const [key, value] of Object.entries(QUANTIZATION)) expect(meta.quantization.properties[key].const, key).toBe(value)
    const headers = schema.$defs.header.enum as number[]
    for (let h = 0; h < 64; h++) expect(headers.includes(h), `header ${h}`).toBe(sourceSegmentLength(h) > 0)
    const lengthRules = schema.$defs.source.oneOf[1].allOf as { if: { prefixItems: { enum: number[] }[] }; then: { minItems: number } }[]
    for (const rule of lengthRules) {
      for (const h of rule.if.prefixItems[0].enum) expect(sourceSegmentLength(h), `header ${h}`).toBe(rule.then.minItems)
    }
    expect(lengthRules.flatMap((r) => r.if.prefixItems[0].enum).sort((a, b) => a - b)).toEqual([...headers].sort((a, b) => a - b))
  })
})
