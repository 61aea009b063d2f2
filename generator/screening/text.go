package screening

import (
	"io"
	"unicode/utf8"
)

// Row is one screened application as the `screen` command lists it.
type Row struct {
	Source    string // where the application came from: "apps.jsonl:3"
	Applicant string // who applied: the username, or the email
	Result    Result
}

// maxApplicant is the most characters of an applicant's name the table
// shows, so that one long name does not widen every row.
const maxApplicant = 64

// WriteText writes rows as a table for reviewers: one line per
// application with its verdict and reply window, its findings indented
// below it (severity, rule, message), and a count of verdicts at the end.
//
// Every cell is passed through [Printable], so text from an application
// (names, emails, URLs in messages) cannot move the cursor, clear the
// screen, start a new row or reorder what the terminal shows; an applicant
// longer than 64 characters is cut short with "…". The exact text is in
// the JSON output.
func WriteText(w io.Writer, rows []Row) error {
	header := []string{"SOURCE", "APPLICANT", "PROGRAM", "EDITION", "VERDICT", "REPLY"}
	table := [][]string{header}
	withEdition := false
	ruleWidth := 0
	counts := map[string]int{}
	for _, row := range rows {
		r := row.Result
		reply := "-"
		if r.ReplyWindow != nil {
			reply = r.ReplyWindow.From + " to " + r.ReplyWindow.To
		}
		table = append(table, []string{
			orDash(Printable(row.Source)), orDash(cut(Printable(row.Applicant), maxApplicant)),
			orDash(Printable(r.Program)), orDash(Printable(r.Edition)), orDash(Printable(r.Verdict)), Printable(reply),
		})
		withEdition = withEdition || r.Edition != ""
		for _, f := range r.Findings {
			ruleWidth = max(ruleWidth, utf8.RuneCountInString(Printable(f.Rule)))
		}
		counts[r.Verdict]++
	}
	if !withEdition {
		for i := range table {
			table[i] = append(table[i][:3], table[i][4:]...)
		}
	}
	widths := make([]int, len(header))
	for _, cells := range table {
		for i, c := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b []byte
	for i, cells := range table {
		for j, c := range cells {
			if j < len(cells)-1 {
				c = pad(c, widths[j]+2)
			}
			b = append(b, c...)
		}
		b = append(b, '\n')
		if i == 0 {
			continue
		}
		for _, f := range rows[i-1].Result.Findings {
			b = append(b, "    "+pad(Printable(f.Severity), 8)+pad(Printable(f.Rule), ruleWidth+2)+Printable(f.Message)+"\n"...)
		}
	}
	b = append(b, plural(len(rows), "application")...)
	sep := ": "
	for _, v := range []string{VerdictReady, VerdictNeedsWork, VerdictLikelyRejected} {
		if counts[v] > 0 {
			b = append(b, sep+itoa(counts[v])+" "+v...)
			sep = ", "
		}
	}
	b = append(b, '\n')
	_, err := w.Write(b)
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pad fills s with spaces to width characters, keeping at least one.
func pad(s string, width int) string {
	n := max(width-utf8.RuneCountInString(s), 1)
	b := make([]byte, len(s), len(s)+n)
	copy(b, s)
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return string(b)
}

// cut shortens s to at most n characters, the last of them "…".
func cut(s string, n int) string {
	i, count := 0, 0
	for i < len(s) {
		if count == n-1 {
			rest := s[i:]
			if utf8.RuneCountInString(rest) > 1 {
				return s[:i] + "…"
			}
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return s
}

// Printable returns s as a terminal shows it safely on one line: control
// characters (C0, DEL, C1), line and paragraph separators and the
// characters that reorder text (bidirectional embeddings, overrides and
// isolates, the direction marks) are written as Go escapes (\x1b, \n,
// \r, \t, \u0085, \u202e), and so is each byte of invalid UTF-8
// (\xff). Other text, backslashes included, is unchanged, so the result is
// for display, not for decoding.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < 0x20 || r == 0x7f || r == utf8.RuneError && size == 1 || hidden(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789abcdef"
	b := []byte(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'x', hex[s[i]>>4], hex[s[i]&0xF])
		case r < 0x20 || r == 0x7f:
			switch r {
			case '\a':
				b = append(b, `\a`...)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			case '\v':
				b = append(b, `\v`...)
			default:
				b = append(b, '\\', 'x', hex[r>>4], hex[r&0xF])
			}
		case hidden(r):
			b = append(b, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// hidden reports the characters other than C0 controls and DEL that
// [Printable] escapes: C1 controls, line and paragraph separators, and
// the bidirectional formatting characters (ALM, LRM, RLM, the embeddings
// and overrides U+202A to U+202E, the isolates U+2066 to U+2069).
func hidden(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0,
		r == 0x061c, r == 0x200e, r == 0x200f,
		r >= 0x2028 && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
