/**
 * A quick look at the bytes of a glTF asset before three's GLTFLoader parses it, so that a broken
 * file gets a message a curator understands instead of a JSON SyntaxError or a hang. This is not
 * a validator (uploads are checked with Khronos' gltf-validator on the server); it catches what
 * makes a file unloadable: bad GLB framing, unreadable JSON, a missing or unsupported version.
 */
export type GltfCheck = { ok: true; container: "glb" | "gltf" } | { ok: false; message: string };

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

export function checkGltfBytes(bytes: ArrayBuffer | Uint8Array): GltfCheck {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (u8.byteLength === 0) return { ok: false, message: "the file is empty" };
  const firstNonSpace = u8.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (firstNonSpace === 0x7b) return checkJson(new TextDecoder().decode(u8), "gltf");
  if (u8.byteLength < 12) return { ok: false, message: "the file is too short to be a glTF or GLB file" };
  const magic = view.getUint32(0, true);
  if (magic !== GLB_MAGIC) return { ok: false, message: "this is not a glTF file: a GLB must start with \"glTF\" and a .gltf with \"{\"" };
  const version = view.getUint32(4, true);
  if (version !== 2) return { ok: false, message: `GLB container version ${version} is not supported (only 2)` };
  const length = view.getUint32(8, true);
  if (length > u8.byteLength) return { ok: false, message: `the file is truncated: its header says ${length} bytes, but it has ${u8.byteLength}` };
  let offset = 12;
  let json: string | null = null;
  let index = 0;
  while (offset < length) {
    if (offset + 8 > length) return { ok: false, message: `chunk ${index} is truncated: its header runs past the end of the file` };
    const chunkLength = view.getUint32(offset, true);
    const chunkType = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (start + chunkLength > length) return { ok: false, message: `chunk ${index} is truncated: it declares ${chunkLength} bytes but only ${length - start} remain` };
    if (index === 0 && chunkType !== CHUNK_JSON) return { ok: false, message: "the first chunk of a GLB must be its JSON" };
    if (chunkType === CHUNK_JSON) json = new TextDecoder().decode(u8.subarray(start, start + chunkLength));
    else if (chunkType !== CHUNK_BIN && index === 1) {
      /* unknown chunk types are allowed by the spec and skipped */
    }
    offset = start + chunkLength;
    offset += (4 - (offset % 4)) % 4;
    index++;
  }
  if (json === null) return { ok: false, message: "the GLB has no JSON chunk" };
  return checkJson(json, "glb");
}

function checkJson(text: string, container: "glb" | "gltf"): GltfCheck {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/\0+$/, ""));
  } catch (e) {
    return { ok: false, message: `its JSON cannot be read: ${(e as Error).message}` };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ok: false, message: "its JSON must be an object" };
  const asset = (doc as { asset?: { version?: unknown; minVersion?: unknown } }).asset;
  if (!asset || typeof asset !== "object") return { ok: false, message: "it has no \"asset\" object, which every glTF must have" };
  if (typeof asset.version !== "string") return { ok: false, message: "asset.version is missing" };
  const m = /^(\d+)\.(\d+)$/.exec(asset.version);
  if (!m) return { ok: false, message: `asset.version "${asset.version}" is not a version like "2.0"` };
  if (m[1] !== "2") return { ok: false, message: `glTF version ${asset.version} is not supported (Atrium reads glTF 2.x)` };
  return { ok: true, container };
}
