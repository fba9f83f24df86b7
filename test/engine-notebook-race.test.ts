// readNotebook checks a file with lstat before opening it, and checks again on
// the open file: a submission swapped between the two (for a link to solutions/,
// a FIFO that would block the grader, a file grown past the limit) must still be
// refused. The swap is simulated by an lstat (or fstat) that reports what the
// file was a moment before.
import * as os from "node:os";
import * as path from "node:path";
import { MAX_NOTEBOOK_BYTES, NotebookError, readNotebook } from "../grader/engine/notebook/notebook";

jest.mock("node:fs", () => {
  const actual = jest.requireActual("node:fs");
  return { ...actual, lstatSync: jest.fn(actual.lstatSync), fstatSync: jest.fn(actual.fstatSync), openSync: jest.fn(actual.openSync), readSync: jest.fn(actual.readSync) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require("node:fs") as typeof import("node:fs") & { lstatSync: jest.Mock; fstatSync: jest.Mock; openSync: jest.Mock; readSync: jest.Mock };
const actual = jest.requireActual("node:fs") as typeof import("node:fs");

const dir = actual.mkdtempSync(path.join(os.tmpdir(), "bp-swap-"));
afterAll(() => actual.rmSync(dir, { recursive: true, force: true }));

const notebookText = JSON.stringify({ nbformat: 4, cells: [] });
const regular = path.join(dir, "regular.ipynb");
actual.writeFileSync(regular, notebookText);

/** lstat says `file` is the small regular notebook it was when it was checked. */
function lstatSaysRegular(): void {
  fs.lstatSync.mockImplementationOnce(() => actual.lstatSync(regular));
}

function refusal(file: string): string {
  try {
    readNotebook(file);
  } catch (e) {
    expect(e).toBeInstanceOf(NotebookError);
    return (e as NotebookError).message;
  }
  throw new Error("read, not refused");
}

// Without a swap, the first look decides: what is not a small regular file is never opened
// (opening a device can have effects of its own; a huge file is not worth a descriptor).
test("a FIFO, or a file over the limit, is refused before it is opened", () => {
  const fifo = path.join(dir, "fifo0.ipynb");
  expect(require("node:child_process").spawnSync("mkfifo", [fifo]).status).toBe(0);
  const big = path.join(dir, "big0.ipynb");
  actual.writeFileSync(big, "");
  actual.truncateSync(big, MAX_NOTEBOOK_BYTES + 1);
  fs.openSync.mockClear();
  expect(refusal(fifo)).toBe("is not a regular file, so it was not graded");
  expect(refusal(big)).toMatch(/^is 20\.0 MB \(20971521 bytes\), more than/);
  expect(fs.openSync).not.toHaveBeenCalled();
  // A regular file within the limit is opened (the spy sees the calls).
  readNotebook(regular);
  expect(fs.openSync).toHaveBeenCalledTimes(1);
});

test("a link swapped in after the check is not followed", () => {
  const link = path.join(dir, "link.ipynb");
  actual.symlinkSync(regular, link);
  lstatSaysRegular();
  expect(refusal(link)).toBe("is a symbolic link, not a notebook file: links in submissions are never followed, so it was not graded");
});

test("a FIFO swapped in after the check neither blocks nor is read", () => {
  const fifo = path.join(dir, "fifo.ipynb");
  expect(require("node:child_process").spawnSync("mkfifo", [fifo]).status).toBe(0);
  lstatSaysRegular();
  expect(refusal(fifo)).toBe("is not a regular file, so it was not graded");
});

test("a file grown past the limit after the check is refused before it is read", () => {
  const big = path.join(dir, "big.ipynb");
  actual.writeFileSync(big, "");
  actual.truncateSync(big, MAX_NOTEBOOK_BYTES + 1);
  lstatSaysRegular();
  fs.readSync.mockClear();
  expect(refusal(big)).toMatch(/^is 20\.0 MB \(20971521 bytes\), more than the 20\.0 MB a notebook may be/);
  // The open file's size decides: not one byte of it is read.
  expect(fs.readSync).not.toHaveBeenCalled();
});

test("a file still growing while it is read is cut off one byte past the limit", () => {
  const big = path.join(dir, "growing.ipynb");
  actual.writeFileSync(big, "");
  actual.truncateSync(big, MAX_NOTEBOOK_BYTES + 100);
  lstatSaysRegular();
  // As large as allowed when opened; more by the time it is read.
  fs.fstatSync.mockImplementationOnce((fd: number) => Object.assign(actual.fstatSync(fd), { size: MAX_NOTEBOOK_BYTES }));
  expect(refusal(big)).toMatch(/^is 20\.0 MB \(20971521 bytes\), more than/);
});

test("a file that shrinks while it is read is read to its end", () => {
  lstatSaysRegular();
  fs.fstatSync.mockImplementationOnce((fd: number) => Object.assign(actual.fstatSync(fd), { size: notebookText.length + 50 }));
  expect(readNotebook(regular).cells).toEqual([]);
});

test("what opening the file says is turned into a sentence, its code kept when there is none for it", () => {
  const failOpen = (e: unknown) => {
    lstatSaysRegular();
    fs.openSync.mockImplementationOnce(() => {
      throw e;
    });
  };
  failOpen(Object.assign(new Error("illegal operation on a directory"), { code: "EISDIR" }));
  expect(refusal(regular)).toBe("is a folder, not a notebook");
  failOpen(Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" }));
  expect(refusal(regular)).toBe("is a symbolic link, not a notebook file: links in submissions are never followed, so it was not graded");
  failOpen(Object.assign(new Error("busy"), { code: "EBUSY" }));
  expect(refusal(regular)).toBe("cannot be read (EBUSY)");
  failOpen(new Error("no code at all"));
  expect(refusal(regular)).toBe("cannot be read (Error: no code at all)");
});

test("no file descriptor is left open, whether the notebook is read or refused", () => {
  const open = () => actual.readdirSync("/proc/self/fd").length;
  const before = open();
  for (let i = 0; i < 5; i++) readNotebook(regular);
  const fifo = path.join(dir, "fifo2.ipynb");
  expect(require("node:child_process").spawnSync("mkfifo", [fifo]).status).toBe(0);
  for (let i = 0; i < 5; i++) {
    lstatSaysRegular();
    expect(refusal(fifo)).toBe("is not a regular file, so it was not graded");
  }
  expect(open()).toBe(before);
});
