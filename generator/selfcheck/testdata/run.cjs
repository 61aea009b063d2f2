// run.cjs DIR: loads DIR/selfcheck.wasm with DIR/wasm_exec.js, calls
// globalThis.selfCheck for every case of DIR/cases.json ({app, rules}
// strings; a case with "args" passes those values as they are) and writes
// the results to DIR/out.txt, one per line, as UTF-8.
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
require(path.join(dir, "wasm_exec.js"));
const cases = JSON.parse(fs.readFileSync(path.join(dir, "cases.json"), "utf8"));
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(path.join(dir, "selfcheck.wasm")), go.importObject)
  .then(({ instance }) => {
    go.run(instance); // main defines selfCheck, then blocks in select{}
    if (typeof globalThis.selfCheck !== "function") {
      throw new Error("selfCheck is not defined after start");
    }
    const out = cases.map((c) => {
      const r = "args" in c ? globalThis.selfCheck(...c.args) : globalThis.selfCheck(c.app, c.rules);
      if (typeof r !== "string") throw new Error("selfCheck returned " + typeof r);
      return r;
    });
    fs.writeFileSync(path.join(dir, "out.txt"), out.join("\n") + "\n");
    process.exit(0);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
