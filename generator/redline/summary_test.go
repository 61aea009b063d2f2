package redline

import "testing"

// TestCounts protects the counts readers see in change lists, redlines and the feed:
// each with its noun, in the number it takes, zero counts left out.
func TestCounts(t *testing.T) {
	refs := func(n int) []ClauseRef { return make([]ClauseRef, n) }
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "no change to the words"},
		{Summary{Changed: refs(1)}, "1 clause changed"},
		{Summary{Changed: refs(2), Added: refs(1)}, "2 clauses changed, 1 added"},
		{Summary{Removed: refs(3)}, "3 clauses removed"},
		{Summary{Moved: refs(1), Renumbered: refs(2)}, "1 clause moved; 2 clauses renumbered"},
		{Summary{Outside: []OutsideChange{{PartIntro, 1}}}, "1 change in the introduction"},
		{Summary{Added: refs(1), Outside: []OutsideChange{{PartBetween, 2}, {PartEnd, 1}}}, "1 clause added; 2 changes between clauses; 1 change after the last clause"},
		{Summary{Outside: []OutsideChange{{PartText, 3}}}, "3 changes in the text"},
	}
	for _, tt := range tests {
		if got := tt.s.Counts(); got != tt.want {
			t.Errorf("Counts(%+v) = %q; want %q", tt.s, got, tt.want)
		}
	}
	if got := Tally("page", "pages", 0, 1, 2); got != "1 page added, 2 removed" {
		t.Errorf("Tally = %q", got)
	}
}
