package redline

import (
	"math/rand/v2"
	"testing"
)

// lcsLen is the length of a longest common subsequence, by dynamic programming.
func lcsLen(a, b []int32) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkMatch verifies that ma is a common subsequence of a and b and returns its length.
func checkMatch(t *testing.T, a, b []int32, ma []int32) int {
	t.Helper()
	n, last := 0, int32(-1)
	for i, j := range ma {
		if j < 0 {
			continue
		}
		if j <= last || int(j) >= len(b) || a[i] != b[j] {
			t.Fatalf("bad match a[%d]->b[%d] (a=%v b=%v ma=%v)", i, j, a, b, ma)
		}
		last = j
		n++
	}
	return n
}

func TestMatchMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 20000 {
		alpha := 2 + r.IntN(6)
		a := make([]int32, r.IntN(30))
		b := make([]int32, r.IntN(30))
		for i := range a {
			a[i] = int32(r.IntN(alpha))
		}
		if iter%2 == 0 {
			// b is an edit of a
			b = append(b[:0], a...)
			for range r.IntN(6) {
				if len(b) > 0 && r.IntN(2) == 0 {
					k := r.IntN(len(b))
					b = append(b[:k], b[k+1:]...)
				} else {
					k := r.IntN(len(b) + 1)
					b = append(b[:k], append([]int32{int32(r.IntN(alpha + 2))}, b[k:]...)...)
				}
			}
		} else {
			for i := range b {
				b[i] = int32(r.IntN(alpha))
			}
		}
		got := checkMatch(t, a, b, match(a, b))
		if want := lcsLen(a, b); got != want {
			t.Fatalf("LCS of %v and %v: got %d, want %d", a, b, got, want)
		}
	}
}

// Past tooExpensive, the script need not be minimal but must still be a common subsequence.
func TestMatchExpensive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5 {
		a := make([]int32, 3000+r.IntN(3000))
		b := make([]int32, 3000+r.IntN(3000))
		for i := range a {
			a[i] = int32(r.IntN(4))
		}
		for i := range b {
			b[i] = int32(r.IntN(4))
		}
		got := checkMatch(t, a, b, match(a, b))
		if want := lcsLen(a, b); got < want*8/10 {
			t.Errorf("LCS of %d and %d elements: got %d, want about %d", len(a), len(b), got, want)
		}
	}
}
