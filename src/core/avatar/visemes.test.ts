import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { VISEME_NAMES, VOWEL_FORMANTS, createVisemeAnalyzer, updateVisemes, type VisemeName } from './visemes'

const RATE = 48000
const FFT = 2048
const WINDOW = FFT / RATE // one analysis window, ≈ 43 ms
const DT = 1 / 72

/**
 * Synthetic voiced spectrum in dB like getFloatFrequencyData: formant humps at F1 and F2 (F2 a bit
 * weaker), optionally as a harmonic comb on a 140 Hz pitch, over a -110 dB floor.
 */
function vowelSpectrum(f1: number, f2: number, options: { harmonics?: boolean; gainDb?: number } = {}): Float32Array {
  const out = new Float32Array(FFT / 2)
  const gain = 10 ** ((options.gainDb ?? 0) / 20)
  for (let i = 0; i < out.length; i++) {
    const f = (i * RATE) / FFT
    let mag = 0.02 * Math.exp(-0.5 * ((f - f1) / (f1 * 0.12)) ** 2) + 0.008 * Math.exp(-0.5 * ((f - f2) / (f2 * 0.08)) ** 2)
    if (options.harmonics) {
      const nearest = Math.round(f / 140) * 140
      mag *= Math.exp(-0.5 * ((f - nearest) / 25) ** 2)
    }
    out[i] = 20 * Math.log10(mag * gain + 10 ** (-110 / 20))
  }
  return out
}

function toBytes(db: Float32Array, min = -100, max = -30): Uint8Array {
  const out = new Uint8Array(db.length)
  for (let i = 0; i < db.length; i++) out[i] = Math.max(0, Math.min(255, Math.floor(((db[i] - min) / (max - min)) * 255)))
  return out
}

function dominant(w: Record<VisemeName, number>): VisemeName {
  let best: VisemeName = 'aa'
  for (const v of VISEME_NAMES) if (w[v] > w[best]) best = v
  return best
}

function settle(spectrum: Float32Array | Uint8Array, seconds = 0.3) {
  const a = createVisemeAnalyzer()
  for (let t = 0; t < seconds; t += DT) updateVisemes(a, spectrum, RATE, FFT, DT)
  return a
}

describe('visemes', () => {
  for (const vowel of VISEME_NAMES) {
    const [f1, f2] = VOWEL_FORMANTS[vowel]
    it(`picks ${vowel} for formants at ${f1}/${f2} Hz (smooth, harmonic and byte spectra)`, () => {
      for (const spectrum of [
        vowelSpectrum(f1, f2),
        vowelSpectrum(f1, f2, { harmonics: true }),
        toBytes(vowelSpectrum(f1, f2)),
      ]) {
        const a = settle(spectrum)
        expect(dominant(a.weights)).toBe(vowel)
        expect(a.weights[vowel]).toBeGreaterThan(0.5)
        expect(a.weights.loudness).toBeGreaterThan(0.8)
      }
    })
  }

  it('copes with a noisy background', () => {
    const rng = createRng(99)
    for (const vowel of VISEME_NAMES) {
      const [f1, f2] = VOWEL_FORMANTS[vowel]
      const spectrum = vowelSpectrum(f1, f2, { harmonics: true })
      for (let i = 0; i < spectrum.length; i++) {
        const noiseDb = -80 + rng.range(-6, 6)
        spectrum[i] = 10 * Math.log10(10 ** (spectrum[i] / 10) + 10 ** (noiseDb / 10))
      }
      expect(dominant(settle(spectrum).weights)).toBe(vowel)
    }
  })

  it('also recognises vowels off the table values (another speaker)', () => {
    // A higher voice: formants ~12 % up.
    expect(dominant(settle(vowelSpectrum(870, 1400)).weights)).toBe('aa')
    expect(dominant(settle(vowelSpectrum(340, 2600)).weights)).toBe('ih')
    expect(dominant(settle(vowelSpectrum(580, 1020)).weights)).toBe('oh')
  })

  it('stays closed for silence and for noise under the gate', () => {
    const silentFloat = new Float32Array(FFT / 2).fill(-Infinity)
    const silentBytes = new Uint8Array(FFT / 2)
    const hum = vowelSpectrum(780, 1250, { gainDb: -45 })
    for (const s of [silentFloat, silentBytes, hum]) {
      const a = settle(s)
      for (const v of VISEME_NAMES) expect(a.weights[v]).toBeLessThan(0.01)
      expect(a.weights.loudness).toBeLessThan(0.01)
    }
  })

  it('scales opening with loudness', () => {
    const loud = settle(vowelSpectrum(780, 1250)).weights.aa
    const quiet = settle(vowelSpectrum(780, 1250, { gainDb: -18 })).weights.aa
    expect(quiet).toBeGreaterThan(0.1)
    expect(quiet).toBeLessThan(loud * 0.7)
  })

  it('opens within one analysis window and releases after the sound stops', () => {
    const a = createVisemeAnalyzer()
    const voice = vowelSpectrum(780, 1250)
    const steady = settle(voice).weights.aa
    updateVisemes(a, voice, RATE, FFT, WINDOW)
    expect(a.weights.aa).toBeGreaterThan(0.8 * steady)
    const silence = new Float32Array(FFT / 2).fill(-Infinity)
    for (let t = 0; t < 0.5; t += DT) updateVisemes(a, silence, RATE, FFT, DT)
    expect(a.weights.aa).toBeLessThan(0.01)
  })

  it('handles other FFT sizes and sample rates', () => {
    const a = createVisemeAnalyzer()
    const fft = 1024
    const rate = 44100
    const spec = new Float32Array(fft / 2)
    for (let i = 0; i < spec.length; i++) {
      const f = (i * rate) / fft
      const mag = 0.02 * Math.exp(-0.5 * ((f - 300) / 40) ** 2) + 0.008 * Math.exp(-0.5 * ((f - 2300) / 180) ** 2)
      spec[i] = 20 * Math.log10(mag + 1e-6)
    }
    for (let t = 0; t < 0.3; t += DT) updateVisemes(a, spec, rate, fft, DT)
    expect(dominant(a.weights)).toBe('ih')
  })
})
