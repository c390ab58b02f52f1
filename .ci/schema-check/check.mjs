// Checks generated schemas with the tools themselves: every `*.prisma` in the given folder must
// pass Prisma's validator and come back unchanged from `prisma format`; every `*.ts` must
// type-check with `tsc --strict` against drizzle-orm.
import { createRequire } from "node:module";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const require = createRequire(import.meta.url);
const prisma = require("@prisma/prisma-schema-wasm");

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check.mjs <folder with generated schemas>");
  process.exit(2);
}
let passed = 0;
let failed = 0;
const files = readdirSync(dir).sort();

for (const file of files.filter((f) => f.endsWith(".prisma"))) {
  const schema = readFileSync(join(dir, file), "utf8");
  try {
    prisma.validate(JSON.stringify({ prismaSchema: schema, noColor: true }));
    const formatted = prisma.format(
      schema,
      JSON.stringify({ textDocument: { uri: "file:/schema.prisma" }, options: { tabSize: 2, insertSpaces: true } }),
    );
    if (formatted !== schema) {
      failed += 1;
      console.error(`FAIL ${file}: prisma format changes it; formatted:\n${formatted}`);
    } else {
      passed += 1;
      console.log(`ok   ${file}: valid and formatted`);
    }
  } catch (error) {
    failed += 1;
    console.error(`FAIL ${file}: ${error}`);
  }
}

// Copied next to node_modules, so that `drizzle-orm` resolves from them.
const out = join(import.meta.dirname, "out");
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const drizzle = files.filter((f) => f.endsWith(".ts")).map((f) => {
  copyFileSync(join(dir, f), join(out, f));
  return join(out, f);
});
if (drizzle.length > 0) {
  const tsc = join(import.meta.dirname, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(
      process.execPath,
      [tsc, "--strict", "--noEmit", "--skipLibCheck", "--target", "es2022", "--module", "nodenext",
        "--moduleResolution", "nodenext", ...drizzle],
      { stdio: "inherit", cwd: import.meta.dirname },
    );
    passed += drizzle.length;
    console.log(`ok   ${drizzle.length} Drizzle schemas type-check with tsc --strict`);
  } catch {
    failed += drizzle.length;
    console.error("FAIL Drizzle schemas do not type-check");
  }
}

console.log(`schemas: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
