// Package sitetest holds the tests that need the whole built site: the repository's
// content/ built by the generator command exactly as `make` builds it, then checked file by
// file (every page present, every link and anchor resolving from disk, the sitemap, a strict
// Content-Security-Policy), by the Nu HTML Checker, and in headless chromium with axe-core
// at phone and desktop widths in light and dark schemes, served under a sub-path and opened
// from file://. It also builds the imported legal corpus in ../shared/corpora.
//
// The package has no code of its own; its tests use the helpers of
// affdocs/generator/browsertest, which skip (or fail under AFFDOCS_REQUIRE_TOOLS=1) when
// chromium, java or the npm packages are missing.
package sitetest
