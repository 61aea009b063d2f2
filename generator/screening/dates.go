package screening

// Calendar dates are handled as day numbers (days since 1970-01-01) with
// the proleptic Gregorian calendar, without package time: the rules only
// need whole days, and time would add its zone database to the module.

// parseDate reads a YYYY-MM-DD date with a year from 0001 to 9999.
func parseDate(s string) (day int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, m, d := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

// digits returns the value of an all-digit string, or -1.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms, for
// years >= 0.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// formatDate writes a day number as YYYY-MM-DD.
func formatDate(day int) string {
	y, m, d := civilFromDays(day)
	b := make([]byte, 0, 10)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	b = appendPadded(b, d, 2)
	return string(b)
}

func appendPadded(b []byte, n, width int) []byte {
	s := itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// weekday returns 0 for Monday through 6 for Sunday.
func weekday(day int) int {
	return ((day % 7) + 7 + 3) % 7 // 1970-01-01 was a Thursday
}

// addBusinessDays returns the day n business days (Monday to Friday)
// after day; a start on a weekend counts from the next Monday.
func addBusinessDays(day, n int) int {
	if n <= 0 {
		return day
	}
	n = min(n, 1<<20) // keep absurd thresholds from overflowing
	if wd := weekday(day); wd >= 5 {
		day -= wd - 4 // Saturday and Sunday count like the Friday before
	}
	day += n / 5 * 7 // from a business day, 7 days later is 5 business days later
	for n %= 5; n > 0; {
		day++
		if weekday(day) < 5 {
			n--
		}
	}
	return day
}

// itoa formats an int in decimal (strconv would do, but this is all we need).
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	u := uint(n)
	if neg {
		u = uint(-n)
	}
	for u > 0 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
