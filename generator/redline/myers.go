package redline

// match computes a longest common subsequence of a and b with Myers' O(ND) algorithm in
// linear space (the "middle snake" divide and conquer of Myers 1986, section 4b) and
// returns, for every element of a, the index in b it is matched with, or -1 if deleted.
func match(a, b []int32) []int32 {
	m := &myers{a: a, b: b, ma: make([]int32, len(a))}
	for i := range m.ma {
		m.ma[i] = -1
	}
	n := len(a) + len(b) + 2
	m.vf = make([]int, n+2)
	m.vb = make([]int, n+2)
	m.diff(0, len(a), 0, len(b))
	return m.ma
}

type myers struct {
	a, b   []int32
	ma     []int32
	vf, vb []int // furthest reaching x per diagonal, forward and backward
}

func (m *myers) diff(aLo, aHi, bLo, bHi int) {
	for {
		for aLo < aHi && bLo < bHi && m.a[aLo] == m.b[bLo] {
			m.ma[aLo] = int32(bLo)
			aLo++
			bLo++
		}
		for aLo < aHi && bLo < bHi && m.a[aHi-1] == m.b[bHi-1] {
			aHi--
			bHi--
			m.ma[aHi] = int32(bHi)
		}
		if aLo == aHi || bLo == bHi {
			return
		}
		x, y := m.bisect(aLo, aHi, bLo, bHi)
		if x < 0 {
			return // nothing in common: delete all, insert all
		}
		// Recurse on the smaller half, loop on the other.
		if (x-aLo)+(y-bLo) < (aHi-x)+(bHi-y) {
			m.diff(aLo, x, bLo, y)
			aLo, bLo = x, y
		} else {
			m.diff(x, aHi, y, bHi)
			aHi, bHi = x, y
		}
	}
}

// tooExpensive bounds the search for a middle snake, as GNU diff does: past it, bisect
// splits at the forward path that got furthest. The script is then not always minimal, but
// two unrelated 20,000-word pages are compared in a fraction of a second, not seconds.
const tooExpensive = 1024

// bisect finds the middle snake of a[aLo:aHi] and b[bLo:bHi], whose first and last elements
// differ, and returns a point (x, y) on an optimal path strictly inside the box, or (-1, -1)
// if the two have nothing in common.
func (m *myers) bisect(aLo, aHi, bLo, bHi int) (int, int) {
	a, b := m.a[aLo:aHi], m.b[bLo:bHi]
	n, mm := len(a), len(b)
	maxD := (n + mm + 1) / 2
	off := maxD + 1
	vf, vb := m.vf[:2*off+1], m.vb[:2*off+1]
	for i := range vf {
		vf[i], vb[i] = -1, -1
	}
	vf[off+1], vb[off+1] = 0, 0
	delta := n - mm
	odd := delta&1 != 0
	// kfs..kfe and kbs..kbe narrow the diagonals to those still inside the box.
	kfs, kfe, kbs, kbe := 0, 0, 0, 0
	for d := 0; d <= maxD; d++ {
		if d > tooExpensive {
			// Split where the forward search got furthest along, inside the box.
			best, bx := -1, -1
			for k := -(d - 1) + kfs; k <= d-1-kfe; k += 2 {
				x := vf[off+k]
				if y := x - k; x >= 0 && x <= n && y >= 0 && y <= mm && x+y > best && (x < n || y < mm) {
					best, bx = x+y, x
				}
			}
			if best > 0 {
				return aLo + bx, bLo + best - bx
			}
			return -1, -1
		}
		for k := -d + kfs; k <= d-kfe; k += 2 {
			var x int
			if k == -d || k != d && vf[off+k-1] < vf[off+k+1] {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && a[x] == b[y] {
				x++
				y++
			}
			vf[off+k] = x
			switch {
			case x > n:
				kfe += 2
			case y > mm:
				kfs += 2
			case odd:
				kb := delta - k
				if kb >= -(d-1) && kb <= d-1 && vb[off+kb] >= 0 && x+vb[off+kb] >= n {
					return aLo + x, bLo + y
				}
			}
		}
		for k := -d + kbs; k <= d-kbe; k += 2 {
			var x int
			if k == -d || k != d && vb[off+k-1] < vb[off+k+1] {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && a[n-x-1] == b[mm-y-1] {
				x++
				y++
			}
			vb[off+k] = x
			switch {
			case x > n:
				kbe += 2
			case y > mm:
				kbs += 2
			case !odd:
				kf := delta - k
				if kf >= -d && kf <= d && vf[off+kf] >= 0 && vf[off+kf]+x >= n {
					// The backward path reached (n-x, mm-y) in forward coordinates.
					return aLo + n - x, bLo + mm - y
				}
			}
		}
	}
	return -1, -1
}
