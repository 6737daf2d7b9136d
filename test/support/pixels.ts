import { PNG } from "pngjs";

/** Variance of luminance over a PNG screenshot: near 0 for a blank (single-colour) canvas. */
export function luminanceVariance(png: Buffer): number {
  const { data, width, height } = PNG.sync.read(png);
  let sum = 0;
  let sumSq = 0;
  const n = width * height;
  for (let i = 0; i < data.length; i += 4) {
    const y = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
    sum += y;
    sumSq += y * y;
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** How many pixels differ (by more than `threshold` in any channel) between two same-size PNGs. */
export function differingPixels(a: Buffer, b: Buffer, threshold = 24): number {
  const pa = PNG.sync.read(a);
  const pb = PNG.sync.read(b);
  if (pa.width !== pb.width || pa.height !== pb.height) throw new Error("screenshots differ in size");
  let count = 0;
  for (let i = 0; i < pa.data.length; i += 4) {
    if (
      Math.abs(pa.data[i]! - pb.data[i]!) > threshold ||
      Math.abs(pa.data[i + 1]! - pb.data[i + 1]!) > threshold ||
      Math.abs(pa.data[i + 2]! - pb.data[i + 2]!) > threshold
    )
      count++;
  }
  return count;
}

/** How many pixels of a PNG are orange (strong red, middling green, little blue): the studio's snapping guides. */
export function orangePixels(png: Buffer): number {
  const { data } = PNG.sync.read(png);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (r > 180 && g > 60 && g < 170 && b < 80 && r - g > 60) count++;
  }
  return count;
}
