// Small grayscale images (digits, weight vectors) as PNG data URLs: a 28×28
// digit is ~300 bytes instead of 784 SVG rectangles, and needs no library.
import * as zlib from "node:zlib";
import { crc32 } from "node:zlib";
import { display } from "./display";

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** RGB PNG from a function giving each pixel's colour. */
export function png(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): string {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const file = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", new Uint8Array(0))]);
  return `data:image/png;base64,${file.toString("base64")}`;
}

export interface ImageOptions {
  /** Signed values (weights): blue negative, white 0, red positive, scaled to the largest |value|. */
  signed?: boolean;
  size?: number;
  width?: number;
}

export function imageUrl(values: ArrayLike<number>, opts: ImageOptions = {}): string {
  const w = opts.width ?? Math.round(Math.sqrt(values.length));
  const h = Math.ceil(values.length / w);
  // Signed images scale to the largest |value| (never 0, so an all-zero image stays white).
  let scale = 1e-12;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]));
  return png(w, h, (x, y) => {
    const v = values[y * w + x] ?? 0;
    if (opts.signed) {
      const t = Math.min(1, Math.abs(v) / scale);
      const fade = Math.round(255 * (1 - t));
      return v >= 0 ? [255, fade, fade] : [fade, fade, 255];
    }
    const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
    return [g, g, g];
  });
}

/** A row of captioned images, e.g. digits with the network's guesses. */
export function imagesHtml(images: ArrayLike<number>[], captions: string[] = [], opts: ImageOptions = {}): string {
  const size = opts.size ?? 56;
  const cells = images.map(
    (img, i) =>
      `<figure style="display:inline-block;margin:3px;text-align:center;font:12px system-ui,sans-serif">` +
      `<img src="${imageUrl(img, opts)}" width="${size}" height="${size}" style="image-rendering:pixelated;border:1px solid #ccc" alt="${captions[i] ?? ""}">` +
      `<figcaption>${captions[i] ?? ""}</figcaption></figure>`,
  );
  return `<div class="bp-images">${cells.join("")}</div>`;
}

export function showImages(images: ArrayLike<number>[], captions: string[] = [], opts: ImageOptions = {}): void {
  display.html(imagesHtml(images, captions, opts), `[${images.length} images]`);
}
