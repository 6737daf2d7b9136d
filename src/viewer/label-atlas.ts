import { CanvasTexture, type MeshStandardMaterial } from "three";
import { DESIGN_PX_PER_METRE, drawLabel, labelTexture, type LabelLine } from "./label-texture";

/** What one label in the atlas shows. */
export interface AtlasLabel {
  lines: LabelLine[];
  background?: string;
  /** Size in metres and the resolution it asks for. */
  width: number;
  height: number;
  pxPerMetre: number;
}

/** A label's place in the atlas, in pixels. */
export interface AtlasRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Atlas width; heights grow in steps up to the same size (2048 px is safe on every WebGL device). */
export const ATLAS_SIZE = 2048;
/** Pixels around each label, painted with its background, so mipmaps never mix two labels. */
const PAD = 12;

/**
 * Packs `sizes` (pixels) in shelves into a `maxWidth`-wide sheet at most `maxHeight` tall,
 * shrinking all of them by the same factor until they fit. Returns the factor, the rectangles
 * (same order as `sizes`) and the height used.
 */
export function packShelves(sizes: readonly { w: number; h: number }[], maxWidth = ATLAS_SIZE, maxHeight = ATLAS_SIZE, pad = PAD): { scale: number; rects: AtlasRect[]; height: number } {
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b]!.h - sizes[a]!.h || a - b);
  for (let scale = 1; ; scale *= 0.9) {
    const rects: AtlasRect[] = new Array(sizes.length);
    let x = 0;
    let y = 0;
    let shelf = 0;
    let fits = true;
    for (const i of order) {
      const w = Math.max(1, Math.min(maxWidth - 2 * pad, Math.round(sizes[i]!.w * scale)));
      const h = Math.max(1, Math.round(sizes[i]!.h * scale));
      if (x + w + 2 * pad > maxWidth) {
        y += shelf;
        x = 0;
        shelf = 0;
      }
      rects[i] = { x: x + pad, y: y + pad, w, h };
      x += w + 2 * pad;
      shelf = Math.max(shelf, h + 2 * pad);
      if (y + shelf > maxHeight) {
        fits = false;
        break;
      }
    }
    if (fits || scale < 0.05) return { scale, rects, height: y + shelf };
  }
}

/**
 * All the printed labels and doorway signs of the room on show, drawn on one canvas: one
 * texture and (with an {@link InstanceMirror}) one draw call for every label in the room, where
 * each label had its own texture and draw call. Labels keep the resolution they ask for while
 * they fit in 2048 × 2048 px, and all shrink together when a large room needs more.
 */
export class LabelAtlas {
  texture: CanvasTexture;
  private readonly canvas: HTMLCanvasElement;
  private readonly scratch: HTMLCanvasElement;

  constructor() {
    this.canvas = document.createElement("canvas");
    this.canvas.width = ATLAS_SIZE;
    this.canvas.height = 256;
    this.scratch = document.createElement("canvas");
    this.texture = labelTexture(this.canvas);
  }

  /**
   * Draws `labels` and returns each one's rectangle in texture coordinates (u, v of its
   * bottom-left corner, then width and height), for the instances' `atlasRect` attribute. When
   * the sheet changes height the texture is replaced: `material.map` is updated here.
   */
  draw(labels: readonly AtlasLabel[], material: MeshStandardMaterial): Float32Array[] {
    const sizes = labels.map((l) => ({ w: Math.round(l.width * l.pxPerMetre), h: Math.round(l.height * l.pxPerMetre) }));
    const packed = packShelves(sizes);
    const height = Math.min(ATLAS_SIZE, 2 ** Math.ceil(Math.log2(Math.max(256, packed.height))));
    if (height !== this.canvas.height) {
      this.canvas.height = height; // clears it
      this.texture.dispose();
      this.texture = labelTexture(this.canvas);
      material.map = this.texture;
    }
    const ctx = this.canvas.getContext("2d")!;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const out: Float32Array[] = [];
    labels.forEach((label, i) => {
      const r = packed.rects[i]!;
      const background = label.background ?? "#fbfaf7";
      ctx.fillStyle = background;
      ctx.fillRect(r.x - PAD, r.y - PAD, r.w + 2 * PAD, r.h + 2 * PAD);
      this.scratch.width = r.w;
      this.scratch.height = r.h;
      drawLabel(this.scratch, label.lines, background, (label.pxPerMetre * packed.scale) / DESIGN_PX_PER_METRE);
      ctx.drawImage(this.scratch, r.x, r.y);
      // The canvas is uploaded flipped (three's default): v runs from the sheet's bottom.
      out.push(new Float32Array([r.x / ATLAS_SIZE, 1 - (r.y + r.h) / height, r.w / ATLAS_SIZE, r.h / height]));
    });
    this.texture.needsUpdate = true;
    return out;
  }

  dispose(): void {
    this.texture.dispose();
  }
}

/**
 * Makes `material` read its map from each instance's rectangle of the atlas (the `atlasRect`
 * instance attribute) instead of the whole texture.
 */
export function readAtlasRects(material: MeshStandardMaterial): void {
  material.onBeforeCompile = (shader) => {
    shader.vertexShader = shader.vertexShader
      .replace("#include <uv_pars_vertex>", "#include <uv_pars_vertex>\nattribute vec4 atlasRect;")
      .replace("#include <uv_vertex>", "#include <uv_vertex>\n#ifdef USE_MAP\nvMapUv = atlasRect.xy + vMapUv * atlasRect.zw;\n#endif");
  };
  material.customProgramCacheKey = () => "atlas-rect";
}
