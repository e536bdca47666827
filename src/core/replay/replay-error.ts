/**
 * The one error type the replay core throws and returns. Every failure carries a machine code
 * for tests and logic, and a message in English and Chinese because the app shows it to the
 * user as-is (Quest users in both languages), then keeps running.
 */

/** Why a recording (or a use of the player) was refused. */
export type ReplayErrorCode =
  | 'not-json'
  | 'truncated'
  | 'oversize'
  | 'wrong-format'
  | 'unknown-version'
  | 'missing-field'
  | 'bad-field'
  | 'bad-frame'
  | 'bad-number'
  | 'bad-quaternion'
  | 'time-backwards'
  | 'bad-event'
  | 'empty'
  | 'bad-chunk'
  | 'wrong-mode'
  | 'bad-argument'

/** A user-facing message in both UI languages. */
export interface LocalizedMessage {
  /** English. */
  en: string
  /** Simplified Chinese. */
  zh: string
}

/** Plain-data description of a failure, as returned by the validator. */
export interface ReplayErrorInfo {
  /** Machine-readable reason. */
  code: ReplayErrorCode
  /** What went wrong and where, in both languages. */
  message: LocalizedMessage
  /** Location inside the recording, e.g. `frames[12][10][4]` or `meta.seed`. */
  path?: string
}

/** Thrown by the player, chunk assembly and IWER conversion; `instanceof ReplayError` is safe. */
export class ReplayError extends Error {
  /** Machine-readable reason. */
  readonly code: ReplayErrorCode
  /** Both-language message for the UI; `message` holds the English one for logs. */
  readonly messages: LocalizedMessage
  /** Location inside the recording, when known. */
  readonly path: string | undefined

  /** Wraps a validator result or builds a fresh error. */
  constructor(info: ReplayErrorInfo) {
    super(info.message.en)
    this.name = 'ReplayError'
    this.code = info.code
    this.messages = info.message
    this.path = info.path
  }

  /** The same failure as plain data, e.g. to hand to the UI layer. */
  toInfo(): ReplayErrorInfo {
    return this.path === undefined
      ? { code: this.code, message: this.messages }
      : { code: this.code, message: this.messages, path: this.path }
  }
}

/** Shorthand for building a {@link ReplayErrorInfo}. */
export function createReplayErrorInfo(code: ReplayErrorCode, en: string, zh: string, path?: string): ReplayErrorInfo {
  return path === undefined ? { code, message: { en, zh } } : { code, message: { en, zh }, path }
}
