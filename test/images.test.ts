// Digits and weight vectors become real PNGs: right size, valid chunks, right pixels.
import * as zlib from "node:zlib";
import { imageUrl, imagesHtml } from "../grader/lab/images";

function chunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("ascii");
    const data = png.subarray(at + 8, at + 8 + length);
    const crcOk = png.readUInt32BE(at + 8 + length) === zlib.crc32(png.subarray(at + 4, at + 8 + length));
    out.push({ type, data, crcOk });
    at += 12 + length;
  }
  return out;
}

test("a 28×28 digit becomes a valid PNG whose pixels are the grey levels", () => {
  const digit = new Float64Array(784);
  digit[0] = 1; // top-left pixel fully on: drawn black
  const png = Buffer.from(imageUrl(digit).replace(/^data:image\/png;base64,/, ""), "base64");
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  const cs = chunks(png);
  expect(cs.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  expect(cs.every((c) => c.crcOk)).toBe(true);
  expect([cs[0].data.readUInt32BE(0), cs[0].data.readUInt32BE(4)]).toEqual([28, 28]);
  const raw = zlib.inflateSync(cs[1].data);
  expect([...raw.subarray(0, 7)]).toEqual([0, 0, 0, 0, 255, 255, 255]); // filter byte, black, then white
});

test("signed images: red for positive, blue for negative", () => {
  const png = Buffer.from(imageUrl([1, -1, 0, 0], { signed: true, width: 2 }).split(",")[1], "base64");
  const raw = zlib.inflateSync(chunks(png)[1].data);
  expect([...raw.subarray(1, 7)]).toEqual([255, 0, 0, 0, 0, 255]);
  expect(imagesHtml([[0, 1, 1, 0]], ["a 7"])).toContain("<figcaption>a 7</figcaption>");
});
