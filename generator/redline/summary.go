package redline

import (
	"strconv"
	"strings"
)

// ClauseRef names a clause in a Summary.
type ClauseRef struct {
	ID     string `json:"id"`
	Title  string `json:"title"`            // the heading's text, without its number
	Number string `json:"number,omitempty"` // its number ("5.3"): in the new version, in the old one if removed
	// Was is its number in the old version when that was another ("5.2").
	Was string `json:"was,omitempty"`
}

// Summary says which clauses changed between two versions of a page. Clauses (sub-clauses
// included) are matched by ID, and those left unmatched by their title without its number
// (a heading "3. Risk" with the anchor 3-risk that became "4. Risk", 4-risk), then by a
// number written in their heading ("2. Pictures" that became "2. Pictures and videos"). A clause is
// changed when its own text is (the text of its sub-clauses counts for them, not for it;
// its number does not count), moved when it has another parent or another place among its
// siblings, and renumbered when only its number changed. Each list is in document order:
// of the new version, of the old one for Removed.
type Summary struct {
	Added   []ClauseRef `json:"added,omitempty"`
	Removed []ClauseRef `json:"removed,omitempty"`
	Changed []ClauseRef `json:"changed,omitempty"`
	Moved   []ClauseRef `json:"moved,omitempty"`
	// Renumbered are the clauses whose text and place are the same but whose number is
	// not (clause 5.2 became 5.3 after a clause was inserted before it).
	Renumbered []ClauseRef `json:"renumbered,omitempty"`
	Unchanged  int         `json:"unchanged"` // matched clauses whose own text is the same
	// Outside are the parts of the page outside every clause whose text changed, in page
	// order. Only Page sets it.
	Outside []OutsideChange `json:"outside,omitempty"`
}

// OutsideChange is a part of a page outside every clause whose text changed.
type OutsideChange struct {
	Part    string `json:"part"`    // one of the Part constants
	Changes int    `json:"changes"` // runs of changed words: "3" -> "5" is one change
}

// The parts of a page outside its clauses.
const (
	PartIntro   = "introduction" // before the first clause
	PartBetween = "between"      // between two clauses
	PartEnd     = "end"          // after the last clause (footnotes, a closing note)
	PartText    = "text"         // the whole text of a page without clauses
)

// Empty reports whether s records no change at all.
func (s Summary) Empty() bool {
	return len(s.Added)+len(s.Removed)+len(s.Changed)+len(s.Moved)+len(s.Renumbered)+len(s.Outside) == 0
}

// Counts says in words what changed, each count with its noun: "2 clauses changed, 1
// added; 1 clause moved; 1 change in the introduction"; "no change to the words" when only
// the markup or the front matter changed.
func (s Summary) Counts() string {
	var parts []string
	if t := Tally("clause", "clauses", len(s.Changed), len(s.Added), len(s.Removed)); t != "" {
		parts = append(parts, t)
	}
	if n := len(s.Moved); n > 0 {
		parts = append(parts, Plural(n, "clause", "clauses")+" moved")
	}
	if n := len(s.Renumbered); n > 0 {
		parts = append(parts, Plural(n, "clause", "clauses")+" renumbered")
	}
	for _, o := range s.Outside {
		parts = append(parts, o.String())
	}
	if len(parts) == 0 {
		return "no change to the words"
	}
	return strings.Join(parts, "; ")
}

// String says how many changes and where: "1 change in the introduction".
func (o OutsideChange) String() string {
	return Plural(o.Changes, "change", "changes") + " " + o.Where()
}

// Where says where the part is, after "3 changes": "in the introduction".
func (o OutsideChange) Where() string {
	switch o.Part {
	case PartIntro:
		return "in the introduction"
	case PartBetween:
		return "between clauses"
	case PartEnd:
		return "after the last clause"
	}
	return "in the text"
}

// Plural is n with the noun in the number it takes: "1 clause", "2 clauses", "0 clauses".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Tally says how many things changed, were added and were removed, their noun said once
// and zero counts left out: "2 clauses changed, 1 added", "1 page removed"; "" if all are 0.
func Tally(one, many string, changed, added, removed int) string {
	var parts []string
	for _, c := range []struct {
		n    int
		verb string
	}{{changed, "changed"}, {added, "added"}, {removed, "removed"}} {
		switch {
		case c.n == 0:
		case len(parts) == 0:
			parts = append(parts, Plural(c.n, one, many)+" "+c.verb)
		default:
			parts = append(parts, strconv.Itoa(c.n)+" "+c.verb)
		}
	}
	return strings.Join(parts, ", ")
}
