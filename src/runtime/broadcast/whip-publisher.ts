/**
 * Publishes the programme by WHIP: the browser half of `core/broadcast/whip-client.ts`. Each
 * attempt gets a fresh RTCPeerConnection with two `sendonly` transceivers — the programme picture
 * (`captureStream()` of the broadcast canvas) and the sound — whose offer is sent only when ICE
 * gathering is complete (WHIP has no trickle by default; bounded by a timeout).
 *
 * Sound: the microphone when it is on, otherwise a silent track. Why always an audio track: the
 * media servers that restream to RTMP platforms and HLS players expect one (a video-only stream is
 * refused or stalls on several), and with the audio m-line always negotiated the mic can be
 * switched in or out while live by `replaceTrack`, without renegotiating.
 *
 * While a session is wanted (connecting, live, reconnecting) the publisher holds one
 * `programme.consumers` so the canvas is fed; the recorder holds its own, so both can run at once.
 * Bitrate comes from `getStats()` once a second on a timer — never per frame.
 */
import { createAppError, type AppError } from '../../core/app/app-errors'
import {
  bitrateKbps,
  createWhipClient,
  WHIP_FAILURE_MESSAGES,
  summariseOutboundStats,
  type OutboundSample,
  type OutboundStatsEntry,
  type WhipClient,
  type WhipClientOptions,
  type WhipPeer,
  type WhipPeerState,
  type WhipView,
} from '../../core/broadcast/whip-client'
import { createStore, shallowEqual } from '../../core/store/store'
import { PROGRAMME_LEVELS, PROGRAMME_PRESETS, type ProgrammePreset } from './programme-output'
import type { Programme } from './programme'

/** Video bitrate cap per preset for live (lower than recording: it has to cross the uplink). */
export const LIVE_VIDEO_BITRATE: Record<ProgrammePreset, number> = { '720p': 2_500_000, '540p': 1_500_000, '360p': 800_000 }
const LIVE_AUDIO_BITRATE = 96_000
const ICE_GATHERING_TIMEOUT_MS = 5000
const POST_TIMEOUT_MS = 10_000
const STATS_INTERVAL_MS = 1000

/** What the live panel and the snapshot show. */
export interface LiveView extends WhipView {
  /** Sent kbit/s (video + audio) over the last second; 0 when not live. */
  bitrateKbps: number
  /** Video frames the encoder produced in this session's current peer. */
  framesEncoded: number
  /** The sound on the stream. */
  audio: 'microphone' | 'silent' | null
}

/** Options of {@link createWhipPublisher}. */
export interface WhipPublisherOptions {
  programme: Programme
  /** The microphone stream when the user has switched it on, else null. */
  getMicrophone(): MediaStream | null
  /** Shows an error the user must act on (bad URL, bad token …). */
  reportError(error: AppError): void
  /** Timing overrides of the session (tests). */
  timing?: WhipClientOptions
}

/** The publisher; see the file header. */
export interface WhipPublisher {
  /** The current view: a new object on each change, the same one until then (useSyncExternalStore needs that). */
  readonly view: LiveView
  /** Called on every change of the view. */
  subscribe(listener: (view: LiveView) => void): () => void
  /** Goes live to `endpoint` with an optional bearer token. */
  start(endpoint: string, token?: string | null): void
  /** Ends the session (DELETE on the resource). */
  stop(): Promise<void>
  dispose(): void
}

function waitForIceGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer)
      pc.removeEventListener('icegatheringstatechange', onChange)
      resolve()
    }
    const onChange = () => {
      if (pc.iceGatheringState === 'complete') done()
    }
    // On timeout the offer goes with the candidates gathered so far (a slow TURN server must not block).
    const timer = window.setTimeout(done, timeoutMs)
    pc.addEventListener('icegatheringstatechange', onChange)
  })
}

/** Creates the publisher (idle until start). */
export function createWhipPublisher(options: WhipPublisherOptions): WhipPublisher {
  const { programme } = options
  let extra: Pick<LiveView, 'bitrateKbps' | 'framesEncoded' | 'audio'> = { bitrateKbps: 0, framesEncoded: 0, audio: null }

  let holding = false
  let video: MediaStreamTrack | null = null
  let silentContext: AudioContext | null = null
  let silent: MediaStreamTrack | null = null
  /** The mic track handed to the current peer (a clone; ours to stop), and the source it came from. */
  let micClone: MediaStreamTrack | null = null
  let micSource: MediaStreamTrack | null = null
  let pc: RTCPeerConnection | null = null
  let audioSender: RTCRtpSender | null = null
  let lastSample: OutboundSample | null = null
  let statsTimer = 0
  let lastFatal: WhipView['lastError'] = null

  // The view object changes only on a change (useSyncExternalStore needs a stable snapshot); `live` is made below, once the client is.
  const emit = () => live.set({ ...client.view, ...extra })

  function currentMic(): MediaStreamTrack | null {
    return options.getMicrophone()?.getAudioTracks().find((t) => t.readyState === 'live') ?? null
  }

  function silentTrack(): MediaStreamTrack {
    if (!silent) {
      silentContext = new AudioContext()
      // A constant 0 keeps the graph rendering: a destination with no source at all may deliver no
      // audio frames, and then nothing is sent on the audio m-line.
      const destination = silentContext.createMediaStreamDestination()
      const zero = silentContext.createConstantSource()
      zero.offset.value = 0
      zero.connect(destination)
      zero.start()
      silent = destination.stream.getAudioTracks()[0]
    }
    void silentContext?.resume()
    return silent
  }

  /** The sound for the next peer (the mic when on). */
  function audioTrack(): MediaStreamTrack {
    const mic = currentMic()
    if (mic) {
      if (micSource !== mic) {
        micClone?.stop()
        micClone = mic.clone()
        micSource = mic
      }
      extra = { ...extra, audio: 'microphone' }
      return micClone!
    }
    extra = { ...extra, audio: 'silent' }
    return silentTrack()
  }

  function acquire(): void {
    if (holding) return
    holding = true
    const level = PROGRAMME_LEVELS[PROGRAMME_PRESETS[programme.preset]]
    if (programme.consumers === 0) programme.output.setCanvasSize(level.width, level.height)
    programme.consumers++
    video = programme.output.canvas.captureStream(level.fps).getVideoTracks()[0]
    statsTimer = window.setInterval(() => void poll(), STATS_INTERVAL_MS)
  }

  function release(): void {
    if (!holding) return
    holding = false
    programme.consumers--
    window.clearInterval(statsTimer)
    video?.stop()
    video = null
    micClone?.stop()
    micClone = null
    micSource = null
    pc = null
    audioSender = null
    lastSample = null
    extra = { bitrateKbps: 0, framesEncoded: 0, audio: null }
  }

  function createPeer(iceServers: readonly { urls: string; username?: string; credential?: string }[]): WhipPeer {
    const peer = new RTCPeerConnection({ iceServers: iceServers.map((s) => ({ ...s })), bundlePolicy: 'max-bundle' })
    const stream = new MediaStream()
    if (video) {
      stream.addTrack(video)
      peer.addTransceiver(video, { direction: 'sendonly', streams: [stream], sendEncodings: [{ maxBitrate: LIVE_VIDEO_BITRATE[programme.preset] }] })
    }
    const audio = audioTrack()
    const t = peer.addTransceiver(audio, { direction: 'sendonly', streams: [stream], sendEncodings: [{ maxBitrate: LIVE_AUDIO_BITRATE }] })
    pc = peer
    audioSender = t.sender
    lastSample = null
    extra = { ...extra, bitrateKbps: 0, framesEncoded: 0 }
    let onState: ((state: WhipPeerState) => void) | null = null
    return {
      async createOffer() {
        const offer = await peer.createOffer()
        await peer.setLocalDescription(offer)
        await waitForIceGathering(peer, ICE_GATHERING_TIMEOUT_MS)
        const sdp = peer.localDescription?.sdp
        if (!sdp) throw new Error('no local description after ICE gathering')
        return sdp
      },
      async setAnswer(sdp) {
        await peer.setRemoteDescription({ type: 'answer', sdp })
        // A server that ends the session sends a DTLS close_notify: the DTLS transport closes at
        // once, while ICE takes many seconds to notice the silence. Treat it as the peer failing.
        const dtls = t.sender.transport
        dtls?.addEventListener('statechange', () => {
          if (dtls.state === 'closed' || dtls.state === 'failed') onState?.('failed')
        })
      },
      onStateChange(listener) {
        onState = listener
        peer.addEventListener('connectionstatechange', () => listener(peer.connectionState as WhipPeerState))
      },
      close() {
        if (pc === peer) {
          pc = null
          audioSender = null
        }
        peer.close()
      },
    }
  }

  async function poll(): Promise<void> {
    const peer = pc
    if (!peer || client.view.state !== 'live') {
      if (extra.bitrateKbps !== 0) {
        extra = { ...extra, bitrateKbps: 0 }
        emit()
      }
      return
    }
    // The mic switched on or off while live: swap the sound without renegotiating.
    const mic = currentMic()
    if (audioSender && (mic ? mic !== micSource : extra.audio === 'microphone')) {
      const next = audioTrack()
      void audioSender.replaceTrack(next)
    }
    let report: RTCStatsReport
    try {
      report = await peer.getStats()
    } catch {
      // The peer closed between the check and the call (a drop or Stop): the next poll sees that.
      return
    }
    if (peer !== pc) return
    const entries: OutboundStatsEntry[] = []
    report.forEach((s: OutboundStatsEntry) => entries.push(s))
    const sample = summariseOutboundStats(entries, performance.now())
    extra = { ...extra, bitrateKbps: bitrateKbps(lastSample, sample), framesEncoded: sample.framesEncoded }
    lastSample = sample
    emit()
  }

  const client: WhipClient = createWhipClient(
    {
      timers: {
        setTimeout: (fn, ms) => window.setTimeout(fn, ms),
        clearTimeout: (h) => window.clearTimeout(h as number),
        now: () => performance.now(),
      },
      http: async (url, request) => {
        const res = await fetch(url, { method: request.method, headers: request.headers, body: request.body, cache: 'no-store', signal: AbortSignal.timeout(POST_TIMEOUT_MS) })
        return { status: res.status, headers: res.headers, text: () => res.text() }
      },
      createPeer,
    },
    options.timing,
  )

  // Field by field: a client change or a new bitrate is told, a poll that found the same is not.
  const live = createStore<LiveView>({ ...client.view, ...extra }, shallowEqual)
  client.subscribe((v) => {
    if (v.state === 'off' || v.state === 'failed') release()
    if (v.state === 'failed' && v.lastError && v.lastError !== lastFatal) {
      lastFatal = v.lastError
      // The reason in both languages, then the technical detail (already without secrets).
      const reason = WHIP_FAILURE_MESSAGES[v.lastError.reason]
      options.reportError(createAppError('live-failed', `${reason.zh} / ${reason.en} (${v.lastError.reason}: ${v.lastError.detail})`))
    }
    emit()
  })

  const publisher: WhipPublisher = {
    get view() {
      return live.get()
    },
    subscribe: live.subscribe,
    start(endpoint, token) {
      if (client.view.state !== 'off' && client.view.state !== 'failed') return
      if (typeof programme.output.canvas.captureStream !== 'function' || typeof RTCPeerConnection === 'undefined') {
        options.reportError(createAppError('live-failed', 'unsupported: this browser has no RTCPeerConnection or canvas.captureStream'))
        return
      }
      acquire()
      client.start(endpoint, token)
    },
    stop: () => client.stop(),
    dispose() {
      void client.stop()
      release()
      silent?.stop()
      void silentContext?.close()
      silent = null
      silentContext = null
    },
  }
  return publisher
}
