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

// WriteText writes rows as a table for reviewers: one line per
// application with its verdict and reply window, its findings indented
// below it (severity, rule, message), and a count of verdicts at the end.
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
		table = append(table, []string{orDash(row.Source), orDash(row.Applicant), r.Program, orDash(r.Edition), r.Verdict, reply})
		withEdition = withEdition || r.Edition != ""
		for _, f := range r.Findings {
			ruleWidth = max(ruleWidth, utf8.RuneCountInString(f.Rule))
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
			b = append(b, "    "+pad(f.Severity, 8)+pad(f.Rule, ruleWidth+2)+f.Message+"\n"...)
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
	for n := max(width-utf8.RuneCountInString(s), 1); n > 0; n-- {
		s += " "
	}
	return s
}
