#!/usr/bin/env node
// Runs the spec checks that `make spec-check` (and so `make test`) depends on, quietly: one line per
// step when it passes, the step's whole output when it fails.
//
//   node check.mjs          lint, types, typecheck and break-check
//   node check.mjs docs     render dist/omeda-api.html
//   node check.mjs live     compile live.ts and run it against the server OMEDA_BASE_URL names
//
// The steps do not depend on each other except typecheck on types, so they run side by side.

import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { buildDocs, compile, contract, generateTypes, generatedTypes, here, lint, run, typecheck } from "./lib.mjs";

/** Fails when sample.ts spells out `any`; strict mode already refuses the implicit kind. */
async function noExplicitAny() {
  const file = join(here, "sample.ts");
  const source = ts.createSourceFile(file, await readFile(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`sample.ts(${line + 1},${character + 1}): the sample must not use \`any\``);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { code: found.length === 0 ? 0 : 1, output: found.join("\n") };
}

/** Runs steps one after the other, stopping at the first that fails. */
const inOrder = (...steps) => async () => {
  let last = { code: 0, output: "" };
  for (const step of steps) {
    last = await step();
    if (last.code !== 0) break;
  }
  return last;
};

const checks = {
  lint: () => lint(),
  "types + typecheck": inOrder(() => generateTypes(contract), typecheck, noExplicitAny),
  "break-check": () => run(join(here, "break-check.mjs"), []),
};

const docs = {
  docs: () => buildDocs(join(here, "dist", "omeda-api.html")),
};

/** live.ts, compiled by tsc into dist/live/ against freshly generated types, then run. */
const live = {
  live: inOrder(
    () => generateTypes(contract),
    () => rm(join(here, "dist", "live"), { recursive: true, force: true }).then(() => ({ code: 0, output: "" })),
    () => compile(join(here, "tsconfig.live.json")),
    () => run(join(here, "dist", "live", "live.js"), []),
  ),
};

async function main() {
  const which = process.argv[2] ?? "check";
  const steps = { check: checks, docs, live }[which];
  if (!steps) {
    console.error(`usage: node check.mjs [check|docs|live]`);
    process.exitCode = 2;
    return;
  }
  const prefix = { docs: "docs", live: "spec-live" }[which] ?? "spec-check";
  const started = Date.now();
  const names = Object.keys(steps);
  const results = await Promise.all(
    names.map(async (name) => {
      const t0 = Date.now();
      const result = await steps[name]();
      return { name, ...result, seconds: (Date.now() - t0) / 1000 };
    }),
  );
  let failed = 0;
  for (const { name, code, output, seconds } of results) {
    if (code === 0 && which === "live") {
      process.stdout.write(output); // one line per check: what the client saw
    } else if (code === 0) {
      if (names.length === 1) continue; // the closing line says it all
      // A passing step says nothing, but for break-check's one line on what it proved.
      const said = name === "break-check" ? `: ${output.trim().replace(/^break-check: ok, /, "")}` : "";
      console.log(`${prefix}: ${name} ok (${seconds.toFixed(1)}s)${said}`);
    } else {
      failed++;
      console.log(`${prefix}: ${name} FAILED (exit ${code})\n${output.trimEnd()}\n`);
    }
  }
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (failed > 0) {
    console.log(`${prefix}: ${failed} of ${names.length} steps failed (${total}s)`);
    process.exitCode = 1;
  } else if (which === "docs") {
    console.log(`docs: wrote spec-tools/dist/omeda-api.html (${total}s)`);
  } else if (which === "live") {
    console.log(`spec-live: done (${total}s)`);
  } else {
    console.log(`spec-check: ok, ../openapi.yaml lints clean and ${generatedTypes} type-checks sample.ts (${total}s)`);
  }
}

await main();
