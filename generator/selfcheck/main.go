//go:build js && wasm

// Command selfcheck is the browser side of the self-check form: a
// WebAssembly module (GOOS=js GOARCH=wasm) that runs package screening on
// what the applicant typed, so nothing typed leaves the browser. It is the
// only code that imports syscall/js; it checks the JavaScript values it is
// given and converts them to and from the screening package's types.
//
// Once started with wasm_exec.js (from $(go env GOROOT)/lib/wasm), the
// module defines one global function and keeps running:
//
//	globalThis.selfCheck(applicationJSON: string, rulesJSON: string): string
//
// applicationJSON is one application (see screening.Application) and
// rulesJSON the rules of its program and edition, as the site publishes
// them in /<program>/rules.json. The return value is always a JSON string,
// and selfCheck never throws:
//
//   - the result, exactly what `screen -format json` prints for that
//     application and edition: {"program", "edition", "verdict",
//     "findings", "reply_window"} (screening.EncodeJSON);
//   - or, when an input cannot be decoded or the application's program is
//     not the rules' program, {"error": MESSAGE, "source": "application" |
//     "rules", "line": L, "col": C}, with line and col (1-based, columns in
//     bytes) omitted when the error has no position;
//   - or, when selfCheck is not called with two strings,
//     {"error": MESSAGE, "source": "arguments"}.
//
// A caller tells the cases apart by the presence of the "error" key.
package main

import (
	"syscall/js"

	"affdocs/generator/screening"
)

func main() {
	js.Global().Set("selfCheck", js.FuncOf(selfCheck))
	select {}
}

func selfCheck(_ js.Value, args []js.Value) any {
	if len(args) != 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
		return `{"error":"selfCheck(applicationJSON, rulesJSON) takes two strings","source":"arguments"}`
	}
	return string(screening.SelfCheck([]byte(args[0].String()), []byte(args[1].String())))
}
