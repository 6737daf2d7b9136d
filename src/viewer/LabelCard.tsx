import type { ThreeElements } from "@react-three/fiber";
import { useEffect, useMemo, useRef } from "react";
import type { Mesh } from "three";
import { pickText, type Item, type Museum } from "../shared/exhibition";
import { useMirroredLabel } from "./Batched";
import { DESIGN_PX_PER_METRE, drawLabel, labelTexture, type LabelLine } from "./label-texture";

/** The lines a museum label shows for `item` in `language`. */
export function labelLines(item: Item, museums: Museum[], language: string, fallbacks: string[]): LabelLine[] {
  const t = (m: Item["title"] | undefined) => pickText(m, language, fallbacks);
  const makerDate = [t(item.maker), t(item.date)].filter(Boolean).join(" · ");
  const museum = museums.find((m) => m.id === item.institution);
  const lines: LabelLine[] = [
    { text: t(item.title), size: 140, weight: 700, serif: true },
    { text: makerDate, size: 62, gap: 14, colour: "#3b3733" },
    { text: [t(item.culture), t(item.material)].filter(Boolean).join(" · "), size: 56, colour: "#55504a" },
    { text: museum ? t(museum.name) : "", size: 50, gap: 22, colour: "#7a7268" },
  ];
  return lines.filter((l) => l.text);
}

type LabelProps = { lines: LabelLine[]; width?: number; height?: number; background?: string; pxPerMetre?: number } & ThreeElements["group"];

/**
 * A printed label card standing in the room (on a plinth's front or on a post). Inside a room
 * (`Batched`) the room's label atlas draws it, with every other label, in one draw call; the
 * card's own mesh stays, hidden, for clicks and bounds. Elsewhere it has its own texture. Either
 * way the text is redrawn only when it changes, e.g. on a language switch.
 */
export function LabelCard({ lines, width = 0.4, height = 0.22, background, pxPerMetre = 2400, ...props }: LabelProps) {
  const key = JSON.stringify([lines, background, width, height, pxPerMetre]);
  const mesh = useRef<Mesh>(null);
  const batched = useMirroredLabel(mesh, { lines, background, width, height, pxPerMetre }, key);
  return (
    <group {...props}>
      <mesh ref={mesh} userData={{ label: true }} visible={!batched}>
        <planeGeometry args={[width, height]} />
        {!batched && <OwnLabelMaterial lines={lines} width={width} height={height} background={background} pxPerMetre={pxPerMetre} />}
      </mesh>
    </group>
  );
}

/** A label's own texture, for a label drawn outside a room's batch. */
function OwnLabelMaterial({ lines, width, height, background, pxPerMetre }: Required<Omit<LabelProps, keyof ThreeElements["group"] | "background">> & { background?: string }) {
  const key = JSON.stringify(lines);
  const { texture, canvas } = useMemo(() => {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * pxPerMetre);
    canvas.height = Math.round(height * pxPerMetre);
    return { canvas, texture: labelTexture(canvas) };
  }, [width, height, pxPerMetre]);
  useEffect(() => {
    drawLabel(canvas, lines, background, pxPerMetre / DESIGN_PX_PER_METRE);
    texture.needsUpdate = true;
  }, [key, background, canvas, texture, pxPerMetre]);
  useEffect(() => () => texture.dispose(), [texture]);
  return <meshStandardMaterial map={texture} roughness={0.9} />;
}
