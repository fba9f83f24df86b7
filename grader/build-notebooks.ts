// `npm run build:notebooks`: write notebooks/<slug>.ipynb from solutions/<slug>.ipynb.
// `--check`: write nothing, exit 1 if a learner notebook is not what its master produces.
import * as fs from "node:fs";
import * as path from "node:path";
import { chapters } from "./engine/course";
import { notebooksDir, solutionsDir } from "./engine/paths";
import { cleanMaster, learnerFromMaster } from "./strip";

export function expectedLearner(slug: string): string {
  const master = path.join(solutionsDir, `${slug}.ipynb`);
  return learnerFromMaster(fs.readFileSync(master, "utf8"), path.relative(process.cwd(), master));
}

function main(argv: string[]): number {
  const checkOnly = argv.includes("--check");
  let drift = 0;
  for (const { slug } of chapters) {
    const master = path.join(solutionsDir, `${slug}.ipynb`);
    const learner = path.join(notebooksDir, `${slug}.ipynb`);
    const want = expectedLearner(slug);
    const clean = cleanMaster(fs.readFileSync(master, "utf8"));
    const have = fs.existsSync(learner) ? fs.readFileSync(learner, "utf8") : null;
    if (checkOnly) {
      if (have !== want) {
        console.error(`${path.relative(process.cwd(), learner)} differs from what ${path.relative(process.cwd(), master)} produces: run npm run build:notebooks`);
        drift++;
      }
      if (clean !== fs.readFileSync(master, "utf8")) {
        console.error(`${path.relative(process.cwd(), master)} carries outputs or execution counts: run npm run build:notebooks`);
        drift++;
      }
      continue;
    }
    fs.mkdirSync(notebooksDir, { recursive: true });
    if (clean !== fs.readFileSync(master, "utf8")) fs.writeFileSync(master, clean);
    if (have !== want) {
      fs.writeFileSync(learner, want);
      console.log(`wrote ${path.relative(process.cwd(), learner)}`);
    } else console.log(`${path.relative(process.cwd(), learner)} is up to date`);
  }
  return drift ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
