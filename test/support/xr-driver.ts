import type { Page } from "playwright-core";
import { Euler, Quaternion, Vector3 } from "three";
import type { XRProbeState } from "../../src/xr/xr-probe";

/**
 * Driving an IWER-emulated Quest 3 from a test: read the page's XR probe, wait for XR frames (not
 * wall time: SwiftShader XR frames are slow), aim and press controllers or pinch tracked hands,
 * turn the headset, and take both-eye screenshots.
 */
export const probe = (page: Page) => page.evaluate(() => window.atrium!.xr() as XRProbeState);

/** Waits until `n` more XR frames have run (SwiftShader frames take their time). */
export async function frames(page: Page, n: number): Promise<void> {
  const start = (await probe(page)).frames;
  await page.waitForFunction(([s, k]) => (window.atrium!.xr() as { frames: number }).frames >= s! + k!, [start, n] as const, { timeout: 30_000, polling: 50 });
}

/**
 * Points a controller, held at `local` in the play space, at the world point `target`: the
 * origin's pose (from the probe) turns the world target into the play space's frame.
 */
export async function aim(page: Page, hand: "left" | "right", local: [number, number, number], target: [number, number, number], kind: "controllers" | "hands" = "controllers"): Promise<void> {
  const { origin } = await probe(page);
  const world = new Vector3(...target).sub(new Vector3(origin.x, origin.y, origin.z));
  const inPlay = world.applyAxisAngle(new Vector3(0, 1, 0), -origin.yaw);
  const dir = inPlay.sub(new Vector3(...local)).normalize();
  const q = new Quaternion().setFromUnitVectors(new Vector3(0, 0, -1), dir);
  await page.evaluate(
    ([h, p, r, k]) => {
      const c = (window.xrDevice as unknown as Record<string, Record<string, { position: { set(x: number, y: number, z: number): void }; quaternion: { set(x: number, y: number, z: number, w: number): void } }>>)[k as string]![h as string]!;
      c.position.set(p![0]!, p![1]!, p![2]!);
      c.quaternion.set(r![0]!, r![1]!, r![2]!, r![3]!);
    },
    [hand, local, q.toArray(), kind] as const,
  );
  await frames(page, 3);
}

/**
 * A screenshot of both eyes. IWER draws one eye unless asked; stereo is switched on just for the
 * picture because SwiftShader draws two eyes at half the frame rate, and slow frames stretch
 * button presses past the click time.
 */
export async function bothEyes(page: Page, path: string): Promise<void> {
  await page.evaluate(() => ((window.xrDevice as unknown as { stereoEnabled: boolean }).stereoEnabled = true));
  await frames(page, 3);
  await page.screenshot({ path });
  await page.evaluate(() => ((window.xrDevice as unknown as { stereoEnabled: boolean }).stereoEnabled = false));
  await frames(page, 2);
}

/** Turns the headset to look at a world point (yaw and pitch in the play space), or straight ahead with null. */
export async function look(page: Page, target: [number, number, number] | null): Promise<void> {
  let q = [0, 0, 0, 1];
  if (target) {
    const { origin, head } = await probe(page);
    const d = new Vector3(...target).sub(new Vector3(origin.x, origin.y, origin.z)).applyAxisAngle(new Vector3(0, 1, 0), -origin.yaw).sub(new Vector3(head.x, head.y, head.z));
    const yaw = Math.atan2(-d.x, -d.z);
    const pitch = Math.atan2(d.y, Math.hypot(d.x, d.z));
    q = new Quaternion().setFromEuler(new Euler(pitch, yaw, 0, "YXZ")).toArray();
  }
  await page.evaluate((r) => window.xrDevice!.quaternion.set(r[0]!, r[1]!, r[2]!, r[3]!), q);
  await frames(page, 3);
}

/** Puts a controller (its grip) at a world point, in the play space's frame. */
export async function holdAt(page: Page, hand: "left" | "right", target: [number, number, number], turn = 0): Promise<void> {
  const { origin } = await probe(page);
  const p = new Vector3(...target).sub(new Vector3(origin.x, origin.y, origin.z)).applyAxisAngle(new Vector3(0, 1, 0), -origin.yaw);
  const q = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), turn);
  await page.evaluate(
    ([h, v, r]) => {
      const c = window.xrDevice!.controllers[h as "left" | "right"];
      c.position.set(v![0]!, v![1]!, v![2]!);
      c.quaternion.set(r![0]!, r![1]!, r![2]!, r![3]!);
    },
    [hand, p.toArray(), q.toArray()] as const,
  );
  await frames(page, 3);
}

/**
 * Presses and releases a controller button, or pinches a tracked hand (`"pinch"`): released from
 * inside the page as soon as one XR frame has seen it pressed, so the press lasts one frame
 * however slowly the test drives the page.
 */
export async function press(page: Page, hand: "left" | "right", button: string): Promise<void> {
  const start = (await probe(page)).frames;
  await page.evaluate(([h, b]) => {
    const device = window.xrDevice as unknown as {
      controllers: Record<string, { updateButtonValue(id: string, v: number): void }>;
      hands: Record<string, { updatePinchValue(v: number): void }>;
    };
    const set = (v: number) => (b === "pinch" ? device.hands[h!]!.updatePinchValue(v) : device.controllers[h!]!.updateButtonValue(b!, v));
    const frameNow = () => (window.atrium!.xr() as { frames: number }).frames;
    const pressedAt = frameNow();
    set(1);
    const timer = setInterval(() => {
      if (frameNow() <= pressedAt) return;
      clearInterval(timer);
      set(0);
    }, 5);
  }, [hand, button] as const);
  await page.waitForFunction((s) => (window.atrium!.xr() as { frames: number }).frames >= s + 4, start, { timeout: 30_000, polling: 50 });
}

export const centreOf = async (page: Page, id: string): Promise<[number, number, number]> => {
  const pose = await page.evaluate((pid) => window.atrium!.artefactPose(pid), id);
  return [pose!.position[0], pose!.position[1] + pose!.size[1] / 2, pose!.position[2]];
};

