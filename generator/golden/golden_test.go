package golden

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct{ name, want, got, diff string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "  a\n- b\n+ B\n  c\n"},
		{"added at end", "a\n", "a\nb\n", "  a\n+ b\n"},
		{"no final newline", "a\n", "a", "- a\n+ a⏎(no newline at end)\n"},
		{"from nothing", "", "a\n", "+ a\n"},
		{
			"two changes far apart",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			"x\n2\n3\n4\n5\n6\n7\n8\ny\n",
			"- 1\n+ x\n  2\n  3\n  ...\n  7\n  8\n- 9\n+ y\n",
		},
	} {
		if got := lineDiff(tc.want, tc.got); got != tc.diff {
			t.Errorf("%s: lineDiff =\n%s\nwant\n%s", tc.name, got, tc.diff)
		}
	}
}

// setUpdate sets -update for the rest of the test.
func setUpdate(t *testing.T, v bool) {
	old := *Update
	*Update = v
	t.Cleanup(func() { *Update = old })
}

func TestRunUpdate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "case.txtar")
	const before = "What the case is about.\n" +
		"-- in --\nhello\n" +
		"-- out --\nold\n" +
		"-- stale --\ngone\n" +
		"-- after --\nkept\n"
	if err := os.WriteFile(file, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	produce := func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		in := string(Section(ar, "in"))
		return map[string][]byte{"out": []byte("said " + in), "stale": nil, "zz": []byte("new\n"), "empty": nil}
	}
	read := func() string {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	setUpdate(t, true)
	t.Run("update", func(t *testing.T) { Run(t, filepath.Join(dir, "*.txtar"), produce) })
	const after = "What the case is about.\n" +
		"-- in --\nhello\n" +
		"-- out --\nsaid hello\n" +
		"-- after --\nkept\n" +
		"-- zz --\nnew\n"
	if got := read(); got != after {
		t.Fatalf("after -update:\n%s\nwant\n%s", got, after)
	}

	// Updating again changes nothing, and comparing now passes.
	t.Run("again", func(t *testing.T) { Run(t, filepath.Join(dir, "*.txtar"), produce) })
	if got := read(); got != after {
		t.Fatalf("a second -update changed the file:\n%s", got)
	}
	*Update = false
	t.Run("compare", func(t *testing.T) { Run(t, filepath.Join(dir, "*.txtar"), produce) })
}

func TestFileUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "want.txt")
	setUpdate(t, true)
	File(t, path, []byte("one\ntwo\n")) // creates it
	File(t, path, []byte("one\n2\n"))   // rewrites it
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "one\n2\n" {
		t.Fatalf("after -update: %q, %v", data, err)
	}
	*Update = false
	File(t, path, []byte("one\n2\n"))
}
