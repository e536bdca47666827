import { test as base, expect as baseExpect, type BrowserContext, type Page, type TestInfo } from '@playwright/test'

/**
 * The e2e `test`: Playwright's, with a check that no page of the test's context threw or logged a
 * console error. Every page the test opens in its `context` (the `page` fixture and any
 * `context.newPage()`) is watched from its creation; the errors are asserted empty when the test
 * ends. A test that provokes errors on purpose calls {@link allowPageErrors} with the reason (or
 * `pageErrors.ignore(pattern)` for one kind of message); a test that opens its own `browser.newContext()` watches it with `pageErrors.watch(context)`.
 */
export const test = base.extend<{ pageErrors: PageErrors }>({
  pageErrors: [
    async ({ context }, use, testInfo) => {
      const errors = createPageErrors()
      errors.watch(context)
      await use(errors)
      if (!pageErrorsAllowed(testInfo)) baseExpect(errors.unexpected(), 'page errors or console errors during the test').toEqual([])
    },
    { auto: true },
  ],
})

/**
 * How often `expect.poll` probes. Playwright's default backs off to one probe a second, so a
 * condition that came true just after a probe is seen up to a second late; the suite polls a few
 * hundred times (frames, states, replays), which adds up to minutes. A snapshot costs the page
 * about a millisecond, so probing four times a second is cheap. A call's own `intervals` win.
 */
export const POLL_INTERVALS = [100, 250]

const poll: typeof baseExpect.poll = (actual, messageOrOptions) =>
  baseExpect.poll(actual, { intervals: POLL_INTERVALS, ...(typeof messageOrOptions === 'string' ? { message: messageOrOptions } : messageOrOptions) })

/** Playwright's `expect`, whose `expect.poll` probes every 250 ms by default ({@link POLL_INTERVALS}). */
export const expect: typeof baseExpect = new Proxy(baseExpect, {
  get: (target, key, receiver) => (key === 'poll' ? poll : Reflect.get(target, key, receiver)),
})

/** Errors collected from the pages of the contexts being watched. */
export interface PageErrors {
  /** Uncaught page errors and console errors, in order, as `message` strings. */
  readonly list: string[]
  /** Watches every current and future page of `context`. */
  watch(context: BrowserContext): void
  /** Watches one page (for pages outside a watched context). */
  watchPage(page: Page): void
  /** Tolerates errors matching `pattern` (e.g. the browser's log of a refused connection the test provokes). */
  ignore(pattern: RegExp): void
  /** The collected errors that no {@link PageErrors.ignore} pattern matches. */
  unexpected(): string[]
}

const ALLOW = 'page-errors-allowed'

/**
 * Marks the running test as one that provokes page or console errors on purpose (a broken file,
 * a refused permission, a lost context...), so the fixture does not fail it for them. The test
 * still asserts the specific error it expects.
 */
export function allowPageErrors(reason: string): void {
  base.info().annotations.push({ type: ALLOW, description: reason })
}

function pageErrorsAllowed(info: TestInfo): boolean {
  return info.annotations.some((a) => a.type === ALLOW)
}

/** Collects uncaught errors and console errors from pages. */
export function createPageErrors(): PageErrors {
  const list: string[] = []
  const ignored: RegExp[] = []
  const seen = new WeakSet<Page>()
  const watchPage = (page: Page) => {
    if (seen.has(page)) return
    seen.add(page)
    page.on('pageerror', (error) => list.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') list.push(message.text())
    })
  }
  return {
    list,
    watchPage,
    ignore: (pattern) => void ignored.push(pattern),
    unexpected: () => list.filter((e) => !ignored.some((p) => p.test(e))),
    watch(context) {
      for (const page of context.pages()) watchPage(page)
      context.on('page', watchPage)
    },
  }
}
