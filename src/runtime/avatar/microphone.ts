/**
 * Microphone → Web Audio AnalyserNode for lip sync. Started only from a user action (browsers
 * require a gesture for audio, and the permission prompt must make sense to the user). The frame
 * loop reads the spectrum into a preallocated Float32Array with {@link sampleMicrophone}.
 */

/** Microphone state for the UI and diagnostics. */
export type MicrophoneStatus = 'off' | 'starting' | 'on' | 'denied' | 'unavailable'

/** A running (or not yet started) microphone analyser. */
export interface Microphone {
  status: MicrophoneStatus
  analyser: AnalyserNode | null
  /** Spectrum buffer, sized to the analyser (reused every frame). */
  spectrum: Float32Array<ArrayBuffer>
  sampleRate: number
  fftSize: number
  context: AudioContext | null
  stream: MediaStream | null
}

/** FFT size: 1024 at 48 kHz is a 21 ms window, short enough for lips, fine enough for formants. */
const FFT_SIZE = 1024

/** Creates an idle microphone; nothing is requested until {@link startMicrophone}. */
export function createMicrophone(): Microphone {
  return { status: 'off', analyser: null, spectrum: new Float32Array(FFT_SIZE / 2), sampleRate: 48000, fftSize: FFT_SIZE, context: null, stream: null }
}

/**
 * Asks for the microphone and wires it to an analyser. Resolves with the new status; a refusal
 * ('denied': NotAllowedError/SecurityError) or a missing device ('unavailable') is reported, not thrown.
 */
export async function startMicrophone(mic: Microphone): Promise<{ status: MicrophoneStatus; detail?: string }> {
  if (mic.status === 'on' || mic.status === 'starting') return { status: mic.status }
  if (!navigator.mediaDevices?.getUserMedia) {
    mic.status = 'unavailable'
    return { status: mic.status, detail: 'navigator.mediaDevices.getUserMedia is not available (a secure context is needed)' }
  }
  mic.status = 'starting'
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } })
    const context = new AudioContext()
    await context.resume()
    const analyser = context.createAnalyser()
    analyser.fftSize = FFT_SIZE
    // Little smoothing: the viseme solver does its own attack/release, and lips must not lag.
    analyser.smoothingTimeConstant = 0.2
    analyser.minDecibels = -100
    analyser.maxDecibels = -30
    context.createMediaStreamSource(stream).connect(analyser)
    mic.stream = stream
    mic.context = context
    mic.analyser = analyser
    mic.sampleRate = context.sampleRate
    mic.fftSize = analyser.fftSize
    if (mic.spectrum.length !== analyser.frequencyBinCount) mic.spectrum = new Float32Array(analyser.frequencyBinCount)
    mic.status = 'on'
    return { status: mic.status }
  } catch (error) {
    const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : ''
    mic.status = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable'
    return { status: mic.status, detail: `${name || 'Error'}: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/** Reads this frame's spectrum (dB) into `mic.spectrum`; returns it, or null when the mic is off. */
export function sampleMicrophone(mic: Microphone): Float32Array | null {
  if (mic.status !== 'on' || !mic.analyser) return null
  mic.analyser.getFloatFrequencyData(mic.spectrum)
  return mic.spectrum
}

/** Stops the tracks and closes the audio context. */
export function stopMicrophone(mic: Microphone): void {
  mic.stream?.getTracks().forEach((t) => t.stop())
  void mic.context?.close()
  mic.stream = null
  mic.context = null
  mic.analyser = null
  if (mic.status === 'on' || mic.status === 'starting') mic.status = 'off'
}
