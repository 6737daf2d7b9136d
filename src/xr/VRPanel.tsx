import type { ThreeElements, ThreeEvent } from "@react-three/fiber";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { DoubleSide, Vector3, type Group } from "three";
import { useRegistered } from "../viewer/artefact-registry";
import { DESIGN_PX_PER_METRE, drawLabel, labelTexture, type LabelLine } from "../viewer/label-texture";

/** A button on a VR panel: drawn into the panel's picture, hit by an invisible plane over it. */
export interface PanelButton {
  id: string;
  label: string;
  onSelect: () => void;
  /** Drawn as pressed (a toggle that is on, the playing state). */
  active?: boolean;
  disabled?: boolean;
}

/** The VR panels in the scene, by name, with what they say (for the probe: tests aim at their buttons). */
export const vrPanels = new Map<string, Group>();

/** A panel's text and the world position of each button, or null if no such panel is shown. */
export function describePanel(name: string): { text: string[]; buttons: Record<string, [number, number, number]> } | null {
  const group = vrPanels.get(name);
  if (!group) return null;
  group.updateWorldMatrix(true, true);
  const buttons: Record<string, [number, number, number]> = {};
  for (const child of group.children) {
    if (child.name.startsWith("vr-button:")) buttons[child.name.slice(10)] = child.getWorldPosition(new Vector3()).toArray() as [number, number, number];
  }
  return { text: (group.userData.text as string[] | undefined) ?? [], buttons };
}

/** Pixels per metre of panel texture: ~2 px per arc-minute at 0.8 m, sharper than a Quest 3 shows. */
const PX_PER_METRE = 1600;
const BUTTON_HEIGHT = 0.075;
const BUTTON_GAP = 0.015;
const MARGIN = 0.03;
const BAR_HEIGHT = 0.035;

/** Buttons per row: more go on further rows, so each stays wide enough for its label. */
const PER_ROW = 4;
const rowsOf = (count: number, perRow = PER_ROW) => Math.max(1, Math.ceil(count / perRow));

/** Centre y of a panel's position bar (just above the rows of buttons). */
const barY = (height: number, count: number, perRow = PER_ROW) => -height / 2 + MARGIN + rowsOf(count, perRow) * BUTTON_HEIGHT + (rowsOf(count, perRow) - 1) * BUTTON_GAP + 0.02 + BAR_HEIGHT / 2;

/** A position bar (a performance's playhead): drawn filled to `fraction`, selecting it seeks. */
export interface PanelBar {
  fraction: number;
  onSeek: (fraction: number) => void;
}

/** Where each button sits on a panel of `width` × `height` metres (centre x, centre y, width), `perRow` to a row. */
export function buttonLayout(width: number, height: number, count: number, perRow = PER_ROW): { x: number; y: number; w: number }[] {
  if (count === 0) return [];
  const rows = rowsOf(count, perRow);
  return Array.from({ length: count }, (_, i) => {
    const row = Math.floor(i / perRow); // row 0 on top; each row spans the panel's width
    const across = Math.min(perRow, count - row * perRow);
    const w = (width - MARGIN * 2 - BUTTON_GAP * (across - 1)) / across;
    const y = -height / 2 + MARGIN + BUTTON_HEIGHT / 2 + (rows - 1 - row) * (BUTTON_HEIGHT + BUTTON_GAP);
    return { x: -width / 2 + MARGIN + w / 2 + (i % perRow) * (w + BUTTON_GAP), y, w };
  });
}

function drawButtons(canvas: HTMLCanvasElement, width: number, height: number, buttons: PanelButton[], hovered: string | null, bar: PanelBar | undefined, perRow: number): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const s = canvas.width / width;
  if (bar) {
    const top = (height / 2 - barY(height, buttons.length, perRow) - BAR_HEIGHT / 2) * s;
    const left = MARGIN * s;
    const w = (width - MARGIN * 2) * s;
    ctx.fillStyle = "#e4ddd0";
    ctx.fillRect(left, top, w, BAR_HEIGHT * s);
    ctx.fillStyle = "#2f5d50";
    ctx.fillRect(left, top, w * Math.min(1, Math.max(0, bar.fraction)), BAR_HEIGHT * s);
  }
  const layout = buttonLayout(width, height, buttons.length, perRow);
  ctx.save();
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  buttons.forEach((b, i) => {
    const { x, y, w } = layout[i]!;
    const left = (x - w / 2 + width / 2) * s;
    const top = (height / 2 - y - BUTTON_HEIGHT / 2) * s;
    ctx.fillStyle = b.disabled ? "#d8d4cc" : b.active ? "#2f5d50" : hovered === b.id ? "#e4ddd0" : "#efeae1";
    ctx.beginPath();
    ctx.roundRect(left, top, w * s, BUTTON_HEIGHT * s, 12);
    ctx.fill();
    ctx.fillStyle = b.disabled ? "#8d877e" : b.active ? "#ffffff" : "#1d1b18";
    // A label too long for its button is set in a smaller size rather than squeezed narrower.
    const font = (px: number) => `600 ${Math.round(px)}px system-ui, "Noto Sans CJK TC", sans-serif`;
    const size = BUTTON_HEIGHT * s * 0.42;
    ctx.font = font(size);
    const room = w * s - 24;
    const wide = ctx.measureText(b.label).width;
    if (wide > room) ctx.font = font(size * (room / wide));
    ctx.fillText(b.label, left + (w * s) / 2, top + (BUTTON_HEIGHT * s) / 2);
  });
  ctx.restore();
}

/**
 * A panel in the room for VR: text large enough to read at arm's length (the same label drawing
 * as the printed cards, so every language the device has fonts for works) and a row of buttons
 * the ray pointer or a hand can select. One draw call for the panel; buttons are invisible hit
 * planes. Redrawn only when its text, buttons or hovered button change, never per frame.
 */
export function VRPanel({
  lines,
  buttons = [],
  bar,
  width = 0.7,
  height = 0.5,
  perRow = PER_ROW,
  name,
  ...props
}: { lines: LabelLine[]; buttons?: PanelButton[]; bar?: PanelBar; width?: number; height?: number; perRow?: number; name: string } & Omit<ThreeElements["group"], "name">) {
  const [hovered, setHovered] = useState<string | null>(null);
  const { canvas, texture } = useMemo(() => {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * PX_PER_METRE);
    canvas.height = Math.round(height * PX_PER_METRE);
    return { canvas, texture: labelTexture(canvas) };
  }, [width, height]);
  const key = JSON.stringify([lines, buttons.map((b) => [b.id, b.label, b.active, b.disabled]), hovered, bar ? Math.round(bar.fraction * 200) : null, perRow]);
  useEffect(() => {
    drawLabel(canvas, lines, "#fbfaf7", PX_PER_METRE / DESIGN_PX_PER_METRE);
    drawButtons(canvas, width, height, buttons, hovered, bar, perRow);
    texture.needsUpdate = true;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, canvas, texture]);
  useEffect(() => () => texture.dispose(), [texture]);
  const layout = buttonLayout(width, height, buttons.length, perRow);
  const group = useRef<Group>(null);
  useRegistered(vrPanels as Map<string, Group>, name, group);
  // With the registration (same commit): the probe never sees a panel without its text.
  useLayoutEffect(() => {
    if (group.current) group.current.userData.text = lines.map((l) => l.text);
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <group ref={group} name={name} {...props}>
      {/* The panel itself takes pointer events too, so a ray stops on it instead of teleporting behind. */}
      <mesh name="vr-panel" onClick={(e: ThreeEvent<MouseEvent>) => e.stopPropagation()}>
        <planeGeometry args={[width, height]} />
        <meshBasicMaterial map={texture} toneMapped={false} side={DoubleSide} />
      </mesh>
      {bar && (
        <mesh
          name="vr-bar"
          position={[0, barY(height, buttons.length, perRow), 0.004]}
          visible={false}
          onClick={(e: ThreeEvent<MouseEvent>) => {
            e.stopPropagation();
            if (e.uv) bar.onSeek(e.uv.x);
          }}
        >
          <planeGeometry args={[width - MARGIN * 2, BAR_HEIGHT * 2]} />
        </mesh>
      )}
      {buttons.map((b, i) => (
        <mesh
          key={b.id}
          name={`vr-button:${b.id}`}
          position={[layout[i]!.x, layout[i]!.y, 0.004]}
          visible={false}
          onClick={(e: ThreeEvent<MouseEvent>) => {
            e.stopPropagation();
            if (!b.disabled) b.onSelect();
          }}
          onPointerOver={() => setHovered(b.id)}
          onPointerOut={() => setHovered((h) => (h === b.id ? null : h))}
        >
          <planeGeometry args={[layout[i]!.w, BUTTON_HEIGHT]} />
        </mesh>
      ))}
    </group>
  );
}
