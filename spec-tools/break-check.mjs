#!/usr/bin/env node
// Proves that sample.ts can fail: a type check that passes whatever the contract says proves nothing.
//
// It copies ../openapi.yaml to a temporary folder twice. The first copy is left as it is (the
// control: sample.ts must compile against it, or the failure below would prove nothing). In the
// second, two response fields change type. Types are generated from each copy exactly as check.mjs
// does, and tsc runs on sample.ts against them. The check passes only when the control compiles, the broken
// copy does not, each changed field is named by an error in sample.ts, and no error is of another
// kind (a missing file, say). Exit code 0 means tsc failed as it should.

import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contract, generateTypes, here, typecheck } from "./lib.mjs";

// Each change: the schema to change, the property's lines as the contract has them and as they are
// to become, and the pattern that a line of sample.ts reading that field matches.
const changes = [
  {
    name: "CustomerPhone.PhoneNumber: string -> integer",
    schema: "CustomerPhone",
    from: "        PhoneNumber:\n          type: string\n",
    to: "        PhoneNumber:\n          type: integer\n",
    reads: /\bPhoneNumber\b/,
  },
  {
    name: "ChangedCustomer.Id: integer -> string",
    schema: "ChangedCustomer",
    from: "        Id:\n          $ref: '#/components/schemas/OmedaId'\n",
    to: "        Id:\n          type: string\n",
    reads: /\bchanged\.Id\b|\bId: \d+/,
  },
];

/** Applies one change inside its schema's block of components/schemas; refuses to guess. */
function applyChange(text, change) {
  const header = `\n    ${change.schema}:\n`;
  const start = text.indexOf(header);
  if (start < 0 || text.indexOf(header, start + 1) >= 0) {
    throw new Error(`${change.name}: schema ${change.schema} not found exactly once in openapi.yaml`);
  }
  const bodyStart = start + header.length;
  const next = text.slice(bodyStart).search(/^ {0,4}\S/m);
  const bodyEnd = next < 0 ? text.length : bodyStart + next;
  const body = text.slice(bodyStart, bodyEnd);
  if (body.split(change.from).length !== 2) {
    throw new Error(`${change.name}: the property's lines were not found exactly once in ${change.schema}; update break-check.mjs`);
  }
  return text.slice(0, bodyStart) + body.replace(change.from, change.to) + text.slice(bodyEnd);
}

/** Generates types from `spec` into a copy of the sample project under `dir`, then type-checks it. */
async function checkCopy(dir, spec) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "openapi.yaml"), spec);
  await Promise.all(["sample.ts", "tsconfig.json", "package.json"].map((f) => copyFile(join(here, f), join(dir, f))));
  const generated = await generateTypes(join(dir, "openapi.yaml"), dir);
  if (generated.code !== 0) {
    throw new Error(`openapi-typescript failed on the copy in ${dir}:\n${generated.output}`);
  }
  return typecheck(dir);
}

async function main() {
  const original = await readFile(contract, "utf8");
  const broken = changes.reduce(applyChange, original);
  const sampleLines = (await readFile(join(here, "sample.ts"), "utf8")).split("\n");

  const tmp = await mkdtemp(join(tmpdir(), "omeda-break-check-"));
  try {
    // allSettled, not all: both copies must be done with the folder before it is removed.
    const settled = await Promise.allSettled([
      checkCopy(join(tmp, "control"), original),
      checkCopy(join(tmp, "broken"), broken),
    ]);
    const [control, result] = settled.map((s) => {
      if (s.status === "rejected") throw s.reason;
      return s.value;
    });
    if (control.code !== 0) {
      throw new Error(`sample.ts does not compile against an unchanged copy of the contract, so nothing is proved:\n${control.output}`);
    }
    if (result.code === 0) {
      throw new Error(`tsc accepted sample.ts against a contract with ${changes.map((c) => c.name).join(" and ")}`);
    }

    // tsc reports `sample.ts(line,col): error TSnnnn: message`, one per line.
    const errors = [...result.output.matchAll(/sample\.ts\((\d+),\d+\): error (TS\d+): (.*)/g)].map((m) => ({
      line: Number(m[1]),
      code: m[2],
      message: m[3],
      source: sampleLines[Number(m[1]) - 1] ?? "",
    }));
    const stray = errors.filter((e) => !changes.some((c) => c.reads.test(e.source)));
    const reported = result.output.split("\n").filter((l) => /error TS\d+/.test(l)).length;
    if (errors.length === 0 || stray.length > 0 || reported !== errors.length) {
      throw new Error(`tsc failed, but not (only) on the changed fields:\n${result.output}`);
    }
    const counts = changes.map((c) => {
      const n = errors.filter((e) => c.reads.test(e.source)).length;
      if (n === 0) {
        throw new Error(`no error in sample.ts reads ${c.name}:\n${result.output}`);
      }
      return `${c.name} (${n} error${n === 1 ? "" : "s"})`;
    });
    console.log(`break-check: ok, tsc rejects sample.ts when ${counts.join(" and ")}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`break-check: FAILED: ${err.message}`);
  process.exitCode = 1;
});
