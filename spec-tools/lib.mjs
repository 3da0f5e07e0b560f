// The commands check.mjs and break-check.mjs share, so that both generate and check types the same
// way, and the way README.md tells other teams to.

import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This folder, spec-tools/. */
export const here = dirname(fileURLToPath(import.meta.url));

/** The contract, at the repository root. */
export const contract = join(here, "..", "openapi.yaml");

/** Where the types are generated, relative to a project holding sample.ts and tsconfig.json. */
export const generatedTypes = join("generated", "omeda.ts");

/** A tool's script from node_modules/.bin, to run with the Node.js that runs this one. */
const bin = (name) => join(here, "node_modules", ".bin", name);

// Redocly CLI would send usage data and look for a newer version of itself on every run.
const quietEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
};

/**
 * Runs a Node.js script, with the Node.js running this one, and resolves to its exit code and its
 * combined output, so that a step that passes prints nothing of its own. It never rejects: a script
 * that cannot start resolves with code -1 and the reason as output.
 */
export function run(script, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd ?? here,
      env: quietEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => (output += chunk));
    }
    child.on("error", (err) => resolve({ code: -1, output: `${script}: ${err.message}\n` }));
    child.on("close", (code, signal) =>
      resolve({ code: code ?? -1, output: withoutBanner(output) + (signal ? `killed by ${signal}\n` : "") }),
    );
  });
}

// Redocly CLI 2.x draws a framed notice on stderr on every run under Node.js 20, saying that support
// for it is ending; nothing turns it off. It says nothing about the contract, so it is dropped.
function withoutBanner(text) {
  return text
    .split("\n")
    .filter((line) => !/^\s*[╔║╚]/.test(line))
    .join("\n")
    .replace(/^\s*\n/, "");
}

/** Lints a contract with the committed ruleset; any error or warning fails (see redocly.yaml). */
export function lint(spec = contract) {
  return run(bin("redocly"), ["lint", spec, "--config", join(here, "redocly.yaml"), "--lint-config", "error"]);
}

/**
 * Generates TypeScript types from a contract into the project's generated/ folder.
 *
 * --default-non-nullable=false keeps optional the request properties that have a default
 * (Product.Receive and Quantity): openapi-typescript would otherwise make every such property
 * required, which is right for answers and wrong for requests.
 *
 * openapi-typescript validates the contract first, with the redocly.yaml of the folder it runs in.
 * It runs in generated/, which has none, so it uses Redocly's `minimal` rules, as it does for a team
 * that generates from openapi.yaml in its own repository: the lint step alone applies the committed
 * ruleset, and break-check's changed contracts (whose examples no longer match) still generate.
 */
export async function generateTypes(spec, project = here) {
  const output = join(project, generatedTypes);
  await mkdir(dirname(output), { recursive: true });
  return run(bin("openapi-typescript"), [spec, "--output", output, "--default-non-nullable=false"], {
    cwd: dirname(output),
  });
}

/** Type-checks the project (sample.ts against its generated/ types) with its tsconfig.json. */
export function typecheck(project = here) {
  return run(bin("tsc"), ["--noEmit", "-p", join(project, "tsconfig.json")]);
}

/** Compiles a TypeScript project to JavaScript with its tsconfig (live.ts: tsconfig.live.json). */
export function compile(tsconfig) {
  return run(bin("tsc"), ["-p", tsconfig]);
}

/** Renders the contract as one self-contained HTML page (Redoc's scripts inlined: no CDN). */
export function buildDocs(output, spec = contract) {
  return run(bin("redocly"), [
    "build-docs",
    spec,
    "--config",
    join(here, "redocly.yaml"),
    "--lint-config",
    "error",
    "--inlineBundle",
    "--output",
    output,
  ]);
}
