import { CanvasTexture, RepeatWrapping, SRGBColorSpace, type Texture } from "three";
import type { Room } from "../shared/exhibition";

/** Deterministic pseudo-random numbers, so a floor looks the same on every visit. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function shade(hex: string, k: number): string {
  const n = parseInt(hex.slice(1), 16);
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v * k)));
  return `rgb(${c((n >> 16) & 255)},${c((n >> 8) & 255)},${c(n & 255)})`;
}

/**
 * A small tiling texture for a floor (wood planks, stone tiles...), drawn on a canvas so no image
 * is downloaded. `metres` is how much floor one repeat of the texture covers.
 */
export function floorTexture(floor: Room["floor"]): { texture: Texture; metres: number } | null {
  if (typeof document === "undefined") return null;
  const size = 512;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext("2d")!;
  const rand = rng(floor.colour.length * 7919 + parseInt(floor.colour.slice(1), 16));
  let metres = 2;
  ctx.fillStyle = floor.colour;
  ctx.fillRect(0, 0, size, size);
  if (floor.material === "wood") {
    const rows = 8; // 2 m / 8 = 25 cm planks
    const h = size / rows;
    for (let r = 0; r < rows; r++) {
      let x = -rand() * size;
      while (x < size) {
        const len = size * (0.45 + rand() * 0.5);
        ctx.fillStyle = shade(floor.colour, 0.92 + rand() * 0.14);
        ctx.fillRect(x, r * h, len, h);
        ctx.strokeStyle = shade(floor.colour, 0.78);
        ctx.lineWidth = 2;
        ctx.strokeRect(x, r * h, len, h);
        for (let g = 0; g < 5; g++) {
          ctx.strokeStyle = shade(floor.colour, 0.9 + rand() * 0.15);
          ctx.lineWidth = 1;
          const gy = r * h + rand() * h;
          ctx.beginPath();
          ctx.moveTo(x, gy);
          ctx.bezierCurveTo(x + len / 3, gy + rand() * 6 - 3, x + (2 * len) / 3, gy + rand() * 6 - 3, x + len, gy);
          ctx.stroke();
        }
        x += len;
      }
    }
  } else if (floor.material === "stone" || floor.material === "tatami") {
    const tiles = floor.material === "stone" ? 4 : 2;
    const t = size / tiles;
    for (let i = 0; i < tiles; i++)
      for (let j = 0; j < tiles; j++) {
        ctx.fillStyle = shade(floor.colour, 0.9 + rand() * 0.18);
        ctx.fillRect(i * t + 2, j * t + 2, t - 4, t - 4);
      }
    metres = floor.material === "stone" ? 2.4 : 1.8;
  } else {
    // concrete, carpet: a fine mottling
    for (let k = 0; k < 4000; k++) {
      ctx.fillStyle = shade(floor.colour, 0.9 + rand() * 0.2);
      ctx.fillRect(rand() * size, rand() * size, 2 + rand() * 3, 2 + rand() * 3);
    }
    metres = 3;
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.anisotropy = 8;
  return { texture, metres };
}
