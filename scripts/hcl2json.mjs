// Parses Terraform files with HashiCorp's HCL parser (@cdktf/hcl2json, WebAssembly) and prints
// {"<file name>": <its JSON>, ...}. A syntax error names file, line and column and exits 1.
// Usage: node scripts/hcl2json.mjs FILE.tf...   (NODE_PATH or a node_modules beside it)
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parse } from "@cdktf/hcl2json";

const parsed = {};
for (const file of process.argv.slice(2)) {
  parsed[basename(file)] = await parse(basename(file), await readFile(file, "utf8"));
}
process.stdout.write(JSON.stringify(parsed));
