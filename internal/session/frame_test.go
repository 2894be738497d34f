package session

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"testing"
	"time"
)

// hostOutput is what a host program prints for a block, about n bytes:
// lines with the frame's mark's beginnings in them, never the whole mark.
func hostOutput(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "line %d %s|%s\n", i, frameMark[:2+i%(len(frameMark)-2)], frameMark[:len(frameMark)-1])
	}
	return b.Bytes()
}

// A host block's long output arriving in many small reads, each read
// handed to Live before the next arrives, is searched for the frame's
// mark once: each byte as it arrives and a mark's length before it, not
// the whole output again at each read, by Live's flush and by the wait
// for the frame alike.
func TestFrameSearchesEachByteOnce(t *testing.T) {
	const piece = 4 << 10
	out := hostOutput(1 << 20)
	outR, outW := io.Pipe()
	c := NewConn(Python, io.Discard, outR)
	t.Cleanup(func() { outW.Close() })
	live := &liveBuffer{wrote: make(chan struct{}, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		reply Reply
		err   error
	}
	done := make(chan result, 1)
	go func() {
		reply, err := c.Eval(ctx, Request{Body: "x", Value: true, Live: live})
		done <- result{reply, err}
	}()
	fmt.Fprintf(outW, "%s0\n", frameMark) // ready
	for k := 0; k < len(out); {
		next := min(len(out), k+piece)
		if _, err := outW.Write(out[k:next]); err != nil {
			t.Fatal(err)
		}
		k = next
		// Live holds back at most what may begin the mark.
		for live.Len() < k-(len(frameMark)-1) {
			select {
			case <-live.wrote:
			case <-ctx.Done():
				t.Fatalf("Live has %d bytes of %d", live.Len(), k)
			}
		}
	}
	fmt.Fprintf(outW, "%s5\nvalue", frameMark)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.reply.Transcript != string(out) || r.reply.Result != "value" {
		t.Fatalf("transcript of %d bytes (want %d), result %q", len(r.reply.Transcript), len(out), r.reply.Result)
	}
	if got := live.String(); got != string(out) {
		t.Fatalf("Live had %d bytes, want the %d of the transcript", len(got), len(out))
	}
	c.mu.Lock()
	examined := c.marks.examined
	c.mu.Unlock()
	t.Logf("%d bytes examined for an output of %d in pieces of %d", examined, len(out), piece)
	if examined < len(out) || examined > 2*len(out) {
		t.Errorf("%d bytes examined for the frame's mark, for an output of %d: not each once or twice", examined, len(out))
	}
}

// frameSafeWhole is how much of a host's output Live may have, found as
// it was before frameSearch: the whole output searched at each wake.
func frameSafeWhole(b []byte) (safe int, found bool) {
	if i := bytes.Index(b, []byte(frameMark)); i >= 0 {
		return i, true
	}
	for k := min(len(frameMark)-1, len(b)); k > 0; k-- {
		if bytes.HasSuffix(b, []byte(frameMark[:k])) {
			return len(b) - k, false
		}
	}
	return len(b), false
}

// The frame's mark, and what may begin it, are found where the whole
// output searched at each wake found them, however the output arrives.
func TestFrameSearchAsItArrives(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	out := append(hostOutput(10<<10), frameMark+"5\nvalue"...)
	for round := 0; round < 40; round++ {
		var s frameSearch
		for k := 0; k < len(out); {
			k = min(len(out), k+1+rng.Intn(64))
			safe := s.search(out[:k])
			want, found := frameSafeWhole(out[:k])
			if safe != want || s.found != found || found && s.from != want {
				t.Fatalf("round %d, %d bytes: %d (found %v at %d), want %d (found %v)", round, k, safe, s.found, s.from, want, found)
			}
		}
	}
}

// A host's frames are read, and its transcripts given to Live, the same
// however its output arrives: two frames in one read (Ruby's output mode,
// the end indicator's frame and then the block's), the ready frame and a
// block's output in one read, and what follows a frame (the next block's
// output, read early) left for the next block.
func TestFrameChunkings(t *testing.T) {
	m := frameMark
	type block struct {
		req        Request
		transcript string
		result     string
	}
	cases := []struct {
		name   string
		kind   Kind
		out    string
		blocks []block
	}{
		{"ruby output", Ruby,
			"banner\n" + m + "0\n" + "echo\n" + m + "0\n" + "hello\n" + m + "0\n" + "next\n" + m + "0\n" + "out2\n" + m + "0\n",
			[]block{
				{Request{Body: "puts 1"}, "banner\necho\nhello\n", RubyOutputResult("puts 1", "hello\n")},
				{Request{Body: "puts 2"}, "next\nout2\n", RubyOutputResult("puts 2", "out2\n")},
			}},
		{"python value", Python,
			m + "0\n" + "printed\n" + m + "5\nvalue" + "rest\n" + m + "2\nv2",
			[]block{
				{Request{Body: "a", Value: true}, "printed\n", "value"},
				{Request{Body: "b", Value: true}, "rest\n", "v2"},
			}},
	}
	chunkings := map[string]func(rng *rand.Rand) int{
		"whole":       func(*rand.Rand) int { return 1 << 20 },
		"byte a time": func(*rand.Rand) int { return 1 },
		"random":      func(rng *rand.Rand) int { return 1 + rng.Intn(len(m)+4) },
	}
	for _, c := range cases {
		for name, piece := range chunkings {
			for seed := range int64(10) {
				rng := rand.New(rand.NewSource(seed))
				outR, outW := io.Pipe()
				conn := NewConn(c.kind, io.Discard, outR)
				go func() {
					out := []byte(c.out)
					for len(out) > 0 {
						n := min(len(out), piece(rng))
						if _, err := outW.Write(out[:n]); err != nil {
							return
						}
						out = out[n:]
					}
				}()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				for i, b := range c.blocks {
					live := &liveBuffer{}
					b.req.Live = live
					reply, err := conn.Eval(ctx, b.req)
					if err != nil {
						t.Fatalf("%s, %s, seed %d, block %d: %v", c.name, name, seed, i, err)
					}
					if reply.Transcript != b.transcript || reply.Result != b.result || live.String() != b.transcript {
						t.Errorf("%s, %s, seed %d, block %d: transcript %q, result %q, live %q; want %q, %q, the transcript",
							c.name, name, seed, i, reply.Transcript, reply.Result, live.String(), b.transcript, b.result)
					}
				}
				conn.mu.Lock()
				left := string(conn.buf)
				conn.mu.Unlock()
				if left != "" {
					t.Errorf("%s, %s, seed %d: %q left after the last frame", c.name, name, seed, left)
				}
				cancel()
				outW.Close()
			}
		}
	}
}
