package session

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

// shellEndWhole is the end of a shell block's output found as it was
// before shellEnd: the whole output lowered and searched at each wake.
func shellEndWhole(b []byte) (int, bool) {
	i := bytes.Index(asciiLower(b), []byte(shellEOEOut))
	if i < 0 {
		return 0, false
	}
	rest := b[i+len(shellEOEOut):]
	for _, loc := range promptRe.FindAllIndex(rest, -1) {
		if loc[0] > 0 {
			return len(b), true
		}
	}
	return 0, false
}

// shellOutput is a shell block's output of about n bytes (raw bytes and
// capitals among them), then the end indicator, in capitals, and a
// prompt.
func shellOutput(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Line %d ORG_BABEL \xff\xed\xa0\x80 $ x\n", i)
	}
	b.WriteString("echo 'ORG_BABEL_SH_EOE'\nORG_BABEL_SH_EOE\n$ ")
	return b.Bytes()
}

// The end of a shell block's output is found where the whole output,
// lowered and searched at each wake, found it, however the output
// arrives: the indicator cut anywhere, in any case, after raw bytes.
func TestShellEndAsItArrives(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	out := shellOutput(10 << 10)
	for round := 0; round < 40; round++ {
		var s shellEnd
		for k := 0; k < len(out); {
			k = min(len(out), k+1+rng.Intn(64))
			n, ok := s.done(out[:k])
			wn, wok := shellEndWhole(out[:k])
			if n != wn || ok != wok {
				t.Fatalf("round %d, %d bytes: (%d, %v), want (%d, %v)", round, k, n, ok, wn, wok)
			}
			if ok != (k >= len(out)-1) { // the prompt's "$" ends it
				t.Fatalf("round %d: end found at %d of %d bytes: %v", round, k, len(out), ok)
			}
			if ok {
				break
			}
		}
	}
}

// A long output arriving in many pieces is lowered once: each byte as it
// arrives, not the whole output again at each piece, and none after the
// indicator is found; what is held lowered is a piece's size, not the
// output's.
func TestShellEndLowersEachByteOnce(t *testing.T) {
	const piece = 4 << 10
	out := shellOutput(4 << 20)
	var s shellEnd
	foundAt, held := -1, 0
	for k, calls := 0, 0; k < len(out); calls++ {
		if calls > len(out) {
			t.Fatal("no end")
		}
		step := piece
		if len(out)-k <= 64 { // the end byte by byte, after the indicator
			step = 1
		}
		k = min(len(out), k+step)
		_, ok := s.done(out[:k])
		if ok != (k >= len(out)-1) { // the prompt's "$" ends it
			t.Fatalf("end found at %d of %d bytes: %v", k, len(out), ok)
		}
		if s.found && foundAt < 0 {
			foundAt = k
		}
		held = max(held, cap(s.win))
		if ok {
			break
		}
	}
	if foundAt < 0 || foundAt >= len(out)-1 {
		t.Fatalf("the indicator found at %d bytes of %d", foundAt, len(out))
	}
	if s.lowered != foundAt {
		t.Errorf("lowered %d bytes, want the %d that arrived until the indicator was found", s.lowered, foundAt)
	}
	if held > 4*piece {
		t.Errorf("held %d bytes lowered, for pieces of %d", held, piece)
	}
	if want := bytes.Index(asciiLower(out), []byte(shellEOEOut)); s.from != want {
		t.Errorf("the indicator found at %d, want %d", s.from, want)
	}
}

// An output dropped as too long (Conn.read's ErrTooLong, after which
// Conn.wait calls done once more) is no end, and no index out of range.
func TestShellEndOutputDropped(t *testing.T) {
	out := shellOutput(10 << 10)
	var s shellEnd
	for _, k := range []int{3000, 6000} {
		if _, ok := s.done(out[:k]); ok {
			t.Fatalf("end found at %d bytes", k)
		}
	}
	if n, ok := s.done(nil); n != 0 || ok {
		t.Fatalf("dropped output: (%d, %v)", n, ok)
	}
	if n, ok := s.done(out); n != len(out) || !ok {
		t.Fatalf("the whole output after: (%d, %v), want (%d, true)", n, ok, len(out))
	}
}

// BenchmarkShellEnd finds the end of outputs of 1 and 8 MiB arriving
// 32 KiB at a time (what Conn reads at once): shellEnd's time per byte
// stays the same as the output grows; the whole output searched at each
// wake (whole) takes eight times as long per byte for eight times the
// output.
func BenchmarkShellEnd(b *testing.B) {
	for _, size := range []int{1 << 20, 8 << 20} {
		out := shellOutput(size)
		for _, f := range []struct {
			name string
			done func() func([]byte) (int, bool)
		}{
			{"incremental", func() func([]byte) (int, bool) { var s shellEnd; return s.done }},
			{"whole", func() func([]byte) (int, bool) { return shellEndWhole }},
		} {
			b.Run(fmt.Sprintf("%s/%dMiB", f.name, size>>20), func(b *testing.B) {
				b.SetBytes(int64(len(out)))
				for i := 0; i < b.N; i++ {
					done := f.done()
					for k := 0; k < len(out); {
						k = min(len(out), k+32<<10)
						done(out[:k])
					}
				}
			})
		}
	}
}
