// Package screening checks an affiliate application against one program's
// rejection reasons, the same way in the `screen` command and in the browser.
//
// The package is pure: it imports no os, net/http or syscall/js, reads no
// clock and keeps no global state, so a result depends only on the [Rules]
// and the [Application] given to [Screen]. Everything about a program is
// content: its rejection-reasons page's front matter writes, per rule,
// conditions over the application schema ([Schema], [Cond]), the message,
// the severity and what the finding rests on (the program's own words or
// this guide's rule of thumb); the page's sections give each rule's title
// and fix; the form's fields, labels and choices are there too. The build
// publishes them as rules.json, which [ParseRules] reads with the same
// checks ([RulesFrom]) the build ran.
//
// JSON is read and written by a small hand-written codec instead of
// encoding/json, which would more than double the size of the WebAssembly
// module. [EncodeJSON] produces the same bytes as encoding/json's Marshal
// would for a [Result]; the decoders accept exactly the JSON grammar,
// ignore unknown object keys in applications (keys match exactly, not
// case-insensitively as in encoding/json), and report wrong types and
// malformed dates with a line and column.
//
// # Dates
//
// Screening never looks at the current time. Ages (older_than_days) are
// measured against the application's "submitted" date; without one they do
// not hold, and nothing is said about them (the self-check form fills in
// the reader's date). The reply window counts business days (Monday to
// Friday) after "submitted"; public holidays are not known and not skipped.
package screening
