import { CanvasTexture, SRGBColorSpace } from "three";

/** One line of a label: its text and style. */
export interface LabelLine {
  text: string;
  size: number;
  weight?: 400 | 600 | 700;
  colour?: string;
  serif?: boolean;
  /** Space above the line, in pixels. */
  gap?: number;
}

const SANS = '"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Hiragino Sans", system-ui, sans-serif';
const SERIF = '"Noto Serif CJK TC", "Noto Serif TC", "Songti TC", "PMingLiU", Georgia, serif';

/** The resolution label line sizes are given for: a canvas of `pxPerMetre` draws at `pxPerMetre / DESIGN_PX_PER_METRE`. */
export const DESIGN_PX_PER_METRE = 3000;

/**
 * Sizes in `lines` are for a canvas of `DESIGN_PX_PER_METRE` (3000 px per metre); `scale` draws them on a smaller one.
 * Draws a museum label (title, maker and date, material, credit) onto a canvas, for a texture
 * that sits in the 3D room. Canvas text uses the device's fonts, so Chinese, Japanese and
 * Latin labels all render without shipping font files, and the same label works in VR.
 */
export function drawLabel(canvas: HTMLCanvasElement, lines: LabelLine[], background = "#fbfaf7", scale = 1): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const padding = 44 * scale;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const maxWidth = canvas.width - padding * 2;
  ctx.textAlign = "left"; // the context keeps settings between draws (VR panels centre button text)
  let y = padding;
  for (const line of lines) {
    const size = line.size * scale;
    ctx.font = `${line.weight ?? 400} ${size}px ${line.serif ? SERIF : SANS}`;
    ctx.fillStyle = line.colour ?? "#1d1b18";
    ctx.textBaseline = "top";
    y += (line.gap ?? 0) * scale;
    for (const row of wrap(ctx, line.text, maxWidth)) {
      if (y + size > canvas.height - padding / 2) return;
      ctx.fillText(row, padding, y);
      y += size * 1.3;
    }
  }
}

/**
 * Breaks text into rows that fit `maxWidth`: at spaces for Latin text, between any two characters
 * for Chinese and Japanese, which are written without spaces.
 */
export function wrap(ctx: Pick<CanvasRenderingContext2D, "measureText">, text: string, maxWidth: number): string[] {
  const rows: string[] = [];
  let row = "";
  let lastSpace = -1;
  for (const ch of text) {
    const next = row + ch;
    if (ctx.measureText(next).width <= maxWidth || row === "") {
      row = next;
      if (ch === " ") lastSpace = row.length - 1;
      continue;
    }
    if (lastSpace > 0 && ch !== " ") {
      rows.push(row.slice(0, lastSpace));
      row = row.slice(lastSpace + 1) + ch;
    } else {
      rows.push(row.trimEnd());
      row = ch === " " ? "" : ch;
    }
    lastSpace = row.lastIndexOf(" ");
  }
  if (row.trim()) rows.push(row);
  return rows;
}

/** A texture for a label canvas, in sRGB, mipmapped for reading at an angle. */
export function labelTexture(canvas: HTMLCanvasElement): CanvasTexture {
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.anisotropy = 4;
  return texture;
}
