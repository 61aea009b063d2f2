//go:build !js

// Package selfcheck_test runs the WebAssembly self-check under Node and
// compares every answer, byte for byte, with the native screening code.
package selfcheck_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"affdocs/generator/screening"
)

// requireTool returns the path of a tool the test needs, skipping the test
// when it is missing unless AFFDOCS_REQUIRE_TOOLS=1 asks for a failure.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("AFFDOCS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is not on PATH, and AFFDOCS_REQUIRE_TOOLS=1", name)
		}
		t.Skipf("skipping: %s is not on PATH (install Node.js to run the WebAssembly self-check; set AFFDOCS_REQUIRE_TOOLS=1 to fail instead)", name)
	}
	return path
}

type testCase struct {
	Name  string `json:"name"`
	App   string `json:"app,omitempty"`
	Rules string `json:"rules,omitempty"`
	Args  []any  `json:"args,omitempty"`
	want  []byte
}

// TestWasmMatchesNative protects the promise that the browser and the
// `screen` command never disagree: every application fixture against
// both programs' rules, plus bad input, gives the same bytes from
// selfCheck under Node as from the native package.
func TestWasmMatchesNative(t *testing.T) {
	node := requireTool(t, "node")
	goCmd := requireTool(t, "go")
	if testing.Short() {
		t.Skip("skipping: builds a WebAssembly module (-short)")
	}
	dir := t.TempDir()

	build := exec.Command(goCmd, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "selfcheck.wasm"), ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the module: %v\n%s", err, out)
	}
	goroot, err := exec.Command(goCmd, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	wasmExec, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), wasmExec, 0o644); err != nil {
		t.Fatal(err)
	}

	cases := fixtureCases(t)
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "run.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	run := exec.Command(node, script, dir)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, out)
	}
	out, err := os.ReadFile(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	if len(got) != len(cases) {
		t.Fatalf("node printed %d results for %d cases", len(got), len(cases))
	}
	for i, c := range cases {
		if !bytes.Equal(got[i], c.want) {
			t.Errorf("%s:\nwasm:   %s\nnative: %s", c.Name, got[i], c.want)
		}
	}
	t.Logf("%d cases identical", len(cases))
}

// fixtureCases pairs every application fixture with both programs' rules
// and adds inputs that cannot be screened.
func fixtureCases(t *testing.T) []testCase {
	t.Helper()
	testdata := filepath.Join("..", "screening", "testdata")
	rules := map[string]string{}
	parsed := map[string]screening.Rules{}
	for _, p := range []string{"alidropship", "aliexpress", "parcelpal"} {
		b, err := os.ReadFile(filepath.Join(testdata, "rules", p+".json"))
		if err != nil {
			t.Fatal(err)
		}
		rules[p] = string(b)
		if parsed[p], err = screening.ParseRules(b); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(testdata, "apps", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []testCase
	apps := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		app, err := screening.Decode(b)
		if err != nil {
			t.Fatalf("%s:%v", f, err)
		}
		apps++
		for _, p := range []string{"alidropship", "aliexpress", "parcelpal"} {
			c := testCase{Name: filepath.Base(f) + " with " + p + " rules", App: string(b), Rules: rules[p]}
			if p == app.Program {
				c.want = screening.EncodeJSON(screening.Screen(parsed[p], app))
			} else {
				c.want = screening.SelfCheck(b, []byte(rules[p])) // the program mismatch error
			}
			cases = append(cases, c)
		}
	}
	if apps < 40 {
		t.Fatalf("want at least 40 application fixtures, have %d", apps)
	}
	for _, bad := range []struct{ name, app, rules string }{
		{"malformed application", "{\"program\": \"aliexpress\",\n  \"email\": }", rules["aliexpress"]},
		{"wrong type", `{"program": "alidropship", "accepts_terms": "yes"}`, rules["alidropship"]},
		{"unknown program", `{"program": "amazon"}`, rules["alidropship"]},
		{"malformed rules", `{"program": "aliexpress"}`, `{"program": "aliexpress", "rules": [}`},
		{"escapes and unicode", `{"program": "aliexpress", "email": "<b>\u2028\ud83d\ude00\ud800", "channels": [{"url": "https://ü.example/?a=1&b=2"}]}`, rules["aliexpress"]},
	} {
		cases = append(cases, testCase{Name: bad.name, App: bad.app, Rules: bad.rules, want: screening.SelfCheck([]byte(bad.app), []byte(bad.rules))})
	}
	argsError := []byte(`{"error":"selfCheck(applicationJSON, rulesJSON) takes two strings","source":"arguments"}`)
	cases = append(cases,
		testCase{Name: "numbers as arguments", Args: []any{1, 2}, want: argsError},
		testCase{Name: "one argument", Args: []any{"{}"}, want: argsError},
		testCase{Name: "object as application", Args: []any{map[string]any{"program": "aliexpress"}, rules["aliexpress"]}, want: argsError},
	)
	return cases
}
