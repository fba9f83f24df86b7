// `npm install` on a fresh clone leaves package-lock.json as committed: npm
// rewrites the lockfile's root entry from package.json, so the two must agree
// (a root dependency package.json no longer declares is dropped, and the
// learner's `git status` is dirty from minute one). .ci/run also runs
// `npm install` after `npm ci` and fails on any change to the lockfile.
import * as fs from "node:fs";
import * as path from "node:path";
import { root } from "./helpers";

type Deps = Record<string, string>;
interface Manifest {
  name: string;
  version: string;
  license?: string;
  engines?: Deps;
  dependencies?: Deps;
  devDependencies?: Deps;
  optionalDependencies?: Deps;
  peerDependencies?: Deps;
}

test("package-lock.json's root entry is package.json's, field for field, as npm install writes it", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as { name: string; version: string; lockfileVersion: number; packages: Record<string, Manifest> };
  expect({ name: lock.name, version: lock.version, lockfileVersion: lock.lockfileVersion }).toEqual({ name: pkg.name, version: pkg.version, lockfileVersion: 3 });
  const fields = ["name", "version", "license", "engines", "dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;
  const pick = (m: Manifest) => Object.fromEntries(fields.filter((f) => m[f] !== undefined).map((f) => [f, m[f]]));
  expect(pick(lock.packages[""])).toEqual(pick(pkg));
});

test("every dependency package.json declares is locked at a version its range allows (major and minor as written)", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; resolved?: string; link?: boolean }> };
  const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
  const wrong: string[] = [];
  for (const [name, range] of Object.entries(declared)) {
    const locked = lock.packages[`node_modules/${name}`];
    if (!locked) {
      wrong.push(`${name}: not in the lockfile`);
      continue;
    }
    if (range.startsWith("file:")) continue;
    const m = /^[~^]?(\d+)\.(\d+)/.exec(range);
    if (m && !locked.version?.startsWith(range.startsWith("^") ? `${m[1]}.` : `${m[1]}.${m[2]}.`)) wrong.push(`${name}: ${range} but locked at ${locked.version}`);
  }
  expect(wrong).toEqual([]);
});

// npm 11 lists, after every install, the dependencies whose install scripts nobody
// reviewed, and npm 12 will not run them: package.json's allowScripts names each one
// the course needs (isolated-vm builds the sandbox, zeromq carries the kernel's
// messages, @swc/core and @parcel/watcher fetch their platform's binary from their own
// optional packages). Name-only entries: the lockfile keeps no download addresses, so
// npm could not match a version pin against it.
test("allowScripts names exactly the locked packages that have install scripts", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest & { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([key, p]) => key !== "" && p.hasInstallScript)
    .map(([key]) => key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length));
  expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
  expect(Object.values(pkg.allowScripts ?? {}).every((v) => v === true)).toBe(true);
});
