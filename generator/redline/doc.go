// Package redline shows what changed between two editions of a page of legal terms.
//
// It works on rendered HTML, not on Markdown, so a redline shows exactly the words a reader
// sees. Diff compares two HTML fragments word by word (Myers' O(ND) algorithm on text
// tokens) and returns the new fragment with deleted words wrapped in <del> and inserted
// words in <ins>. Markup is never diffed: the new edition's markup is kept, and text deleted
// from the old edition is put back at its place in the new structure, inside the element
// that held it when that element still exists and as a copy of the old element when it does
// not. <ins> and <del> only ever wrap text, never cross a tag and never wrap an element, so
// the result is valid HTML wherever the input was (a deleted list item stays an <li> of its
// list, with <del> inside it).
//
// A page is split into clauses, its <section id=...> elements (or, when it has none, its
// <h2 id=...> headings). Clauses are matched by id, the stable anchor that survives
// rewording, so Compare can say which clauses were added, removed, changed and moved, and
// Page can redline a whole page clause by clause.
//
// Text inside an element of class "clause-no" (the clause numbers the markdown package puts
// before headings) is treated as markup: renumbering the clauses after an insertion is not
// a change of wording.
//
// The package is pure: no I/O, standard library only.
package redline
