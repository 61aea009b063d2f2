package markdown

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Limits on one page. Goldmark's time and memory grow faster than the page for some input
// (a list nested 3,000 deep took 68 s and 1 GB; 1,000,000 table rows took 3.5 GB), so a page
// beyond a limit is not converted: Convert returns one Error saying which limit, where, and
// how to fix it, and no HTML. Each limit is far above any real legal document, and is
// checked before the expensive work: the page size and the nesting by a linear scan of the
// source before parsing, tables and link definitions as soon as the parser has found their
// lines, before it makes cells or reads definitions.
//
// Measured with BenchmarkLimits (one core of a shared machine): each refused page of the
// issue is refused in under 0.3 s (a list nested 1,400 deep, within 2 MB, took 5.1 s
// before; 100,000 columns by 50 rows 22 s and 3.4 GB; 53,000 link definitions in a row 18 s),
// and the slowest 2 MB pages within every limit we found convert in under 2 s and 450 MB
// (a million list items, 100 deep on every line), against 0.7 ms for a typical page.
const (
	// MaxPageBytes is the largest page: 2 MiB. The longest legal texts we know of (a full
	// regulation with its recitals, about 90,000 words) are under 700 KB of Markdown; a page
	// above 2 MiB is better split for readers anyway, and parsing time grows faster than
	// the page for deeply indented input.
	MaxPageBytes = 2 << 20

	// MaxNesting is the deepest nesting of lists and block quotes (a list item in a list
	// item in a quote is 3 deep). Clauses are numbered at most four or five levels deep
	// (1.2.3(a)(i)); goldmark's cost grows with the square of the depth.
	MaxNesting = 100

	// MaxTableRows is the most rows a table may have (not counting its header): a fee
	// schedule or a list of countries has hundreds.
	MaxTableRows = 10_000

	// MaxTableCells is the most cells the tables of a page may have together, headers
	// included: rows times columns, since short rows are filled up with empty cells. Each
	// takes about 1 KB and 2 µs while converting (a hundred 10,000-row tables of 20 columns
	// in one 2 MB page took 47 s and 14 GB), so 200,000 is 10,000 rows of 20 columns.
	MaxTableCells = 200_000

	// MaxDefinitionRun is the most link reference definitions ([name]: address) in a row,
	// with no blank line between them: goldmark takes time that grows with the square of
	// the run (30,000 in a row took 5 s). A page has a handful.
	MaxDefinitionRun = 1_000
)

// checkLimits is the pre-scan: the page size, then nesting. It returns the Error for the
// first limit the page breaks, or nil.
func checkLimits(src []byte) []Problem {
	if len(src) > MaxPageBytes {
		return []Problem{{0, fmt.Sprintf("the page is %s MB; a page may be at most %d MB: split it into several pages", megabytes(len(src)), MaxPageBytes>>20)}}
	}
	if off, depth := deepNesting(src); off >= 0 {
		return []Problem{{off, fmt.Sprintf("lists and quotes are nested %d deep here; they may be nested at most %d deep: flatten the structure or split it", depth, MaxNesting)}}
	}
	return nil
}

// megabytes is n bytes in MiB with one decimal, rounded up: a page just over the limit is
// not "2.0 MB".
func megabytes(n int) string {
	return strconv.FormatFloat(math.Ceil(float64(n)/(1<<20)*10)/10, 'f', 1, 64)
}

// deepNesting finds the first list or quote marker nested deeper than MaxNesting, and returns
// its offset and depth, or -1. It reads the source line by line, much as the Markdown
// parser opens its containers: a line's > markers each open a quote; its list markers (-, +,
// *, 1. or 1)) each open a list item, inside the items still open, that is those whose
// text starts at or right of the line's first character. It skips fenced code. It can count
// lower than the parser (a lazy line closes items it keeps open), never much higher, and
// costs time linear in the page.
func deepNesting(src []byte) (off, depth int) {
	var items []int // the columns where the text of the open list items starts
	var fence byte  // the character of the open code fence, if any
	fenceLen := 0
	for ls := 0; ls < len(src); {
		le := bytes.IndexByte(src[ls:], '\n')
		if le < 0 {
			le = len(src)
		} else {
			le += ls
		}
		line := src[ls:le]
		next := le + 1
		i, col, quotes := 0, 0, 0
		spaces := func() {
			for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
				if line[i] == '\t' {
					col += 4 - col%4
				} else {
					col++
				}
			}
		}
		spaces()
		// The quote markers that start the line, then, unless in fenced code, list and quote
		// markers inside the open list items.
		lastQuote := 0
		for i < len(line) && line[i] == '>' {
			quotes, lastQuote = quotes+1, i
			i, col = i+1, col+1
			spaces()
		}
		if fence != 0 {
			if n := run(line[i:], fence); n >= fenceLen && len(bytes.TrimSpace(line[i+n:])) == 0 {
				fence = 0
			}
			ls = next
			continue
		}
		if i == len(line) || line[i] == '\r' { // blank: list items stay open
			ls = next
			continue
		}
		for len(items) > 0 && items[len(items)-1] > col {
			items = items[:len(items)-1]
		}
		if d := quotes + len(items); d > MaxNesting {
			return ls + lastQuote, d
		}
		for i < len(line) {
			at := i
			if line[i] == '>' {
				quotes++
				i, col = i+1, col+1
				spaces()
			} else if n := listMarker(line[i:]); n > 0 {
				markerEnd := col + n
				i, col = i+n, col+n
				spaces()
				if i == len(line) || col-markerEnd > 4 { // blank item, or indented code after the marker
					items = append(items, markerEnd+1)
				} else {
					items = append(items, col)
				}
			} else {
				break
			}
			if d := quotes + len(items); d > MaxNesting {
				return ls + at, d
			}
		}
		for _, c := range []byte("`~") {
			if n := run(line[i:], c); n >= 3 {
				fence, fenceLen = c, n
			}
		}
		ls = next
	}
	return -1, 0
}

// run is the number of times c repeats at the start of b.
func run(b []byte, c byte) int {
	n := 0
	for n < len(b) && b[n] == c {
		n++
	}
	return n
}

// listMarker is the length of the list item marker at the start of b (-, +, *, or up to 9
// digits and . or )), followed by a space, a tab or the end of the line; else 0.
func listMarker(b []byte) int {
	n := 0
	switch {
	case len(b) > 0 && (b[0] == '-' || b[0] == '+' || b[0] == '*'):
		n = 1
	default:
		for n < len(b) && n < 9 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(b) || (b[n] != '.' && b[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(b) && b[n] != ' ' && b[n] != '\t' && b[n] != '\r' {
		return 0
	}
	return n
}

// definitionLimit is a paragraph transformer that runs just before goldmark takes the link
// reference definitions out of a paragraph. It counts the lines that start like one ([x]:),
// and removes the paragraph if there are too many.
type definitionLimit struct{}

func (definitionLimit) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	lines := node.Lines()
	if st == nil || lines.Len() <= MaxDefinitionRun {
		return
	}
	src := reader.Source()
	n := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := bytes.TrimLeft(seg.Value(src), " \t")
		if end := bytes.Index(line, []byte("]:")); len(line) > 0 && line[0] == '[' && end > 0 {
			n++
		}
	}
	if n > MaxDefinitionRun {
		st.errorf(lines.At(0).Start, "%d link definitions ([name]: address) in a row; at most %d may follow one another: put a blank line between groups of them", n, MaxDefinitionRun)
		st.limited = true
		node.Parent().RemoveChild(node.Parent(), node)
	}
}

// tableLimit is a paragraph transformer that runs just before goldmark's table transformer
// (which turns a paragraph with a delimiter row into a table, making every cell at once).
// If the table would break a limit (alone or with the tables before it), it records the Error, marks the page as not to be
// converted, and removes the paragraph, so that the cells are never made.
type tableLimit struct{}

func (tableLimit) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	lines := node.Lines()
	if st == nil || lines.Len() < 2 {
		return
	}
	src := reader.Source()
	for i := 1; i < lines.Len(); i++ {
		delim, head := lines.At(i), lines.At(i-1)
		cols := delimiterColumns(delim.Value(src))
		if cols == 0 {
			continue
		}
		if cellCount(head.Value(src)) != cols {
			return // not a table: goldmark wants as many header cells as columns
		}
		rows := lines.Len() - i - 1
		cells := (rows + 1) * cols
		at := head.Start
		switch {
		case rows > MaxTableRows:
			st.errorf(at, "this table has %d rows; a table may have at most %d: split it into several tables", rows, MaxTableRows)
		case cells > MaxTableCells:
			st.errorf(at, "this table has %d cells (%d rows of %d columns); the tables of a page may have at most %d cells: split it into several pages", cells, rows+1, cols, MaxTableCells)
		case st.cells+cells > MaxTableCells:
			st.errorf(at, "with this table, the tables of this page have %d cells; the tables of a page may have at most %d cells together: split the page", st.cells+cells, MaxTableCells)
		default:
			st.cells += cells
			return
		}
		st.limited = true
		node.Parent().RemoveChild(node.Parent(), node)
		return
	}
}

// delimiterColumns is the number of columns of a table's delimiter row (|:--|--:|), as
// goldmark reads it, or 0 if line is not one.
func delimiterColumns(line []byte) int {
	if w := len(line) - len(bytes.TrimLeft(line, " \t")); w > 3 {
		return 0
	}
	allDash := true
	for _, b := range line {
		switch b {
		case '-':
		case ' ', '\t', '\n', '\r', '|', ':', '\v', '\f':
			allDash = false
		default:
			return 0
		}
	}
	if allDash {
		return 0
	}
	cols := bytes.Split(line, []byte{'|'})
	if len(bytes.TrimSpace(cols[0])) == 0 {
		cols = cols[1:]
	}
	if len(cols) > 0 && len(bytes.TrimSpace(cols[len(cols)-1])) == 0 {
		cols = cols[:len(cols)-1]
	}
	for _, c := range cols {
		c = bytes.TrimSpace(c)
		c = bytes.TrimPrefix(c, []byte(":"))
		c = bytes.TrimSuffix(c, []byte(":"))
		if len(c) == 0 || len(bytes.Trim(c, "-")) != 0 {
			return 0
		}
	}
	return len(cols)
}

// cellCount is the number of cells in a table's header row, as goldmark splits it: at each
// | not escaped with a backslash, without a leading and a trailing one.
func cellCount(line []byte) int {
	line = bytes.TrimSpace(line)
	line = bytes.TrimPrefix(line, []byte("|"))
	if len(line) > 0 && line[len(line)-1] == '|' {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		return 0
	}
	n := 1
	for i, b := range line {
		if b == '|' && (i == 0 || line[i-1] != '\\') {
			n++
		}
	}
	return n
}
