package screening

import (
	"io"
	"unicode/utf8"
)

// DecodeError is a problem with JSON input, at a position in it.
type DecodeError struct {
	Offset int    // byte offset in the input
	Line   int    // 1-based line
	Col    int    // 1-based column, in bytes
	Msg    string // what is wrong, naming the field: "channels[1].kind: unknown value \"blog-post\" ..."
}

// Error returns "LINE:COL: message"; prefix it with the file name.
func (e *DecodeError) Error() string { return itoa(e.Line) + ":" + itoa(e.Col) + ": " + e.Msg }

// Item is one application read by [DecodeAll]: either App or Err is set.
type Item struct {
	Line    int // line where the application's JSON value starts (1-based)
	EndLine int // last line the item covers: where the value ends, or, after a broken multi-line value, the line before reading resumed
	App     Application
	Err     *DecodeError
}

// Decode reads one application: a JSON object, optionally surrounded by
// white space. The error, if any, is a [*DecodeError].
func Decode(data []byte) (Application, error) {
	d := decoder{data: data}
	a, err := topLevel(&d, (*decoder).application)
	if err != nil {
		return Application{}, err
	}
	p := positioner{data: data, line: 1}
	return p.place(a), nil
}

// DecodeLines reads all of r and decodes it with [DecodeAll]; the error is
// only ever a read error.
func DecodeLines(r io.Reader) ([]Item, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return DecodeAll(data), nil
}

// DecodeAll reads the applications in a file, deciding its layout like this:
//
//   - If the whole input (after an optional UTF-8 byte order mark) is one
//     JSON value, it is one application, laid out however it is.
//   - Otherwise it is JSON Lines: each application starts on a line of its
//     own and ends at that line's end, so a broken line costs only that
//     line. Blank lines (spaces, tabs, carriage returns) are skipped.
//   - As an exception, an application whose first line is a lone "{" is
//     pretty-printed (as jq, json.tool or JSON.stringify indent it): it runs
//     to its matching "}", which must end its line. After a syntax error in
//     it, reading resumes at the next line that starts with "{" in its
//     first column, so the error is reported once, on its own line.
//
// Every application gives one [Item], in input order, and every non-blank
// line is covered by exactly one item (from Line to EndLine). The error of
// a broken pretty-printed item may be on the line after its EndLine, where
// the next item starts ("unexpected '{'"). Text must be UTF-8: an invalid
// byte is an error at its position, and a file that starts with a UTF-16
// byte order mark is one error.
func DecodeAll(data []byte) []Item {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		p := positioner{data: data, line: 1}
		last, _ := p.at(len(data))
		return []Item{{Line: 1, EndLine: last, Err: &DecodeError{Line: 1, Col: 1,
			Msg: "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"}}}
	}
	start := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		start = 3
	}
	if it, ok := decodeWhole(data, start); ok {
		return []Item{it}
	}
	var items []Item
	p := positioner{data: data, line: 1}
	for ls, line := start, 1; ls < len(data); {
		le := ls // the line is data[ls:le], without its "\n" or "\r\n"
		for le < len(data) && data[le] != '\n' {
			le++
		}
		next := le + 1
		if le > ls && data[le-1] == '\r' {
			le--
		}
		vs := ls // where the value starts
		for vs < le && (data[vs] == ' ' || data[vs] == '\t' || data[vs] == '\r') {
			vs++
		}
		switch {
		case vs == le: // blank
		case data[vs] == '{' && blankBytes(data[vs+1:le]):
			p.seek(ls, line)
			it, resume := decodePretty(data, ls, vs, &p)
			it.Line = line
			items = append(items, it)
			if resume > ls {
				next = resume
			}
		default:
			p.seek(ls, line)
			d := decoder{data: data[:le], pos: vs, strict: true, eol: true}
			a, err := d.application()
			if err == nil {
				d.skipSpace()
				if d.pos < le {
					err = d.unexpected("end of line after the object")
				}
			}
			it := Item{Line: line, EndLine: line, App: p.place(a)}
			if err != nil {
				it = Item{Line: line, EndLine: line, Err: p.locate(err)}
			}
			items = append(items, it)
		}
		for ; ls < next && ls < len(data); ls++ {
			if data[ls] == '\n' {
				line++
			}
		}
		ls = next
	}
	return items
}

// decodeWhole decodes data[start:] as one application if it is one JSON
// value surrounded by white space.
func decodeWhole(data []byte, start int) (Item, bool) {
	d := decoder{data: data, pos: start}
	d.skipSpace()
	vs := d.pos
	if vs >= len(data) || d.skipValue("a value") != nil {
		return Item{}, false
	}
	end := d.pos
	d.skipSpace()
	if d.pos < len(data) {
		return Item{}, false
	}
	p := positioner{data: data, line: 1}
	line, _ := p.at(vs)
	endLine, _ := p.at(end - 1)
	it := Item{Line: line, EndLine: endLine}
	sub := decoder{data: data[:end], pos: vs, strict: true}
	a, err := sub.application()
	if err != nil {
		if data[vs] == '[' && err.Offset == vs {
			err.Msg += "; to screen many applications, put one object on each line (JSON Lines)"
		}
		p = positioner{data: data, line: 1}
		it.Err = p.locate(err)
	} else {
		it.App = p.place(a)
	}
	return it, true
}

// decodePretty reads the pretty-printed application whose lone "{" is at
// vs, on the line starting at ls. It returns the item (without Line) and
// where the next line to read starts.
func decodePretty(data []byte, ls, vs int, p *positioner) (Item, int) {
	d := decoder{data: data, pos: vs}
	if err := d.skipValue("an application object"); err != nil {
		// Locate the error before scanning further for the resume line.
		err = p.locate(err)
		resume := resumeAfter(data, ls, err.Offset)
		endLine, _ := p.at(max(resume-1, ls))
		return Item{EndLine: endLine, Err: err}, resume
	}
	end := d.pos
	sub := decoder{data: data[:end], pos: vs, strict: true}
	a, err := sub.application()
	if err == nil {
		d.pos = end
		for d.pos < len(data) && (data[d.pos] == ' ' || data[d.pos] == '\t' || data[d.pos] == '\r') {
			d.pos++
		}
		if d.pos < len(data) && data[d.pos] != '\n' {
			err = d.unexpected("end of line after the object")
		}
	}
	next := end
	for next < len(data) && data[next] != '\n' {
		next++
	}
	if err != nil {
		err = p.locate(err)
	}
	endLine, _ := p.at(end - 1)
	if err != nil {
		return Item{EndLine: endLine, Err: err}, next + 1
	}
	return Item{EndLine: endLine, App: p.place(a)}, next + 1
}

// resumeAfter returns where to look for the next application after a
// syntax error at errOff in the value whose first line starts at ls: the
// first line at or after the error's line, other than the value's own
// first line, that starts with '{'.
func resumeAfter(data []byte, ls, errOff int) int {
	i := min(errOff, len(data))
	for i > 0 && data[i-1] != '\n' {
		i--
	}
	for ; i < len(data); i = nextLine(data, i) {
		if i > ls && data[i] == '{' {
			return i
		}
	}
	return len(data)
}

func nextLine(data []byte, i int) int {
	for i < len(data) && data[i] != '\n' {
		i++
	}
	return i + 1
}

func blankBytes(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// topLevel decodes exactly one value with decode, allowing only white space
// around it, and fills in the error's line and column.
func topLevel[T any](d *decoder, decode func(*decoder) (T, *DecodeError)) (T, error) {
	var zero T
	p := positioner{data: d.data, line: 1}
	d.skipSpace()
	v, err := decode(d)
	if err == nil {
		d.skipSpace()
		if d.pos < len(d.data) {
			err = d.unexpected("end of input after the object")
		}
	}
	if err != nil {
		return zero, p.locate(err)
	}
	return v, nil
}

// positioner turns byte offsets into lines and columns, scanning forward
// from the last offset it was asked about.
type positioner struct {
	data      []byte
	off       int // data[:off] has been scanned
	line      int // line of off
	lineStart int // offset of the first byte of that line

	baseOff, baseLine int // a known line start to rescan from (see seek)
}

// seek tells p that line starts at offset ls, so that later questions
// about offsets from ls on never rescan what comes before it.
func (p *positioner) seek(ls, line int) {
	p.off, p.line, p.lineStart = ls, line, ls
	p.baseOff, p.baseLine = ls, line
}

func (p *positioner) at(off int) (line, col int) {
	if off < p.off {
		if off >= p.baseOff && p.baseLine > 0 {
			p.off, p.line, p.lineStart = p.baseOff, p.baseLine, p.baseOff
		} else {
			p.off, p.line, p.lineStart = 0, 1, 0
		}
	}
	off = min(off, len(p.data))
	for ; p.off < off; p.off++ {
		if p.data[p.off] == '\n' {
			p.line++
			p.lineStart = p.off + 1
		}
	}
	return p.line, off - p.lineStart + 1
}

// place sets the line and column of a's enumerated values.
func (p *positioner) place(a Application) Application {
	for i := range a.choices {
		c := &a.choices[i]
		c.line, c.col = p.at(c.off)
	}
	return a
}

func (p *positioner) locate(e *DecodeError) *DecodeError {
	e.Line, e.Col = p.at(e.Offset)
	return e
}

// maxDepth bounds the nesting of arrays and objects, so that hostile input
// cannot exhaust the stack.
const maxDepth = 200

// decoder is a JSON reader over data; pos is the next byte to read. Every
// method that reads a value expects pos at its first byte (white space
// already skipped) and leaves pos just after it.
type decoder struct {
	data  []byte
	pos   int
	depth int

	eol    bool // data ends at the end of a line (JSON Lines), not of the input
	strict bool // invalid UTF-8 in a string is an error, not U+FFFD
}

func errAt(off int, msg string) *DecodeError { return &DecodeError{Offset: off, Msg: msg} }

func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// unexpected reports the byte at pos, saying what was wanted instead.
func (d *decoder) unexpected(want string) *DecodeError {
	if d.pos >= len(d.data) {
		if d.eol {
			return errAt(d.pos, "unexpected end of line; want "+want)
		}
		return errAt(d.pos, "unexpected end of input; want "+want)
	}
	return errAt(d.pos, "unexpected "+describeByte(d.data[d.pos:])+"; want "+want)
}

func describeByte(b []byte) string {
	c := b[0]
	if c >= 0x20 && c < 0x7f {
		if c == '\'' {
			return `"'"`
		}
		return "'" + string(c) + "'"
	}
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return "byte 0x" + hex2(c)
	}
	if r < 0x20 || r >= 0x7f && r < 0xa0 {
		return "control character U+00" + hex2(byte(r))
	}
	if r == 0xFEFF {
		return "byte order mark U+FEFF"
	}
	if hidden(r) {
		return "invisible character " + runeName(r)
	}
	return "'" + string(r) + "'"
}

// runeName returns "U+XXXX".
func runeName(r rune) string {
	const hex = "0123456789ABCDEF"
	b := []byte("U+")
	n := 4
	for r>>(4*n) != 0 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		b = append(b, hex[r>>(4*i)&0xF])
	}
	return string(b)
}

func hex2(c byte) string {
	const hex = "0123456789ABCDEF"
	return string([]byte{hex[c>>4], hex[c&0xF]})
}

// kind names the type of the value starting at pos, or "" if no value
// starts there.
func (d *decoder) kind() string {
	switch c := d.peek(); {
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == '"':
		return "a string"
	case c == 't' && d.hasPrefix("true"), c == 'f' && d.hasPrefix("false"):
		return "true/false"
	case c == 'n' && d.hasPrefix("null"):
		return "null"
	case c == '-' || isDigit(c):
		return "a number"
	}
	return ""
}

func (d *decoder) hasPrefix(word string) bool {
	return len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// typeError reports a value of the wrong type at pos (or a syntax error if
// no value starts there).
func (d *decoder) typeError(field, want string) *DecodeError {
	got := d.kind()
	if got == "" {
		return d.unexpected(want)
	}
	return errAt(d.pos, field+": want "+want+", got "+got)
}

// notObject reports a top-level value that is not an object.
func (d *decoder) notObject(want string) *DecodeError {
	if got := d.kind(); got != "" {
		return errAt(d.pos, "want "+want+", got "+got)
	}
	return d.unexpected(want)
}

// skipValue checks and skips any JSON value.
func (d *decoder) skipValue(want string) *DecodeError {
	switch c := d.peek(); {
	case c == '{':
		return d.object(func(string) *DecodeError { return d.skipValue("a value") })
	case c == '[':
		return d.array(func(int) *DecodeError { return d.skipValue("a value") })
	case c == '"':
		_, err := d.str()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || isDigit(c):
		_, err := d.number()
		return err
	}
	return d.unexpected(want)
}

// object reads an object, calling member with pos at each member's value;
// member must read exactly that value.
func (d *decoder) object(member func(key string) *DecodeError) *DecodeError {
	if d.depth++; d.depth > maxDepth {
		return errAt(d.pos, "objects and lists nested too deeply")
	}
	d.pos++ // '{'
	d.skipSpace()
	if d.peek() == '}' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if d.peek() != '"' {
			return d.unexpected("'\"' starting a key")
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.skipSpace()
		if d.peek() != ':' {
			return d.unexpected("':' after a key")
		}
		d.pos++
		d.skipSpace()
		if err := member(key); err != nil {
			return err
		}
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.pos++
			d.skipSpace()
			continue
		case '}':
			d.pos++
			d.depth--
			return nil
		}
		return d.unexpected("',' or '}'")
	}
}

// array reads a list, calling elem with pos at each element.
func (d *decoder) array(elem func(i int) *DecodeError) *DecodeError {
	if d.depth++; d.depth > maxDepth {
		return errAt(d.pos, "objects and lists nested too deeply")
	}
	d.pos++ // '['
	d.skipSpace()
	if d.peek() == ']' {
		d.pos++
		d.depth--
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.pos++
			d.skipSpace()
			continue
		case ']':
			d.pos++
			d.depth--
			return nil
		}
		return d.unexpected("',' or ']'")
	}
}

func (d *decoder) literal(word string) *DecodeError {
	for i := 0; i < len(word); i++ {
		if d.peek() != word[i] {
			return d.unexpected("'" + word[i:i+1] + "' in " + word)
		}
		d.pos++
	}
	return nil
}

// number reads a JSON number and returns its text.
func (d *decoder) number() ([]byte, *DecodeError) {
	start := d.pos
	if d.peek() == '-' {
		d.pos++
	}
	if err := d.numberDigits(true); err != nil {
		return nil, err
	}
	if d.peek() == '.' {
		d.pos++
		if err := d.numberDigits(false); err != nil {
			return nil, err
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if err := d.numberDigits(false); err != nil {
			return nil, err
		}
	}
	return d.data[start:d.pos], nil
}

// numberDigits reads one or more digits; an integer part may not have
// leading zeros.
func (d *decoder) numberDigits(integer bool) *DecodeError {
	if !isDigit(d.peek()) {
		return d.unexpected("a digit")
	}
	if integer && d.peek() == '0' {
		d.pos++
		return nil
	}
	for isDigit(d.peek()) {
		d.pos++
	}
	return nil
}

// str reads a string, replacing invalid UTF-8 and lone surrogates with
// U+FFFD as encoding/json does.
func (d *decoder) str() (string, *DecodeError) {
	start := d.pos
	d.pos++ // '"'
	i := d.pos
	for i < len(d.data) {
		c := d.data[i]
		if c == '"' {
			s := string(d.data[d.pos:i])
			d.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	b := append([]byte(nil), d.data[d.pos:i]...)
	d.pos = i
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(b), nil
		case c == '\n' || c == '\r':
			return "", errAt(start, "string not closed on its line")
		case c < 0x20:
			return "", d.unexpected("'\"' or a character other than a control character")
		case c == '\\':
			var err *DecodeError
			if b, err = d.escape(b); err != nil {
				return "", err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 && d.strict {
				return "", d.invalidUTF8()
			}
			b = utf8.AppendRune(b, r) // RuneError for an invalid byte
			d.pos += size
		}
	}
	if d.eol {
		return "", errAt(start, "string not closed on its line")
	}
	return "", errAt(start, "string not closed")
}

func (d *decoder) invalidUTF8() *DecodeError {
	return errAt(d.pos, "invalid UTF-8 (byte 0x"+hex2(d.data[d.pos])+"); save the file as UTF-8")
}

// escape reads the escape sequence at pos and appends its character to b.
func (d *decoder) escape(b []byte) ([]byte, *DecodeError) {
	if d.pos+1 >= len(d.data) {
		d.pos++
		return b, d.unexpected("an escape character")
	}
	c := d.data[d.pos+1]
	switch c {
	case '"', '\\', '/':
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, ok := hex4(d.data, d.pos+2)
		if !ok {
			return b, errAt(d.pos, `invalid \u escape; want \u and 4 hex digits`)
		}
		d.pos += 6
		if r >= 0xD800 && r < 0xE000 {
			lo, ok := rune(0), false
			if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
				lo, ok = hex4(d.data, d.pos+2)
			}
			if r < 0xDC00 && ok && lo >= 0xDC00 && lo < 0xE000 {
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				d.pos += 6
			} else {
				r = utf8.RuneError
			}
		}
		return utf8.AppendRune(b, r), nil
	default:
		d.pos++
		return b, d.unexpected(`an escape character (one of "\/bfnrtu)`)
	}
	d.pos += 2
	return append(b, c), nil
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case isDigit(c):
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Typed readers. Each accepts null as the zero value, like encoding/json.

func (d *decoder) readString(field string) (string, *DecodeError) {
	switch d.peek() {
	case '"':
		return d.str()
	case 'n':
		return "", d.literal("null")
	}
	return "", d.typeError(field, "a string")
}

func (d *decoder) readBool(field string) (bool, *DecodeError) {
	switch d.peek() {
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return false, d.literal("null")
	}
	return false, d.typeError(field, "true or false")
}

// readCount reads a whole number from 0 to 1e9.
func (d *decoder) readCount(field string) (int, *DecodeError) {
	if d.peek() == 'n' {
		return 0, d.literal("null")
	}
	if d.kind() != "a number" {
		return 0, d.typeError(field, "a whole number")
	}
	off := d.pos
	lit, err := d.number()
	if err != nil {
		return 0, err
	}
	n := digits(string(lit))
	if n < 0 || len(lit) > 10 || n > 1e9 {
		return 0, errAt(off, field+": want a whole number from 0 to 1000000000, got "+string(lit))
	}
	return n, nil
}

// readChoice reads a string of the enumerated field (a schema name) at
// path, noting where it was for [Rules.CheckChoices].
func (d *decoder) readChoice(a *Application, field, path string) (string, *DecodeError) {
	off := d.pos
	s, err := d.readString(path)
	if a != nil {
		a.choices = append(a.choices, choiceAt{field: field, path: path, value: s, off: off})
	}
	return s, err
}

// readDate reads a string that is empty or a YYYY-MM-DD date.
func (d *decoder) readDate(field string) (string, *DecodeError) {
	off := d.pos
	s, err := d.readString(field)
	if _, ok := parseDate(s); err == nil && s != "" && !ok {
		err = errAt(off, field+": "+quote(s)+" is not a date; want YYYY-MM-DD")
	}
	return s, err
}

// readList reads a list of strings; with a, of the enumerated field
// field, whose values are noted for [Rules.CheckChoices].
func (d *decoder) readList(a *Application, field string) ([]string, *DecodeError) {
	if d.peek() == 'n' {
		return nil, d.literal("null")
	}
	if d.peek() != '[' {
		return nil, d.typeError(field, "a list of strings")
	}
	list := []string{}
	err := d.array(func(i int) *DecodeError {
		name := field + "[" + itoa(i) + "]"
		if d.peek() != '"' {
			return d.typeError(name, "a string")
		}
		s, err := d.readChoice(a, field, name)
		list = append(list, s)
		return err
	})
	return list, err
}

func joinList(values []string) string {
	s := ""
	for i, v := range values {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}

// quote quotes s for an error message, shortened to 60 bytes.
func quote(s string) string {
	return string(appendString([]byte(nil), shorten(s, 60)))
}

// application reads an application object.
func (d *decoder) application() (Application, *DecodeError) {
	var a Application
	start := d.pos
	if d.peek() != '{' {
		return a, d.notObject("an application object")
	}
	programOff := -1
	err := d.object(func(key string) *DecodeError {
		var err *DecodeError
		switch key {
		case "program":
			programOff = d.pos
			a.Program, err = d.readString(key)
		case "access_path":
			a.AccessPath, err = d.readChoice(&a, key, key)
		case "username":
			a.Username, err = d.readString(key)
		case "email":
			a.Email, err = d.readString(key)
		case "paypal_email":
			a.PaypalEmail, err = d.readString(key)
		case "channels":
			a.Channels, err = d.channels(&a)
		case "niche":
			a.Niche, err = d.readString(key)
		case "traffic_sources":
			a.TrafficSources, err = d.readList(&a, key)
		case "geos":
			a.Geos, err = d.readList(nil, key)
		case "content_types":
			a.ContentTypes, err = d.readList(&a, key)
		case "promotion":
			a.Promotion, err = d.readString(key)
		case "practices":
			a.Practices, err = d.readList(&a, key)
		case "network_profile_complete":
			a.NetworkProfileComplete, err = d.readBool(key)
		case "accepts_terms":
			a.AcceptsTerms, err = d.readBool(key)
		case "submitted":
			a.Submitted, err = d.readDate(key)
		default:
			err = d.skipValue("a value")
		}
		return err
	})
	if err == nil && a.Program == "" {
		off := start
		if programOff >= 0 {
			off = programOff
		}
		err = errAt(off, `program: missing; want the program's folder name, such as "alidropship"`)
	}
	return a, err
}

func (d *decoder) channels(a *Application) ([]Channel, *DecodeError) {
	if d.peek() == 'n' {
		return nil, d.literal("null")
	}
	if d.peek() != '[' {
		return nil, d.typeError("channels", "a list of channel objects")
	}
	list := []Channel{}
	err := d.array(func(i int) *DecodeError {
		prefix := "channels[" + itoa(i) + "]"
		if d.peek() != '{' {
			return d.typeError(prefix, "a channel object")
		}
		var ch Channel
		prefix += "."
		err := d.object(func(key string) *DecodeError {
			var err *DecodeError
			switch key {
			case "url":
				ch.URL, err = d.readString(prefix + key)
			case "kind":
				ch.Kind, err = d.readChoice(a, "channels."+key, prefix+key)
			case "public":
				ch.Public, err = d.readBool(prefix + key)
			case "status":
				ch.Status, err = d.readChoice(a, "channels."+key, prefix+key)
			case "last_post":
				ch.LastPost, err = d.readDate(prefix + key)
			case "original_posts":
				ch.OriginalPosts, err = d.readCount(prefix + key)
			case "copied_or_generated":
				ch.CopiedOrGenerated, err = d.readBool(prefix + key)
			default:
				err = d.skipValue("a value")
			}
			return err
		})
		list = append(list, ch)
		return err
	})
	return list, err
}
