package site

import "affdocs/generator/redline"

// Temporary until redline.Page lands (clause-level summary); replaced this session.
type redlineSummary struct{ Added, Removed, Changed []struct{ ID, Title string } }

func redlinePage(old, new string) (redlineSummary, string) {
	return redlineSummary{}, redline.Diff(old, new)
}
