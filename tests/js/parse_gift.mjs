// Reads GIFT files with gift-pegjs, the parser Moodle-compatible tools use, and prints their questions as JSON.
// Usage: node parse_gift.mjs FILE...  (tests/test_exports.py runs it; a syntax error exits 1 with its location)
import { readFileSync } from "node:fs";
import gift from "gift-pegjs";

const out = {};
for (const path of process.argv.slice(2)) {
  try {
    out[path] = gift.parse(readFileSync(path, "utf8"));
  } catch (e) {
    console.error(`${path}:${e.location ? e.location.start.line + ":" + e.location.start.column : "?"}: ${e.message}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
