import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "./server";

/**
 * Installs Meta's IWER (Immersive Web Emulation Runtime) in a page before its scripts run: a
 * Quest 3 with two controllers, forced over the stub `navigator.xr` Chromium exposes. With `ar`,
 * IWER's Synthetic Environment Module is added with its "office_small" capture, so immersive-ar
 * sessions get real hit-test results against that room's planes and meshes. The device is
 * `window.xrDevice` for tests to move the headset and controllers and press buttons.
 */
export async function installXREmulator(page: Page, options: { ar?: boolean } = {}): Promise<void> {
  await page.addInitScript({ path: join(ROOT, "node_modules/iwer/build/iwer.min.js") });
  if (options.ar) await page.addInitScript({ path: join(ROOT, "node_modules/@iwer/sem/build/iwer-sem.min.js") });
  const environment = options.ar ? JSON.parse(readFileSync(join(ROOT, "node_modules/@iwer/sem/lib/captures/office_small.json"), "utf8")) : null;
  await page.addInitScript((env: unknown) => {
    const w = window as unknown as {
      IWER: { XRDevice: new (config: unknown, options?: unknown) => XRDeviceHandle; metaQuest3: unknown };
      IWER_SEM?: { SyntheticEnvironmentModule: unknown };
      xrDevice: XRDeviceHandle;
    };
    const device = new w.IWER.XRDevice(w.IWER.metaQuest3);
    device.installRuntime({ forceInstall: true });
    if (env && w.IWER_SEM) {
      device.installSEM(w.IWER_SEM.SyntheticEnvironmentModule);
      device.sem.loadEnvironment(env);
    }
    w.xrDevice = device;
  }, environment);
}

/** The parts of IWER's XRDevice the tests use. */
export interface XRDeviceHandle {
  installRuntime(options: { forceInstall: boolean }): void;
  installSEM(sem: unknown): void;
  sem: { loadEnvironment(env: unknown): void };
  position: { x: number; y: number; z: number; set(x: number, y: number, z: number): void };
  quaternion: { set(x: number, y: number, z: number, w: number): void };
  controllers: Record<"left" | "right", XRControllerHandle>;
  primaryInputMode: "controller" | "hand";
  activeSession?: unknown;
}
export interface XRControllerHandle {
  position: { set(x: number, y: number, z: number): void };
  quaternion: { set(x: number, y: number, z: number, w: number): void };
  updateButtonValue(id: string, value: number): void;
  updateAxes(id: string, x: number, y: number): void;
}

declare global {
  interface Window {
    xrDevice?: XRDeviceHandle;
  }
}
