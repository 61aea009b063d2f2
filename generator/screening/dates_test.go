package screening

import (
	"testing"
	"time"
)

// TestDates checks the calendar arithmetic against package time.
func TestDates(t *testing.T) {
	for d := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10000; d = d.AddDate(0, 0, 97) {
		s := d.Format(time.DateOnly)
		day, ok := parseDate(s)
		if !ok {
			t.Fatalf("parseDate(%s) failed", s)
		}
		if want := int(d.Unix() / 86400); day != want {
			t.Fatalf("parseDate(%s) = %d, want %d", s, day, want)
		}
		if got := formatDate(day); got != s {
			t.Fatalf("formatDate(%d) = %s, want %s", day, got, s)
		}
		if want := (int(d.Weekday()) + 6) % 7; weekday(day) != want {
			t.Fatalf("weekday(%s) = %d, want %d", s, weekday(day), want)
		}
	}
	for _, s := range []string{"", "2026-1-01", "2026-13-01", "2026-02-29", "2026-04-31", "0000-01-01", "2026/01/01", "2026-01-0x", "+026-01-01", "2026-11-20T00:00"} {
		if _, ok := parseDate(s); ok {
			t.Errorf("parseDate(%q) accepted", s)
		}
	}
	if _, ok := parseDate("2024-02-29"); !ok {
		t.Error("parseDate(2024-02-29) rejected a leap day")
	}
}

// TestBusinessDays checks addBusinessDays against counting day by day.
func TestBusinessDays(t *testing.T) {
	start, _ := parseDate("2026-11-01")
	for day := start; day < start+21; day++ {
		for n := 0; n < 30; n++ {
			want, left := day, n
			for left > 0 {
				want++
				if weekday(want) < 5 {
					left--
				}
			}
			if got := addBusinessDays(day, n); got != want {
				t.Fatalf("addBusinessDays(%s, %d) = %s, want %s", formatDate(day), n, formatDate(got), formatDate(want))
			}
		}
	}
}
