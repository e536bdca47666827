import { GamepadMappingType, type XRDevice, type XRDeviceConfig } from 'iwer'

/** The device name shown in the shell and the diagnostics snapshot. */
export const PHONE_DEVICE_NAME = 'Android phone (handheld AR)'

// Imported only by setup-xr.ts's dynamic `import()`, so real headsets and phones never load it.

/**
 * A handheld AR phone for the emulator (IWER ships headsets only): immersive-ar only, with the
 * features Chrome on Android offers (hit-test, DOM overlay, anchors, light estimation is not
 * emulated), a single mono view, and the screen as the only input. Chrome reports a screen touch as
 * an input source with `targetRayMode: 'screen'` and profile `generic-touchscreen` that exists
 * only while a finger is down; {@link installPhoneTouchscreen} makes the emulated one behave so.
 */
export const phoneHandheld: XRDeviceConfig = {
  name: PHONE_DEVICE_NAME,
  // One "controller" with no handedness stands for the touch: its trigger is the select.
  controllerConfig: {
    profileId: 'generic-touchscreen',
    fallbackProfileIds: [],
    layout: {
      none: {
        gamepad: {
          mapping: GamepadMappingType.None,
          buttons: [{ id: 'trigger', type: 'binary', eventTrigger: 'select' }],
          axes: [],
        },
        numHapticActuators: 0,
      },
    },
  },
  supportedSessionModes: ['inline', 'immersive-ar'] as XRDeviceConfig['supportedSessionModes'],
  supportedFeatures: ['viewer', 'local', 'local-floor', 'unbounded', 'hit-test', 'dom-overlay', 'anchors', 'plane-detection'],
  supportedFrameRates: [60],
  isSystemKeyboardSupported: true,
  internalNominalFrameRate: 60,
  // A phone shows the camera image behind the rendering: alpha-blend, like a passthrough headset.
  environmentBlendModes: { 'immersive-ar': 'alpha-blend' } as XRDeviceConfig['environmentBlendModes'],
  interactionMode: 'screen-space' as XRDeviceConfig['interactionMode'],
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36',
}

/** Portrait-ish phone camera field of view (vertical), radians. */
export const PHONE_FOVY = 1.0

/**
 * Turns the emulated touch into a screen input: `targetRayMode` 'screen' (IWER's controllers are
 * always tracked pointers, so the private field is rewritten) and disconnected until a finger
 * touches (`device.controllers.none.connected = true`, then the trigger is the tap). The ray starts
 * where the input's pose is: tests put it at the phone and aim it like a tap on the screen.
 */
export function installPhoneTouchscreen(device: XRDevice): void {
  const touch = device.controllers.none
  if (!touch) return
  const source = touch.inputSource as unknown as Record<symbol, { targetRayMode: string }>
  const key = Object.getOwnPropertySymbols(source).find((symbol) => symbol.description === '@iwer/xr-input-source')
  if (key) source[key].targetRayMode = 'screen'
  touch.connected = false
}
