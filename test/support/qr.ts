import { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from "@zxing/library";
import { PNG } from "pngjs";

/** Decodes a QR code PNG with ZXing (the reader phones' scanners are built on). */
export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = image.data[i * 4]!; // black and white: the red channel is enough
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, image.width, image.height)));
  return new QRCodeReader().decode(bitmap).getText();
}
