// `npm run build:gradescope`: build/gradescope-autograder.zip, the file to
// upload as a Gradescope programming assignment's autograder. At its root:
// setup.sh and run_autograder (from grader/gradescope/), and the course source
// the grader is built from there. Not notebooks/ (the stubs; learners submit
// theirs), node_modules or dist/ (setup.sh installs and builds on the image).
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { crc32 } from "node:zlib";

export const ZIP_NAME = "gradescope-autograder.zip";
const SOURCES = ["package.json", "package-lock.json", "tsconfig.json", "grader", "exercises", "solutions"];
const SCRIPTS = "grader/gradescope";

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix permission bits: run_autograder and setup.sh must stay executable. */
  mode: number;
}

export function autograderEntries(root = course.root): ZipEntry[] {
  const maxScore = course.specs.reduce((s, spec) => s + spec.points, 0);
  const runner = fs.readFileSync(path.join(root, SCRIPTS, "run_autograder"), "utf8");
  if (!/^MAX_SCORE=\d+$/m.test(runner)) throw new Error(`${SCRIPTS}/run_autograder lost its MAX_SCORE= line`);
  const entries: ZipEntry[] = [
    { name: "run_autograder", data: Buffer.from(runner.replace(/^MAX_SCORE=\d+$/m, `MAX_SCORE=${maxScore}`)), mode: 0o755 },
    { name: "setup.sh", data: fs.readFileSync(path.join(root, SCRIPTS, "setup.sh")), mode: 0o755 },
  ];
  for (const source of SOURCES) {
    for (const rel of walk(root, source)) entries.push({ name: rel, data: fs.readFileSync(path.join(root, rel)), mode: 0o644 });
  }
  return entries;
}

/** Files under `rel`, sorted, skipping dot-files (.ipynb_checkpoints, .DS_Store), node_modules and the scripts already at the root. */
function walk(root: string, rel: string): string[] {
  if (!fs.statSync(path.join(root, rel)).isDirectory()) return [rel];
  return fs
    .readdirSync(path.join(root, rel))
    .filter((name) => !name.startsWith(".") && name !== "node_modules")
    .sort()
    .map((name) => `${rel}/${name}`)
    .filter((child) => child !== SCRIPTS)
    .flatMap((child) => walk(root, child));
}

export function buildGradescopeZip(options: { root?: string; out?: string } = {}): { file: string; entries: string[] } {
  const root = options.root ?? course.root;
  const file = options.out ?? path.join(root, "build", ZIP_NAME);
  const entries = autograderEntries(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zip(entries));
  return { file, entries: entries.map((e) => e.name) };
}

// A minimal zip writer (stored, no compression) so building needs neither the
// `zip` command nor a package. Fixed timestamps: the same course gives the same
// bytes. No zip64: the autograder is a few hundred kB.
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;
const S_IFREG = 0o100000;

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4); // so unzip applies the Unix mode below
    local.copy(central, 6, 4, 30); // version needed .. name length: same fields, same order
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((S_IFREG | e.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

if (require.main === module) {
  const { file, entries } = buildGradescopeZip();
  console.log(`wrote ${path.relative(process.cwd(), file)} (${entries.length} files): upload it as the assignment's autograder`);
}
