import { clamp01 } from './avatar-math'

/**
 * Lip sync from the microphone spectrum (Web Audio `AnalyserNode` frequency data).
 *
 * Vowels differ by their first two formants: F1 (≈ 250–900 Hz, jaw opening) and F2 (≈ 800–2500 Hz,
 * tongue front/back). The spectrum is pooled into 1/8-octave bands, F1 and F2 are taken as the
 * strongest spectral peaks in their ranges, and each viseme is scored by its distance to that
 * vowel's formants in octaves. Loudness sets the overall mouth opening; a noise gate keeps room
 * noise from moving the mouth. Each call looks only at the current analysis window, and attack
 * smoothing is shorter than a window, so lip latency stays within one window.
 *
 * Everything lives in preallocated typed arrays: {@link updateVisemes} never allocates.
 */

/** VRM 1.0 viseme expression names. */
export const VISEME_NAMES = ['aa', 'ih', 'ou', 'ee', 'oh'] as const

/** A viseme name. */
export type VisemeName = (typeof VISEME_NAMES)[number]

/** Viseme weights 0..1 plus overall loudness 0..1. Mutated in place. */
export type VisemeWeights = Record<VisemeName, number> & { loudness: number }

/** Creates all-zero {@link VisemeWeights}. */
export function createVisemeWeights(): VisemeWeights {
  return { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0, loudness: 0 }
}

/**
 * Typical (F1, F2) in Hz per viseme, between adult male and female averages:
 * /a/ high F1 mid F2, /i/ low F1 high F2, /u/ low F1 low F2, /e/ mid F1 high-mid F2, /o/ mid F1 low F2.
 */
export const VOWEL_FORMANTS: Readonly<Record<VisemeName, readonly [number, number]>> = {
  aa: [780, 1250],
  ih: [300, 2300],
  ou: [330, 870],
  ee: [480, 1950],
  oh: [530, 930],
}

/** Tuning of the viseme analyser. */
export interface VisemeParams {
  /** AnalyserNode.minDecibels / maxDecibels: how byte data maps back to dB. */
  minDecibels: number
  maxDecibels: number
  /** Peak band level (dB) below which the input counts as silence. */
  gateDb: number
  /** Peak band level (dB) at which loudness reaches 1. */
  fullDb: number
  /** Smoothing time constants in seconds when a weight rises / falls. */
  attack: number
  release: number
  /** Formant tolerance (standard deviation) in octaves. */
  formantWidth: number
  /** Exponent on vowel scores; higher lets the best vowel dominate. */
  sharpness: number
  /** Spectral pre-emphasis in dB per octave (voice spectra fall off; this evens F1 and F2 out). */
  preEmphasis: number
}

/** Default {@link VisemeParams}; dB levels follow AnalyserNode's defaults (-100..-30 dB). */
export const DEFAULT_VISEMES: Readonly<VisemeParams> = {
  minDecibels: -100,
  maxDecibels: -30,
  gateDb: -72,
  fullDb: -40,
  attack: 0.02,
  release: 0.09,
  formantWidth: 0.28,
  sharpness: 2,
  preEmphasis: 6,
}

const BAND_LOW_HZ = 150
const BANDS_PER_OCTAVE = 8
const BAND_COUNT = 37 // 150 Hz … ≈ 3.6 kHz
const F1_RANGE: readonly [number, number] = [250, 1000]
const F2_MAX = 3000
/** A lower spectral peak this close (dB) to the strongest one in the F1 range is taken as F1. */
const F1_LOWEST_WITHIN_DB = 9

/** Analyser state: parameters, smoothed output and scratch. */
export interface VisemeAnalyzer {
  readonly params: VisemeParams
  /** Smoothed output, rewritten in place by {@link updateVisemes}. */
  readonly weights: VisemeWeights
  /** Last estimated formants in Hz (0 when silent), for debug views. */
  f1: number
  f2: number
  /** Last peak band level in dB. */
  levelDb: number
  /** Band levels in dB (smoothed), and the same with pre-emphasis for the F2 search. */
  readonly bandDb: Float64Array
  readonly bandEmphasised: Float64Array
  readonly bandCentre: Float64Array
  readonly bandLo: Int32Array
  readonly bandHi: Int32Array
  readonly scores: Float64Array
  configuredRate: number
  configuredFft: number
  configuredBins: number
}

/** Creates an analyser; reuse it for the whole session. */
export function createVisemeAnalyzer(params?: Partial<VisemeParams>): VisemeAnalyzer {
  const bandCentre = new Float64Array(BAND_COUNT)
  for (let k = 0; k < BAND_COUNT; k++) bandCentre[k] = BAND_LOW_HZ * 2 ** ((k + 0.5) / BANDS_PER_OCTAVE)
  return {
    params: { ...DEFAULT_VISEMES, ...params },
    weights: createVisemeWeights(),
    f1: 0,
    f2: 0,
    levelDb: -Infinity,
    bandDb: new Float64Array(BAND_COUNT),
    bandEmphasised: new Float64Array(BAND_COUNT),
    bandCentre,
    bandLo: new Int32Array(BAND_COUNT),
    bandHi: new Int32Array(BAND_COUNT),
    scores: new Float64Array(VISEME_NAMES.length),
    configuredRate: 0,
    configuredFft: 0,
    configuredBins: 0,
  }
}

/** Maps bands to FFT bins; runs only when the sample rate, FFT size or data length change. */
function configure(a: VisemeAnalyzer, sampleRate: number, fftSize: number, bins: number): void {
  const binHz = sampleRate / fftSize
  for (let k = 0; k < BAND_COUNT; k++) {
    const lo = BAND_LOW_HZ * 2 ** (k / BANDS_PER_OCTAVE)
    const hi = BAND_LOW_HZ * 2 ** ((k + 1) / BANDS_PER_OCTAVE)
    let first = Math.ceil(lo / binHz)
    let last = Math.ceil(hi / binHz) - 1
    // Narrow low bands may hold no bin at coarse resolutions: use the nearest one.
    if (last < first) first = last = Math.round(a.bandCentre[k] / binHz)
    a.bandLo[k] = Math.min(Math.max(first, 1), bins - 1)
    a.bandHi[k] = Math.min(Math.max(last, 1), bins - 1)
  }
  a.configuredRate = sampleRate
  a.configuredFft = fftSize
  a.configuredBins = bins
}

function isPeak(db: Float64Array, k: number): boolean {
  const v = db[k]
  const left = k > 0 ? db[k - 1] : -Infinity
  const right = k < BAND_COUNT - 1 ? db[k + 1] : -Infinity
  return v >= left && v >= right && (v > left || v > right)
}

/**
 * Band index of a spectral peak among bands centred in [fLo, fHi]: the lowest local maximum within
 * `lowestWithinDb` of the strongest one (F1 is the first formant even when F2 is about as loud),
 * or simply the strongest with `lowestWithinDb` = 0. Falls back to the loudest band; -1 if empty.
 */
function findPeak(a: VisemeAnalyzer, db: Float64Array, fLo: number, fHi: number, lowestWithinDb: number): number {
  let strongest = -1
  let fallback = -1
  for (let k = 0; k < BAND_COUNT; k++) {
    const f = a.bandCentre[k]
    if (f < fLo || f > fHi) continue
    if (fallback < 0 || db[k] > db[fallback]) fallback = k
    if (isPeak(db, k) && (strongest < 0 || db[k] > db[strongest])) strongest = k
  }
  if (strongest < 0) return fallback
  if (lowestWithinDb <= 0) return strongest
  for (let k = 0; k < strongest; k++) {
    const f = a.bandCentre[k]
    if (f >= fLo && isPeak(db, k) && db[k] >= db[strongest] - lowestWithinDb) return k
  }
  return strongest
}

/** Peak frequency refined by a parabola through the band and its neighbours (log-frequency). */
function peakHz(db: Float64Array, k: number): number {
  let offset = 0
  if (k > 0 && k < BAND_COUNT - 1) {
    const l = db[k - 1]
    const c = db[k]
    const r = db[k + 1]
    const den = l - 2 * c + r
    if (Number.isFinite(den) && den < -1e-9) offset = Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den))
  }
  return BAND_LOW_HZ * 2 ** ((k + 0.5 + offset) / BANDS_PER_OCTAVE)
}

/**
 * Analyses one frame of frequency data and eases `analyzer.weights` toward it.
 * @param spectrum `getFloatFrequencyData` output (dB) or `getByteFrequencyData` output (0–255).
 * @param sampleRate AudioContext sample rate. @param fftSize AnalyserNode.fftSize.
 * @param dt Seconds since the previous call (drives attack/release).
 */
export function updateVisemes(
  analyzer: VisemeAnalyzer,
  spectrum: Float32Array | Uint8Array,
  sampleRate: number,
  fftSize: number,
  dt: number,
): VisemeWeights {
  const a = analyzer
  const p = a.params
  const bins = Math.min(spectrum.length, fftSize >> 1)
  const w = a.weights
  if (bins < 2 || sampleRate <= 0) return w
  if (a.configuredRate !== sampleRate || a.configuredFft !== fftSize || a.configuredBins !== bins) {
    configure(a, sampleRate, fftSize, bins)
  }

  const isByte = spectrum instanceof Uint8Array
  const byteScale = (p.maxDecibels - p.minDecibels) / 255
  let level = -Infinity
  for (let k = 0; k < BAND_COUNT; k++) {
    let sum = 0
    const lo = a.bandLo[k]
    const hi = a.bandHi[k]
    for (let i = lo; i <= hi; i++) {
      const v = spectrum[i]
      // Byte 0 means "at or below minDecibels": treat as silence, not as -100 dB of signal.
      const db = isByte ? (v === 0 ? -Infinity : p.minDecibels + v * byteScale) : v
      sum += db === -Infinity ? 0 : 10 ** (db / 10)
    }
    const db = 10 * Math.log10(sum / (hi - lo + 1) + 1e-30)
    if (db > level) level = db
    a.bandDb[k] = db
  }
  a.levelDb = level
  const loudness = clamp01((level - p.gateDb) / (p.fullDb - p.gateDb))

  let ta = 0
  let ti = 0
  let tu = 0
  let te = 0
  let to = 0
  if (loudness > 0) {
    // Light smoothing over neighbouring bands merges voice harmonics into formant humps.
    const db = a.bandDb
    let prev = db[0]
    for (let k = 1; k < BAND_COUNT - 1; k++) {
      const cur = db[k]
      db[k] = 0.25 * prev + 0.5 * cur + 0.25 * db[k + 1]
      prev = cur
    }
    for (let k = 0; k < BAND_COUNT; k++) a.bandEmphasised[k] = db[k] + p.preEmphasis * Math.log2(a.bandCentre[k] / 1000)
    const k1 = findPeak(a, db, F1_RANGE[0], F1_RANGE[1], F1_LOWEST_WITHIN_DB)
    const f1 = peakHz(db, k1)
    // F2 sits above F1; pre-emphasis keeps the voice's falling slope from hiding it.
    const k2 = findPeak(a, a.bandEmphasised, Math.max(f1 * 1.35, 700), F2_MAX, 0)
    const f2 = k2 >= 0 ? peakHz(a.bandEmphasised, k2) : f1 * 2
    a.f1 = f1
    a.f2 = f2

    let total = 0
    let best = 0
    for (let v = 0; v < VISEME_NAMES.length; v++) {
      const formants = VOWEL_FORMANTS[VISEME_NAMES[v]]
      const d1 = Math.log2(f1 / formants[0]) / p.formantWidth
      const d2 = Math.log2(f2 / formants[1]) / p.formantWidth
      const score = Math.exp(-0.5 * (d1 * d1 + d2 * d2))
      if (score > best) best = score
      const sharp = score ** p.sharpness
      a.scores[v] = sharp
      total += sharp
    }
    // Unrecognised formants (mumbling, consonants) still open the mouth: fall back toward 'aa'.
    const confidence = clamp01(best / 0.25)
    for (let v = 0; v < VISEME_NAMES.length; v++) {
      a.scores[v] = total > 1e-12 ? (a.scores[v] / total) * confidence : 0
    }
    a.scores[0] += (1 - confidence) * 0.6
    ta = a.scores[0] * loudness
    ti = a.scores[1] * loudness
    tu = a.scores[2] * loudness
    te = a.scores[3] * loudness
    to = a.scores[4] * loudness
  } else {
    a.f1 = 0
    a.f2 = 0
  }

  const up = dt > 0 ? 1 - Math.exp(-dt / Math.max(1e-4, p.attack)) : 0
  const down = dt > 0 ? 1 - Math.exp(-dt / Math.max(1e-4, p.release)) : 0
  w.aa += (ta - w.aa) * (ta > w.aa ? up : down)
  w.ih += (ti - w.ih) * (ti > w.ih ? up : down)
  w.ou += (tu - w.ou) * (tu > w.ou ? up : down)
  w.ee += (te - w.ee) * (te > w.ee ? up : down)
  w.oh += (to - w.oh) * (to > w.oh ? up : down)
  w.loudness += (loudness - w.loudness) * (loudness > w.loudness ? up : down)
  return w
}
