package screening

import "unicode/utf8"

// Small string helpers. The package does not import strings: together
// with the unicode tables it brings, it costs the WebAssembly module about
// 12 KB of its brotli size, more than these few loops.

// trimSpace removes leading and trailing white space (Unicode White_Space).
func trimSpace(s string) string {
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if !isSpace(r) {
			break
		}
		s = s[size:]
	}
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if !isSpace(r) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}

func blank(s string) bool { return trimSpace(s) == "" }

// join concatenates list with sep between the elements.
func join(list []string, sep string) string {
	s := ""
	for i, v := range list {
		if i > 0 {
			s += sep
		}
		s += v
	}
	return s
}

// split cuts s around each sep byte.
func split(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// hasSubstring reports whether sub occurs in s.
func hasSubstring(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// isSpace reports Unicode White_Space.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}
