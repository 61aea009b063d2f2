package screening

import "unicode/utf8"

// EncodeJSON returns the JSON of a result, byte for byte what
// encoding/json's Marshal returns for it (no trailing newline). The
// `screen -format json` command and the browser module both print this.
func EncodeJSON(r Result) []byte {
	b := make([]byte, 0, 256+512*len(r.Findings))
	b = appendMembers(b, `{"program":`, r.Program, `,"edition":`, r.Edition, `,"verdict":`, r.Verdict)
	b = append(b, `,"findings":`...)
	if r.Findings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, f := range r.Findings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMembers(b, `{"rule":`, f.Rule, `,"severity":`, f.Severity, `,"basis":`, f.Basis, `,"title":`, f.Title,
				`,"message":`, f.Message, `,"cite":`, f.Cite, `,"fix":`, f.Fix, `,"link":`, f.Link)
			b = append(b, `,"fields":`...)
			if f.Fields == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j, name := range f.Fields {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendString(b, name)
				}
				b = append(b, ']')
			}
			b = append(b, "}"...)
		}
		b = append(b, ']')
	}
	if w := r.ReplyWindow; w != nil {
		b = appendMembers(b, `,"reply_window":{"from":`, w.From, `,"to":`, w.To)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendMembers appends pairs of raw JSON text and a string value.
func appendMembers(b []byte, pairs ...string) []byte {
	for i := 0; i+1 < len(pairs); i += 2 {
		b = appendString(append(b, pairs[i]...), pairs[i+1])
	}
	return b
}

// encodeError returns the JSON object the browser module returns for input
// it cannot decode: {"error":MESSAGE,"source":SOURCE,"line":L,"col":C},
// without line and col when err has no position.
func encodeError(source string, err error) []byte {
	b := append([]byte(nil), `{"error":`...)
	de, _ := err.(*DecodeError)
	if de != nil {
		b = appendString(b, de.Msg)
	} else {
		b = appendString(b, err.Error())
	}
	b = append(b, `,"source":`...)
	b = appendString(b, source)
	if de != nil {
		b = append(b, `,"line":`...)
		b = append(b, itoa(de.Line)...)
		b = append(b, `,"col":`...)
		b = append(b, itoa(de.Col)...)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string escaped the way encoding/json
// escapes it: '"' and '\\', control characters (\b \f \n \r \t or \u00XX),
// '<' '>' '&' (as \u003c \u003e \u0026), U+2028 and U+2029, and every
// byte of invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
